"""The support pulse as coaches and managers see it: per team and for a whole site, only for
periods that have ended and only from MIN_RESPONDENTS up, so no answer can be told apart."""

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import Boolean, Integer, String, cast, func, null, select, union_all

from .. import db
from ..catalog import TOPICS
from ..catalog.items import likert_value
from ..content import current_catalog
from ..db import utcnow
from ..gaps.scoring import status_of
from .answering import period_start
from .models import PulseReceipt, PulseTally

#: Fewer answers than this are never shown, in any page, CSV or PDF (GAP_MODEL.md).
MIN_RESPONDENTS = 5


@dataclass
class PulseResult:
    """A team's (or a site's) pulse in one period: respondents, and per topic the mean value
    (GAP_MODEL.md: (v - 1) / 4, reversed (5 - v) / 4) with the number of answers behind it."""

    period_start: object
    respondents: int = 0
    topics: dict = field(default_factory=dict)  # topic -> (score, answers)

    @property
    def enough(self):
        return self.respondents >= MIN_RESPONDENTS

    def score(self, topic):
        return self.topics.get(topic, (None, 0))[0] if self.enough else None

    def status(self, topic, settings):
        return status_of(self.score(topic), MIN_RESPONDENTS if self.score(topic) is not None else 0, settings)


@dataclass
class PulseReport:
    """The last ended period and the one before it (the trend), per team and for the teams
    together; a team below MIN_RESPONDENTS shows nothing and adds nothing to the whole."""

    period_days: int
    teams: dict  # team id -> (latest PulseResult, previous PulseResult)
    whole: tuple  # (latest, previous) over the teams with enough respondents

    @property
    def period(self):
        latest = self.whole[0].period_start
        return latest, latest + timedelta(days=self.period_days - 1)

    def trend(self, result_pair, topic):
        latest, previous = result_pair
        if latest.score(topic) is None or previous.score(topic) is None:
            return None
        return latest.score(topic) - previous.score(topic)


def pulse_report(session, team_ids, today, period_days):
    """The pulse of ``team_ids`` for the last ended period and the one before, in one statement."""
    latest = period_start(today, period_days) - timedelta(days=period_days)
    periods = (latest, latest - timedelta(days=period_days))
    by_period = {start: {team_id: PulseResult(start) for team_id in team_ids} for start in periods}
    sums = {}
    for team_id, start, topic, reversed_, answer, count in _counts(session, team_ids, periods):
        if topic is None:  # the period's respondents
            by_period[start][team_id].respondents = count
            continue
        total = sums.setdefault((start, team_id, topic), [0.0, 0])
        total[0] += likert_value(answer, reversed_) * count
        total[1] += count
    for (start, team_id, topic), (value, count) in sums.items():
        by_period[start][team_id].topics[topic] = (value / count, count)
    teams = {team_id: (by_period[periods[0]][team_id], by_period[periods[1]][team_id]) for team_id in team_ids}
    whole = tuple(combined(start, by_period[start].values()) for start in periods)
    return PulseReport(period_days, teams, whole)


def _counts(session, team_ids, periods):
    """Respondents per team and period (topic None), and answers per team, period, topic,
    reversal and answer."""
    if not team_ids:
        return []
    nothing = [cast(null(), String), cast(null(), Boolean), cast(null(), Integer)]
    receipts = (select(PulseReceipt.team_id, PulseReceipt.period_start, *nothing, func.count())
                .where(PulseReceipt.team_id.in_(team_ids), PulseReceipt.period_start.in_(periods))
                .group_by(PulseReceipt.team_id, PulseReceipt.period_start))
    tallies = (select(PulseTally.team_id, PulseTally.period_start, PulseTally.topic, PulseTally.reversed,
                      PulseTally.answer, func.sum(PulseTally.count))
               .where(PulseTally.team_id.in_(team_ids), PulseTally.period_start.in_(periods), PulseTally.count > 0)
               .group_by(PulseTally.team_id, PulseTally.period_start, PulseTally.topic, PulseTally.reversed,
                         PulseTally.answer))
    return session.execute(union_all(receipts, tallies)).all()


def combined(start, results, keys=TOPICS):
    """Several teams' results as one, from the teams that have enough respondents only: a team
    left out cannot then be worked out by subtracting the others from the whole. ``keys``: the
    topics (or lenses) kept."""
    whole, sums = PulseResult(start), {}
    for result in results:
        if not result.enough:
            continue
        whole.respondents += result.respondents
        for topic, (score, count) in result.topics.items():
            total = sums.setdefault(topic, [0.0, 0])
            total[0] += score * count
            total[1] += count
    whole.topics = {topic: (value / count, count) for topic, (value, count) in sums.items() if topic in keys}
    return whole


def report_rows(pulse, team_names, whole_label=None):
    """(team id, label, (latest, previous)) per team by name, then (None, label, ...) for the
    teams together when labelled."""
    rows = sorted(((team_id, team_names.get(team_id, "?"), pair) for team_id, pair in pulse.teams.items()),
                  key=lambda row: row[1])
    return rows + ([(None, whole_label, pulse.whole)] if whole_label else [])


def beside_gaps(team_ids, team_names, whole_label=None):
    """The support pulse of these teams for a gap report's page, or nothing when the site has
    none (asked by the gaps feature as "pulse_beside_gaps")."""
    pulse = current_catalog().pulse
    if pulse is None:
        return {"pulse": None, "pulse_rows": []}
    found = pulse_report(db.session, list(team_ids), utcnow().date(), pulse.period_days)
    return {"pulse": found, "pulse_rows": report_rows(found, team_names, whole_label),
            "min_respondents": MIN_RESPONDENTS}

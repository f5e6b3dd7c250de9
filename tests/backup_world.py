"""A site with a row in every plugin table, and how to read it back for comparison: what the
backup, restore and copy-data tests (test_backup.py) move between databases and archives."""

import json
from datetime import date, datetime, timedelta

from sqlalchemy import select

from lms import db
from lms.accounts.models import ImportBatch, LoginThrottle, Site, TeamCoach
from lms.accounts.services import create_user, get_or_create_site, get_or_create_team
from lms.audit.models import AuditEvent
from lms.backup.tables import kind_of, plugin_tables, read_rows
from lms.coaching.models import (
    Assignment, DigestSent, HelpRequest, Notification, OneOnOne, PracticeRound, SpacedItem,
)
from lms.credentials.models import Certificate
from lms.effect.models import GapRemedy
from lms.evidence import Evidence
from lms.gaps.models import GapSetting
from lms.gaps.reports import site_settings, team_report
from lms.item_analysis.models import ItemSnapshot
from lms.jobs.models import Job
from lms.keys.models import SigningKey
from lms.learning.models import AttemptAnswer, AttemptScore, LessonRead, ModuleCompletion, QuizAttempt
from lms.lti.models import LtiAccount, LtiContext, LtiPlatform, LtiScoreRoute, LtiState
from lms.outbox.models import Delivery
from lms.pulse.models import CultureReceipt, CultureTally, PulseReceipt, PulseTally
from lms.recognition.models import Praise
from lms.roleplays.models import ReplyReview, RoleplayRun, RoleplayStep
from lms.selfreview.models import CallReview
from lms.xapi.models import XapiActor

from .conftest import PASSWORD

NOW = datetime(2026, 11, 20, 9, 30, 15, 123456)
TODAY = NOW.date()


def build_world():
    """A site with a row in every plugin table, as the app writes them."""
    s = db.session
    site = get_or_create_site("Tehran")
    team = get_or_create_team("Alborz", site)
    s.add(GapSetting(site_id=site.id, threshold=0.55, half_life_days=21.5, min_evidence=2, review_window_days=14,
                     followup_days=7, help_window_days=3, updated_at=NOW))
    coach = create_user("maryam", PASSWORD, "Maryam", role="coach", site=site)
    sara = create_user("sara", PASSWORD, "سارا احمدی", team=team, site=site, locale="fa", email="sara@example.com")
    omid = create_user("omid", PASSWORD, "Omid", team=team, site=site)
    s.flush()
    sara.hired_on, sara.session_token, omid.active, omid.deactivated_at = date(2026, 9, 1), "tok-1", True, None
    s.add(TeamCoach(team_id=team.id, user_id=coach.id))
    s.add_all([
        # JSON null (explicit None) and SQL NULL (never set) must stay apart.
        AuditEvent(at=NOW, kind="role", actor_id=coach.id, actor_name="Maryam", person_id=sara.id,
                   person_name="Sara", site_id=site.id, target="role", before=None, after={"role": "agent"}),
        AuditEvent(at=NOW, kind="note", actor_name="system", target="-", reason="multi\nline ✓"),
        Delivery(channel="xapi", key="k1", payload={"verb": "passed", "score": 0.5, "nested": [1, None]},
                 created_at=NOW, attempts=2, next_try_at=NOW + timedelta(minutes=5), last_error="503"),
        Job(kind="export", key="j1", args={"team": team.id}, state="done", user_id=sara.id, created_at=NOW,
            finished_at=NOW, progress=3, total=3, result_file="exports/x.csv"),
        LoginThrottle(key="ip:127.0.0.1", count=3, window_start=NOW),
        LtiState(key="state-1", value=json.dumps({"nonce": "n"}), expires_at=NOW),
        SigningKey(kid="kid-1", alg="ES256", private_pem="-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----",
                   created_at=NOW),
        PulseTally(team_id=team.id, period_start=date(2026, 11, 1), item_id="p1", topic="product", reversed=True,
                   answer=4, count=5),
        PulseReceipt(user_id=sara.id, team_id=team.id, period_start=date(2026, 11, 1)),
        CultureTally(site_id=site.id, team_id=None, period_start=date(2026, 11, 1), item_id="c1", lens="rewards",
                     reversed=False, answer=2, count=5),
        CultureReceipt(user_id=sara.id, site_id=site.id, team_id=team.id, period_start=date(2026, 11, 1)),
        Assignment(user_id=sara.id, assigned_by_id=coach.id, kind="quiz", target_id="q1", topic="product",
                   due_on=TODAY, note="please", created_at=NOW),
        DigestSent(user_id=sara.id, day=TODAY, sent_at=NOW),
        HelpRequest(user_id=sara.id, subject_kind="item", subject_id="i1", topic="product", question="why?",
                    created_at=NOW, answer="because", answered_by_id=coach.id, answered_at=NOW),
        ImportBatch(token="t1", uploaded_by_id=coach.id, site_id=site.id, filename="roster.xlsx",
                    content=bytes(range(256)), full_roster=False, created_at=NOW),
        LessonRead(user_id=sara.id, lesson_id="l1", lesson_version=2, read_at=NOW),
        Notification(user_id=sara.id, kind="assigned", params={"title": {"en": "Quiz", "fa": "آزمون"}},
                     endpoint="lms.learning.quiz", endpoint_args={"quiz_id": "q1"}, created_at=NOW),
        OneOnOne(user_id=sara.id, coach_id=coach.id, topic="product", held_on=TODAY, discussed="d", next_step="n",
                 created_at=NOW),
        PracticeRound(user_id=sara.id, taken_at=NOW, answers=[{"item": "i1", "response": None, "value": 1.0}]),
        SpacedItem(user_id=sara.id, item_id="i1", topic="product", reviews=2, streak=1, due_on=TODAY),
        XapiActor(user_id=sara.id, name="Sara"),
        Praise(user_id=sara.id, recorded_by_id=omid.id, by_leader=False, said="Kind and quick ✓", channel="chat",
               topic="product", received_on=TODAY, case_ref=None, created_at=NOW, acknowledged_by_id=coach.id,
               acknowledged_at=NOW),
        CallReview(user_id=sara.id, roleplay_id="rp1", topic="communication", version="v1",
                   criteria=[{"id": "empathy", "dimension": "belief", "name": {"en": "Empathy", "fa": "همدلی"}}],
                   reference="TCK-1", call_on=TODAY, channel="phone", transcript="Customer: hello\nAgent: hi",
                   self_scores={"empathy": 2}, differently="listen", created_at=NOW, coach_id=coach.id,
                   coach_scores={"empathy": 1}, coach_comment=None, calibrated_at=NOW),
    ])
    attempt = QuizAttempt(user_id=sara.id, quiz_id="q1", quiz_version="v1", topic="product", status="graded",
                          started_at=NOW, closed_at=NOW, points=1.5, max_points=2.0, score=0.75, passed=True)
    run = RoleplayRun(user_id=sara.id, roleplay_id="rp1", topic="communication", version="v1", status="finished",
                      current_node="end", outcome="good", shuffle_seed=7, started_at=NOW, finished_at=NOW)
    platform = LtiPlatform(name="Moodle", issuer="https://lms.example", client_id="c", auth_login_url="https://a",
                           auth_token_url="https://t", key_set_url="https://k", deployment_ids=["d1"], site_id=site.id)
    s.add_all([attempt, run, platform])
    s.flush()
    step = RoleplayStep(run_id=run.id, seq=1, node_id="n1", typed_reply="Hello", persona_correct=None, created_at=NOW)
    s.add_all([
        AttemptAnswer(attempt_id=attempt.id, item_id="i1", position=0, option_order=[2, 0, 1], response='"b"',
                      saved_at=NOW, value=1.0, points=1.0, rest_score=0.5),
        AttemptScore(attempt_id=attempt.id, topic="product", dimension="knowledge", items=2, points=1.5,
                     points_sq=1.25, max_points=2.0),
        ModuleCompletion(user_id=sara.id, module_id="m1", attempt_id=attempt.id, completed_at=NOW),
        LtiContext(platform_id=platform.id, context_id="ctx", title="Course", team_id=team.id, deployment_id="d1"),
        LtiAccount(issuer=platform.issuer, sub="sub-1", platform_id=platform.id, user_id=sara.id),
        LtiScoreRoute(user_id=sara.id, activity="q1", platform_id=platform.id, sub="sub-1"),
        GapRemedy(user_id=sara.id, coach_id=coach.id, topic="product", dimension="knowledge", kind="assignment",
                  assignment_id=s.scalar(select(Assignment.id)), score_before=0.41, evidence_before=4,
                  status_before="gap", created_at=NOW),
        step,
        ItemSnapshot(taken_at=NOW, sums={"histogram": [["i1", '"b"', 1.0, 0.5, "fa", 3]], "quizzes": [], "groups": []}),
    ])
    s.flush()
    s.add(ReplyReview(step_id=step.id, coach_id=coach.id, scores={"empathy": 2}, max_points=4, reviewed_at=NOW))
    # A certificate renewed by a later one: a row pointing to a row written after it.
    old = Certificate(code="C-OLD", user_id=sara.id, kind="module", subject_id="m1", recipient_name="Sara",
                      title={"en": "Module 1"}, issued_at=NOW - timedelta(days=400), status_index=1)
    s.add(old)
    s.flush()
    old.renewed_by_id = old.id  # as credentials.issuing.renew does, before its successor has an id
    s.flush()
    new = Certificate(code="C-NEW", user_id=sara.id, kind="module", subject_id="m1", recipient_name="Sara",
                      title={"en": "Module 1"}, issued_at=NOW, issued_by=coach.id, status_index=2)
    s.add(new)
    s.flush()
    old.renewed_by_id = new.id
    # Evidence: the database folds it into lms_evidence_cell as it is written.
    for i, (user, topic, dimension, value, days, source) in enumerate([
            (sara, "product", "knowledge", 0.2, 1, "quiz"), (sara, "product", "knowledge", 0.4, 40, "quiz"),
            (sara, "communication", "support", 0.9, 3, "roleplay"), (omid, "product", "knowledge", 1.0, 2, "quiz")]):
        s.add(Evidence(user_id=user.id, item_id=f"i{i}", topic=topic, dimension=dimension, value=value,
                       source=source, source_id=str(i), content_version="v", created_at=NOW - timedelta(days=days)))
    s.commit()
    return team.id


def normalised(connection):
    """Every plugin table's rows, JSON columns parsed (JSON null kept apart from SQL NULL)."""
    tables = {}
    for table in plugin_tables():
        json_columns = {c.name for c in table.columns if kind_of(c) == "json"}
        tables[table.name] = [{name: ("json", json.loads(value)) if name in json_columns and value is not None
                               else value for name, value in row.items()} for row in read_rows(connection, table)]
    return tables


def rows_of(engine):
    with engine.connect() as connection:
        return normalised(connection)


def gap_report(team_id):
    team_site = db.session.scalar(select(Site.id))
    return team_report(db.session, team_id, site_settings(db.session, team_site), now=NOW + timedelta(days=1))

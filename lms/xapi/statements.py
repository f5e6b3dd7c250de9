"""xAPI 1.0.3 statements for what happens in CX Academy: plain functions of plain values (the
catalogue's frozen dataclasses and the stored rows), no database and no Flask.

Every IRI starts with the site's LMS_BASE_URL, never a request's Host, and every statement id
is a uuid5 of the site and of what happened: building a statement again (a retry, ``flask lms
xapi resend``) gives the same id, so a Learning Record Store keeps one copy."""

import html
import json
import uuid
from dataclasses import dataclass
from urllib.parse import quote

import nh3

from .vocabulary import ACTIVITY_TYPES, INTERACTION_TYPES, VERBS

#: What ``context.platform`` says.
PLATFORM = "CX Academy"


@dataclass(frozen=True)
class Site:
    """The site statements are about: its address is the root of every IRI."""

    base_url: str

    @property
    def base(self):
        return self.base_url.rstrip("/")

    def iri(self, *parts):
        return "/".join([self.base, *(quote(str(p), safe="") for p in parts)])

    def extension(self, name):
        """An extension key of ours: ``<LMS_BASE_URL>/xapi/extensions/<name>``."""
        return self.iri("xapi", "extensions", name)

    def statement_id(self, *what):
        """The same event on the same site always gets the same id."""
        return str(uuid.uuid5(uuid.NAMESPACE_URL, self.iri("xapi", "statements", *what)))

    def registration(self, *what):
        """One registration per attempt or run, grouping its statements."""
        return str(uuid.uuid5(uuid.NAMESPACE_URL, self.iri("xapi", "registrations", *what)))

    def verb(self, name):
        iri, display = VERBS[name]
        return {"id": iri or self.iri("xapi", "verbs", name), "display": display}

    def activity_type(self, kind):
        return ACTIVITY_TYPES[kind] or self.iri("xapi", "activity-types", kind)

    def agent(self, name):
        """A person by an account of this site with a pseudonymous name (never an e-mail)."""
        return {"objectType": "Agent", "account": {"homePage": self.base, "name": name}}


def timestamp(moment):
    """Stored times are naive UTC (lms.db.utcnow): xAPI wants the zone said."""
    return moment.isoformat(timespec="milliseconds") + "Z"


def duration(start, end):
    """ISO 8601 duration between two times, in whole seconds."""
    return f"PT{max(0, round((end - start).total_seconds()))}S"


def names(texts):
    """A language map from a content text (lang -> text), empty languages left out."""
    return {lang: text for lang, text in texts.items() if text}


def activity(site, iri, kind, name, **definition):
    return {"objectType": "Activity", "id": iri,
            "definition": {"type": site.activity_type(kind), "name": names(name), **definition}}


def statement(site, what, actor, verb, obj, *, at, result=None, context=None):
    built = {"id": site.statement_id(*what), "actor": site.agent(actor), "verb": site.verb(verb), "object": obj,
             "timestamp": timestamp(at)}
    if result is not None:
        built["result"] = result
    built["context"] = {"platform": PLATFORM, **(context or {})}
    return built


def score(points, max_points):
    """A result's score: scaled in [0, 1] with the raw points and their range."""
    scaled = points / max_points if max_points else 0.0
    return {"scaled": round(scaled, 4), "raw": points, "min": 0, "max": max_points}


# -- activities ---------------------------------------------------------------------------

def lesson_activity(site, lesson):
    return activity(site, site.iri("modules", lesson.module_id, "lessons", lesson.id), "lesson", lesson.title)


def module_activity(site, module):
    return activity(site, site.iri("modules", module.id), "module", module.title)


def quiz_activity(site, quiz):
    return activity(site, site.iri("quizzes", quiz.id), "assessment", quiz.title)


def item_activity(site, item):
    """A quiz item as a cmi.interaction; the same item in any quiz is one activity."""
    definition = {"interactionType": INTERACTION_TYPES[item.type]}
    if item.options:
        definition["choices"] = [{"id": o.id, "description": names(o.text)} for o in item.options]
    return activity(site, site.iri("items", item.id), "interaction", _plain(item.text), **definition)


def roleplay_activity(site, roleplay):
    return activity(site, site.iri("roleplays", roleplay.id), "simulation", roleplay.title)


def node_activity(site, roleplay, node):
    """A moment of a role-play: the customer's line, and the replies it offers."""
    definition = {"interactionType": "choice" if node.choices else "fill-in"}
    if node.choices:
        definition["choices"] = [{"id": c.id, "description": names(c.text)} for c in node.choices]
    return activity(site, site.iri("roleplays", roleplay.id, "nodes", node.id), "interaction", node.customer,
                    **definition)


def achievement_activity(site, kind, subject_id, title):
    """What a certificate is for (a module, or the onboarding path)."""
    return activity(site, site.iri("achievements", kind, subject_id), "certificate", title)


def _plain(html_texts):
    """Item texts are sanitised HTML; a name is plain text (the tags dropped by the same
    sanitiser that made them, entities read back, white space folded)."""
    return {lang: " ".join(html.unescape(nh3.clean(text, tags=set())).split()) for lang, text in html_texts.items()}


# -- statements ---------------------------------------------------------------------------

def lesson_experienced(site, actor, lesson, module, read_at):
    """The first time a learner opened a lesson."""
    return statement(site, ("lesson", actor, lesson.id), actor, "experienced", lesson_activity(site, lesson),
                     at=read_at, context={"contextActivities": {"parent": [module_activity(site, module)]},
                                          "extensions": {site.extension("topic"): lesson.topic}})


def module_completed(site, actor, module, completed_at):
    """Every lesson of a module opened and its quiz passed."""
    return statement(site, ("module", actor, module.id), actor, "completed", module_activity(site, module),
                     at=completed_at, result={"completion": True, "success": True},
                     context={"extensions": {site.extension("topic"): module.topic}})


def _quiz_context(site, quiz, attempt, item=None):
    """An attempt's statements share its registration; an item's says its quiz, topic and
    gap dimension."""
    context = {"registration": site.registration("attempt", attempt.id),
               "extensions": {site.extension("topic"): quiz.topic}}
    if item is not None:
        context["contextActivities"] = {"parent": [quiz_activity(site, quiz)]}
        context["extensions"] = {site.extension("topic"): item.topic, site.extension("dimension"): item.dimension}
    if attempt.locale:
        context["language"] = attempt.locale
    return context


def quiz_statements(site, actor, quiz, attempt, answered):
    """A graded attempt: attempted (when it began), passed or failed with its score, then one
    ``answered`` per item drawn. ``answered`` is (item, response, value, points) per item, in
    the order shown; ``response`` as the item's kind reads it (None: left blank)."""
    quiz_iri = quiz_activity(site, quiz)
    context = _quiz_context(site, quiz, attempt)
    found = [
        statement(site, ("attempt", attempt.id, "attempted"), actor, "attempted", quiz_iri,
                  at=attempt.started_at, context=context),
        statement(site, ("attempt", attempt.id, "result"), actor, "passed" if attempt.passed else "failed", quiz_iri,
                  at=attempt.closed_at, context=context,
                  result={"score": score(attempt.points, attempt.max_points), "success": bool(attempt.passed),
                          "completion": True, "duration": duration(attempt.started_at, attempt.closed_at)}),
    ]
    for item, response, value, points in answered:
        result = {"response": format_response(item, response)}
        if item.graded:
            result.update(success=value == 1.0, score=score(points, item.points))
        elif value is not None:  # an attitude statement: agreement, never right or wrong
            result["score"] = {"scaled": round(value, 4)}
        found.append(statement(
            site, ("attempt", attempt.id, "item", item.id), actor, "answered", item_activity(site, item),
            at=attempt.closed_at, result=result,
            context=_quiz_context(site, quiz, attempt, item)))
    return found


def format_response(item, response):
    """A response in the cmi.interaction form: option ids joined by ``[,]``, true/false, a
    Likert point; empty when left blank."""
    if response is None:
        return ""
    if isinstance(response, (set, frozenset, list, tuple)):
        return "[,]".join(sorted(response))
    if isinstance(response, bool):
        return json.dumps(response)
    return str(response)


def roleplay_statements(site, actor, roleplay, run, steps):
    """A role-play run that reached an ending: one ``responded`` per reply (a listed one with
    what it scored on each criterion, or a typed one), then ``completed`` with the ending."""
    parent = roleplay_activity(site, roleplay)
    base_context = {"registration": site.registration("run", run.id),
                    "extensions": {site.extension("topic"): roleplay.topic}}
    found = []
    for step in steps:
        node = roleplay.nodes[step.node_id]
        extensions = dict(base_context["extensions"])
        result = {"response": step.choice_id or step.typed_reply or ""}
        if step.choice_id:
            choice = node.choice(step.choice_id)
            result["success"] = choice.best
            extensions[site.extension("criteria")] = {
                cid: {"dimension": roleplay.criterion(cid).dimension, "value": value}
                for cid, value in sorted(choice.scores.items())}
        if step.persona_correct is not None:
            extensions[site.extension("persona")] = {"answer": step.persona_answer, "correct": step.persona_correct}
        found.append(statement(
            site, ("run", run.id, "step", step.seq), actor, "responded", node_activity(site, roleplay, node),
            at=step.created_at, result=result,
            context={**base_context, "contextActivities": {"parent": [parent]}, "extensions": extensions}))
    found.append(statement(
        site, ("run", run.id, "ended"), actor, "completed", parent, at=run.finished_at,
        result={"completion": True, "success": run.outcome == "resolved",
                "duration": duration(run.started_at, run.finished_at),
                "extensions": {site.extension("outcome"): run.outcome}},
        context=base_context))
    return found


def reply_scored(site, actor, coach, roleplay, run, step, review):
    """A coach's rubric review of a typed reply: the agent's reply scored, the coach as
    instructor, each criterion's points with its gap dimension."""
    node = roleplay.nodes[step.node_id]
    points = sum(review.scores.values())
    top = review.max_points * len(review.scores)
    return statement(
        site, ("review", review.id), actor, "scored", node_activity(site, roleplay, node), at=review.reviewed_at,
        result={"score": score(points, top), "response": step.typed_reply or ""},
        context={"registration": site.registration("run", run.id), "instructor": site.agent(coach),
                 "contextActivities": {"parent": [roleplay_activity(site, roleplay)]},
                 "extensions": {site.extension("topic"): roleplay.topic, site.extension("criteria"): {
                     cid: {"dimension": roleplay.criterion(cid).dimension, "points": value, "max": review.max_points}
                     for cid, value in sorted(review.scores.items())}}})


def certificate_earned(site, actor, certificate, verify_url):
    """A certificate issued (by a completion, a renewal or a manager); ``verify_url`` is its
    public verification page, as printed on it."""
    result = {"completion": True, "success": True, "extensions": {site.extension("certificate"): verify_url}}
    if certificate.expires_at is not None:
        result["extensions"][site.extension("valid-until")] = timestamp(certificate.expires_at)
    return statement(site, ("certificate", certificate.code, "earned"), actor, "earned",
                     achievement_activity(site, certificate.kind, certificate.subject_id, certificate.title),
                     at=certificate.issued_at, result=result)


def certificate_changed(site, actor, certificate, verify_url, verb, at):
    """A certificate ``revoked`` or ``restored`` by a manager at ``at``; each time is its own
    statement (a restored certificate may be revoked again)."""
    return statement(site, ("certificate", certificate.code, verb, timestamp(at)), actor, verb,
                     achievement_activity(site, certificate.kind, certificate.subject_id, certificate.title), at=at,
                     result={"extensions": {site.extension("certificate"): verify_url}})

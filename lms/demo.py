"""A demo site a newcomer can click through: three teams, their coaches, a manager, an
admin, and agents at different points of the path. Progress is made through the same
services a learner uses, so the evidence is real. Running it again changes nothing."""

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from . import db
from .accounts.models import TeamCoach, User
from .accounts.services import create_user, get_or_create_site, get_or_create_team
from .coaching import assigning, help_requests, one_on_ones
from .credentials.models import Certificate
from .db import utcnow
from .effect.recording import remedy_taken
from .gaps.reports import agent_report, site_settings
from .item_analysis import snapshots
from .learning import attempts
from .learning.models import LessonRead
from .pulse import answering as pulse_answering
from .recognition import recording as praise
from .roleplays import services as roleplay_services
from .roleplays.engine import Reply
from .selfreview import services as self_reviews

DEMO_PASSWORD = "cx-demo-2026"
SITE = "Tehran contact centre"

# (username, display name, role, team, locale, modules done, accuracy, days since hired: 0 is
# day 1). Five of Zagros were hired more than a pulse period (30 days) ago, so they answered
# last period's pulse on any day the demo is built.
PEOPLE = [
    ("admin", "Admin", "admin", None, "en", 0, 0, None),
    ("manager", "Nasrin Karimi", "manager", None, "en", 0, 0, None),
    ("coach.maryam", "Maryam Hosseini", "coach", "Alborz", "en", 0, 0, None),
    ("coach.reza", "رضا محمدی", "coach", "Zagros", "fa", 0, 0, None),
    ("coach.leila", "Leila Rahimi", "coach", "Damavand", "en", 0, 0, None),
    ("sara", "Sara Ahmadi", "agent", "Alborz", "en", 0, 0.0, 0),
    ("omid", "Omid Jafari", "agent", "Alborz", "en", 2, 0.85, 9),
    ("neda", "Neda Sadeghi", "agent", "Alborz", "en", 5, 0.9, 40),
    ("kaveh", "Kaveh Moradi", "agent", "Alborz", "en", 1, 0.6, 6),
    ("parisa", "پریسا نوری", "agent", "Zagros", "fa", 0, 0.0, 2),
    ("arash", "آرش کاظمی", "agent", "Zagros", "fa", 3, 0.8, 35),
    ("mina", "مینا رستمی", "agent", "Zagros", "fa", 4, 0.75, 45),
    ("babak", "Babak Ebrahimi", "agent", "Zagros", "en", 1, 0.55, 32),
    ("nima", "نیما صالحی", "agent", "Zagros", "fa", 2, 0.8, 40),
    ("leyla", "لیلا فرهادی", "agent", "Zagros", "fa", 1, 0.7, 33),
    ("shirin", "Shirin Ghasemi", "agent", "Damavand", "en", 2, 0.7, 12),
    ("dariush", "داریوش حیدری", "agent", "Damavand", "fa", 6, 0.95, 60),
    ("yasmin", "Yasmin Karimi", "agent", "Damavand", "en", 0, 0.0, 3),
    ("farhad", "فرهاد امینی", "agent", "Damavand", "fa", 2, 0.65, 11),
]


def build_demo(catalog):
    """Create whatever part of the demo site is missing; return the demo people."""
    site = get_or_create_site(SITE)
    teams = {name: get_or_create_team(name, site) for name in ("Alborz", "Zagros", "Damavand")}
    db.session.flush()
    people, fresh = [], []
    for number, (username, name, role, team, locale, done, accuracy, days) in enumerate(PEOPLE, 1001):
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None:
            hired = date.today() - timedelta(days=days) if days is not None else None
            user = create_user(username, DEMO_PASSWORD, name, role=role, team=teams[team] if role == "agent" and team
                               else None, site=site, locale=locale, hired_on=hired,
                               email=f"{username}@roshan.example")
            user.employee_id = f"R-{number}"  # as the HR export (docs/examples/hr-export.csv) names them
            db.session.flush()
            if role == "coach":
                db.session.add(TeamCoach(team_id=teams[team].id, user_id=user.id))
            fresh.append((user, done, accuracy, days or 0))
        people.append(user)
    db.session.commit()
    for user, done, accuracy, days in fresh:
        _make_progress(catalog, user, done, accuracy, days)
        if done >= 2:
            _play_roleplays(catalog, user, accuracy, days)
    if fresh:
        _remedies(catalog, {u.username: u for u in people})
        _coach(catalog, {u.username: u for u in people})
        _answer_pulse(catalog, {u.username: u for u in people})
        _praise({u.username: u for u in people})
        _review_calls(catalog, {u.username: u for u in people})
        _answer_culture(catalog, {u.username: u for u in people})
        _age_a_certificate()
        snapshots.take(db.session)  # the item statistics' page has figures at the first visit
        db.session.commit()
    return people


def _age_a_certificate(days_left=20):
    """Move one certificate that expires to a year ago, so it ends within the reminder window:
    `flask lms certificate-reminders` then has someone to remind and a refresher to assign."""
    certificate = db.session.scalar(select(Certificate).where(Certificate.expires_at.is_not(None))
                                    .order_by(Certificate.id))
    if certificate is None:
        return
    shift = certificate.expires_at - (utcnow() + timedelta(days=days_left))
    certificate.issued_at -= shift
    certificate.expires_at -= shift
    db.session.commit()


#: How agents rated their leaders in last period's support pulse: per topic, the answers given to
#: a plain statement (reversed ones are answered the other way round). Five of Zagros answered,
#: so its results show; in Alborz only Neda did (the others were hired since), fewer than the
#: five a report needs.
PULSE_ANSWERS = {
    "Zagros": {"communication": (4, 5, 4), "personas": (3, 2, 3), "problem_solving": (4, 4, 5),
               "product": (2, 2, 3), "policies": (2, 3, 2)},
    "Alborz": {"communication": (4, 4, 3), "personas": (3, 4, 4), "problem_solving": (5, 4, 4),
               "product": (4, 3, 4), "policies": (4, 4, 5)},
}
PULSE_RESPONDENTS = {"Zagros": ("arash", "mina", "babak", "nima", "leyla"), "Alborz": ("neda",)}


def _answer_pulse(catalog, people):
    """Last period's support pulse, answered by the agents PULSE_RESPONDENTS names."""
    pulse = catalog.pulse
    if pulse is None:
        return
    last_period = utcnow() - timedelta(days=pulse.period_days)
    for team, usernames in PULSE_RESPONDENTS.items():
        for n, username in enumerate(usernames):
            answers = {}
            for item in pulse.items:
                value = PULSE_ANSWERS[team][item.topic][n % 3]
                answers[item.id] = 6 - value if item.reversed else value
            pulse_answering.answer(people[username], pulse, answers, last_period)


#: How the culture pulse was answered last period, per lens: five of Zagros (enough to show) and
#: Neda alone in Alborz (too few). Reversed statements are answered the other way round. Only
#: last period's: the period before ended before most of them were hired.
CULTURE_ANSWERS = {"values": (3, 3, 4, 3, 3), "rewards": (2, 2, 1, 2, 3), "rhythm": (3, 3, 3, 4, 3),
                   "experience": (4, 3, 4, 4, 5), "customer": (3, 4, 3, 4, 4)}
CULTURE_RESPONDENTS = ("arash", "mina", "babak", "nima", "leyla", "neda")


def _answer_culture(catalog, people):
    """Last period's culture pulse, answered by CULTURE_RESPONDENTS."""
    culture = catalog.culture
    if culture is None:
        return
    last_period = utcnow() - timedelta(days=culture.period_days)
    for n, username in enumerate(CULTURE_RESPONDENTS):
        answers = {}
        for item in culture.items:
            value = CULTURE_ANSWERS[item.lens][n % 5]
            answers[item.id] = 6 - value if item.reversed else value
        pulse_answering.answer_culture(people[username], culture, answers, last_period)


def _coach(catalog, people):
    """Coaching as it happens: refreshers assigned (one already late), questions asked and
    answered (Kaveh's left waiting too long, the new hire's from today), a 1:1 logged;
    notifications follow from each."""
    now = utcnow()
    maryam, reza = people["coach.maryam"], people["coach.reza"]
    communication = assigning.refresher_for(catalog, "communication")
    if communication:
        assigning.assign(maryam, [people["kaveh"]], communication, now.date() - timedelta(days=3),
                         "Focus on the questions about open and closed questions.", now - timedelta(days=5))
        assigning.assign(reza, [people["babak"]], communication, now.date() + timedelta(days=4),
                         "Two short passes, not one long one.", now - timedelta(days=1))
    first_roleplay = assigning.roleplay_for(catalog, "problem_solving") or assigning.roleplay_for(catalog, "policies")
    if first_roleplay:
        assigning.assign(maryam, [people["omid"]], first_roleplay, now.date() + timedelta(days=6), "", now)
    lessons = [lesson for module in catalog.ordered_modules() for lesson in module.lessons]
    if lessons:
        help_requests.ask(people["sara"], catalog, "lesson", lessons[0].id,
                          "When a customer repeats the same complaint, should I summarise it back again?",
                          _after_hire(people["sara"], now - timedelta(hours=2)))
        help_requests.ask(people["kaveh"], catalog, "lesson", lessons[2].id,
                          "Upset callers take me twice as long. Can I keep the acknowledging part shorter?",
                          now - timedelta(days=3))
        asked = help_requests.ask(people["omid"], catalog, "lesson", lessons[1].id,
                                  "How do I ask an open question without sounding like a script?", now - timedelta(days=2))
        help_requests.answer(maryam, asked, "Start from what they just said: “What happened after that?” works "
                             "better than any script. Let's practise three of them on Thursday.", now - timedelta(days=1))
    one_on_ones.log(maryam, people["kaveh"], "policies", now.date() - timedelta(days=2),
                    "Why the refund window exists and how to explain it without hiding behind it.",
                    "Kaveh plays the refund role-play and we review his typed replies together.",
                    now - timedelta(days=2))


#: Knowledge gaps remedied from the gap report 20 days ago, for the effectiveness page: the
#: agent missed most of a topic's refresher the day before; their coach assigned it again in one
#: click, and the agent retook it 4, 9 and 14 days later as well as these accuracies say.
KNOWLEDGE_REMEDIES = [("babak", "coach.reza", "personas", (1.0, 1.0)), ("nima", "coach.reza", "policies", (1.0, 1.0, 1.0)),
                      ("arash", "coach.reza", "policies", (0.6,)), ("neda", "coach.maryam", "personas", (1.0,))]
#: Belief and support gaps the report showed that many days ago, each remedied by a 1:1 on its
#: topic (for a support gap, a practice session).
TALK_REMEDIES = [("leyla", "coach.reza", "belief", 20), ("mina", "coach.reza", "belief", 20),
                 ("neda", "coach.maryam", "belief", 20), ("shirin", "coach.leila", "support", 0)]


TALKS = {"belief": "Why this practice matters to the customer.",
         "support": "We practised a hard call on this topic together, and I wrote down what you may decide alone."}


def _remedies(catalog, people, days_ago=20):
    """Remedies a coach took from the gap report, and what came of them: the knowledge ones
    ``days_ago`` days ago, the 1:1s when TALK_REMEDIES says."""
    then = utcnow() - timedelta(days=days_ago)
    for username, coach_name, topic, retakes in KNOWLEDGE_REMEDIES:
        agent, coach = people[username], people[coach_name]
        refresher = assigning.refresher_for(catalog, topic)
        if refresher is None:
            continue  # content without a refresher on this topic (a site's own, the tests')
        quiz = catalog.quizzes[refresher.id]
        _take(catalog, agent, quiz, 0.15, then - timedelta(days=1))
        assigning.assign(coach, [agent], refresher, then.date() + timedelta(days=7), "", then,
                         also=remedy_taken(coach, agent, topic, "knowledge", then))
        for days, accuracy in zip((4, 9, 14), retakes):
            _take(catalog, agent, quiz, accuracy, then + timedelta(days=days))
    for username, coach_name, dimension, days in TALK_REMEDIES:
        agent, coach, then = people[username], people[coach_name], utcnow() - timedelta(days=days)
        grid = agent_report(db.session, agent, site_settings(db.session, agent.site_id), then).agents[0].grid
        gap = next((cell for cell in grid.gaps() if cell.dimension == dimension), None)
        if gap is not None:
            one_on_ones.log(coach, agent, gap.topic, then.date(), TALKS[dimension], "Play the topic's role-play "
                            "and talk it through.", then, also=remedy_taken(coach, agent, gap.topic, dimension, then))


def _take(catalog, user, quiz, accuracy, when, rng=None):
    """One attempt of ``quiz`` at ``when``, answered right with probability ``accuracy``; the outcome."""
    rng = rng or random.Random(f"{user.username}-{quiz.id}")
    attempt = attempts.start_or_resume(user.id, quiz, catalog, user.locale, now=when, rng=rng)
    responses = {view.item.id: _answer(view.item, rng, accuracy) for view in attempts.shown_items(attempt, catalog)}
    return attempts.submit(user.id, quiz, catalog, attempt.id, responses, now=when + timedelta(minutes=12))


#: Customers' praise: (recorded by, agent, days ago, channel, topic, case reference, what they
#: said, acknowledged by). Omid's record of Neda's praise waits for Maryam's acknowledgement.
PRAISE = [
    ("manager", "neda", 3, "phone", "problem_solving", "CR-20931",
     "Neda walked me through the return step by step and stayed on the line until the label printed.", None),
    ("omid", "neda", 1, "email", "communication", "",
     "I wrote in angry and got a calm, clear answer within the hour. Thank you, Neda.", None),
    ("coach.reza", "mina", 6, "chat", "policies", "CH-7718",
     "خانم رستمی توضیح داد چرا بازپرداخت سه روز طول می‌کشد و همان روز خودش پیگیری کرد.", None),
    ("arash", "nima", 10, "social", "problem_solving", "",
     "آقای صالحی به جای «نمی‌شود» یک راه دیگر پیشنهاد داد و مشکلم همان بار اول حل شد.", "coach.reza"),
    ("coach.leila", "dariush", 15, "phone", "product", "CR-19804",
     "Dariush knew exactly which plan fitted my shop and saved me a second call.", None),
]


def _praise(people):
    """Customers' praise of a few agents, recorded by their leaders and colleagues."""
    now = utcnow()
    for by, agent, days, channel, topic, case_ref, said, acknowledged_by in PRAISE:
        when = now - timedelta(days=days)
        recorded = praise.record(people[by], people[agent], {
            "said": said, "channel": channel, "topic": topic, "received_on": when.date(), "case_ref": case_ref},
            now=when)
        if acknowledged_by:
            praise.acknowledge(people[acknowledged_by], recorded, now=when + timedelta(hours=3))
#: Real calls agents reviewed themselves (username, days ago, rubric, reference, channel, the
#: transcript, their own scores in the rubric's order, what they would do differently), and
#: their coach's scores and comment once the coach has scored it (Neda's is calibrated by
#: Maryam; Arash's waits for Reza).
CALLS = [
    ("neda", 3, "rp-late-delivery", "TCK-58213", "phone",
     "Customer: My order was due on Saturday and it is Tuesday. Nobody told me anything.\n"
     "Agent: I'm sorry. Deliveries are late this week, that's how it is with the courier.\n"
     "Customer: So what am I supposed to do?\n"
     "Agent: It should come in a few days. You can call again if it doesn't.",
     (2, 2, 2, 1, 1),
     "Check the tracking while the customer is on the line, give a day instead of \"a few days\", "
     "and call them back myself instead of asking them to call again.",
     ("coach.maryam", (1, 0, 2, 0, 1)),
     "You apologised, then handed the problem back. Next time give the date and own the call-back."),
    ("arash", 2, "rp-repeat-caller", "CH-20931", "chat",
     "مشتری: سومین بار است پیام می‌دهم، هنوز کسی مشکل شارژ دوباره را حل نکرده.\n"
     "کارشناس: عذر می‌خواهم. پرونده‌ی قبلی را دیدم؛ این بار تا آخر پیگیری می‌کنم.\n"
     "مشتری: قبلاً هم همین را گفتند.\n"
     "کارشناس: حق دارید. مبلغ دوم را همین حالا برگشت می‌زنم و تا ساعت ۱۷ نتیجه را پیامک می‌کنم.",
     (2, 2, 1, 1, 2),
     "اول خلاصه‌ی دو تماس قبلی را برای مشتری می‌گفتم تا مجبور نشود دوباره توضیح بدهد.",
     None, None),
]


def _review_calls(catalog, people):
    """Self-reviews of real calls, one calibrated and one waiting for the coach (CALLS)."""
    now = utcnow()
    for username, days, rubric, reference, channel, transcript, own, differently, scored, comment in CALLS:
        roleplay = catalog.roleplays.get(rubric)
        if roleplay is None:
            continue
        agent = people[username]
        ids = [c.id for c in roleplay.criteria]
        review = self_reviews.submit(agent, roleplay, reference, now.date() - timedelta(days=days), channel, transcript,
                                     dict(zip(ids, own)), differently, now - timedelta(days=days - 1))
        if scored is not None:
            coach, points = scored
            self_reviews.score(people[coach], review, agent, dict(zip(ids, points)), comment,
                               now - timedelta(days=days - 2))


def _make_progress(catalog, user, modules_done, accuracy, days_since_hired):
    """Read lessons and pass quizzes along the path, as this agent would have done."""
    rng = random.Random(user.username)
    modules = catalog.ordered_modules()
    now = utcnow()
    for index, module in enumerate(modules[: modules_done + 1]):
        ago = timedelta(days=max(days_since_hired - 3 * index, 0), hours=rng.randint(1, 6))
        when = _after_hire(user, now - ago)
        finishing = index < modules_done
        lessons = module.lessons if finishing else module.lessons[: rng.randint(0, len(module.lessons))]
        for lesson in lessons:
            db.session.add(LessonRead(user_id=user.id, lesson_id=lesson.id, lesson_version=lesson.version,
                                      read_at=when))
        db.session.commit()
        if not finishing:
            break
        quiz = catalog.quizzes[module.quiz_id]
        for attempt_no in range(3):  # a weaker agent may need more than one try
            outcome = _take(catalog, user, quiz, accuracy + 0.1 * attempt_no, when, rng)
            when += timedelta(days=1)
            if outcome.attempt.passed:
                break


def _after_hire(user, moment):
    """``moment``, or the start of the person's first day when that is later: nothing a demo
    person did comes before their hire date."""
    return max(moment, datetime.combine(user.hired_on, time())) if user.hired_on else moment


def _answer(item, rng, accuracy):
    """A plausible response: right with probability ``accuracy``, else a likely mistake."""
    if item.type == "agreement":
        return rng.choice((2, 3, 4, 4, 5)) if not item.reversed else rng.choice((1, 2, 2, 3, 4))
    right = rng.random() < accuracy
    if item.type == "short":
        return item.answer["en"][0] if right else "?"
    if item.type == "true_false":
        return item.answer if right else not item.answer
    if item.type == "multiple":
        if right:
            return item.answer
        return frozenset({rng.choice(item.options).id})
    wrong = [o.id for o in item.options if o.id != item.answer]
    return item.answer if right or not wrong else rng.choice(wrong)


def _play_roleplays(catalog, user, accuracy, days_since_hired):
    """Play two role-plays the way this agent would; a weaker agent types a reply of their own
    now and then, which waits in the coach's review queue."""
    rng = random.Random(user.username + "-roleplay")
    scenarios = sorted(catalog.roleplays.values(), key=lambda r: r.id)
    for roleplay in rng.sample(scenarios, min(2, len(scenarios))):
        when = _after_hire(user, utcnow() - timedelta(days=rng.randint(1, max(2, days_since_hired))))
        run = roleplay_services.start_or_resume(user.id, roleplay, now=when)
        for seq in range(20):
            node = roleplay.nodes[run.current_node]
            if node.is_end:
                break
            persona = None
            if node.persona_check:
                persona = node.persona if rng.random() < accuracy else rng.choice(list(catalog.personas))
            if node.open_reply_next and rng.random() < 0.5:
                reply = Reply(typed=TYPED_REPLY[user.locale], persona=persona)
            else:
                best = node.best_choice
                choice = best if best and rng.random() < accuracy else rng.choice(node.choices)
                reply = Reply(choice.id, persona=persona)
            when += timedelta(minutes=1)
            run = roleplay_services.take_step(user.id, roleplay, run.id, seq, reply, catalog.personas, now=when).run


TYPED_REPLY = {
    "en": "I understand, and I'm sorry this happened. Let me check your order right now and tell you exactly what I can do.",
    "fa": "متوجهم و متأسفم که این اتفاق افتاده. همین حالا سفارشتان را بررسی می‌کنم و دقیق می‌گویم چه کاری از دستم برمی‌آید.",
}

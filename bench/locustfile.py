"""The simulated people of bench/load.py, for locust (started by it; not meant to be run alone).

LOAD_SCENARIO picks who runs: ``burst`` (agents each start the same quiz once and submit it,
spread over LOAD_SUBMIT_SECONDS) or ``browse`` (agents and coaches opening pages at a
constant pace each, so the offered rate stays fixed whatever the answer times: an open model).
LOAD_PEOPLE names the JSON file load.py wrote: every person's signed session cookie, made
before the clock starts, and what they may open.
"""

import json
import os
import random
import time
from itertools import count

import gevent
from locust import FastHttpUser, constant_throughput, task
from requests.cookies import create_cookie

from quiz_form import answer_sheet, csrf_token

SCENARIO = os.environ.get("LOAD_SCENARIO", "browse")
PEOPLE = json.loads(open(os.environ["LOAD_PEOPLE"], encoding="utf-8").read()) if "LOAD_PEOPLE" in os.environ else {}
PREFIX = PEOPLE.get("prefix", "")
SUBMIT_SECONDS = float(os.environ.get("LOAD_SUBMIT_SECONDS", 60))
#: Each browsing user's pace (requests per second); load.py sets users = rate / pace.
PACE = float(os.environ.get("LOAD_PACE", 0.5))

_agents = count()
_coaches = count()
_finished = count(1)


def _signed_in(user, person):
    user.client.cookiejar.set_cookie(create_cookie("session", person["cookie"], domain="127.0.0.1"))


def _arrive_within(seconds):
    """Start at a random moment of the next ``seconds``. Locust starts the users of each second
    all at once (spawn rate per second), and a user that keeps a constant pace keeps its start's
    phase: without this, a whole second's users would ask together, every time, rather than
    the offered rate arriving evenly."""
    gevent.sleep(random.uniform(0, seconds))


def page(user, url, name):
    """GET a page that must answer 200 itself: a redirect (to sign-in: the session was lost) is
    an error too, which locust would not count by itself."""
    with user.client.get(url, name=name, allow_redirects=False, catch_response=True) as response:
        if response.status_code != 200:
            response.failure(f"answered {response.status_code}")
        return response


class QuizTaker(FastHttpUser):
    """An agent who starts the quiz as soon as they arrive and submits once, within the minute."""

    weight = 1 if SCENARIO == "burst" else 0
    wait_time = constant_throughput(1)

    def on_start(self):
        self.person = PEOPLE["agents"][next(_agents) % len(PEOPLE["agents"])]
        self.done = False
        _signed_in(self, self.person)
        _arrive_within(1)  # the users of each second, spread over it: all start within 10 s

    @task
    def take_quiz(self):
        if self.done:
            return
        self.done = True
        try:
            self.quiz_once()
        finally:
            if next(_finished) >= self.environment.parsed_options.num_users:
                gevent.spawn(self.environment.runner.quit)  # everybody is done: no need to wait for the time limit

    def quiz_once(self):
        quiz = f"{PREFIX}/quizzes/{PEOPLE['quiz']}"
        token = csrf_token(page(self, quiz, "quiz page").text)
        if token is None:
            return
        with self.client.post(f"{quiz}/start", data={"csrf_token": token}, name="start",
                              allow_redirects=False, catch_response=True) as started:
            if started.status_code != 303:
                started.failure(f"start answered {started.status_code}")
                return
            attempt_url = started.headers["Location"]
        shown = page(self, attempt_url, "attempt page")
        token, sheet = csrf_token(shown.text), answer_sheet(shown.text)
        if token is None:
            return
        gevent.sleep(random.uniform(0, max(0.0, SUBMIT_SECONDS - 15)))  # reading and answering
        with self.client.post(attempt_url, data=dict(sheet, csrf_token=token), name="submit",
                              allow_redirects=False, catch_response=True) as submitted:
            if submitted.status_code != 303:
                submitted.failure(f"submit answered {submitted.status_code}")


class _Browsing(FastHttpUser):
    """A person of PEOPLE[role], taken in turn, signed in and pacing at PACE requests/s."""

    abstract = True
    role, taken = None, None

    def on_start(self):
        people = PEOPLE[self.role]
        self.person = people[next(self.taken) % len(people)]
        _signed_in(self, self.person)
        _arrive_within(1 / PACE)
        self.due = time.monotonic()

    def wait_time(self):
        """Until this user's next slot: one every 1 / PACE seconds from its own first request.
        (Locust's constant_throughput counts from the moment the user was made, which undoes
        the random start: the users of one spawning second would then ask together every time,
        in bursts the size of the spawn rate, rather than the offered rate arriving evenly.)"""
        self.due += 1 / PACE
        return max(0.0, self.due - time.monotonic())


class Agent(_Browsing):
    """An agent browsing: the path, a lesson, the to-do list, their own gaps."""

    weight = 0 if SCENARIO == "burst" else 4
    role, taken = "agents", _agents

    @task(3)
    def path(self):
        page(self, f"{PREFIX}/", "path")

    @task(3)
    def lesson(self):
        page(self, f"{PREFIX}{random.choice(PEOPLE['lessons'])}", "lesson")

    @task(2)
    def todo(self):
        page(self, f"{PREFIX}/todo", "to-do")

    @task(2)
    def my_gaps(self):
        page(self, f"{PREFIX}/gaps/people/{self.person['id']}", "my gaps")


class Coach(_Browsing):
    """A coach: the coaching dashboard, their team's gap page, one of their agents."""

    weight = 0 if SCENARIO == "burst" else 1
    role, taken = "coaches", _coaches

    @task(2)
    def dashboard(self):
        page(self, f"{PREFIX}/coaching", "coach dashboard")

    @task(2)
    def team_gaps(self):
        page(self, f"{PREFIX}/gaps/teams/{self.person['team_id']}", "team gaps")

    @task(1)
    def agent_gaps(self):
        page(self, f"{PREFIX}/gaps/people/{random.choice(self.person['agents'])}", "agent gaps")

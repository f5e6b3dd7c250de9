"""Where a load test's CPU goes: the cores the server, the database and the load generator
used over a stretch of a run, read from the operating system (psutil) once a second, so a slow
run says whether the app, PostgreSQL or the generator itself was short of CPU."""

import os
import threading
import time

import psutil


def _seconds(process):
    try:
        times = process.cpu_times()
    except psutil.Error:  # ended since it was listed
        return None
    return times.user + times.system


class CpuUse:
    """Samples, once a second while running, of each process's CPU seconds, per group:
    ``groups`` maps a name to a function listing the group's processes (they may come and go:
    a process that ended keeps its last sample, one that started counts from zero)."""

    def __init__(self, groups, interval=1.0):
        self.groups, self.interval = groups, interval
        self.samples = []  # (monotonic time, {group: {pid: cpu seconds}})
        self._stop = threading.Event()
        self._thread = None

    def _sample(self):
        taken = {}
        for name, listing in self.groups.items():
            taken[name] = {p.pid: used for p in listing() if (used := _seconds(p)) is not None}
        self.samples.append((time.monotonic(), taken))

    def __enter__(self):
        self.started = time.monotonic()
        self._sample()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.wait(self.interval):
            self._sample()

    def __exit__(self, *_exc):
        self._stop.set()
        self._thread.join()
        self._sample()

    def cores(self, start=0.0, end=None):
        """Mean cores used by each group from ``start`` to ``end`` seconds into the run (the
        whole run by default), between the samples nearest those moments."""
        end = self.samples[-1][0] - self.started if end is None else end
        first = min(self.samples, key=lambda s: abs(s[0] - self.started - start))
        last = min(self.samples, key=lambda s: abs(s[0] - self.started - end))
        span = max(last[0] - first[0], 1e-9)
        used = {}
        for name in self.groups:
            seen = {}
            for at, taken in self.samples:  # each process's last sample in the stretch
                if first[0] <= at <= last[0]:
                    seen.update(taken[name])
            used[name] = sum(seconds - first[1][name].get(pid, 0.0) for pid, seconds in seen.items())
        return {name: seconds / span for name, seconds in used.items()}


def described(cores):
    """For example "gunicorn 1.45, postgres 0.22, locust 0.26 (of 2 cores)"."""
    return ", ".join(f"{name} {used:.2f}" for name, used in cores.items()) + f" (of {os.cpu_count()} cores)"


def tree(pid):
    """A process and its descendants (gunicorn's master and workers; locust)."""
    def listing():
        try:
            root = psutil.Process(pid)
            return [root, *root.children(recursive=True)]
        except psutil.Error:
            return []
    return listing


def named(name):
    """Every process of this machine with that name (PostgreSQL's server and its backends)."""
    def listing():
        return [p for p in psutil.process_iter(["name"]) if p.info["name"] == name]
    return listing

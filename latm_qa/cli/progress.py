"""Progress of a long step, on stderr: a tqdm bar per stage on a terminal (with rate and time left), plain
lines otherwise (a log file, CI, a pipe), where a bar would print nothing or garble the log.

The build reports ``progress(stage, n, total)``, ``n`` the items just finished (0 announces the stage).
A stage that is over within QUIET seconds prints nothing (a small ingest, or a refusal, stays one line);
a longer one prints a line once it has run that long, at most every EVERY seconds after, and when it ends::

    embedding passages: 0/986 (0 %)
    embedding passages: 320/986 (32 %), 5.1 passages/s, about 2 min 10 s left
    embedding passages: 986/986 (100 %), 5.1 passages/s, took 3 min 13 s
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

Progress = Callable[[str, int, int], None]
EVERY = 10.0  # seconds between two lines of one stage
QUIET = 2.0  # seconds a stage runs before its first line: a quicker one prints nothing
UNITS = {"reading": "files"}  # what a stage counts, where its name does not say ("embedding passages": passages)


def unit_of(stage: str) -> str:
    """What a stage counts: "embedding passages (resumed: ...)" -> "passages"; "reading" -> "files"."""
    if stage in UNITS:
        return UNITS[stage]
    words = re.findall(r"[\w-]+", stage)
    return words[1] if len(words) > 1 else "items"


def say_duration(seconds: float, about: bool = False) -> str:
    """"45 s", "2 min 10 s", "1 h 5 min"; ``about``: beyond a minute, to the nearest 10 s."""
    whole = max(0, round(seconds))
    if about and whole >= 60:
        whole = round(whole / 10) * 10
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        minutes, rest = divmod(whole, 60)
        return f"{minutes} min {rest} s" if rest else f"{minutes} min"
    hours, rest = divmod(whole, 3600)
    return f"{hours} h {rest // 60} min" if rest // 60 else f"{hours} h"


def say_rate(rate: float) -> str:
    return f"{rate:.2f}" if rate < 1 else f"{rate:.1f}" if rate < 100 else f"{rate:.0f}"


@dataclass
class _Stage:
    total: int
    began: float  # when its first report came
    base: int  # what was done by then (the rate counts what came after)
    done: int = 0
    shown: float | None = None  # when its last line was printed (None: not yet)


class ProgressLines:
    """A progress callback that prints plain lines on ``stream`` (see the module's docstring)."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic, every: float = EVERY,
                 quiet: float = QUIET) -> None:
        self.stream, self.clock, self.every, self.quiet = stream, clock, every, quiet
        self.stages: dict[str, _Stage] = {}

    def __call__(self, stage: str, n: int, total: int) -> None:
        now = self.clock()
        state = self.stages.get(stage)
        if state is None or state.done >= state.total:  # a new stage (or the same one run again)
            self.stages[stage] = _Stage(total, now, n, done=min(n, total))
            return
        state.done = min(state.done + n, state.total)
        if state.shown is None:
            due = now - state.began >= self.quiet
        else:
            due = state.done >= state.total or now - state.shown >= self.every
        if due:
            state.shown = now
            self._say(stage, state, now)

    def line(self, stage: str, state: _Stage, now: float) -> str:
        """The line for a stage now: done/total, and once it can be told, rate and time left (or taken)."""
        percent = 100 * state.done // state.total if state.total else 100
        text = f"{stage}: {state.done}/{state.total} ({percent} %)"
        elapsed = now - state.began
        if elapsed <= 0 or state.done <= state.base:
            return text
        rate = (state.done - state.base) / elapsed
        text += f", {say_rate(rate)} {unit_of(stage)}/s"
        if state.done >= state.total:
            return text + f", took {say_duration(elapsed)}"
        return text + f", about {say_duration(max(1.0, (state.total - state.done) / rate), about=True)} left"

    def _say(self, stage: str, state: _Stage, now: float) -> None:
        print(self.line(stage, state, now), file=self.stream, flush=True)


def progress_bars(stream: TextIO) -> tuple[Progress, dict]:
    """A tqdm bar per stage (rate and time left), and the bars, to close when the step ends."""
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}

    def update(stage: str, n: int, total: int) -> None:
        if stage not in bars:
            bars[stage] = tqdm(total=total, desc=stage, unit=" " + unit_of(stage), file=stream, leave=False)
        bars[stage].update(n)

    return update, bars


def progress_for(stream: TextIO | None = None) -> tuple[Progress, dict]:
    """Bars on a terminal, lines otherwise; with what to close when the step ends (bars; lines need nothing)."""
    stream = sys.stderr if stream is None else stream
    isatty = getattr(stream, "isatty", None)
    if isatty is not None and isatty():
        return progress_bars(stream)
    return ProgressLines(stream), {}

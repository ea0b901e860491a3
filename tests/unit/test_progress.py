"""Plain progress lines (stderr not a terminal), with a fake clock: pacing, rate, time left, stage ends."""

from __future__ import annotations

import io

from latm_qa.cli.progress import ProgressLines, progress_for, say_duration, unit_of


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def lines_of(stream: io.StringIO) -> list[str]:
    return stream.getvalue().splitlines()


def test_a_long_stage_prints_once_it_has_run_a_while_then_every_ten_seconds_then_its_end():
    clock, out = Clock(), io.StringIO()
    progress = ProgressLines(out, clock=clock)
    progress("embedding passages", 0, 986)  # the stage begins: nothing yet (it may be over at once)
    assert lines_of(out) == []
    for _ in range(10):  # a batch of 32 every 6.25 s: 5.12 passages/s
        clock.now += 6.25
        progress("embedding passages", 32, 986)
    # a line at 6.25 s (past the quiet start), then 18.75, 31.25, 43.75, 56.25 (10 s or more after the last)
    assert len(lines_of(out)) == 5
    assert lines_of(out)[0] == "embedding passages: 32/986 (3 %), 5.1 passages/s, about 3 min 10 s left"
    clock.now += 6.25
    progress("embedding passages", 32, 986)
    assert lines_of(out)[-1] == "embedding passages: 352/986 (35 %), 5.1 passages/s, about 2 min left"
    clock.now += 1.0
    progress("embedding passages", 32, 986)  # 1 s after the last line: quiet
    assert len(lines_of(out)) == 6
    clock.now += 117.25
    progress("embedding passages", 602, 986)  # the end is always shown, with the time it took
    assert lines_of(out)[-1] == "embedding passages: 986/986 (100 %), 5.3 passages/s, took 3 min 7 s"


def test_rate_and_time_left_count_from_the_first_report():
    clock, out = Clock(), io.StringIO()
    progress = ProgressLines(out, clock=clock, every=10)
    progress("embedding sentences", 100, 1000)  # first report after a first batch: the rate counts from here
    assert lines_of(out) == []
    clock.now += 10
    progress("embedding sentences", 200, 1000)  # 200 in 10 s since then: 20/s, 700 left: 35 s
    assert lines_of(out) == ["embedding sentences: 300/1000 (30 %), 20.0 sentences/s, about 35 s left"]


def test_a_quick_stage_says_nothing_and_stages_are_told_apart():
    clock, out = Clock(), io.StringIO()
    progress = ProgressLines(out, clock=clock)
    progress("reading", 1, 2)
    clock.now += 0.5
    progress("reading", 1, 2)  # over within the quiet start: nothing (a refusal stays one line)
    assert lines_of(out) == []
    progress("embedding passages (resumed: 640 done before)", 0, 346)
    clock.now += 3
    progress("embedding passages (resumed: 640 done before)", 10, 346)
    progress("reading", 1, 1)  # a second ingest in the same process, over at once
    assert lines_of(out) == ["embedding passages (resumed: 640 done before): 10/346 (2 %), 3.3 passages/s, "
                             "about 1 min 40 s left"]


def test_a_stage_with_nothing_to_do_says_nothing():
    out = io.StringIO()
    ProgressLines(out, clock=Clock())("embedding sentences", 0, 0)
    assert out.getvalue() == ""


def test_durations_units_and_the_choice_of_bars_or_lines():
    assert [say_duration(s) for s in (0.4, 59, 60, 130, 3600, 3725)] == [
        "0 s", "59 s", "1 min", "2 min 10 s", "1 h", "1 h 2 min"]
    assert say_duration(134, about=True) == "2 min 10 s" and say_duration(136, about=True) == "2 min 20 s"
    assert unit_of("embedding passages") == "passages" and unit_of("reading") == "files"
    assert unit_of("embedding passages (resumed: 64 done before)") == "passages"
    update, bars = progress_for(io.StringIO())  # not a terminal: lines, nothing to close
    assert isinstance(update, ProgressLines) and bars == {}

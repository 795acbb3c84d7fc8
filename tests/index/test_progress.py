"""Build progress (assistant/index/progress.py): counts, time left, the Swedish lines."""

from __future__ import annotations

from assistant.index.progress import BuildProgress, BuildStatus, BuildTracker, format_duration


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_durations_read_as_swedish() -> None:
    assert format_duration(4.4) == "4 s"
    assert format_duration(65) == "1 min 05 s"
    assert format_duration(3 * 3600 + 7 * 60 + 30) == "3 h 07 min"


def test_time_left_follows_the_characters_embedded() -> None:
    clock = Clock()
    steps: list[BuildProgress] = []
    tracker = BuildTracker(reports_total=4, on_step=steps.append, clock=clock)
    tracker.plan(reports_done=1, chunks_total=30, chars_total=10_000)  # one report came from the cache
    assert steps[-1].eta_s is None and steps[-1].describe().startswith("Bygger sökindexet: 1 av 4 rapporter klara")
    clock.now += 10
    tracker.embedded(2_500)  # a quarter in 10 s: 30 s to go
    assert steps[-1].eta_s == 30.0
    assert steps[-1].chunks_done == 7.5
    assert "ca 30 s kvar" in steps[-1].describe() and "8 av 30 textavsnitt" in steps[-1].describe()
    tracker.report_done()
    assert steps[-1].reports_done == 2
    clock.now += 30
    tracker.embedded(7_500)
    tracker.report_done()
    tracker.report_done()
    tracker.writing()
    assert steps[-1].fraction == 0.97 and steps[-1].describe().startswith("Skriver sökindexet")
    clock.now += 2
    tracker.finished()
    assert steps[-1].fraction == 1.0
    assert steps[-1].describe() == "Sökindexet är klart: 4 rapporter på 42 s."


def test_small_batches_are_not_reported_more_than_five_times_a_second() -> None:
    clock = Clock()
    messages: list[tuple[str, float]] = []
    tracker = BuildTracker(reports_total=1, progress=lambda m, f: messages.append((m, f)), clock=clock)
    tracker.plan(reports_done=0, chunks_total=10, chars_total=1000)
    sent = len(messages)
    for _ in range(10):
        clock.now += 0.01
        tracker.embedded(10)
    assert len(messages) == sent  # within 0.2 s: held back
    clock.now += 0.3
    tracker.embedded(10)
    assert len(messages) == sent + 1
    assert [f for _, f in messages] == sorted(f for _, f in messages)


def test_the_status_keeps_the_last_progress_and_the_error() -> None:
    status = BuildStatus()
    assert status.snapshot() == (False, None, "")
    status.start()
    progress = BuildProgress("bäddar in", 1, 2, 3.0, 9, 4.0, 12.0)
    status.update(progress)
    assert status.snapshot() == (True, progress, "")
    status.update(BuildProgress("klart", 2, 2, 9.0, 9, 61.0, 0.0))
    status.finish()
    assert not status.running and status.finished_s == 61.0
    status.start()
    status.finish("Disken är full.")
    assert status.snapshot() == (False, None, "Disken är full.")

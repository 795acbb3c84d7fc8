"""How far an index build has come: reports done of all, passages embedded, time left.

The store reports every embedded batch to a :class:`BuildTracker`; the tracker
turns that into a :class:`BuildProgress` (plain data, with a Swedish
one-line description) and hands it on — to the ``(message, fraction)``
callback the web interface's upload shows, to a progress bar in the CLI, and
to the :class:`BuildStatus` that the web interface polls while a background
build runs.

Time left is estimated from the characters embedded so far (a passage of 900
characters costs about ten times a sentence of 80), so it settles after the
first few batches.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

__all__ = [
    "BuildProgress",
    "BuildStatus",
    "BuildTracker",
    "Progress",
    "ProgressBar",
    "StepCallback",
    "format_duration",
]

Progress = Callable[[str, float], None]  # (message, fraction 0..1)


@dataclass(frozen=True)
class BuildProgress:
    stage: str  # "förbereder", "bäddar in", "bygger sökindex", "klart"
    reports_done: int
    reports_total: int
    chunks_done: float  # passages embedded so far (fractional: measured in characters)
    chunks_total: int  # passages this build has to embed (the others come from the cache)
    elapsed_s: float
    eta_s: float | None  # None until there is a rate to go by

    @property
    def fraction(self) -> float:
        if self.stage == "klart":
            return 1.0
        if self.chunks_total:
            return min(0.97, 0.97 * self.chunks_done / self.chunks_total)
        return 0.97 if self.stage == "bygger sökindex" else 0.0

    def describe(self) -> str:
        if self.stage == "klart":
            return f"Sökindexet är klart: {self.reports_total} rapporter på {format_duration(self.elapsed_s)}."
        parts = [f"{self.reports_done} av {self.reports_total} rapporter klara"]
        if self.stage == "bäddar in" and self.chunks_total:
            parts.append(f"{self.chunks_done:.0f} av {self.chunks_total} textavsnitt inbäddade")
        if self.eta_s is not None and self.stage == "bäddar in":
            parts.append(f"ca {format_duration(self.eta_s)} kvar")
        head = {"förbereder": "Förbereder sökindexet", "bäddar in": "Bygger sökindexet"}.get(
            self.stage, "Skriver sökindexet"
        )
        return f"{head}: " + ", ".join(parts) + "."


StepCallback = Callable[[BuildProgress], None]


def format_duration(seconds: float) -> str:
    """'45 s', '3 min 05 s', '1 h 12 min' (Swedish)."""
    s = max(0, round(seconds))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {(s % 3600) // 60:02d} min"


class BuildTracker:
    """Collects a build's progress and passes it on (both callbacks are optional)."""

    def __init__(
        self,
        *,
        reports_total: int,
        progress: Progress | None = None,
        on_step: StepCallback | None = None,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self._progress = progress
        self._on_step = on_step
        self._clock = clock
        self._started = clock()
        self._embed_started: float | None = None
        self._last_sent = 0.0
        self.state = BuildProgress("förbereder", 0, reports_total, 0.0, 0, 0.0, None)
        self._chars_total = 0
        self._chars_done = 0
        self._emit(force=True)

    def plan(self, *, reports_done: int, chunks_total: int, chars_total: int) -> None:
        """What this build has to embed; the reports it does not have to are already done."""
        self._chars_total = chars_total
        self.state = replace(self.state, stage="bäddar in", reports_done=reports_done, chunks_total=chunks_total)
        self._embed_started = self._clock()
        self._emit(force=True)

    def embedded(self, chars: int) -> None:
        self._chars_done += chars
        chunks_done = self.state.chunks_total * self._chars_done / max(self._chars_total, 1)
        self.state = replace(self.state, chunks_done=chunks_done, eta_s=self._eta())
        self._emit()

    def report_done(self) -> None:
        self.state = replace(self.state, reports_done=min(self.state.reports_done + 1, self.state.reports_total))
        self._emit(force=True)

    def writing(self) -> None:
        self.state = replace(
            self.state,
            stage="bygger sökindex",
            reports_done=self.state.reports_total,
            chunks_done=self.state.chunks_total,
        )
        self._emit(force=True)

    def finished(self) -> None:
        self.state = replace(self.state, stage="klart", eta_s=0.0)
        self._emit(force=True)

    def _eta(self) -> float | None:
        if self._embed_started is None or not self._chars_done:
            return None
        spent = self._clock() - self._embed_started
        if spent < 0.5:
            return None
        return spent * (self._chars_total - self._chars_done) / self._chars_done

    def _emit(self, force: bool = False) -> None:
        now = self._clock()
        self.state = replace(self.state, elapsed_s=now - self._started)
        if not force and now - self._last_sent < 0.2:  # a batch takes ~1 s; this only caps tiny ones
            return
        self._last_sent = now
        if self._on_step is not None:
            self._on_step(self.state)
        if self._progress is not None:
            self._progress(self.state.describe(), self.state.fraction)


class BuildStatus:
    """The state of a build running in the background, for the web interface to show (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.running = False
        self.progress: BuildProgress | None = None
        self.error: str = ""
        self.finished_s: float | None = None  # wall time of the last finished build

    def start(self) -> None:
        with self._lock:
            self.running, self.progress, self.error, self.finished_s = True, None, "", None

    def update(self, progress: BuildProgress) -> None:
        with self._lock:
            self.progress = progress

    def finish(self, error: str = "") -> None:
        with self._lock:
            self.running = False
            self.error = error
            if self.progress is not None and not error:
                self.finished_s = self.progress.elapsed_s

    def snapshot(self) -> tuple[bool, BuildProgress | None, str]:
        with self._lock:
            return self.running, self.progress, self.error


class ProgressBar:
    """A tqdm bar on stderr over the passages to embed (passages/s and time left), as a step callback."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._n = 0.0

    def __call__(self, progress: BuildProgress) -> None:
        if progress.stage != "bäddar in" or not progress.chunks_total:
            return
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(
                total=progress.chunks_total,
                desc="Bäddar in",
                unit=" avsnitt",
                file=sys.stderr,
                dynamic_ncols=True,
                bar_format="{desc}: {percentage:3.0f}%|{bar}| {n:.0f}/{total} [{elapsed}<{remaining}, {rate_fmt}]",
            )
        self._bar.set_postfix_str(f"{progress.reports_done}/{progress.reports_total} rapporter", refresh=False)
        self._bar.update(progress.chunks_done - self._n)
        self._n = progress.chunks_done

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

"""The line above the tabs that says how far a background index build has come.

While ``serve`` builds a missing or stale index in the background, the page
shows "Bygger sökindexet: 2 av 5 rapporter klara, … ca 40 s kvar" and refreshes
it every second; questions are answered from the previous index meanwhile, or
get a message that the index is not ready yet. When the build finishes the
line says how long it took and the timer stops.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import gradio as gr

from ..index.progress import BuildStatus, format_duration
from .render import render_status

if TYPE_CHECKING:
    from ..api import Assistant

__all__ = ["build_status_line", "render_build_status"]


def render_build_status(status: BuildStatus, *, has_index: bool) -> str:
    """HTML for the build's state; empty when no build has run in this process."""
    running, progress, error = status.snapshot()
    if error:
        return render_status(f"Sökindexet kunde inte byggas: {error}", "error")
    if running:
        text = progress.describe() if progress is not None else "Förbereder sökindexet …"
        answers = (
            "Frågor besvaras från det förra indexet tills det nya är klart."
            if has_index
            else "Frågor kan ställas när det är klart."
        )
        return render_status(f"{text} {answers}", "warn")
    if progress is not None and status.finished_s is not None:
        return render_status(
            f"Sökindexet är klart: {progress.reports_total} rapporter på {format_duration(status.finished_s)}.", "ok"
        )
    return ""


def build_status_line(
    assistant: Assistant,
    on_finish: Callable[[], tuple[Any, ...]] | None = None,
    finish_outputs: Sequence[Any] = (),
) -> tuple[gr.HTML, Callable[[], tuple[Any, ...]], list[Any]]:
    """The status line and a timer that refreshes it each second while a build runs; when the build
    has finished, ``on_finish`` refreshes ``finish_outputs`` once (e.g. the chat's filter choices).

    Returns the line, its refresh function and the refresh function's outputs (for the page's load
    event, which also restarts the timer when a build runs)."""
    status = assistant.build_status
    extra = list(finish_outputs)

    def refresh() -> tuple[Any, ...]:
        running = status.running
        html = render_build_status(status, has_index=assistant.ready)
        return (html, gr.Timer(active=running), *([gr.update()] * len(extra)))

    def tick() -> tuple[Any, ...]:
        if status.running or on_finish is None:
            return refresh()
        # The build this timer followed has just finished: the rest of the page catches up once.
        return (render_build_status(status, has_index=assistant.ready), gr.Timer(active=False), *on_finish())

    line = gr.HTML(render_build_status(status, has_index=assistant.ready), elem_id="ra-build-status")
    timer = gr.Timer(1.0, active=status.running)
    outputs = [line, timer, *extra]
    timer.tick(tick, outputs=outputs, api_visibility="private", show_progress="hidden")
    return line, refresh, outputs

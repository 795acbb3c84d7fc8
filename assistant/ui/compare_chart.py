"""The chart of the "Jämför år" tab: a PNG per corpus state and choice, and the values it does not draw.

Charts are written to a temporary folder of this process, never into
``corpus/`` or ``index/``.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from ..facts.indicators import SeriesPoint, chart_plan, chart_title, plot_series
from .compare_data import CorpusFacts, esc

__all__ = ["chart_file", "render_chart_notes"]

_chart_lock = threading.Lock()  # pyplot keeps global state: one chart at a time
_chart_dir: Path | None = None


def _charts() -> Path:
    global _chart_dir
    if _chart_dir is None or not _chart_dir.is_dir():
        _chart_dir = Path(tempfile.mkdtemp(prefix="jamfor-ar-"))
    return _chart_dir


def chart_file(points: Sequence[SeriesPoint], data: CorpusFacts, indicator: str, unit: str | None) -> str | None:
    """The chart as a PNG in the temporary folder (reused for the same corpus state), or None if nothing to draw."""
    if not chart_plan(points).lines:
        return None
    digest = hashlib.sha256(repr((data.key, indicator, unit)).encode("utf-8")).hexdigest()[:20]
    with _chart_lock:
        path = _charts() / f"{indicator[:40]}-{digest}.png".replace("/", "_")
        if not path.exists():
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp.png")
            plot_series(points, tmp, title=chart_title(points))
            tmp.replace(path)
    return str(path)


def render_chart_notes(points: Sequence[SeriesPoint]) -> str:
    """The chart's lines in words, and every value of the table that the chart does not draw, with the reason."""
    if not points:
        return ""
    plan = chart_plan(points)
    lines = ", ".join(esc(line.label) for line in plan.lines) or "inga"
    out = [f'<div class="ra-cmp-chartnotes"><p>{esc(chart_title(points))}. Linjer: {lines}.</p>']
    if plan.left_out:
        items = "".join(
            f'<li data-year="{esc(p.year)}">{esc(p.year or "?")} {esc(p.fact.written)} '
            f"({esc(p.fact.org_unit or 'enhet okänd')}): {esc(reason)}</li>"
            for p, reason in plan.left_out
        )
        out.append(f"<details><summary>Inte i diagrammet ({len(plan.left_out)})</summary><ul>{items}</ul></details>")
    out.append("</div>")
    return "".join(out)

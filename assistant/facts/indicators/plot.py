"""A series as a line chart: outcomes with the targets beside them (matplotlib, imported when used)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ...errors import AssistantError
from ..figures import format_value
from .series import SeriesPoint

__all__ = ["plot_series"]

# kind -> (line style, legend)
_STYLES = {
    "utfall": ("o-", "Utfall"),
    "årsmål": ("s--", "Årsmål"),
    "kf_årsmål": ("^:", "KF:s årsmål"),
    "prognos": ("d-.", "Prognos helår"),
}


def plot_series(points: Sequence[SeriesPoint], path: Path | str, title: str | None = None) -> Path:
    """A line chart of outcomes with targets beside them, written to ``path`` (PNG)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - matplotlib is a dependency here
        from ...errors import DependencyMissingError

        raise DependencyMissingError("matplotlib", purpose="diagram") from exc
    path = Path(path)
    if not points:
        raise AssistantError("Det finns inga värden att rita.")
    fig, ax = plt.subplots(figsize=(8, 4.5))
    units = {p.fact.unit for p in points if p.value is not None}
    for kind, (style, label) in _STYLES.items():
        _plot_kind(ax, _yearly_values(points, kind), style, label)
    ax.set_xlabel("År")
    unit_label = ", ".join(sorted(u for u in units if u)) or "värde"
    ax.set_ylabel(f"Värde ({unit_label})")
    ax.set_title(title or points[0].fact.indicator_name)
    ax.grid(True, alpha=0.3)
    years = sorted({p.year for p in points if p.year})
    if years:
        ax.set_xticks(years)
    ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _yearly_values(points: Sequence[SeriesPoint], kind: str) -> dict[int, float]:
    """The first value of ``kind`` per year, for the whole unit, over a year or rolling twelve months."""
    best: dict[int, float] = {}
    for p in points:
        if (
            p.kind == kind
            and p.value is not None
            and p.year
            and p.fact.scope is None
            and p.fact.period_type in ("år", "rullande 12 mån")
        ):
            best.setdefault(p.year, p.value)
    return best


def _plot_kind(ax: Any, best: dict[int, float], style: str, label: str) -> None:
    if not best:
        return
    xs = sorted(best)
    ax.plot(xs, [best[x] for x in xs], style, label=label)
    for x in xs:
        ax.annotate(
            format_value(best[x]),
            (x, best[x]),
            textcoords="offset points",
            xytext=(0, 6),
            ha="center",
            fontsize=8,
        )

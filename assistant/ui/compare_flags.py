"""The flags of the "Jämför år" tab: each with its explanation and its passages, the figures highlighted."""

from __future__ import annotations

from collections.abc import Sequence

from ..facts.consistency import FLAG_KINDS, Flag, FlagPassage
from ..facts.consistency.render import highlight_html
from .compare_data import CorpusFacts, cite, esc

__all__ = ["render_flags"]


def _render_side(p: FlagPassage, data: CorpusFacts, *, both: bool = False) -> str:
    cls = "ra-flag-side ra-flag-one" if both else "ra-flag-side"
    note = '<div class="ra-flag-both">Båda värdena står i samma tabellrad.</div>' if both else ""
    return (
        f'<div class="{cls}">'
        f'<div class="ra-flag-cite">{cite(data.title(p.report_id), p.heading_path, p.page)}</div>{note}'
        f'<blockquote class="ra-flag-text">{highlight_html(p.text, p.highlights)}</blockquote>'
        f'<div class="ra-flag-ref">{esc(p.citation())}</div></div>'
    )


def render_flags(flags: Sequence[Flag], data: CorpusFacts, *, title: str) -> str:
    """Each flag: kind, the one-line explanation, and both passages side by side (or their one shared passage)."""
    parts = [f'<div class="ra-cmp-h">{esc(title)} ({len(flags)})</div>']
    if not flags:
        parts.append('<div class="ra-cmp-empty">Inga flaggor.</div>')
        return "".join(parts)
    parts.append('<div class="ra-flags">')
    for f in flags:
        info = f.severity == "info"
        cls = "ra-flag ra-flag-info" if info else "ra-flag"
        name = f" – {esc(f.indicator_name)}" if f.indicator_name else ""
        sev = '<span class="ra-flag-sev">(information)</span>' if info else ""
        sides = "".join(_render_side(p, data, both=f.same_passage) for p in f.passages)
        parts.append(
            f'<div class="{cls}" data-kind="{esc(f.kind)}" data-indicator="{esc(f.indicator)}">'
            f'<div class="ra-flag-head">{esc(FLAG_KINDS[f.kind])}{name}{sev}</div>'
            f'<p class="ra-flag-expl">{esc(f.explanation)}</p>'
            f'<div class="ra-flag-pair">{sides}</div></div>'
        )
    parts.append("</div>")
    return "".join(parts)

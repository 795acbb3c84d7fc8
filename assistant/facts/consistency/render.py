"""Flags as a Markdown file or a standalone HTML page (``check --out``)."""

from __future__ import annotations

import html
from collections.abc import Iterable

from .flags import FLAG_KINDS, Flag

__all__ = ["flags_to_html", "flags_to_markdown"]


def flags_to_markdown(flags: Iterable[Flag]) -> str:
    lines = ["# Motsägelser i rapporterna", ""]
    flags = list(flags)
    if not flags:
        return "\n".join([*lines, "Inga motsägelser hittades.", ""])
    for n, f in enumerate(flags, start=1):
        lines += [
            f"## {n}. {FLAG_KINDS[f.kind]}" + (f" – {f.indicator_name}" if f.indicator_name else ""),
            "",
            f"**{f.explanation}**" + (" _(information)_" if f.severity == "info" else ""),
            "",
            "| Ställe 1 | Ställe 2 |",
            "|---|---|",
            f"| {_md_cell(f.first.text)} | {_md_cell(f.second.text)} |",
            f"| {_md_cell(f.first.citation())} | {_md_cell(f.second.citation())} |",
            "",
        ]
    return "\n".join(lines)


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def flags_to_html(flags: Iterable[Flag]) -> str:
    """A standalone HTML page; all report text is escaped."""
    flags = list(flags)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="sv"><head><meta charset="utf-8"><title>Motsägelser i rapporterna</title>',
        "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}"
        ".pair{display:grid;grid-template-columns:1fr 1fr;gap:1em}"
        ".p{border:1px solid #ccc;padding:.6em;background:#fafafa}"
        "mark{background:#ffe08a}.info{color:#555}.cite{font-size:.85em;color:#555}</style>",
        "</head><body><h1>Motsägelser i rapporterna</h1>",
    ]
    if not flags:
        parts.append("<p>Inga motsägelser hittades.</p>")
    for n, f in enumerate(flags, start=1):
        title = FLAG_KINDS[f.kind] + (f" – {f.indicator_name}" if f.indicator_name else "")
        cls = ' class="info"' if f.severity == "info" else ""
        parts.append(
            f"<section><h2>{n}. {html.escape(title)}</h2><p{cls}><strong>{html.escape(f.explanation)}</strong></p>"
        )
        parts.append('<div class="pair">')
        for p in (f.first, f.second):
            parts.append(f'<div class="p"><p>{_html_highlight(p.text, p.highlight)}</p>')
            parts.append(f'<p class="cite">{html.escape(p.citation())}</p></div>')
        parts.append("</div></section>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _html_highlight(text: str, highlight: str) -> str:
    if highlight and highlight in text:
        i = text.index(highlight)
        return (
            html.escape(text[:i])
            + "<mark>"
            + html.escape(highlight)
            + "</mark>"
            + html.escape(text[i + len(highlight) :])
        )
    return html.escape(text)

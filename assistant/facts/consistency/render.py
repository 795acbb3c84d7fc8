"""Flags as a Markdown file or a standalone HTML page (``check --out``)."""

from __future__ import annotations

import html
from collections.abc import Iterable

from .flags import FLAG_KINDS, Flag

__all__ = ["flags_to_html", "flags_to_markdown", "highlight_html"]


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
        ]
        if f.same_passage:
            lines += ["| Ställe (båda värdena) |", "|---|", f"| {_md_cell(f.first.text)} |"]
            lines += [f"| {_md_cell(f.first.citation())} |", ""]
            continue
        lines += [
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
        parts.append('<div class="pair">' if not f.same_passage else "<div>")
        for p in f.passages:
            parts.append(f'<div class="p"><blockquote>{highlight_html(p.text, p.highlights)}</blockquote>')
            parts.append(f'<p class="cite">{html.escape(p.citation())}</p></div>')
        parts.append("</div></section>")
    parts.append("</body></html>")
    return "\n".join(parts)


def highlight_html(text: str, highlights: tuple[str, ...] | list[str]) -> str:
    """``text`` escaped, the first occurrence of each highlight (left to right, not overlapping) in ``<mark>``."""
    spans: list[tuple[int, int]] = []
    for h in highlights:
        if not h:
            continue
        at = 0
        while (i := text.find(h, at)) >= 0:
            if not any(s < i + len(h) and i < e for s, e in spans):
                spans.append((i, i + len(h)))
                break
            at = i + 1
    out, pos = [], 0
    for s, e in sorted(spans):
        out += [html.escape(text[pos:s]), "<mark>", html.escape(text[s:e]), "</mark>"]
        pos = e
    out.append(html.escape(text[pos:]))
    return "".join(out)

"""From extracted report text to clean, structured text.

What happens here, in order, one module a step:

1. ``lines``: the source is split into lines, each remembering its offset and
   page; "Sid N (M)" markers become page boundaries, and what a DOCX file
   states (heading styles, tables) is marked on its lines;
2. ``noise``: running page headers and footers ("SID 7 (12)",
   "Tjänsteutlåtande", "start.stockholm", "stockholm.se", a repeated title
   line) and a table of contents are dropped;
3. ``classify``: lines are classified: goal-hierarchy labels (KF:s
   inriktningsmål → KF:s mål för verksamhetsområdet → Nämndmål →
   Enhetsmål/Åtagande → Analys, Förväntat resultat …, see ``headings``),
   report sections, fulfilment lines ("Uppfylls helt"), flattened table
   regions and prose;
4. ``assemble``: hard-wrapped lines are joined into paragraphs, words
   hyphenated across lines are rejoined, and table rows are rebuilt as one
   line each, the header row on a line of its own; ``pages`` says which page
   each stretch of the result is on.

The cleaned text is assembled from runs copied from the source plus a few
synthetic separators (``builder``), so ``offset_map`` leads every character
back to the file. Word lists (section titles, leaf labels, table header words)
are data in ``assistant/data/sv/``.
"""

from __future__ import annotations

from ...documents import RawDocument
from .assemble import CleanResult, assemble_lines
from .classify import classify_lines
from .headings import heading_of
from .lines import split_lines
from .noise import drop_noise

__all__ = ["CleanResult", "clean", "heading_of"]


def clean(raw: RawDocument) -> CleanResult:
    source, lines, page_count = split_lines(raw)
    lines = drop_noise(lines)
    classify_lines(lines)
    return assemble_lines(source, lines, page_count, raw.has_real_pages, raw.exact_paragraphs)

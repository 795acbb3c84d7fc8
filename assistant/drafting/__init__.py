"""Drafting: a first draft of a report section from what earlier reports wrote.

The modules, in the order the data flows:

    tuning.py        DraftingTuning: the tuned numbers, passed as ``tuning=``
    topic.py         the topic as weighted content stems, and its coverage of a text
    precedents.py    report_sections, relevance, find_precedents → Precedent
    placeholders.py  the time rule: year-bound facts → placeholders with earlier values
    units.py         the target unit: resolve_unit, default_year, another unit's name replaced, its specifics
    compose.py       draft → Draft (parts of paragraphs, each citing its precedents)
    outline.py       outline: the section skeleton of a unit's latest report
    export.py        a draft as Markdown or Word
    rewrite.py       the optional language-model rewrite, checked against the precedents
"""

from __future__ import annotations

from .compose import UI_HINT, Draft, DraftPart, Paragraph, draft, with_paragraphs
from .export import PLACEHOLDER_NOTE, to_docx, to_markdown, write_draft
from .outline import OutlineItem, outline
from .placeholders import PLACEHOLDER
from .precedents import Precedent, Section, find_precedents, relevance, report_sections
from .rewrite import SYSTEM_PROMPT, rewrite_draft, unsupported_figures
from .tuning import DraftingTuning
from .units import default_year, resolve_unit

__all__ = [
    "PLACEHOLDER",
    "PLACEHOLDER_NOTE",
    "SYSTEM_PROMPT",
    "UI_HINT",
    "Draft",
    "DraftPart",
    "DraftingTuning",
    "OutlineItem",
    "Paragraph",
    "Precedent",
    "Section",
    "default_year",
    "draft",
    "find_precedents",
    "outline",
    "relevance",
    "report_sections",
    "resolve_unit",
    "rewrite_draft",
    "to_docx",
    "to_markdown",
    "unsupported_figures",
    "with_paragraphs",
    "write_draft",
]

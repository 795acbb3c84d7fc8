"""The drafting check of our own: is every part of a draft backed by the precedents it cites?

For one draft, :func:`audit_draft` lists every problem of three kinds:

``spårbarhet``   a stretch of a sentence (outside its placeholders) that stands in
                 no precedent its paragraph cites (another unit's name read as
                 the target unit's, a plan's "ska" before a target placeholder
                 allowed for);
``siffra``       a figure outside a placeholder that is not in a cited precedent,
                 or an earlier value in a placeholder that the precedent of that
                 year (cited by the paragraph) does not state;
``annan enhet``  another unit's text without its origin mark, or (unless the
                 draft was asked to keep them) another unit's figures, names or
                 places in the draft.

``scripts/check_drafts.py`` prints the check for a list of requests;
``tests/drafting/test_audit.py`` runs it on the real corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .compose import Draft, Paragraph
from .placeholders import PLACEHOLDER
from .precedents import Precedent
from .units import UnitVocabulary, other_unit_specifics

if TYPE_CHECKING:
    from ..api import Assistant

__all__ = ["Problem", "audit_draft"]

_VALUES = re.compile(r"\(([^()]*)\)$")
_ITEM = re.compile(r"(\d{4}|tidigare): (.+)")
_WORD = re.compile(r"[\wåäöÅÄÖ]")


@dataclass(frozen=True)
class Problem:
    kind: str  # "spårbarhet" | "siffra" | "annan enhet"
    sentence: str
    detail: str

    def __str__(self) -> str:
        return f"[{self.kind}] {self.detail}: »{self.sentence}«"


def _normal(text: str) -> str:
    return " ".join(text.split()).lower()


def _cited_texts(d: Draft, para: Paragraph) -> list[tuple[Precedent, str]]:
    by_n = {p.n: p for p in d.precedents}
    out = []
    for n in para.sources:
        p = by_n[n]
        text = _normal(p.text)
        if p.unit and d.unit and p.unit.lower() != d.unit.lower():
            text = text.replace(p.unit.lower(), d.unit.lower())  # the name a draft gives another unit's text
        out.append((p, text))
    return out


def _untraced(d: Draft, sentence: str, cited: list[tuple[Precedent, str]]) -> list[str]:
    """The stretches between placeholders that stand in no cited precedent."""
    missing = []
    for piece in PLACEHOLDER.split(sentence):
        piece = _normal(piece)
        if d.type == "verksamhetsplan" and piece.endswith(" ska"):
            piece = piece[:-4]  # "Sjukfrånvaron ska [ANGE 2026] (2020: har sjunkit)": the target's own word
        piece = piece.strip(" ,.;:")
        if not _WORD.search(piece):
            continue
        if not any(piece in text for _, text in cited):
            missing.append(piece)
    return missing


def _figures(sentence: str, cited: list[tuple[Precedent, str]]) -> list[str]:
    problems = []
    for m in PLACEHOLDER.finditer(sentence):
        values = _VALUES.search(m.group(0))
        for item in values.group(1).split(", ") if values else []:
            im = _ITEM.fullmatch(item)
            if im is None:
                problems.append(f"platshållarens värde {item!r} har inte formen år: värde")
                continue
            year, written = im.groups()
            sources = [t for p, t in cited if str(p.year) == year] if year != "tidigare" else [t for _, t in cited]
            if not any(_normal(written) in t for t in sources):
                problems.append(f"{written!r} ({year}) står inte i den citerade källan för {year}")
    bare = PLACEHOLDER.sub(" ", sentence)
    for digits in re.findall(r"\d+(?:[,.]\d+)?", bare):
        if not any(digits in t for _, t in cited):
            problems.append(f"siffran {digits!r} står utanför en platshållare och inte i en citerad källa")
    return problems


def _as_written(sentence: str) -> str:
    """The sentence as its source wrote it: each placeholder back to its first earlier value."""

    def first(m: re.Match[str]) -> str:
        values = _VALUES.search(m.group(0))
        item = _ITEM.fullmatch(values.group(1).split(", ")[0]) if values else None
        return item.group(2) if item else " "

    return PLACEHOLDER.sub(first, sentence)


def audit_draft(assistant: Assistant, d: Draft, *, other_unit_specifics_kept: bool = False) -> list[Problem]:
    """Every problem of the draft ``d`` (empty: every sentence, figure and other unit's text is as it should be)."""
    vocabulary = UnitVocabulary.of(assistant.corpus.documents)
    by_n = {p.n: p for p in d.precedents}
    problems: list[Problem] = []
    for part in d.parts:
        for para in part.paragraphs:
            cited = _cited_texts(d, para)
            source = by_n[para.sources[0]]
            other = bool(source.unit and d.unit and source.unit.lower() != d.unit.lower())
            if other and not para.origin:
                problems.append(Problem("annan enhet", para.text, f"text från {source.unit} utan markering"))
            for sentence in para.sentences:
                for piece in _untraced(d, sentence, cited):
                    problems.append(Problem("spårbarhet", sentence, f"»{piece}« står inte i någon citerad källa"))
                problems += [Problem("siffra", sentence, detail) for detail in _figures(sentence, cited)]
                if other and not other_unit_specifics_kept:
                    own = other_unit_specifics(_as_written(sentence), source, vocabulary.own_names(source.unit or ""))
                    if own:
                        problems.append(Problem("annan enhet", sentence, f"{source.unit}s uppgifter: {', '.join(own)}"))
    return problems

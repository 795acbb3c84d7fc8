"""Answers without a language model: the best sentences, verbatim, with citations.

From the retrieved passages the one to three sentences that best answer the
question are chosen (table rows count as sentences), quoted exactly as written
and followed by citation markers [1], [2]. Each citation carries the passage
and the character span of the quoted sentence inside it.

Abstention: when the evidence is weak the answer is "Jag hittar inget om det i
rapporterna" with the nearest passages, marked as not an answer. Weak means:
the best sentence covers too little of the question's content (idf-weighted)
*and* the best passage is not semantically close. Both thresholds were
calibrated on the evaluation set's not-in-corpus questions
(``scripts/tune_fusion.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .documents import Chunk
from .lexical import analyze
from .retrieval import Hit

__all__ = [
    "ABSTAIN_TEXT",
    "Abstention",
    "Answer",
    "Citation",
    "Sentence",
    "compose",
    "split_sentences",
]

ABSTAIN_TEXT = "Jag hittar inget om det i rapporterna."


@dataclass(frozen=True)
class Abstention:
    """Thresholds: abstain when coverage < ``coverage`` and dense < ``dense``."""

    coverage: float = 0.45
    dense: float = 0.84
    min_coverage: float = 0.2  # below this, abstain whatever the dense similarity


ABSTAIN = Abstention()

_NUMBER_Q = re.compile(
    r"\b(hur\s+(?:många|mycket|hög|höga|stor|stort|stora|låg)|andel(?:en)?|procent|antal(?:et)?|belopp|"
    r"siffr\w*|resultat\w*|utfall\w*|vad\s+var|vad\s+blev|how\s+(?:many|much|high)|what\s+was|percent\w*|"
    r"rate|number)\b",
    re.I,
)
_DATE_Q = re.compile(r"\b(när|vilket\s+datum|datum|when|date)\b", re.I)
_HAS_NUMBER = re.compile(r"\d")
_HAS_DATE = re.compile(
    r"\b(?:19|20)\d\d-\d\d-\d\d\b|\b\d{1,2}\s+(?:januari|februari|mars|april|maj|juni|juli|"
    r"augusti|september|oktober|november|december)\b",
    re.I,
)
_SENT_END = re.compile(r"(?<=[.!?])\s+(?=[\"”«(]?[A-ZÅÄÖ0-9•\-])|\n+")


@dataclass(frozen=True)
class Sentence:
    chunk_index: int  # index into the hits list
    start: int  # offset inside the chunk text
    end: int
    text: str
    score: float


@dataclass(frozen=True)
class Citation:
    n: int
    report_id: str
    source: str
    title: str
    unit: str | None
    year: int | None
    type: str
    section: str
    page: int | None
    text: str
    quote_start: int | None
    quote_end: int | None
    score: float
    chunk_id: str = ""
    start: int = 0  # offsets of the passage in the report's cleaned text
    end: int = 0
    pages: tuple[int, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "report_id": self.report_id,
            "source": self.source,
            "title": self.title,
            "unit": self.unit,
            "year": self.year,
            "type": self.type,
            "section": self.section,
            "page": self.page,
            "text": self.text,
            "quote_start": self.quote_start,
            "quote_end": self.quote_end,
            "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str
    abstained: bool
    filters: dict[str, Any]
    citations: tuple[Citation, ...]
    timings_ms: dict[str, float]
    sentences: tuple[tuple[str, int], ...] = ()  # (quoted sentence, citation n)
    notice: str = ""  # e.g. which years exist, when the asked one does not
    inferred: dict[str, Any] = field(default_factory=dict)  # filters read from the question

    def to_json(self) -> dict[str, Any]:
        """Exactly the documented ``ask --json`` object."""
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "filters": {
                "year": self.filters.get("year"),
                "unit": self.filters.get("unit"),
                "type": self.filters.get("type"),
            },
            "citations": [c.to_json() for c in self.citations],
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
        }

    def as_text(self) -> str:
        """The answer with its references, as plain text (for copying)."""
        lines = [self.answer, ""]
        if self.notice:
            lines.insert(1, self.notice)
        heading = "Närmaste avsnitt (inget svar):" if self.abstained else "Källor:"
        lines.append(heading)
        for c in self.citations:
            page = f", s. {c.page}" if c.page else ""
            lines.append(f"[{c.n}] {c.title} ({c.unit}, {c.year}, {c.type}){page} – {c.section}")
        return "\n".join(lines).strip() + "\n"


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence (and table row) spans of ``text``."""
    spans = []
    pos = 0
    for m in _SENT_END.finditer(text):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    out = []
    for s, e in spans:
        seg = text[s:e]
        lead = len(seg) - len(seg.lstrip())
        trail = len(seg) - len(seg.rstrip())
        if e - trail > s + lead:
            out.append((s + lead, e - trail))
    return out


def _is_heading_like(sentence: str, chunk: Chunk) -> bool:
    s = sentence.strip()
    if len(s) < 25 and not _HAS_NUMBER.search(s):
        return True
    return any(s == h or s.endswith(h) for h in chunk.heading_path[-1:]) and len(s) < 160


def score_sentences(question: str, hits: list[Hit], terms: dict[str, tuple[float, float]]) -> list[Sentence]:
    wants_number = bool(_NUMBER_Q.search(question))
    wants_date = bool(_DATE_Q.search(question))
    total = sum(w * idf for w, idf in terms.values() if w >= 1.0) or 1.0
    out: list[Sentence] = []
    for i, hit in enumerate(hits):
        text = hit.chunk.text
        rank_factor = 1.0 / (1.0 + 0.15 * i)
        for s, e in split_sentences(text):
            sentence = text[s:e]
            stems = set(analyze(sentence))
            matched = sum(w * idf for term, (w, idf) in terms.items() if term in stems)
            coverage = matched / total
            score = coverage
            if wants_number and _HAS_NUMBER.search(sentence):
                score += 0.15
            if wants_date and _HAS_DATE.search(sentence):
                score += 0.2
            if _is_heading_like(sentence, hit.chunk):
                score *= 0.5
            if len(sentence) > 400:
                score *= 0.85
            out.append(Sentence(i, s, e, sentence, score * rank_factor + 0.05 * hit.dense))
    out.sort(key=lambda x: -x.score)
    return out


def coverage_of(sentence: str, terms: dict[str, tuple[float, float]]) -> float:
    total = sum(w * idf for w, idf in terms.values() if w >= 1.0)
    if not total:
        return 0.0
    stems = set(analyze(sentence))
    return min(1.0, sum(w * idf for term, (w, idf) in terms.items() if term in stems) / total)


def compose(
    question: str,
    hits: list[Hit],
    terms: dict[str, tuple[float, float]],
    *,
    per_year: bool = False,
    max_sentences: int = 3,
    abstention: Abstention = ABSTAIN,
) -> tuple[list[Sentence], bool]:
    """Choose the quoted sentences; returns (sentences, abstain?)."""
    if not hits:
        return [], True
    scored = score_sentences(question, hits, terms)
    if not scored:
        return [], True
    best = scored[0]
    best_dense = max(h.dense for h in hits[:3])
    chunk_cov = max(coverage_of(h.chunk.context + " " + h.chunk.text, terms) for h in hits[:3])
    weak = (chunk_cov < abstention.coverage and best_dense < abstention.dense) or chunk_cov < abstention.min_coverage
    if weak and best_dense < abstention.dense + 0.03:
        return [], True
    if per_year:
        chosen: list[Sentence] = []
        seen_years: set[int | None] = set()
        for sent in scored:
            year = hits[sent.chunk_index].chunk.year
            if year in seen_years:
                continue
            seen_years.add(year)
            chosen.append(sent)
        chosen.sort(key=lambda s: hits[s.chunk_index].chunk.year or 0)
        return chosen[:6], False
    chosen = [best]
    for sent in scored[1:]:
        if len(chosen) >= max_sentences:
            break
        if sent.score < 0.75 * best.score:
            break
        if any(_overlaps(sent, c) or _same_text(sent, c) for c in chosen):
            continue
        chosen.append(sent)
    # Keep the document order within a passage, passages in rank order.
    chosen.sort(key=lambda s: (s.chunk_index, s.start))
    return chosen, False


def _overlaps(a: Sentence, b: Sentence) -> bool:
    return a.chunk_index == b.chunk_index and a.start < b.end and b.start < a.end


def _same_text(a: Sentence, b: Sentence) -> bool:
    return " ".join(a.text.split()).lower() == " ".join(b.text.split()).lower()

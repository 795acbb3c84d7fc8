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

import numpy as np

from .documents import Chunk
from .index import SearchIndex
from .lexical import analyze
from .retrieval import Hit, Scores

__all__ = [
    "ABSTAIN_TEXT",
    "Abstention",
    "Answer",
    "Citation",
    "Evidence",
    "Sentence",
    "compose",
    "should_abstain",
]

ABSTAIN_TEXT = "Jag hittar inget om det i rapporterna."


@dataclass(frozen=True)
class Abstention:
    """When to say "Jag hittar inget": thresholds on the evidence features.

    Abstain when the best sentence is not close to the question
    (``sentence_sim``) and the passages cover little of the question's content
    words (``coverage``); or when a content word of the question occurs nowhere
    in the corpus and the evidence is only moderately close (``unknown_sim``);
    or when the question asks for a figure and no close sentence holds one.
    """

    sentence_sim: float = 0.86
    coverage: float = 0.5
    unknown_sim: float = 0.88
    number_sim: float = 0.87


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


@dataclass(frozen=True)
class Sentence:
    chunk_index: int  # index into the hits list
    start: int  # offset inside the chunk text
    end: int
    text: str
    score: float
    sim: float = 0.0  # cosine similarity of the sentence to the question


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
    retrieved: tuple[Chunk, ...] = ()  # the ranked passages behind the answer (for evaluation/debugging)
    evidence: Evidence | None = None  # what the abstention decision saw

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


def _is_heading_like(sentence: str, chunk: Chunk) -> bool:
    s = sentence.strip()
    if len(s) < 25 and not _HAS_NUMBER.search(s):
        return True
    return any(s == h or s.endswith(h) for h in chunk.heading_path[-1:]) and len(s) < 160


@dataclass(frozen=True)
class Evidence:
    """What the abstention decision looks at."""

    sentence_sim: float  # cosine of the best sentence
    coverage: float  # idf-weighted share of the question's content words in the top passages
    dense: float  # cosine of the best passage
    unknown: tuple[str, ...]  # content words the corpus never uses
    wants_number: bool
    number_sim: float  # cosine of the closest sentence that holds a figure (0 if none)


def score_sentences(question: str, hits: list[Hit], index: SearchIndex, scores: Scores) -> list[Sentence]:
    wants_number = bool(_NUMBER_Q.search(question))
    wants_date = bool(_DATE_Q.search(question))
    out: list[Sentence] = []
    for i, hit in enumerate(hits):
        text = hit.chunk.text
        spans, vecs = index.sentences_of(hit.position)
        sims = vecs @ scores.qvec if len(vecs) else np.zeros(0, dtype=np.float32)
        rank_factor = 1.0 / (1.0 + 0.1 * i)
        for (s, e), sim in zip(spans, sims, strict=True):
            sentence = text[s:e]
            coverage = coverage_of(sentence, scores.terms)
            score = 2.0 * (float(sim) - 0.75) + 0.5 * coverage
            if wants_number and _HAS_NUMBER.search(sentence):
                score += 0.08
            if wants_date and _HAS_DATE.search(sentence):
                score += 0.15
            if _is_heading_like(sentence, hit.chunk):
                score -= 0.15
            out.append(Sentence(i, s, e, sentence, score * rank_factor, float(sim)))
    out.sort(key=lambda x: -x.score)
    return out


def coverage_of(text: str, terms: dict[str, tuple[float, float]]) -> float:
    total = sum(w * idf for w, idf in terms.values() if w >= 1.0)
    if not total:
        return 0.0
    stems = set(analyze(text))
    return min(1.0, sum(w * idf for term, (w, idf) in terms.items() if term in stems) / total)


def gather_evidence(
    question: str, hits: list[Hit], scored: list[Sentence], scores: Scores, unknown: list[str]
) -> Evidence:
    top = hits[:3]
    number_sims = [s.sim for s in scored[:12] if _HAS_NUMBER.search(s.text)]
    return Evidence(
        sentence_sim=max((s.sim for s in scored[:10]), default=0.0),
        coverage=max((coverage_of(h.chunk.context + " " + h.chunk.text, scores.terms) for h in top), default=0.0),
        dense=max((h.dense for h in top), default=0.0),
        unknown=tuple(unknown),
        wants_number=bool(_NUMBER_Q.search(question)),
        number_sim=max(number_sims, default=0.0),
    )


def should_abstain(ev: Evidence, a: Abstention = ABSTAIN) -> bool:
    if ev.sentence_sim < a.sentence_sim and ev.coverage < a.coverage:
        return True
    if ev.unknown and ev.sentence_sim < a.unknown_sim:
        return True
    return ev.wants_number and ev.number_sim < a.number_sim and ev.coverage < a.coverage


def compose(
    question: str,
    hits: list[Hit],
    index: SearchIndex,
    scores: Scores,
    *,
    unknown: list[str] | None = None,
    per_year: bool = False,
    max_sentences: int = 3,
    abstention: Abstention = ABSTAIN,
) -> tuple[list[Sentence], bool, Evidence | None]:
    """Choose the quoted sentences; returns (sentences, abstain?, evidence)."""
    if not hits:
        return [], True, None
    scored = score_sentences(question, hits, index, scores)
    if not scored:
        return [], True, None
    evidence = gather_evidence(question, hits, scored, scores, unknown or [])
    if should_abstain(evidence, abstention):
        return [], True, evidence
    best = scored[0]
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
        return chosen[:6], False, evidence
    chosen = [best]
    for sent in scored[1:]:
        if len(chosen) >= max_sentences:
            break
        if sent.score < best.score - 0.12:
            break
        if any(_overlaps(sent, c) or _same_text(sent, c) for c in chosen):
            continue
        chosen.append(sent)
    # Keep the document order within a passage, passages in rank order.
    chosen.sort(key=lambda s: (s.chunk_index, s.start))
    return chosen, False, evidence


def _overlaps(a: Sentence, b: Sentence) -> bool:
    return a.chunk_index == b.chunk_index and a.start < b.end and b.start < a.end


def _same_text(a: Sentence, b: Sentence) -> bool:
    return " ".join(a.text.split()).lower() == " ".join(b.text.split()).lower()

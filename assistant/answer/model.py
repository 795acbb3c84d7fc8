"""Plain data of an answer: quoted sentences, citations, the evidence behind abstaining."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..documents import Chunk

__all__ = ["ABSTAIN_TEXT", "Answer", "Citation", "Evidence", "Sentence", "year_labels"]

ABSTAIN_TEXT = "Jag hittar inget om det i rapporterna."


@dataclass(frozen=True)
class Sentence:
    chunk_index: int  # index into the hits list
    start: int  # offset inside the chunk text
    end: int
    text: str
    score: float
    sim: float = 0.0  # cosine similarity of the sentence to the question


@dataclass(frozen=True)
class Evidence:
    """What the abstention decision looks at."""

    sentence_sim: float  # cosine of the best sentence
    coverage: float  # idf-weighted share of the question's content words in the top passages
    dense: float  # cosine of the best passage
    unknown: tuple[str, ...]  # content words the corpus never uses
    wants_number: bool
    number_sim: float  # cosine of the closest sentence that holds a figure (0 if none)
    missing: str = ""  # the kind of answer asked for that no good sentence holds ("belopp", "värde", "namn")
    unknown_names: tuple[str, ...] = ()  # of ``unknown``: names (capitalised in the question)
    sentence_coverage: float = 0.0  # idf-weighted share of the question's content words in the best sentence
    best_score: float = 0.0  # the best sentence's score
    margin: float = 0.0  # how far the second-best sentence scores below the best
    lexical: float = 0.0  # BM25 of the best of the top passages, over the idf mass of the question's words
    unknown_share: float = 0.0  # idf-weighted share of the question's content words that the corpus never uses


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
    lead: str = ""  # a figure's values rendered for a person ("Sjukfrånvaro: utfall 2018 7,1 %; …"), or ''
    leads: tuple[str, ...] = ()  # per quoted sentence: the table row's values rendered for a person, or ''

    # A conversation (assistant.query.followup): what this turn took from earlier turns (Carried), and
    # what a later turn may take from this one (TurnContext).
    carried: tuple[Any, ...] = ()
    context: Any = None
    # "extractive" (verbatim quotes) or "generated" (a language model's sentences, each checked against
    # the passages it cites: ``generated``; the verbatim quotes stay in ``sentences``).
    mode: str = "extractive"
    generated: tuple[tuple[str, tuple[int, ...]], ...] = ()
    # One line about the language model's part: why it did not answer (the answer is then extractive), or
    # which of its sentences the check dropped; "" when there is nothing to say.
    model_notice: str = ""
    rewritten: str = ""  # the standalone search question the language model wrote, if it was asked to

    def to_json(self) -> dict[str, Any]:
        """Exactly the documented ``ask --json`` object (``mode``, ``model_notice``, ``rewritten`` and
        ``carried`` came with the chat's memory and the language model; ``lead``: a quoted table row's values
        rendered for a person, standing in ``answer`` in place of the row, else ''; ``leads``: the same for
        every quoted sentence, in order; the older fields are unchanged)."""
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
            "lead": self.lead,
            "leads": list(self.leads),
            "mode": self.mode,
            "model_notice": self.model_notice,
            "rewritten": self.rewritten,
            "carried": [c.to_json() for c in self.carried],
        }

    def as_text(self) -> str:
        """The answer with its references, as plain text (for copying)."""
        lines = [self.answer, ""]
        if self.model_notice:
            lines.insert(1, self.model_notice)
        if self.notice and self.notice not in self.answer:  # a refusal's answer already ends with it
            lines.insert(1, self.notice)
        heading = "Närmaste avsnitt (inget svar):" if self.abstained else "Källor:"
        lines.append(heading)
        for c in self.citations:
            page = f", s. {c.page}" if c.page else ""
            lines.append(f"[{c.n}] {c.title} ({c.unit}, {c.year}, {c.type}){page} – {c.section}")
        return "\n".join(lines).strip() + "\n"


def year_labels(quoted: Sequence[tuple[str, int]], citations: Sequence[Citation]) -> list[int | None]:
    """For each quoted (sentence, citation n): the year to put before it, or None.

    Only when the answer quotes several years, and once per year (a year's quotes follow each other).
    """
    years = {c.n: c.year for c in citations}
    several = len({c.year for c in citations}) > 1
    labels: list[int | None] = []
    previous: int | None = None
    for _, n in quoted:
        year = years.get(n)
        labels.append(year if several and year and year != previous else None)
        previous = year
    return labels

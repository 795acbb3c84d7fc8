"""From chosen sentences to the :class:`Answer`: numbered citations and the answer text."""

from __future__ import annotations

import time
from typing import Any

from ..retrieval.fusion import Hit
from .model import ABSTAIN_TEXT, Answer, Citation, Evidence, Sentence, year_labels

__all__ = ["build_answer", "citation"]


def citation(n: int, hit: Hit, sentence: Sentence | None) -> Citation:
    c = hit.chunk
    return Citation(
        n=n,
        report_id=c.report_id,
        source=c.source,
        title=c.title,
        unit=c.unit,
        year=c.year,
        type=c.type,
        section=c.section,
        page=c.page,
        text=c.text,
        quote_start=sentence.start if sentence else None,
        quote_end=sentence.end if sentence else None,
        score=hit.score,
        chunk_id=c.chunk_id,
        start=c.start,
        end=c.end,
        pages=c.pages,
    )


def build_answer(
    question: str,
    sentences: list[Sentence],
    hits: list[Hit],
    *,
    abstained: bool,
    filters: dict[str, Any],
    started: float,
    retrieved_at: float,
    notice: str = "",
    inferred: dict[str, Any] | None = None,
    ranked: list[Hit] | None = None,
    evidence: Evidence | None = None,
    lead: str = "",
    leads: dict[int, str] | None = None,
) -> Answer:
    """The answer: each quoted sentence followed by its passage's marker [n]; an abstention lists
    the (at most three) nearest passages as not an answer."""
    citations: list[Citation] = []
    quoted: list[tuple[str, int]] = []
    if abstained:
        for hit in hits[:3]:
            citations.append(citation(len(citations) + 1, hit, None))
        text = ABSTAIN_TEXT + (f" {notice}" if notice else "")
    else:
        numbers: dict[int, int] = {}
        for sent in sentences:
            if sent.chunk_index not in numbers:
                numbers[sent.chunk_index] = len(citations) + 1
                citations.append(citation(numbers[sent.chunk_index], hits[sent.chunk_index], sent))
            quoted.append((sent.text, numbers[sent.chunk_index]))
        parts = []
        for (sentence, n), year in zip(quoted, year_labels(quoted, citations), strict=True):
            prefix = f"{year}: " if year else ""
            parts.append(f"{prefix}{' '.join(sentence.split())} [{n}]")
        readable = dict(leads or {})
        if lead:
            readable[0] = lead
        labels = year_labels(quoted, citations)
        for i, rendered in readable.items():
            if rendered and i < len(quoted):
                # A quoted table row: its values rendered for a person stand in the answer, the row is cited.
                prefix = f"{labels[i]}: " if labels[i] else ""
                parts[i] = f"{prefix}{rendered} [{quoted[i][1]}]"
        text = " ".join(parts)
    total = (time.perf_counter() - started) * 1000
    return Answer(
        question=question,
        answer=text,
        abstained=abstained,
        filters=filters,
        citations=tuple(citations),
        timings_ms={"retrieve": (retrieved_at - started) * 1000, "total": total},
        sentences=tuple(quoted),
        notice=notice,
        inferred=dict(inferred or {}),
        retrieved=tuple(h.chunk for h in (ranked or [])),
        evidence=evidence,
        lead=(lead or (leads or {}).get(0, "")) if quoted else "",
        leads=tuple((lead if i == 0 and lead else (leads or {}).get(i, "")) for i in range(len(quoted))),
    )

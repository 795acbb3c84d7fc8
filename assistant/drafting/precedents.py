"""Precedents: the sections of earlier reports that treat a topic, scored and ordered.

Every report is cut into the same sections the chunker uses (a goal with its
parts, or a report section), see :func:`report_sections`. Each section is
scored against the topic (:func:`relevance`: how much of the topic's content
its heading covers, how much its text covers, and the dense similarity of its
best chunk). The best section of each report at or above the threshold
(:class:`DraftingTuning`) is a precedent. Order: the target unit's own
precedents first, then other units', newest first within each.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..documents import Block, Document
from ..index.chunking import goal_sections
from .topic import TopicTerms
from .tuning import DraftingTuning

if TYPE_CHECKING:
    from ..api import Assistant

__all__ = ["Precedent", "Section", "bare_title", "find_precedents", "relevance", "report_sections"]

_GOAL_PREFIX = re.compile(
    r"^\s*(?:KF:s\s+inriktningsmål\s*[\d.]*|KF:s\s+mål(?:\s+för\s+verksamhetsområdet)?:?\s*[\d.]*|"
    r"Nämndmål|Enhetsmål|Åtagande)\s*:?\s*",
    re.I,
)


@dataclass(frozen=True)
class Section:
    """A goal with its parts, or a report section: the unit a precedent is."""

    doc: Document
    path: tuple[str, ...]
    head: Block | None
    blocks: tuple[Block, ...]

    @property
    def title(self) -> str:
        return self.path[-1] if self.path else "Inledning"

    @property
    def start(self) -> int:
        return self.head.start if self.head else self.blocks[0].start

    @property
    def end(self) -> int:
        return self.blocks[-1].end if self.blocks else (self.head.end if self.head else 0)

    @property
    def text(self) -> str:
        return self.doc.text[self.start : self.end]

    @property
    def level(self) -> int:
        return self.head.level if self.head else 0

    def parts(self) -> list[tuple[str | None, list[Block]]]:
        """(part label, its blocks): text before the first part heading has label None."""
        out: list[tuple[str | None, list[Block]]] = [(None, [])]
        for block in self.blocks:
            if block.kind == "heading":
                label = block.label or block.title or self.doc.block_text(block).strip()
                out.append((label, []))
            else:
                out[-1][1].append(block)
        return [(label, blocks) for label, blocks in out if label is not None or blocks]

    def status(self) -> str | None:
        for block in self.blocks:
            if block.kind == "status":
                text = self.doc.block_text(block).strip(" —–-●\n")
                if text and text.lower() != "ingen":
                    return text
        return None


@dataclass(frozen=True)
class Precedent:
    n: int
    report_id: str
    title: str
    unit: str | None
    district: str | None
    year: int | None
    type: str
    heading_path: tuple[str, ...]
    pages: tuple[int, ...]
    start: int
    end: int
    text: str
    relevance: float
    same_unit: bool
    scores: dict[str, float] = field(default_factory=dict)

    @property
    def section(self) -> str:
        return " › ".join(self.heading_path)

    def citation(self) -> str:
        """ "Verksamhetsberättelse 2018 – Assistansenheten, 2018 › Enhetsmål: … (s. 4)"."""
        page = f", s. {self.pages[0]}" if self.pages else ""
        return f"{self.title} ({self.unit or 'okänd enhet'}, {self.year or 'okänt år'}){page} – {self.section}"

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "report_id": self.report_id,
            "title": self.title,
            "unit": self.unit,
            "year": self.year,
            "type": self.type,
            "section": self.section,
            "heading_path": list(self.heading_path),
            "pages": list(self.pages),
            "page": self.pages[0] if self.pages else None,
            "start": self.start,
            "end": self.end,
            "relevance": round(self.relevance, 3),
            "scores": {k: round(v, 3) for k, v in self.scores.items()},
            "same_unit": self.same_unit,
            "text": self.text,
        }


def report_sections(doc: Document) -> list[Section]:
    """The document's goals and report sections, as the chunker groups them."""
    sections = []
    for s in goal_sections(doc):
        blocks = tuple(s.blocks)
        if not blocks and s.head is None:
            continue
        if not any(b.kind in ("paragraph", "table") for b in blocks):
            continue  # a heading with nothing under it
        sections.append(Section(doc, s.path or ("Inledning",), s.head, blocks))
    return sections


def bare_title(title: str) -> str:
    """A goal's title without its label ("Enhetsmål: …", "KF:s mål 2.1 …")."""
    return _GOAL_PREFIX.sub("", title).strip()


def relevance(heading_cov: float, text_cov: float, dense: float, tuning: DraftingTuning | None = None) -> float:
    """One number per section: the topic's coverage, its heading counting most.

    A heading that carries the topic ("Synpunkter och klagomål") is enough on
    its own; otherwise the text must cover the topic's content words, and the
    dense similarity lifts (or lowers) a partial lexical match a little.
    """
    t = tuning or DraftingTuning()
    lexical = max(heading_cov, t.heading_weight * heading_cov + t.text_weight * text_cov)
    return lexical + t.dense_weight * (dense - t.dense_center)


_Scored = tuple[float, Section, dict[str, float]]  # (relevance, section, {"heading", "text", "dense"})


def find_precedents(
    assistant: Assistant, topic: str, unit: str | None = None, *, tuning: DraftingTuning | None = None
) -> tuple[list[Precedent], list[Section], float]:
    """Precedents above the threshold, ordered; their sections; the best relevance seen."""
    t = tuning or DraftingTuning()
    best_per_report, best_seen = _best_sections(assistant, bare_title(topic) or topic, t)
    chosen = [item for item in best_per_report.values() if item[0] >= t.relevance_threshold]
    target = (unit or "").lower()

    def order(item: _Scored) -> tuple[int, int, str]:
        meta = item[1].doc.meta
        return (0 if target and (meta.unit or "").lower() == target else 1, -(meta.year or 0), meta.report_id)

    chosen.sort(key=order)
    precedents = [_precedent(n, item, target) for n, item in enumerate(chosen, start=1)]
    return precedents, [sec for _, sec, _ in chosen], best_seen


def _best_sections(assistant: Assistant, query: str, tuning: DraftingTuning) -> tuple[dict[str, _Scored], float]:
    """The best-scored section of each report, and the best relevance of any section."""
    dense_all = _dense_scores(assistant, query)
    terms = TopicTerms.of(assistant, query, tuning.compound_weight)
    dense_by_report: dict[str, list[tuple[int, int, float]]] = {}
    for i, c in enumerate(assistant.index.chunks):
        dense_by_report.setdefault(c.report_id, []).append((c.start, c.end, float(dense_all[i])))
    topic_norm = _normal(query)
    best_per_report: dict[str, _Scored] = {}
    best_seen = 0.0
    for doc in assistant.corpus.documents:
        for section in report_sections(doc):
            title = bare_title(section.title)
            heading_cov = 1.0 if _normal(title) == topic_norm else terms.coverage(title)
            text_cov = terms.coverage(" ".join(section.path) + "\n" + section.text)
            dense = max(
                (d for s, e, d in dense_by_report.get(doc.meta.report_id, []) if s < section.end and e > section.start),
                default=0.0,
            )
            rel = relevance(heading_cov, text_cov, dense, tuning)
            best_seen = max(best_seen, rel)
            current = best_per_report.get(doc.meta.report_id)
            if current is None or rel > current[0]:
                parts = {"heading": heading_cov, "text": text_cov, "dense": dense}
                best_per_report[doc.meta.report_id] = (rel, section, parts)
    return best_per_report, best_seen


def _precedent(n: int, item: _Scored, target: str) -> Precedent:
    rel, sec, parts = item
    meta = sec.doc.meta
    return Precedent(
        n=n,
        report_id=meta.report_id,
        title=meta.title,
        unit=meta.unit,
        district=meta.district,
        year=meta.year,
        type=meta.type,
        heading_path=sec.path,
        pages=sec.doc.pages_between(sec.start, sec.end),
        start=sec.start,
        end=sec.end,
        text=sec.text,
        relevance=rel,
        same_unit=bool(target) and (meta.unit or "").lower() == target,
        scores=parts,
    )


# Embedding a query is the slow step (≈1–2 s on a CPU); redrafting the same topic
# for another unit or year reuses it. Keyed by the index object, so a rebuilt
# index is never scored with old numbers (the entry holds the index, so its id
# cannot be reused while cached).
_DENSE_CACHE: OrderedDict[tuple[int, str], tuple[Any, Any]] = OrderedDict()


def _dense_scores(assistant: Assistant, query: str) -> Any:
    index = assistant.index
    key = (id(index), query)
    cached = _DENSE_CACHE.get(key)
    if cached is not None and cached[0] is index:
        _DENSE_CACHE.move_to_end(key)
        return cached[1]
    dense = assistant.retriever.dense_scores(query)
    _DENSE_CACHE[key] = (index, dense)
    while len(_DENSE_CACHE) > 64:
        _DENSE_CACHE.popitem(last=False)
    return dense


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^\wåäö ]", " ", text.lower()).split())

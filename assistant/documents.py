"""Plain data: reports, their cleaned text, structure blocks and chunks.

A :class:`Document` is a report after loading and cleaning. Its ``text`` is the
cleaned text every chunk, citation and highlight points into; ``offset_map``
leads any offset in it back to the original file, and ``page_spans`` to the
page it stood on.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

__all__ = ["REPORT_TYPES", "Block", "Chunk", "Document", "RawDocument", "ReportMeta"]

REPORT_TYPES = ("verksamhetsberättelse", "verksamhetsplan", "annat")


@dataclass(frozen=True)
class RawDocument:
    """What a loader read from disk, before cleaning.

    ``pages`` holds the text of each page where the format has pages (PDF);
    a text file is one "page" whose page breaks the cleaner finds from its
    running headers. ``headings`` (DOCX) are
    (page-index, char offset, level) of paragraphs styled as headings, and
    ``tables`` (DOCX) (page-index, start offset, end offset) of tables, one row
    a line. ``exact_paragraphs`` says that every line (DOCX) is a paragraph
    of its own, never a hard-wrapped piece of one. ``properties`` are what
    the file says about itself (DOCX core properties, PDF metadata): "title",
    "subject".
    """

    path: str
    pages: tuple[str, ...]
    has_real_pages: bool
    headings: tuple[tuple[int, int, int], ...] = ()
    encoding: str = "utf-8"
    tables: tuple[tuple[int, int, int], ...] = ()
    exact_paragraphs: bool = False
    properties: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ReportMeta:
    report_id: str
    source: str  # path relative to the project root
    title: str
    unit: str | None
    district: str | None
    year: int | None
    type: str
    pages: int | None
    origin: dict[str, str] = field(default_factory=dict)  # field -> "detected" | "manifest"
    sha256: str = ""
    # field -> how sure the detection is (0..1; a manifest value is 1.0), and the sources that agree
    confidence: dict[str, float] = field(default_factory=dict)
    evidence: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def label(self) -> str:
        """Short human label: "Verksamhetsberättelse 2018, Assistansenheten"."""
        kind = self.type.capitalize() if self.type != "annat" else "Rapport"
        parts = [f"{kind} {self.year}" if self.year else kind]
        if self.unit:
            parts.append(self.unit)
        return ", ".join(parts)


@dataclass(frozen=True)
class Block:
    """A structural piece of the cleaned text.

    kind: "heading", "paragraph", "table" or "status" (a goal's fulfilment line,
    e.g. "Uppfylls helt"). Headings have a ``level`` (0 = report section,
    1 = KF:s inriktningsmål, 2 = KF:s mål för verksamhetsområdet, 3 = Nämndmål,
    4 = Enhetsmål/Åtagande, 5 = Analys/Förväntat resultat/Aktivitet/Indikator…)
    and a canonical ``label`` ("Nämndmål", "Analys", …).
    """

    kind: str
    start: int
    end: int
    level: int = -1
    label: str | None = None
    title: str | None = None  # headings: the entry shown in a heading path


@dataclass(frozen=True)
class Document:
    meta: ReportMeta
    text: str
    blocks: tuple[Block, ...]
    source_text: str
    # (clean_start, source_start, length): runs of cleaned text copied from the source.
    offset_map: tuple[tuple[int, int, int], ...]
    # (clean_start, clean_end, page, exact): page of each stretch of cleaned text.
    page_spans: tuple[tuple[int, int, int, bool], ...]

    def block_text(self, block: Block) -> str:
        return self.text[block.start : block.end]

    def source_offset(self, offset: int) -> int:
        """Offset in ``source_text`` of the cleaned-text character at ``offset``."""
        starts = [run[0] for run in self.offset_map]
        i = bisect_right(starts, offset) - 1
        if i < 0:
            return 0
        clean_start, src_start, length = self.offset_map[i]
        return src_start + min(offset - clean_start, max(length - 1, 0))

    def page_at(self, offset: int) -> int | None:
        for start, end, page, _exact in self.page_spans:
            if start <= offset < end:
                return page
        return None

    def pages_between(self, start: int, end: int) -> tuple[int, ...]:
        pages = [p for s, e, p, _ in self.page_spans if s < end and e > start]
        return tuple(sorted(set(pages)))


@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    report_id: str
    unit: str | None
    year: int | None
    type: str
    title: str
    source: str
    heading_path: tuple[str, ...]
    pages: tuple[int, ...]
    start: int  # offsets into Document.text
    end: int
    text: str
    kind: str = "text"  # "text" | "table"
    context: str = ""  # heading text prepended for embedding/BM25 (not part of the citation)

    @property
    def section(self) -> str:
        return " › ".join(self.heading_path)

    @property
    def page(self) -> int | None:
        return self.pages[0] if self.pages else None

    def to_json(self) -> dict[str, object]:
        return {
            "chunk_id": self.chunk_id,
            "report_id": self.report_id,
            "year": self.year,
            "unit": self.unit,
            "type": self.type,
            "section": self.section,
            "heading_path": list(self.heading_path),
            "pages": list(self.pages),
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "text": self.text,
        }

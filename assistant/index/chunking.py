"""Structure-aware chunking: a Document → Chunks that a citation can point into.

The unit of chunking is the report's own structure. A goal (Enhetsmål /
Åtagande, or a Nämndmål without one) is kept together with its parts —
fulfilment line, Förväntat resultat, Analys, its indicator table — when it fits
the size limit, so a hit on a short "Analys" carries its goal along. Longer
sections are split at block boundaries (paragraphs, table rows), and only a
single block longer than the limit is cut inside, at sentence boundaries, by
langchain-text-splitters.

Each chunk's text is an exact slice of the cleaned text (``start``/``end``);
its ``context`` (report, unit, year, heading path, a table's header row) is
added for embedding and lexical search but is not part of the citation.

The size limit holds for a chunk's own text. The one overflow is on purpose:
headings and fulfilment lines ("Uppfylls helt", "— Ingen") travel with the text
after them, so a chunk may exceed ``size`` by the headings it starts with (a
goal without content of its own opens the next chunk, up to 300 characters).
Chunks start at a block or, inside a long block, after a sentence or a table
row; only a single sentence longer than ``size`` would be cut inside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..documents import Block, Chunk, Document

__all__ = ["CHUNKER_VERSION", "chunk_document", "chunk_documents", "goal_sections"]

#: Bump when chunk boundaries, context or sentence splitting change; stored in the index manifest.
CHUNKER_VERSION = "structure-3"


_GOALS_SECTION = re.compile(r"mål|åtagand", re.I)
# Blocks that introduce what follows and travel with it into the next chunk.
_LEAD_KINDS = ("heading", "status")


@dataclass
class _Section:
    path: tuple[str, ...]
    blocks: list[Block]
    head: Block | None  # the heading block the section starts with (kept in the text)


def chunk_documents(docs: list[Document], size: int = 900) -> list[Chunk]:
    chunks: list[Chunk] = []
    for doc in docs:
        chunks.extend(chunk_document(doc, size))
    return chunks


def chunk_document(doc: Document, size: int = 900) -> list[Chunk]:
    spans: list[tuple[int, int, tuple[str, ...], str]] = []  # (start, end, path, kind)
    carry_start: int | None = None
    for section in goal_sections(doc):
        if _is_bare(doc, section):
            # A goal heading with no content of its own ("KF:s mål 2.1 … — Ingen")
            # opens the next chunk instead of being a chunk of its own.
            if carry_start is None and section.head is not None:
                carry_start = section.head.start
            continue
        pieces = _split_section(doc, section, size)
        if pieces and carry_start is not None:
            start, end, path, kind = pieces[0]
            if end - carry_start <= size + 300:
                pieces[0] = (carry_start, end, path, kind)
        carry_start = None
        spans.extend(pieces)
    chunks = []
    meta = doc.meta
    for n, (start, end, path, kind) in enumerate(spans):
        text = doc.text[start:end]
        context = _context(doc, path, start, end, kind)
        chunks.append(
            Chunk(
                chunk_id=f"{meta.report_id}#{n:03d}",
                report_id=meta.report_id,
                unit=meta.unit,
                year=meta.year,
                type=meta.type,
                title=meta.title,
                source=meta.source,
                heading_path=path,
                pages=doc.pages_between(start, end),
                start=start,
                end=end,
                text=text,
                kind=kind,
                context=context,
            )
        )
    return chunks


def _effective_level(block: Block, stack: list[tuple[float, str, Block]]) -> float:
    if block.level >= 0:
        return float(block.level)
    # A heading found by its shape: a sub-heading of a report section, or a
    # leaf inside the goal hierarchy.
    if any(1 <= lvl <= 4 for lvl, _, _ in stack):
        return 5.0
    return 0.5


def goal_sections(doc: Document) -> list[_Section]:
    """Group blocks under the deepest goal-or-section heading above them.

    Leaf headings (Analys, Förväntat resultat, …) do not start a new section:
    they stay inside their goal, so the goal and its analysis are one unit.
    """
    sections: list[_Section] = []
    stack: list[tuple[float, str, Block]] = []
    goal_stack: list[tuple[float, str, Block]] = []  # the stack at the last goal heading
    current = _Section(path=(), blocks=[], head=None)

    def flush() -> None:
        nonlocal current
        if current.blocks or current.head is not None:
            sections.append(current)

    for block in doc.blocks:
        if block.kind != "heading":
            current.blocks.append(block)
            continue
        level = _effective_level(block, stack)
        title = block.title or doc.block_text(block)
        if level >= 5:
            current.blocks.append(block)  # a leaf heading stays in the goal's section
            continue
        flush()
        if 2 <= level <= 4 and not any(1 <= lvl < level for lvl, _, _ in stack):
            # A sub-goal after report sections ("Investeringar", "Övrigt") that the
            # PDF extractor put in the middle of the goals: it still belongs to
            # the goal above it, not to those sections.
            stack = [entry for entry in goal_stack if entry[0] < level]
        while stack and stack[-1][0] >= level:
            stack.pop()
        if level == 1:
            # KF:s inriktningsmål hang under a goals section ("Uppföljning av
            # Kommunfullmäktiges inriktningsmål") or at the top, never under an
            # unrelated one such as "Organisationsbeskrivning".
            stack = [entry for entry in stack if entry[0] == 0 and _GOALS_SECTION.search(entry[1])]
        stack.append((level, title, block))
        if 1 <= level <= 4:
            goal_stack = list(stack)
        current = _Section(path=tuple(t for _, t, _ in stack), blocks=[], head=block)
    flush()
    return sections


def _is_bare(doc: Document, section: _Section) -> bool:
    if section.head is None or section.head.level == 0:
        return False
    for block in section.blocks:
        if block.kind != "status" or not doc.block_text(block).strip(" —–-●").lower() == "ingen":
            return False
    return True


def _split_section(doc: Document, section: _Section, size: int) -> list[tuple[int, int, tuple[str, ...], str]]:
    units: list[Block] = ([section.head] if section.head else []) + section.blocks
    if not units:
        return []
    # A section that is only a heading (e.g. "KF:s inriktningsmål 2 …" right
    # before its first sub-goal) carries no content of its own: skip it.
    if all(u.kind == "heading" for u in units) and section.head is not None and section.head.level < 4:
        return []
    out: list[tuple[int, int, tuple[str, ...], str]] = []
    path = section.path or ("Inledning",)

    group: list[Block] = []

    def emit(blocks: list[Block]) -> None:
        if not blocks:
            return
        start, end = blocks[0].start, blocks[-1].end
        kind = "table" if any(b.kind == "table" for b in blocks) else "text"
        out.append((start, end, path, kind))

    for block in units:
        length = block.end - block.start
        only_headings = bool(group) and all(b.kind in _LEAD_KINDS for b in group)
        if only_headings and length <= size:
            group.append(block)  # a heading (and its status line) travels with the text after it
            continue
        if group and not only_headings and (block.end - group[0].start) > size:
            # Keep a heading with what follows it rather than at a chunk's end.
            carry: list[Block] = []
            while group and group[-1].kind in _LEAD_KINDS and len(group) > 1:
                carry.insert(0, group.pop())
            emit(group)
            group = carry
        if length > size:
            lead_start = group[0].start if group and all(b.kind in _LEAD_KINDS for b in group) else None
            if lead_start is None:
                emit(group)
            group = []
            for n, (start, end) in enumerate(_split_block(doc, block, size)):
                kind = "table" if block.kind == "table" else "text"
                out.append((lead_start if n == 0 and lead_start is not None else start, end, path, kind))
            continue
        group.append(block)
    emit(group)
    return out


def _split_block(doc: Document, block: Block, size: int) -> list[tuple[int, int]]:
    """Cut one long block: tables at row boundaries, prose at sentence boundaries."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    text = doc.block_text(block)
    separators = ["\n", ". ", "; ", ", ", " ", ""]
    if block.kind != "table":
        separators.insert(0, "\n\n")
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=size,
        chunk_overlap=0,
        separators=separators,
        keep_separator="end",
        add_start_index=True,
        strip_whitespace=False,
    )
    spans = []
    for piece in splitter.create_documents([text]):
        start = block.start + int(piece.metadata["start_index"])
        content = piece.page_content
        lead = len(content) - len(content.lstrip())
        start += lead
        end = start + len(content.strip())
        if end > start:
            spans.append((start, end))
    return spans


def _context(doc: Document, path: tuple[str, ...], start: int, end: int, kind: str) -> str:
    meta = doc.meta
    head = " ".join(str(x) for x in (meta.type, meta.year or "", meta.unit or "") if x)
    parts = [head, " › ".join(path)]
    if kind == "table":
        header = _table_header(doc, start)
        if header and header not in doc.text[start:end]:
            parts.append(header)
    return "\n".join(p for p in parts if p)


def _table_header(doc: Document, offset: int) -> str | None:
    """The header row of the table that ``offset`` falls in, if any."""
    for block in doc.blocks:
        if block.kind == "table" and block.start <= offset < block.end:
            first = doc.text[block.start : block.end].split("\n", 1)[0]
            return re.sub(r"\s+", " ", first)[:300]
    return None

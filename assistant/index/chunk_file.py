"""A store's chunks on disk: ``chunks.bin`` (marshal), and the JSON form the report cache keeps.

``chunks.bin`` holds one tuple of field values per chunk (in ``CHUNK_FIELDS``
order) and the sentence spans of each. marshal is read ~3× faster than JSON
lines (22 500 chunks: 0.3 s instead of 0.9 s) and is written and read by the
same Python (3.11); the manifest records its version, and a file that does not
read is an :class:`~assistant.errors.IndexCorruptError`, never a crash.
"""

from __future__ import annotations

import marshal
from pathlib import Path
from typing import Any

from ..documents import Chunk
from .integrity import corrupt

__all__ = ["CHUNKS_FORMAT", "CHUNK_FIELDS", "chunk_from_json", "chunk_to_json", "read_chunks", "write_chunks"]

CHUNKS_FORMAT = f"marshal-{marshal.version}"
CHUNK_FIELDS = (
    "chunk_id", "report_id", "unit", "year", "type", "title", "source",
    "heading_path", "pages", "start", "end", "text", "kind", "context",
)  # fmt: skip


def write_chunks(folder: Path, chunks: list[Chunk], spans: list[list[tuple[int, int]]]) -> None:
    rows = [tuple(getattr(c, name) for name in CHUNK_FIELDS) for c in chunks]
    payload = marshal.dumps((CHUNK_FIELDS, rows, [tuple(sp) for sp in spans]))
    (folder / "chunks.bin").write_bytes(payload)


def read_chunks(folder: Path, manifest: dict[str, Any]) -> tuple[list[Chunk], list[list[tuple[int, int]]]]:
    """The chunks and sentence spans of a store folder."""
    broken = corrupt(folder, "textavsnitten i chunks.bin går inte att läsa")
    if manifest.get("chunks_format") != CHUNKS_FORMAT:
        raise broken
    try:
        names, rows, spans = marshal.loads((folder / "chunks.bin").read_bytes())
        if tuple(names) != CHUNK_FIELDS or len(rows) != len(spans) or len(rows) != manifest.get("chunks"):
            raise ValueError("chunks.bin does not match the manifest")
        new = object.__new__
        chunks = []
        for row in rows:
            # Chunk is a frozen dataclass: fill its fields directly (4x faster than calling __init__).
            chunk = new(Chunk)
            chunk.__dict__.update(zip(CHUNK_FIELDS, row, strict=True))
            chunks.append(chunk)
        return chunks, [list(sp) for sp in spans]
    except (OSError, EOFError, ValueError, TypeError) as exc:
        raise broken from exc


def chunk_to_json(c: Chunk) -> dict[str, Any]:
    return {
        "chunk_id": c.chunk_id,
        "report_id": c.report_id,
        "unit": c.unit,
        "year": c.year,
        "type": c.type,
        "title": c.title,
        "source": c.source,
        "heading_path": list(c.heading_path),
        "pages": list(c.pages),
        "start": c.start,
        "end": c.end,
        "text": c.text,
        "kind": c.kind,
        "context": c.context,
    }


def chunk_from_json(d: dict[str, Any]) -> Chunk:
    return Chunk(
        chunk_id=d["chunk_id"],
        report_id=d["report_id"],
        unit=d["unit"],
        year=d["year"],
        type=d["type"],
        title=d["title"],
        source=d["source"],
        heading_path=tuple(d["heading_path"]),
        pages=tuple(d["pages"]),
        start=d["start"],
        end=d["end"],
        text=d["text"],
        kind=d["kind"],
        context=d["context"],
    )

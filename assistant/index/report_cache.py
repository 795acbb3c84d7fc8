"""Per report, keyed by the report's hash: its chunks, their sentence spans and their vectors.

``index/cache/<model>/<report id>-<key>.npz`` holds a report's chunk vectors,
its sentence vectors, a digest of the chunk texts and the chunks themselves
(JSON, with a fingerprint of the code that made them). A build takes an
unchanged report from here without chunking it or embedding anything; an
entry written before chunks were cached (or by other chunking code) still
gives its vectors when the texts' digest matches. Every entry carries a
SHA-256 of its contents (``checksum``), verified when it is read: a damaged
entry is ignored (the report is embedded again), never trusted. An entry
written before checksums is read as before (the zip's own CRC still guards it)
and rewritten with one (``Cached.unverified``).
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from ..documents import Chunk, Document
from .chunk_file import chunk_from_json, chunk_to_json
from .doc_cache import ingest_fingerprint

__all__ = ["Cached", "ReportPart", "chunk_code", "chunks_digest", "known_vectors", "read_cached", "write_cached"]


@cache
def chunk_code() -> str:
    """A hash of the code that turns a document into chunks and sentences (with the cleaning code's)."""
    h = hashlib.sha256(ingest_fingerprint().encode())
    here = Path(__file__).resolve().parent
    for name in ("chunking.py", "sentences.py"):
        h.update((here / name).read_bytes())
    return h.hexdigest()[:16]


@dataclass
class ReportPart:
    """One report in a build: its chunks, their sentence spans and (once known) their vectors."""

    doc: Document
    file: Path  # its per-report cache file
    chunks: list[Chunk]
    spans: list[list[tuple[int, int]]]
    vectors: np.ndarray | None = None
    sentence_vectors: np.ndarray | None = None
    _inputs: list[tuple[str, str]] = field(default_factory=list, repr=False)

    def inputs(self) -> list[tuple[str, str]]:
        """(key, text) of everything embedded for this report: every chunk with its context, then every
        sentence. The key is the text, except that a chunk without context ("\n" + text) shares the
        key of its text: the model ignores the leading line break, so a sentence that is its whole
        chunk is embedded once."""
        if not self._inputs:
            for c in self.chunks:
                text = c.context + "\n" + c.text
                self._inputs.append((text if c.context else c.text, text))
            for c, sp in zip(self.chunks, self.spans, strict=True):
                self._inputs.extend((c.text[a:b], c.text[a:b]) for a, b in sp)
        return self._inputs


@dataclass
class Cached:
    digest: str
    vectors: np.ndarray
    sentence_vectors: np.ndarray
    chunks: list[Chunk] | None  # None: an entry from before chunks were cached, or other chunking code
    spans: list[list[tuple[int, int]]]
    unverified: bool = False  # written before entries had a checksum: to be rewritten with one


def known_vectors(parts: list[ReportPart]) -> dict[str, np.ndarray]:
    """Text key -> vector, over the reports whose vectors are cached."""
    known: dict[str, np.ndarray] = {}
    for part in parts:
        assert part.vectors is not None and part.sentence_vectors is not None
        rows = np.concatenate([part.vectors, part.sentence_vectors])
        for (key, _), row in zip(part.inputs(), rows, strict=True):
            known.setdefault(key, row)
    return known


def read_cached(path: Path) -> Cached | None:
    if not path.exists():
        return None
    try:
        with np.load(path) as data:
            unverified = "checksum" not in data.files
            if not unverified and str(data["checksum"]) != _checksum({k: data[k] for k in _CHECKED if k in data.files}):
                return None  # damaged: embedded again
            vectors = data["vectors"].astype(np.float32)
            svectors = data["sentences"].astype(np.float32)
            cached = Cached(str(data["digest"]), vectors, svectors, None, [], unverified)
            if "chunks" in data.files and str(data["chunk_code"]) == chunk_code():
                records = json.loads(data["chunks"].tobytes().decode())
                chunks = [chunk_from_json(r) for r in records]
                spans = [[(int(a), int(b)) for a, b in r["sentences"]] for r in records]
                if (
                    chunks_digest(chunks) == cached.digest
                    and len(vectors) == len(chunks)
                    and len(svectors) == sum(map(len, spans))
                ):
                    cached.chunks, cached.spans = chunks, spans
        return cached
    except (OSError, KeyError, ValueError, TypeError, EOFError, zipfile.BadZipFile):  # damaged: embed again
        return None


def write_cached(path: Path, part: ReportPart) -> None:
    assert part.vectors is not None and part.sentence_vectors is not None
    records = []
    for c, sp in zip(part.chunks, part.spans, strict=True):
        record = chunk_to_json(c)
        record["sentences"] = sp
        records.append(record)
    tmp = path.with_name(path.stem + f".{os.getpid()}.tmp.npz")
    arrays = {
        "vectors": np.asarray(part.vectors, dtype=np.float32),
        "sentences": np.asarray(part.sentence_vectors, dtype=np.float32),
        "digest": np.array(chunks_digest(part.chunks)),
        "chunks": np.frombuffer(json.dumps(records, ensure_ascii=False).encode(), dtype=np.uint8),
        "chunk_code": np.array(chunk_code()),
    }
    np.savez(tmp, checksum=np.array(_checksum(arrays)), **arrays)  # type: ignore[arg-type]
    tmp.replace(path)


_CHECKED = ("vectors", "sentences", "digest", "chunks", "chunk_code")


def _checksum(arrays: dict[str, np.ndarray]) -> str:
    """SHA-256 over the entry's arrays (their dtype, shape and bytes), in a fixed order."""
    h = hashlib.sha256()
    for name in _CHECKED:
        if name in arrays:
            array = np.ascontiguousarray(arrays[name])
            h.update(f"{name}:{array.dtype.str}:{array.shape};".encode())
            h.update(array.tobytes())
    return h.hexdigest()


def chunks_digest(chunks: list[Chunk]) -> str:
    h = hashlib.sha1()
    for c in chunks:
        h.update((c.context + "\n" + c.text).encode())
        h.update(b"\x00")
    return h.hexdigest()

"""The naive baseline we measure ourselves against.

Fixed 800-character chunks (120 overlap) of each report's raw text, dense
retrieval only (the same embedding model and FAISS), no filters, no question
understanding; the "answer" is the top chunk. Used by ``eval`` and the
benchmarks, in the same run as the real system, so the comparison is fair.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..index.embeddings import Embedder
from ..ingest.corpus import Corpus

__all__ = ["BaselineAnswer", "NaiveBaseline"]

CHUNK = 800
OVERLAP = 120


@dataclass(frozen=True)
class _Chunk:
    report_id: str
    text: str


@dataclass(frozen=True)
class BaselineAnswer:
    answer: str
    abstained: bool
    citations: tuple[_Chunk, ...]
    retrieved: tuple[_Chunk, ...]


class NaiveBaseline:
    def __init__(self, corpus: Corpus, embedder: Embedder, cache_dir: Path | None = None) -> None:
        import faiss

        self.embedder = embedder
        self.chunks: list[_Chunk] = []
        for doc in sorted(corpus.documents, key=lambda d: d.meta.report_id):
            raw = doc.source_text
            step = CHUNK - OVERLAP
            for start in range(0, max(len(raw) - OVERLAP, 1), step):
                piece = raw[start : start + CHUNK]
                if piece.strip():
                    self.chunks.append(_Chunk(doc.meta.report_id, piece))
        t0 = time.perf_counter()
        self.vectors = self._vectors(cache_dir)
        self.build_seconds = time.perf_counter() - t0
        self.index = faiss.IndexFlatIP(embedder.dim)
        if len(self.vectors):
            self.index.add(self.vectors)

    def _vectors(self, cache_dir: Path | None) -> np.ndarray:
        texts = [c.text for c in self.chunks]
        key = hashlib.sha1(("\x00".join(texts) + self.embedder.model_id).encode()).hexdigest()[:16]
        path = cache_dir / f"baseline-{key}.npy" if cache_dir else None
        if path and path.exists():
            return np.load(path)
        vecs = self.embedder.encode_passages(texts) if texts else np.zeros((0, self.embedder.dim), np.float32)
        if path:
            path.parent.mkdir(parents=True, exist_ok=True)
            np.save(path, vecs)
        return vecs

    def ask(self, question: str, k: int = 10) -> BaselineAnswer:
        q = self.embedder.encode_queries([question])
        _, ids = self.index.search(q, min(k, len(self.chunks)))
        ranked = tuple(self.chunks[i] for i in ids[0] if i >= 0)
        top = ranked[:1]
        return BaselineAnswer(answer=top[0].text if top else "", abstained=False, citations=top, retrieved=ranked)

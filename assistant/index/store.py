"""The search index on disk: dense vectors (FAISS) + BM25, with a manifest.

Layout under ``index/``::

    CURRENT                 name of the live store folder (replaced atomically)
    store-<stamp>/          one complete index
        manifest.json       model id + dimension, chunker version, a hash per report
        chunks.jsonl        the chunks (text, offsets, heading path, context)
        vectors.npy         float32 (n, dim), L2-normalised
        sentences.npy       float32 vectors of every sentence (for choosing answer sentences)
        dense.faiss         FAISS index over the vectors
        bm25/               bm25s index over the analysed texts
    cache/<model>/          vectors per report, keyed by the report's hash

Building writes a new store folder and only then points ``CURRENT`` at it, so
an interrupted or failed build leaves the previous index in use. Vectors are
cached per report, so adding or changing one report embeds only that report.

Dense index type: exact inner product (``IndexFlatIP``) up to
``APPROXIMATE_ABOVE`` vectors — at 384 dimensions a flat search over 50 000
vectors takes a few milliseconds; above that an HNSW graph (M=32,
efSearch=128), which keeps search time nearly flat as the corpus grows.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .chunking import CHUNKER_VERSION, chunk_document
from ..config import Config
from ..ingest.corpus import Corpus
from ..documents import Chunk
from .embeddings import Embedder
from ..errors import IndexMismatchError, IndexMissingError
from .lexical import ANALYZER_VERSION, Bm25Index
from .lexical.neighbours import WordNeighbours, corpus_words
from .sentences import split_sentences

__all__ = ["APPROXIMATE_ABOVE", "FORMAT", "IndexStore", "SearchIndex", "index_status"]

FORMAT = 3  # 3: the corpus's word vectors (words/)
APPROXIMATE_ABOVE = 50_000

Progress = Callable[[str, float], None]  # (message, fraction 0..1)


@dataclass(frozen=True)
class IndexStatus:
    exists: bool
    fresh: bool
    reason: str  # Swedish, empty when fresh
    changed: tuple[str, ...] = ()  # report ids added/changed
    removed: tuple[str, ...] = ()


class SearchIndex:
    """A loaded index: chunks, FAISS, BM25 and the manifest."""

    def __init__(
        self,
        folder: Path,
        manifest: dict[str, Any],
        chunks: list[Chunk],
        dense: Any,
        bm25: Bm25Index,
        sentence_spans: list[list[tuple[int, int]]],
        sentence_vectors: np.ndarray,
        neighbours: WordNeighbours | None = None,
    ):
        self.folder = folder
        self.manifest = manifest
        self.chunks = chunks
        self.dense = dense
        self.bm25 = bm25
        self.chunk_pos = {c.chunk_id: i for i, c in enumerate(chunks)}
        self.sentence_spans = sentence_spans
        self.sentence_vectors = sentence_vectors
        self.neighbours = neighbours  # the corpus's words and their vectors (None in an index built without them)
        offsets = np.cumsum([0] + [len(sp) for sp in sentence_spans])
        self.sentence_offset = offsets

    def sentences_of(self, position: int) -> tuple[list[tuple[int, int]], np.ndarray]:
        """Sentence spans of chunk ``position`` and their vectors."""
        a, b = self.sentence_offset[position], self.sentence_offset[position + 1]
        return self.sentence_spans[position], self.sentence_vectors[a:b]

    @property
    def model_id(self) -> str:
        return str(self.manifest["model_id"])

    def dense_search(self, query_vec: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        k = min(k, len(self.chunks))
        scores, ids = self.dense.search(query_vec.reshape(1, -1).astype(np.float32), k)
        return ids[0], scores[0]

    def best_sentence_scores(self, positions: np.ndarray, query_vec: np.ndarray) -> np.ndarray:
        """For the passages at ``positions``: the cosine similarity of each one's closest sentence."""
        out = np.full(len(positions), -1.0, dtype=np.float32)
        for i, pos in enumerate(positions):
            a, b = self.sentence_offset[pos], self.sentence_offset[pos + 1]
            if b > a:
                out[i] = float(np.max(self.sentence_vectors[a:b] @ query_vec))
        return out

    def dense_scores_all(self, query_vec: np.ndarray) -> np.ndarray:
        """Cosine similarity to every chunk (exact; cheap at our sizes)."""
        scores = np.full(len(self.chunks), -1.0, dtype=np.float32)
        ids, sims = self.dense_search(query_vec, len(self.chunks) if len(self.chunks) <= 20_000 else 2000)
        valid = ids >= 0
        scores[ids[valid]] = sims[valid]
        return scores


class IndexStore:
    """Builds, checks and loads the index in ``config.index``."""

    def __init__(self, config: Config, embedder: Embedder) -> None:
        self.config = config
        self.root = config.index
        self.embedder = embedder

    # ----------------------------------------------------------------- paths
    def _current(self) -> Path | None:
        pointer = self.root / "CURRENT"
        if not pointer.exists():
            return None
        folder = self.root / pointer.read_text(encoding="utf-8").strip()
        return folder if (folder / "manifest.json").exists() else None

    def _cache_dir(self) -> Path:
        slug = hashlib.sha1(self.embedder.model_id.encode()).hexdigest()[:12]
        return self.root / "cache" / slug

    # ----------------------------------------------------------------- status
    def status(self, corpus: Corpus) -> IndexStatus:
        folder = self._current()
        if folder is None:
            return IndexStatus(False, False, "Det finns inget index ännu.")
        try:
            manifest = _read_manifest(folder)
        except IndexMismatchError as exc:  # not fresh, so `index --rebuild` and build="auto" can repair it
            return IndexStatus(True, False, f"Indexets manifest i {folder} går inte att läsa ({exc.__cause__}).")
        problem = self._incompatibility(manifest)
        if problem:
            return IndexStatus(True, False, problem)
        built = manifest["reports"]
        current = {d.meta.report_id: _report_key(d.meta, self.config) for d in corpus.documents}
        changed = tuple(sorted(r for r, key in current.items() if built.get(r, {}).get("key") != key))
        removed = tuple(sorted(r for r in built if r not in current))
        if changed or removed:
            parts = []
            if changed:
                parts.append(f"nya eller ändrade rapporter: {', '.join(changed)}")
            if removed:
                parts.append(f"borttagna rapporter: {', '.join(removed)}")
            return IndexStatus(True, False, "Indexet är inaktuellt (" + "; ".join(parts) + ").", changed, removed)
        return IndexStatus(True, True, "")

    def _incompatibility(self, manifest: dict[str, Any]) -> str:
        if manifest.get("format") != FORMAT:
            return "Indexet har ett äldre format."
        if manifest.get("model_id") != self.embedder.model_id:
            return f"Indexet byggdes med modellen {manifest.get('model_id')}, men nu används {self.embedder.model_id}."
        if manifest.get("chunker_version") != CHUNKER_VERSION or manifest.get("chunk_size") != self.config.chunk_size:
            return "Indexet byggdes med en annan version av textindelningen."
        if manifest.get("analyzer_version") != ANALYZER_VERSION:
            return "Indexet byggdes med en annan version av den svenska textanalysen."
        return ""

    # ----------------------------------------------------------------- load
    def load(self, corpus: Corpus, *, build: str = "auto", progress: Progress | None = None) -> SearchIndex:
        """Load the index, building or updating it as ``build`` allows.

        build="auto": build if missing, update incrementally if the corpus
        changed, rebuild if the model or chunker changed. build="never": stop
        with a clear error instead. build="force": rebuild from scratch (the
        per-report vector cache is still used unless the model changed).
        """
        st = self.status(corpus)
        if build == "force" or not st.fresh:
            if build == "never":
                if not st.exists:
                    raise IndexMissingError(f"{st.reason} Bygg det med: python -m assistant index")
                raise IndexMismatchError(f"{st.reason} Bygg om det med: python -m assistant index --rebuild")
            self.build(corpus, progress=progress)
        folder = self._current()
        if folder is None:  # pragma: no cover - build() just wrote it
            raise IndexMissingError("Indexet kunde inte läsas efter bygget.")
        return self.open_folder(folder)

    def open_folder(self, folder: Path) -> SearchIndex:
        """Open one store folder (checked against this store's model and versions)."""
        import faiss

        manifest = _read_manifest(folder)
        problem = self._incompatibility(manifest)
        if problem:  # never mix vectors from two models
            raise IndexMismatchError(f"{problem} Bygg om indexet med: python -m assistant index --rebuild")
        chunks = []
        spans: list[list[tuple[int, int]]] = []
        with (folder / "chunks.jsonl").open(encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                chunks.append(_chunk_from_json(record))
                spans.append([(int(a), int(b)) for a, b in record["sentences"]])
        dense = faiss.read_index(str(folder / "dense.faiss"))
        if dense.ntotal != len(chunks) or dense.d != manifest["dim"]:
            raise IndexMismatchError("Indexfilerna hör inte ihop. Bygg om med: python -m assistant index --rebuild")
        bm25 = Bm25Index.load(folder / "bm25")
        # Memory-mapped: only the sentences of the passages a question hits are read.
        sentence_vectors = np.load(folder / "sentences.npy", mmap_mode="r")
        if len(sentence_vectors) != sum(len(sp) for sp in spans):
            raise IndexMismatchError("Indexfilerna hör inte ihop. Bygg om med: python -m assistant index --rebuild")
        words = folder / "words"
        neighbours = WordNeighbours.load(words) if (words / "words.json").exists() else None
        return SearchIndex(folder, manifest, chunks, dense, bm25, spans, sentence_vectors, neighbours)

    # ----------------------------------------------------------------- build
    def build(self, corpus: Corpus, *, progress: Progress | None = None) -> Path:
        """Write a complete new store and switch ``CURRENT`` to it atomically."""
        import faiss

        started = time.perf_counter()
        self.root.mkdir(parents=True, exist_ok=True)
        cache = self._cache_dir()
        cache.mkdir(parents=True, exist_ok=True)
        docs = sorted(corpus.documents, key=lambda d: d.meta.report_id)
        all_chunks: list[Chunk] = []
        vectors: list[np.ndarray] = []
        svectors: list[np.ndarray] = []
        all_spans: list[list[tuple[int, int]]] = []
        reports: dict[str, Any] = {}
        per_doc = [(d, chunk_document(d, self.config.chunk_size)) for d in docs]
        to_embed = sum(len(ch) for d, ch in per_doc if not _cache_file(cache, d.meta, self.config).exists())
        done = 0
        for doc, chunks in per_doc:
            cache_file = _cache_file(cache, doc.meta, self.config)
            spans = [split_sentences(c.text) for c in chunks]
            cached = _read_cached(cache_file, chunks)
            if cached is None:
                if progress:
                    progress(f"Bäddar in {doc.meta.label()} ({len(chunks)} avsnitt)", done / max(to_embed, 1))
                vecs = self._embed([c.context + "\n" + c.text for c in chunks], done, to_embed, progress)
                sentences = [c.text[a:b] for c, sp in zip(chunks, spans, strict=True) for a, b in sp]
                svecs = self._embed(sentences, done, to_embed, progress, weight=0.3)
                done += len(chunks)
                _write_cached(cache_file, chunks, vecs, svecs)
            else:
                vecs, svecs = cached
            all_chunks.extend(chunks)
            all_spans.extend(spans)
            vectors.append(vecs)
            svectors.append(svecs)
            reports[doc.meta.report_id] = {
                "key": _report_key(doc.meta, self.config),
                "sha256": doc.meta.sha256,
                "source": doc.meta.source,
                "chunks": len(chunks),
                "meta": {k: v for k, v in asdict(doc.meta).items() if k != "origin"},
            }
        dim = self.embedder.dim
        matrix = np.vstack(vectors).astype(np.float32) if vectors else np.zeros((0, dim), np.float32)
        if progress:
            progress("Bygger sökindex", 0.98)
        dense = _make_dense(matrix, dim, faiss)
        bm25 = Bm25Index.build([c.context + "\n" + c.text for c in all_chunks] or [""])
        if progress:
            progress("Bäddar in rapporternas ord", 0.985)
        # Every word the reports use, embedded once (cached by word): question words the corpus lacks
        # are carried to their nearest report words (index/lexical/neighbours.py).
        neighbours = WordNeighbours.build(
            corpus_words([c.text for c in all_chunks]), self.embedder.encode_queries, cache / "words.npz"
        )

        stamp = time.strftime("%Y%m%d-%H%M%S") + f"-{os.getpid()}-{time.time_ns() % 1_000_000}"
        tmp = self.root / f".building-{stamp}"
        final = self.root / f"store-{stamp}"
        tmp.mkdir(parents=True)
        try:
            with (tmp / "chunks.jsonl").open("w", encoding="utf-8") as fh:
                for c, sp in zip(all_chunks, all_spans, strict=True):
                    record = _chunk_to_json(c)
                    record["sentences"] = sp
                    fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            np.save(tmp / "vectors.npy", matrix)
            smatrix = np.vstack(svectors).astype(np.float32) if svectors else np.zeros((0, dim), np.float32)
            np.save(tmp / "sentences.npy", smatrix)
            faiss.write_index(dense, str(tmp / "dense.faiss"))
            bm25.save(tmp / "bm25")
            neighbours.save(tmp / "words")
            manifest = {
                "format": FORMAT,
                "model_id": self.embedder.model_id,
                "dim": dim,
                "chunker_version": CHUNKER_VERSION,
                "chunk_size": self.config.chunk_size,
                "analyzer_version": ANALYZER_VERSION,
                "dense_type": "flat-ip" if len(matrix) <= APPROXIMATE_ABOVE else "hnsw32-ip",
                "chunks": len(all_chunks),
                "reports": reports,
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
                "build_seconds": round(time.perf_counter() - started, 2),
            }
            (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
            tmp.rename(final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _atomic_write(self.root / "CURRENT", final.name)
        self._cleanup(keep=final.name)
        if progress:
            progress("Klart", 1.0)
        return final

    def _embed(
        self, texts: list[str], done: int, total: int, progress: Progress | None, weight: float = 1.0
    ) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.embedder.dim), np.float32)
        if progress is None:
            return self.embedder.encode_passages(texts, progress=sys.stderr.isatty())
        out = []
        step = 8
        for i in range(0, len(texts), step):
            out.append(self.embedder.encode_passages(texts[i : i + step]))
            progress("Bäddar in textavsnitt", min(0.97, (done + weight * (i + step)) / max(total, 1)))
        return np.vstack(out)

    def _cleanup(self, keep: str) -> None:
        for path in self.root.iterdir():
            if path.is_dir() and (path.name.startswith("store-") or path.name.startswith(".building-")):
                if path.name != keep:
                    # A build still running in another process has a fresh .building folder: leave it.
                    if path.name.startswith(".building-") and time.time() - path.stat().st_mtime < 3600:
                        continue
                    shutil.rmtree(path, ignore_errors=True)


def index_status(config: Config, embedder: Embedder, corpus: Corpus) -> IndexStatus:
    return IndexStore(config, embedder).status(corpus)


# --------------------------------------------------------------------- helpers


def _report_key(meta: Any, config: Config) -> str:
    """Changes when the report's bytes or its metadata (manifest edits) change."""
    payload = json.dumps(
        [meta.sha256, meta.unit, meta.year, meta.type, meta.title, meta.district, CHUNKER_VERSION, config.chunk_size],
        ensure_ascii=False,
    )
    return hashlib.sha1(payload.encode()).hexdigest()


def _cache_file(cache: Path, meta: Any, config: Config) -> Path:
    return cache / f"{meta.report_id}-{_report_key(meta, config)[:16]}.npz"


def _read_cached(path: Path, chunks: list[Chunk]) -> tuple[np.ndarray, np.ndarray] | None:
    if not path.exists():
        return None
    try:
        data = np.load(path)
        if str(data["digest"]) != _chunks_digest(chunks):
            return None
        return data["vectors"].astype(np.float32), data["sentences"].astype(np.float32)
    except (OSError, KeyError, ValueError):
        return None


def _write_cached(path: Path, chunks: list[Chunk], vecs: np.ndarray, svecs: np.ndarray) -> None:
    tmp = path.with_name(path.stem + ".tmp.npz")
    np.savez(tmp, vectors=vecs, sentences=svecs, digest=np.array(_chunks_digest(chunks)))
    tmp.replace(path)


def _chunks_digest(chunks: list[Chunk]) -> str:
    h = hashlib.sha1()
    for c in chunks:
        h.update((c.context + "\n" + c.text).encode())
        h.update(b"\x00")
    return h.hexdigest()


def _make_dense(matrix: np.ndarray, dim: int, faiss: Any) -> Any:
    if len(matrix) > APPROXIMATE_ABOVE:
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = 128
    else:
        index = faiss.IndexFlatIP(dim)
    if len(matrix):
        index.add(matrix)
    return index


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _read_manifest(folder: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        return data
    except (OSError, json.JSONDecodeError) as exc:
        raise IndexMismatchError(
            f"Indexets manifest i {folder} går inte att läsa ({exc}). Bygg om med: python -m assistant index --rebuild"
        ) from exc


def _chunk_to_json(c: Chunk) -> dict[str, Any]:
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


def _chunk_from_json(d: dict[str, Any]) -> Chunk:
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

"""The search index on disk: dense vectors (FAISS) + BM25, with a manifest.

Layout under ``index/``::

    CURRENT                 name of the live store folder (replaced atomically)
    store-<stamp>/          one complete index
        manifest.json       model id + dimension, chunker version, a hash per report
        chunks.bin          the chunks (text, offsets, heading path, context, sentence spans), marshal
        vectors.npy         float32 (n, dim), L2-normalised
        sentences.npy       float32 vectors of every sentence (for choosing answer sentences)
        dense.faiss         FAISS index over the vectors
        bm25/               bm25s index over the analysed texts
    cache/<model>/          per report, keyed by the report's hash: its chunks and their vectors
    cache/docs/             the cleaned documents, keyed by content hash (:mod:`.doc_cache`)

Building writes a new store folder and only then points ``CURRENT`` at it, so
an interrupted or failed build leaves the previous index in use. The manifest
records every file's size and SHA-256 and its own checksum; opening a store
verifies them (:mod:`.integrity`), and a damaged store is an
:class:`~assistant.errors.IndexCorruptError` that ``repair=True`` (``index``,
``serve``) answers by building a new store from the per-report caches. A report
with more passages than ``Config.max_report_chunks`` is chunked but never
embedded: the manifest lists it under ``skipped`` with the reason. Chunks and
vectors are cached per report, so adding or changing one report chunks and
embeds only that report — and of its texts only those no other report already
has (boilerplate that every year's report repeats is embedded once). Opening a
store reads ``chunks.bin`` (:mod:`.chunk_file`: ~3× faster than JSON at 22 500 chunks)
and memory-maps the sentence vectors.

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
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..config import Config
from ..documents import Chunk, Document
from ..errors import IndexCorruptError, IndexMismatchError, IndexMissingError, IndexStoreError, ReportTooLargeError
from ..ingest.corpus import Corpus
from .chunk_file import CHUNKS_FORMAT, read_chunks, write_chunks
from .chunking import CHUNKER_VERSION, chunk_document
from .embeddings import Embedder
from .encode_pool import default_workers, encode_passages
from .integrity import REPAIR, corrupt, file_checksums, manifest_checksum, quick_damage, verify_store
from .lexical import ANALYZER_VERSION, Bm25Index
from .lexical.neighbours import WordNeighbours, corpus_words
from .progress import BuildTracker, Progress, ProgressBar, StepCallback
from .report_cache import ReportPart, chunks_digest, known_vectors, read_cached, write_cached
from .sentences import split_sentences

__all__ = [
    "APPROXIMATE_ABOVE",
    "FORMAT",
    "BuildReport",
    "IndexStore",
    "Progress",
    "SearchIndex",
    "index_status",
    "skipped_reports",
]

FORMAT = 5  # 3: chunks.bin; 4: the corpus's word vectors (words/); 5: checksums of every file, skipped reports
APPROXIMATE_ABOVE = 50_000
# Up to this many chunks FAISS returns every score (as it always has: the answers stay bit for bit the same).
EXACT_TOP_K = 20_000


@dataclass(frozen=True)
class BuildReport:
    """What one build did (printed by ``index``, read by the benchmark)."""

    reports: int
    reports_embedded: int  # reports whose vectors were not all in the cache
    chunks_embedded: int  # their chunks
    chunks: int
    sentences: int
    texts_encoded: int  # texts sent to the model
    chunks_encoded: int  # of which chunks (with their context); the rest are sentences
    texts_reused: int  # texts of new reports whose vector another report (or the same one) already had
    chars_encoded: int
    embed_seconds: float
    seconds: float
    workers: int


@dataclass(frozen=True)
class IndexStatus:
    exists: bool
    fresh: bool
    reason: str  # Swedish, empty when fresh
    changed: tuple[str, ...] = ()  # report ids added/changed
    removed: tuple[str, ...] = ()
    corrupt: bool = False  # the store is damaged; not merely out of date
    damage: str = ""  # what is damaged (Swedish, without the advice ``reason`` adds)


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
        # Above EXACT_TOP_K a flat index is scored with one matrix-vector product over its own storage
        # (no copy): exact for every chunk and ~4x faster than FAISS's top-k heap at 22 500 chunks.
        self._flat: np.ndarray | None = None
        if len(chunks) > EXACT_TOP_K and hasattr(dense, "get_xb") and not hasattr(dense, "hnsw"):
            import faiss

            self._flat = faiss.rev_swig_ptr(dense.get_xb(), dense.ntotal * dense.d).reshape(dense.ntotal, dense.d)

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
        """Cosine similarity to every chunk: exact up to ``APPROXIMATE_ABOVE`` chunks; above, the 2000
        nearest (HNSW) and -1 for the rest."""
        if self._flat is not None:
            return np.asarray(self._flat @ query_vec.astype(np.float32), dtype=np.float32)
        scores = np.full(len(self.chunks), -1.0, dtype=np.float32)
        ids, sims = self.dense_search(query_vec, len(self.chunks) if len(self.chunks) <= EXACT_TOP_K else 2000)
        valid = ids >= 0
        scores[ids[valid]] = sims[valid]
        return scores


class IndexStore:
    """Builds, checks and loads the index in ``config.index``."""

    def __init__(self, config: Config, embedder: Embedder) -> None:
        self.config = config
        self.root = config.index
        self.embedder = embedder
        self.last_build: BuildReport | None = None

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
        except IndexCorruptError as exc:
            return IndexStatus(True, False, str(exc), corrupt=True, damage=exc.damage)
        problem = self._incompatibility(manifest)
        if problem:
            return IndexStatus(True, False, problem)
        damage = quick_damage(folder, manifest)
        if damage:
            error = corrupt(folder, damage)
            return IndexStatus(True, False, str(error), corrupt=True, damage=error.damage)
        built = {**manifest.get("skipped", {}), **manifest["reports"]}  # a skipped report is built as far as it goes
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
        limit = self.config.max_report_chunks
        over = any(r.get("chunks", 0) > limit for r in manifest.get("reports", {}).values())
        if manifest.get("max_report_chunks") != limit and (over or manifest.get("skipped")):
            return "Gränsen för antal avsnitt per rapport har ändrats sedan indexet byggdes."
        return ""

    def damage(self) -> str:
        """What is wrong with the live store, every file's checksum verified (Swedish, without advice;
        "" when nothing, or when there is no store to verify)."""
        folder = self._current()
        if folder is None:
            return ""
        try:
            manifest = _read_manifest(folder)
            if not self._incompatibility(manifest):
                verify_store(folder, manifest)
        except IndexCorruptError as exc:
            return exc.damage
        return ""

    # ----------------------------------------------------------------- load
    def load(
        self,
        corpus: Corpus,
        *,
        build: str = "auto",
        progress: Progress | None = None,
        on_step: StepCallback | None = None,
        repair: bool = False,
    ) -> SearchIndex:
        """Load the index, building or updating it as ``build`` allows.

        build="auto": build if missing, update incrementally if the corpus
        changed, rebuild if the model or chunker changed. build="never": stop
        with a clear error instead. build="force": rebuild from scratch (the
        per-report vector cache is still used unless the model changed).
        A damaged store is an IndexCorruptError, unless ``repair`` (and building
        is allowed): then a new store is built from the per-report caches.
        """
        st = self.status(corpus)
        if st.corrupt and (not repair or build == "never"):
            raise IndexCorruptError(st.damage, REPAIR)
        if build == "force" or not st.fresh:
            if build == "never":
                if not st.exists:
                    raise IndexMissingError(f"{st.reason} Bygg det med: python -m assistant index")
                raise IndexMismatchError(f"{st.reason} Bygg om det med: python -m assistant index --rebuild")
            self.build(corpus, progress=progress, on_step=on_step)
        folder = self._current()
        if folder is None:  # pragma: no cover - build() just wrote it
            raise IndexMissingError("Indexet kunde inte läsas efter bygget.")
        try:
            return self.open_folder(folder)
        except IndexCorruptError:
            newer = self._current()
            if newer is not None and newer != folder:  # another process swapped in a new store meanwhile
                return self.open_folder(newer)
            if not repair or build == "never":
                raise
        # A store whose manifest is fine but whose files are damaged: rebuilt (from the caches).
        return self.open_folder(self.build(corpus, progress=progress, on_step=on_step))

    def open_previous(self) -> SearchIndex | None:
        """The live store if this model can use it, fresh or not (to answer from while a new one builds)."""
        folder = self._current()
        if folder is None:
            return None
        try:
            return self.open_folder(folder)
        except (IndexStoreError, OSError, RuntimeError):  # other model or format, damaged: nothing to offer
            return None

    def open_folder(self, folder: Path) -> SearchIndex:
        """Open one store folder: checked against this store's model and versions (IndexMismatchError),
        every file verified against its checksum and parsed (IndexCorruptError)."""
        import faiss

        manifest = _read_manifest(folder)
        problem = self._incompatibility(manifest)
        if problem:  # never mix vectors from two models
            raise IndexMismatchError(f"{problem} Bygg om indexet med: python -m assistant index --rebuild")
        verify_store(folder, manifest)
        try:
            chunks, spans = read_chunks(folder, manifest)
            dense = faiss.read_index(str(folder / "dense.faiss"))
            if dense.ntotal != len(chunks) or dense.d != manifest["dim"]:
                raise corrupt(folder, "dense.faiss hör inte ihop med textavsnitten")
            bm25 = Bm25Index.load(folder / "bm25")
            # Memory-mapped: only the sentences of the passages a question hits are read.
            sentence_vectors = np.load(folder / "sentences.npy", mmap_mode="r")
            if len(sentence_vectors) != sum(len(sp) for sp in spans):
                raise corrupt(folder, "sentences.npy hör inte ihop med textavsnitten")
            words = folder / "words"
            neighbours = WordNeighbours.load(words) if (words / "words.json").exists() else None
        except IndexCorruptError:
            raise
        except (OSError, ValueError, RuntimeError, KeyError, TypeError, EOFError) as exc:
            raise corrupt(folder, f"filerna går inte att läsa ({type(exc).__name__}: {exc})") from exc
        return SearchIndex(folder, manifest, chunks, dense, bm25, spans, sentence_vectors, neighbours)

    # ----------------------------------------------------------------- build
    def build(
        self,
        corpus: Corpus,
        *,
        progress: Progress | None = None,
        on_step: StepCallback | None = None,
        workers: int | None = None,
    ) -> Path:
        """Write a complete new store and switch ``CURRENT`` to it atomically.

        ``progress`` gets (Swedish message, fraction); ``on_step`` the same as a
        :class:`~assistant.index.progress.BuildProgress`. ``workers``: processes
        that embed (default: one per core, ``RAPPORT_BUILD_WORKERS``).
        """
        import faiss

        started = time.perf_counter()
        self.root.mkdir(parents=True, exist_ok=True)
        cache = self._cache_dir()
        cache.mkdir(parents=True, exist_ok=True)
        docs = sorted(corpus.documents, key=lambda d: d.meta.report_id)
        bar = None
        if progress is None and on_step is None and sys.stderr.isatty():
            on_step = bar = ProgressBar()
        parts, skipped = self._within_limits([self._report_part(doc, cache) for doc in docs])
        tracker = BuildTracker(reports_total=len(parts), progress=progress, on_step=on_step)
        workers = workers or default_workers()
        stats = self._embed_missing(parts, tracker, workers)

        tracker.writing()
        dim = self.embedder.dim
        all_chunks = [c for p in parts for c in p.chunks]
        all_spans = [sp for p in parts for sp in p.spans]
        n_sentences = sum(map(len, all_spans))
        matrix = _stack([p.vectors for p in parts], dim)

        stamp = time.strftime("%Y%m%d-%H%M%S") + f"-{os.getpid()}-{time.time_ns() % 1_000_000}"
        tmp = self.root / f".building-{stamp}"
        final = self.root / f"store-{stamp}"
        tmp.mkdir(parents=True)
        try:
            # The sentence vectors go straight to their file, report by report: at 1000× the corpus they are
            # 2.2 GB, and holding them twice (each report's, then the whole) was a third of the build's memory.
            _write_sentences(tmp / "sentences.npy", parts, n_sentences, dim)
            dense = _make_dense(matrix, dim, faiss)
            bm25 = Bm25Index.build([c.context + "\n" + c.text for c in all_chunks] or [""])
            # Every word the reports use, embedded once (cached by word): question words the corpus lacks
            # are carried to their nearest report words (index/lexical/neighbours.py).
            neighbours = WordNeighbours.build(
                corpus_words([c.text for c in all_chunks]), self.embedder.encode_queries, cache / "words.npz"
            )
            neighbours.save(tmp / "words")
            write_chunks(tmp, all_chunks, all_spans)
            np.save(tmp / "vectors.npy", matrix)
            faiss.write_index(dense, str(tmp / "dense.faiss"))
            bm25.save(tmp / "bm25")
            manifest = {
                "format": FORMAT,
                "chunks_format": CHUNKS_FORMAT,
                "model_id": self.embedder.model_id,
                "dim": dim,
                "chunker_version": CHUNKER_VERSION,
                "chunk_size": self.config.chunk_size,
                "analyzer_version": ANALYZER_VERSION,
                "dense_type": "flat-ip" if len(matrix) <= APPROXIMATE_ABOVE else "hnsw32-ip",
                "chunks": len(all_chunks),
                "reports": {p.doc.meta.report_id: _manifest_entry(p, self.config) for p in parts},
                "max_report_chunks": self.config.max_report_chunks,
                "skipped": skipped,
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
                "build_seconds": round(time.perf_counter() - started, 2),
                "files": file_checksums(tmp),
            }
            manifest["checksum"] = manifest_checksum(manifest)
            (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
            tmp.rename(final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _atomic_write(self.root / "CURRENT", final.name)
        self._cleanup(keep=final.name)
        tracker.finished()
        if bar is not None:
            bar.close()
        self.last_build = BuildReport(
            reports=len(parts),
            chunks=len(all_chunks),
            sentences=n_sentences,
            seconds=time.perf_counter() - started,
            workers=workers,
            **stats,
        )
        return final

    def _within_limits(self, parts: list[ReportPart]) -> tuple[list[ReportPart], dict[str, dict[str, str]]]:
        """The reports to embed, and those with more passages than ``max_report_chunks`` (by id: their
        key, file and the Swedish reason), which are left out before anything is embedded."""
        limit = self.config.max_report_chunks
        kept, skipped = [], {}
        for part in parts:
            if len(part.chunks) <= limit:
                kept.append(part)
                continue
            error = ReportTooLargeError(
                part.doc.meta.source,
                f"rapporten blir {len(part.chunks)} textavsnitt, mer än gränsen {limit}, så den bäddas inte in "
                "(det skulle ta lång tid och göra sökningen långsam för alla). Dela upp den, eller höj gränsen "
                "med RAPPORT_MAX_REPORT_CHUNKS.",
            )
            meta = part.doc.meta
            skipped[meta.report_id] = {"key": _report_key(meta, self.config), "source": meta.source, "reason": error.reason}
        return kept, skipped

    def _report_part(self, doc: Document, cache: Path) -> ReportPart:
        """One report's chunks, from the cache when its code and key match, and its vectors if cached."""
        file = _cache_file(cache, doc.meta, self.config)
        cached = read_cached(file)
        if cached is not None and cached.chunks is not None:
            part = ReportPart(doc, file, cached.chunks, cached.spans, cached.vectors, cached.sentence_vectors)
            if cached.unverified:
                write_cached(file, part)  # an entry from before checksums: given one
            return part
        chunks = chunk_document(doc, self.config.chunk_size)
        spans = [split_sentences(c.text) for c in chunks]
        part = ReportPart(doc, file, chunks, spans)
        if cached is not None and cached.digest == chunks_digest(chunks):
            # Vectors from before the chunks were cached too: keep them, store the chunks with them.
            part.vectors, part.sentence_vectors = cached.vectors, cached.sentence_vectors
            write_cached(file, part)
        return part

    def _embed_missing(self, parts: list[ReportPart], tracker: BuildTracker, workers: int) -> dict[str, Any]:
        """Embed what the reports without cached vectors need: each distinct text once, and none
        that a cached report already has a vector for. A report's vectors go to the cache as soon as
        they are complete, so an interrupted build keeps what it finished."""
        todo = [p for p in parts if p.vectors is None]
        known = known_vectors([p for p in parts if p.vectors is not None]) if todo else {}
        rows: dict[str, int] = {}  # text key -> row in `encoded`
        texts: list[str] = []
        last_row: list[int] = []  # per report in `todo`: the last row it needs
        reused = chunks_encoded = 0
        for part in todo:
            for i, (key, text) in enumerate(part.inputs()):
                if key in known or key in rows:
                    reused += 1
                    continue
                rows[key] = len(texts)
                texts.append(text)
                chunks_encoded += i < len(part.chunks)
            last_row.append(len(texts) - 1)
        chars = sum(map(len, texts))
        tracker.plan(
            reports_done=len(parts) - len(todo), chunks_total=sum(len(p.chunks) for p in todo), chars_total=chars
        )
        dim = self.embedder.dim
        encoded = np.empty((len(texts), dim), dtype=np.float32)
        waiting = list(zip(todo, last_row, strict=True))
        done = [0]

        def finish(part: ReportPart) -> None:
            vecs = [encoded[rows[key]] if key in rows else known[key] for key, _ in part.inputs()]
            matrix = np.array(vecs, dtype=np.float32).reshape(len(vecs), dim)
            part.vectors, part.sentence_vectors = matrix[: len(part.chunks)], matrix[len(part.chunks) :]
            write_cached(part.file, part)
            tracker.report_done()

        def on_batch(n: int, batch_chars: int) -> None:
            done[0] += n
            tracker.embedded(batch_chars)
            while waiting and waiting[0][1] < done[0]:
                finish(waiting.pop(0)[0])

        t0 = time.perf_counter()
        encode_passages(self.embedder, texts, workers=workers, on_batch=on_batch, out=encoded)
        embed_seconds = time.perf_counter() - t0
        for part, _ in waiting:  # reports whose texts were all known already
            finish(part)
        return {
            "reports_embedded": len(todo),
            "chunks_embedded": sum(len(p.chunks) for p in todo),
            "texts_encoded": len(texts),
            "chunks_encoded": chunks_encoded,
            "texts_reused": reused,
            "chars_encoded": chars,
            "embed_seconds": embed_seconds,
        }

    def _cleanup(self, keep: str) -> None:
        for path in self.root.iterdir():
            if path.is_dir() and (path.name.startswith("store-") or path.name.startswith(".building-")):
                if path.name != keep:
                    # A build still running in another process has a fresh .building folder: leave it.
                    if path.name.startswith(".building-") and time.time() - path.stat().st_mtime < 3600:
                        continue
                    shutil.rmtree(path, ignore_errors=True)


def skipped_reports(index: SearchIndex) -> list[ReportTooLargeError]:
    """The reports the index left out for having too many passages, as the errors to show."""
    return [ReportTooLargeError(entry["source"], entry["reason"]) for entry in index.manifest.get("skipped", {}).values()]


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


def _write_sentences(path: Path, parts: list[ReportPart], rows: int, dim: int) -> None:
    out = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(rows, dim))
    row = 0
    for part in parts:
        vectors = part.sentence_vectors
        if vectors is not None and len(vectors):
            out[row : row + len(vectors)] = vectors
            row += len(vectors)
        part.sentence_vectors = None  # in the cache file and now in the store: not needed in memory
    assert row == rows
    out.flush()
    del out


def _stack(blocks: list[np.ndarray | None], dim: int) -> np.ndarray:
    arrays = [b for b in blocks if b is not None and len(b)]
    return np.vstack(arrays).astype(np.float32) if arrays else np.zeros((0, dim), np.float32)


def _manifest_entry(part: ReportPart, config: Config) -> dict[str, Any]:
    meta = part.doc.meta
    return {
        "key": _report_key(meta, config),
        "sha256": meta.sha256,
        "source": meta.source,
        "chunks": len(part.chunks),
        "meta": {k: v for k, v in asdict(meta).items() if k != "origin"},
    }


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
        data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise corrupt(folder, f"manifest.json går inte att läsa ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("reports"), dict):
        raise corrupt(folder, "manifest.json har inte ett index manifests form")
    return data




if TYPE_CHECKING:  # the local index is the retrieval backend (checked by mypy, no cost at run time)
    from ..retrieval.backend import RetrievalBackend

    def _is_a_backend(index: SearchIndex) -> RetrievalBackend:
        return index

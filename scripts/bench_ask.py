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


def run_child(cmd: list[str], timeout: float = 3600) -> dict[str, Any]:
    """Run ``cmd``; wall time, exit code, output and the child's peak RSS (``ru_maxrss`` via wait4)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=child_env(), cwd=ROOT)
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
    from assistant.index.embeddings import load_embedder
    from assistant.ingest.corpus import load_corpus

    bank: dict[str, Any] = {}
    pointer = source_index / "CURRENT"
    if pointer.exists():
        store = source_index / pointer.read_text(encoding="utf-8").strip()
        vectors = np.load(store / "vectors.npy")
        svectors = np.load(store / "sentences.npy")
        s = 0
        with (store / "chunks.jsonl").open(encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                rec = json.loads(line)
                bank.setdefault(normalise(rec["context"] + "\n" + rec["text"]), vectors[i])
                for a, b in rec["sentences"]:
                    bank.setdefault(normalise(rec["text"][a:b]), svectors[s])
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
    from assistant.index.embeddings import load_embedder
    from assistant.index.store import IndexStore
    from assistant.ingest.corpus import load_corpus

    root = Path(args.root)
    config = Config(root=root)
    real = load_embedder(config.model)
    real.encode_queries(["uppvärmning"])  # load the weights before timing
    embedder: TimedEmbedder
    if args.bank:
        plan = json.loads((root / "replicas.json").read_text(encoding="utf-8"))
        normalise = Normaliser(plan)
        src = Path(args.bank)
        bank_index = Path(args.bank_index) if args.bank_index else src / "index"
        bank_base = Path(args.bank_baseline) if args.bank_baseline else src / "baseline"
        bank = load_bank(src, bank_index, bank_base, normalise)
        embedder = BankEmbedder(real, bank, normalise)
    else:
        embedder = TimedEmbedder(real)
    t0 = time.perf_counter()
    corpus = load_corpus(config.corpus, config.root)
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
        IndexStore(config, embedder).build(corpus)  # type: ignore[arg-type]
        build = time.perf_counter() - t1
        chunk_calls, sentence_calls = embedder.calls[0::2], embedder.calls[1::2]  # build(): chunks, then sentences
        store = config.index / (config.index / "CURRENT").read_text(encoding="utf-8").strip()
        manifest = json.loads((store / "manifest.json").read_text(encoding="utf-8"))
        result.update(
            n_chunks=sum(n for n, _ in chunk_calls),
            n_sentences=sum(n for n, _ in sentence_calls),
            chunk_embed_s=sum(s for _, s in chunk_calls),
            sentence_embed_s=sum(s for _, s in sentence_calls),
            dense_type=manifest["dense_type"],
            store_bytes=folder_bytes(store),
            cache_bytes=folder_bytes(config.index / "cache"),
        )
    else:
        base = NaiveBaseline(corpus, embedder, cache_dir=root / "baseline")  # type: ignore[arg-type]
        build = time.perf_counter() - t1
        result.update(
            n_chunks=len(base.chunks),
            n_sentences=0,
            chunk_embed_s=sum(s for _, s in embedder.calls),
            sentence_embed_s=0.0,
            dense_type="flat-ip",
            store_bytes=folder_bytes(root / "baseline"),
            cache_bytes=0,
        )
    result["build_s"] = build
    result["embed_s"] = sum(s for _, s in embedder.calls)
    result["non_embed_s"] = t_load + build - result["embed_s"]
    if isinstance(embedder, BankEmbedder):
        result["misses"] = embedder.misses
        result["miss_s"] = embedder.miss_seconds
    return result


def worker_sample(args: argparse.Namespace) -> dict[str, Any]:
    """Real embedding cost per chunk, per sentence and per baseline chunk, on a random sample."""
    from assistant.config import Config
    from assistant.evaluation.baseline import CHUNK, OVERLAP
    from assistant.index.chunking import chunk_document
    from assistant.index.embeddings import load_embedder
    from assistant.index.sentences import split_sentences
    from assistant.ingest.corpus import load_corpus

    config = Config(root=Path(args.root))
    corpus = load_corpus(config.corpus, config.root)
    rng = random.Random(0)
    docs = rng.sample(corpus.documents, min(len(corpus.documents), 20))
    chunks = [c for d in docs for c in chunk_document(d, config.chunk_size)]
    sentences = [c.text[a:b] for c in chunks for a, b in split_sentences(c.text)]
    windows = [
        d.source_text[s : s + CHUNK]
        for d in docs
        for s in range(0, max(len(d.source_text) - OVERLAP, 1), CHUNK - OVERLAP)
    ]
    n = args.sample
    chunk_texts = [c.context + "\n" + c.text for c in rng.sample(chunks, min(n, len(chunks)))]
    sentence_texts = rng.sample(sentences, min(4 * n, len(sentences)))
    window_texts = [w for w in rng.sample(windows, min(n, len(windows))) if w.strip()]
    real = load_embedder(config.model)
    real.encode_passages(["uppvärmning av modellen"])
    out: dict[str, Any] = {}
    for name, texts in (("chunk", chunk_texts), ("sentence", sentence_texts), ("baseline_chunk", window_texts)):
        t0 = time.perf_counter()
        real.encode_passages(texts)
        out[f"{name}_s"] = (time.perf_counter() - t0) / len(texts)
        out[f"{name}_n"] = len(texts)
        out[f"{name}_chars"] = sum(map(len, texts)) / len(texts)
    return out


def worker_warm(args: argparse.Namespace) -> dict[str, Any]:
    from assistant.api import Assistant
    from assistant.config import Config
    from assistant.evaluation.baseline import NaiveBaseline

    root = Path(args.root)
    t0 = time.perf_counter()
    system = Assistant(Config(root=root), build="never")
    t_sys = time.perf_counter() - t0
    t0 = time.perf_counter()
    base = NaiveBaseline(system.corpus, system.embedder, cache_dir=root / "baseline")
    t_base = time.perf_counter() - t0
    qs = questions()
    for q in qs[:10]:  # warm-up: caches, first calls into FAISS and the model
        system.ask(q)
        base.ask(q)
    sys_ms: list[float] = []
    base_ms: list[float] = []
    abstained = 0
    for _ in range(args.passes):
        for q in qs:
            t = time.perf_counter()
            ans = system.ask(q)
            sys_ms.append((time.perf_counter() - t) * 1000)
            abstained += ans.abstained
            t = time.perf_counter()
            base.ask(q)
            base_ms.append((time.perf_counter() - t) * 1000)
    return {
        "system_ms": sys_ms,
        "baseline_ms": base_ms,
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


def projected(build: dict[str, Any], cost: dict[str, Any], target: str) -> float:
    if target == "system":
        embed = build["n_chunks"] * cost["chunk_s"] + build["n_sentences"] * cost["sentence_s"]
    else:
        embed = build["n_chunks"] * cost["baseline_chunk_s"]
    return float(build["non_embed_s"] + embed)


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
    if cost is None:  # measure the per-item embedding cost once, on the first corpus
        log(f"{factor}×: measuring embedding cost on a sample")
        cost = run_worker("sample", "--root", str(root), "--sample", str(args.sample))
    res["embed_cost"] = cost
    for target in ("system", "baseline"):
        res[f"{target}_build"]["projected_s"] = projected(res[f"{target}_build"], cost, target)
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
        cs, cb = cold["system_s"], cold["baseline_s"]
        rows.append(_row("cold start to first answer, median (s)", cs["median"], cb["median"], ".2f"))
        rows.append(_row(f"cold start p95 (s, n={cs['n']})", cs["p95"], cb["p95"], ".2f"))
        ws, wb = warm["system_ms"], warm["baseline_ms"]
        rows.append(_row("warm ask, median (ms)", ws["median"], wb["median"], ".1f"))
        rows.append(_row(f"warm ask p95 (ms, n={ws['n']})", ws["p95"], wb["p95"], ".1f"))
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
        rows.append(("  + per-report vector cache", _mb(sb["cache_bytes"]), "–", ""))
        w = max(len(r[0]) for r in rows)
        lines.append(f"   {'':{w}}  {'system':>10}  {'baseline':>10}  {'ratio':>7}")
        for r in rows:
            lines.append(f"   {r[0]:{w}}  {r[1]:>10}  {r[2]:>10}  {r[3]:>7}")
        lines.append(
            f"   embedding cost (real, sample): {cost['chunk_s'] * 1000:.0f} ms/chunk"
            f" ({cost['chunk_n']}, ~{cost['chunk_chars']:.0f} chars), {cost['sentence_s'] * 1000:.0f} ms/sentence"
            f" ({cost['sentence_n']}), {cost['baseline_chunk_s'] * 1000:.0f} ms/baseline chunk"
            f" ({cost['baseline_chunk_n']})"
        )
        lines.append(
            f"   warm process: load {warm['system_load_s']:.1f} s (system)"
            f" + {warm['baseline_load_s']:.1f} s (baseline),"
            f" peak RSS {warm['worker_rss_mb']:.0f} MB with both; system abstains on"
            f" {warm['abstained_per_pass']:.0f}/{warm['questions']} questions"
        )
        if sc["real_build"]:
            lines.append(
                f"   real build split: system chunks {sb['chunk_embed_s']:.1f} s"
                f" + sentences {sb['sentence_embed_s']:.1f} s"
                f" embedding; baseline {bb['chunk_embed_s']:.1f} s"
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
    one = report["scales"][0]
    p95 = one["warm"]["system_ms"]["p95"]
    cold = one["cold"]["system_s"]["median"]
    lines.append(f"targets at 1×: warm p95 < 50 ms: {p95:.1f} ms — {'met' if p95 < 50 else 'MISSED'};")
    lines.append(
        f"               cold start < 2 s: median {cold:.2f} s, p95 {one['cold']['system_s']['p95']:.2f} s"
        f" — {'met' if one['cold']['system_s']['p95'] < 2 else ('median met, p95 MISSED' if cold < 2 else 'MISSED')}"
    )
    lines.append("memory: ru_maxrss of each child process (os.wait4), i.e. peak resident set, not tracemalloc.")
    return "\n".join(lines)


# ----------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1× only, fewer runs, embedding projected (~3 min)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--scales", default=None, help="corpus factors, default 1,10,100 (quick: 1)")
    parser.add_argument("--cold-runs", type=int, default=None, help="cold starts per scale (default 5, quick 3)")
    parser.add_argument("--passes", type=int, default=None, help="warm passes over the questions (default 3, quick 1)")
    parser.add_argument("--sample", type=int, default=None, help="chunks in the embedding-cost sample (default 24)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary roots")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--root", help=argparse.SUPPRESS)
    parser.add_argument("--target", help=argparse.SUPPRESS)
    parser.add_argument("--bank", help=argparse.SUPPRESS)
    parser.add_argument("--bank-index", help=argparse.SUPPRESS)
    parser.add_argument("--bank-baseline", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        worker = {"build": worker_build, "sample": worker_sample, "warm": worker_warm}[args.worker]
        print(json.dumps(worker(args)))
        return 0

    args.cold_runs = args.cold_runs or (3 if args.quick else 5)
    args.passes = args.passes or (1 if args.quick else 3)
    args.sample = args.sample or (12 if args.quick else 24)
    scales = [int(x) for x in (args.scales or ("1" if args.quick else "1,10,100")).split(",")]
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

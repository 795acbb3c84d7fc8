"""A bounded load test of the web interface: latency (median, p95) and correctness of questions from
concurrent sessions on 127.0.0.1, with and without a report being uploaded and indexed meanwhile.

The server runs as ``python -m assistant serve`` (its own process, as in production) over a
temporary copy of corpus/ and index/; each session is a client of its own, talking to the page's
events over HTTP (tests/gradio_http.py). The baseline is the same questions asked one after the
other by a single session, in the same run. Every question starts a new conversation ("Rensa
samtalet"), so that none is read as a follow-up of the one before; an answer is correct when it is
the one the question gets alone, from the index before the upload or after it.

    python scripts/bench_load.py                     # 8 sessions × 6 questions, 3 passes
    python scripts/bench_load.py --sessions 16 --passes 1
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "tests"))

from gradio_http import GradioSession, free_port  # noqa: E402
from hostile import long_report  # noqa: E402

QUESTIONS = [
    "Vad var sjukfrånvaron för Assistansenheten 2018?",
    "Vad var sjukfrånvaron för Beställarenheten funktionsnedsättning 2014?",
    "Hur många synpunkter och klagomål fick Enheten för personligt stöd 2020?",
    "Vad visade brukarundersökningen för Assistansenheten 2018?",
    "Hur blev det ekonomiska resultatet för Assistansenheten 2012?",
    "Vilka utvecklingsområden har Enheten för personligt stöd för 2025?",
    "Hur har sjukfrånvaron utvecklats?",
    "Hur arbetade Beställarenheten funktionsnedsättning med internkontroll 2014?",
]
REVIEW = {
    "ra-new-title": "Verksamhetsberättelse 2023 för Provenheten",
    "ra-new-year": "2023",
    "ra-new-unit": "Provenheten",
    "ra-new-district": "Älvsjö",
    "ra-new-type": "verksamhetsberättelse",
}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def start_server(root: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAPPORT_")}
    env.update(RAPPORT_ROOT=str(root), GRADIO_TEMP_DIR=str(root / "gradio-tmp"), GRADIO_ANALYTICS_ENABLED="False")
    log = (root / "server.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant", "serve", "--port", str(port)],
        cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit(f"Servern startade inte; se {root / 'server.log'}")


def ask(url: str, question: str) -> tuple[str, float]:
    session = GradioSession(url)
    try:
        session.event("ra-ask")  # the page's config, fetched before the clock starts
        started = time.perf_counter()
        result = session.call("ra-ask", {"ra-question": question})
        elapsed = time.perf_counter() - started
        if not result.success:
            raise RuntimeError(result.error)
        return str(result.output[2]), elapsed
    finally:
        session.close()


def sessions_at_once(
    url: str, sessions: int, per_session: int, until: Future[Any] | None = None
) -> list[tuple[str, str, float]]:
    """Each session asks ``per_session`` questions, and goes on asking while ``until`` is not done."""
    out: list[tuple[str, str, float]] = []
    lock = threading.Lock()

    def one(offset: int) -> None:
        session = GradioSession(url)
        session.event("ra-ask")  # the page's config, fetched before the clock starts
        try:
            i = 0
            while i < per_session or (until is not None and not until.done()):
                question = QUESTIONS[(offset + i) % len(QUESTIONS)]
                i += 1
                # A new conversation for every question, as the baseline asks it: a follow-up would
                # rightly take the unit or year of the question before.
                session.call("ra-clear")
                started = time.perf_counter()
                result = session.call("ra-ask", {"ra-question": question})
                elapsed = time.perf_counter() - started
                with lock:
                    out.append((question, str(result.output[2]) if result.success else "", elapsed))
        finally:
            session.close()

    with ThreadPoolExecutor(max_workers=sessions) as pool:
        list(pool.map(one, range(sessions)))
    return out


def upload(url: str, path: Path) -> tuple[str, float]:
    session = GradioSession(url)
    started = time.perf_counter()
    try:
        first = session.call("ra-upload-btn", {"ra-upload": session.upload(path)})
        done = session.call("ra-upload-confirm", REVIEW) if "Kontrollera" in str(first.output[0]) else first
        return str(done.output[0]), time.perf_counter() - started
    finally:
        session.close()


def line(name: str, latencies: list[float], baseline: float | None, correct: int, total: int) -> str:
    p50, p95, top = (1000 * x for x in (statistics.median(latencies), percentile(latencies, 0.95), max(latencies)))
    ratio = f"{p50 / 1000 / baseline:.2f}×" if baseline else "1"
    return f"| {name} | {total} | {correct}/{total} | {p50:.0f} | {p95:.0f} | {top:.0f} | {ratio} |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--per-session", type=int, default=6, help="frågor per session")
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument(
        "--upload-sections", type=int, default=40, help="avsnitt i den uppladdade rapporten (fler: längre indexering)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        rows: dict[str, list[float]] = {
            "en session i följd": [],
            "samtidiga sessioner": [],
            "samtidiga + uppladdning": [],
        }
        correct = dict.fromkeys(rows, 0)
        total = dict.fromkeys(rows, 0)
        uploads: list[float] = []
        for n in range(args.passes):
            root = Path(tmp) / f"pass-{n}"
            (root / "corpus").mkdir(parents=True)
            for f in (PROJECT / "corpus").iterdir():
                if f.is_file():
                    shutil.copy2(f, root / "corpus" / f.name)
            shutil.copytree(PROJECT / "index", root / "index", ignore=shutil.ignore_patterns("removed", ".building-*"))
            proc, url = start_server(root)
            try:
                ask(url, QUESTIONS[0])  # warm up
                before = {}
                for question in QUESTIONS:
                    before[question], elapsed = ask(url, question)
                    rows["en session i följd"].append(elapsed)
                    correct["en session i följd"] += 1
                    total["en session i följd"] += 1
                for question, text, elapsed in sessions_at_once(url, args.sessions, args.per_session):
                    rows["samtidiga sessioner"].append(elapsed)
                    correct["samtidiga sessioner"] += text == before[question]
                    total["samtidiga sessioner"] += 1
                report = root / "Provenheten 2023.txt"
                report.write_text(long_report(args.upload_sections), encoding="utf-8")
                with ThreadPoolExecutor(max_workers=1) as pool:
                    pending = pool.submit(upload, url, report)
                    answers = sessions_at_once(url, args.sessions, args.per_session, until=pending)
                    status, seconds = pending.result()
                uploads.append(seconds)
                if "går att söka i nu" not in status:
                    print(f"Uppladdningen misslyckades: {status}", file=sys.stderr)
                after = {q: ask(url, q)[0] for q in QUESTIONS}
                for question, text, elapsed in answers:
                    rows["samtidiga + uppladdning"].append(elapsed)
                    correct["samtidiga + uppladdning"] += text in (before[question], after[question])
                    total["samtidiga + uppladdning"] += 1
            finally:
                proc.terminate()
                proc.wait(timeout=30)
        base = statistics.median(rows["en session i följd"])
        print(f"Belastningstest, {args.passes} omgångar, {args.sessions} sessioner × {args.per_session} frågor, "
              f"{os.cpu_count()} kärnor; latens per fråga i ms (klientens tid, HTTP inräknat)")  # fmt: skip
        print("| läge | frågor | rätt svar | median | p95 | max | median mot en session |")
        print("|---|---|---|---|---|---|---|")
        for name, values in rows.items():
            print(line(name, values, None if name == "en session i följd" else base, correct[name], total[name]))
        print(f"Uppladdning och indexering av en rapport under tiden: median {statistics.median(uploads):.1f} s")
        return 0 if all(correct[k] == total[k] for k in rows) else 1


if __name__ == "__main__":
    sys.exit(main())

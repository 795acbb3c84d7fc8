"""Benchmark: the chat's two modes, warm, in one process — extractive vs generated through a language model.

    .venv/bin/python scripts/bench_chat.py                 # every conversation of eval/followups.jsonl, 3 passes
    .venv/bin/python scripts/bench_chat.py --passes 1 --json
    .venv/bin/python scripts/bench_chat.py --model-url http://127.0.0.1:8080/v1 --model-name NAME   # a real model

Measured per turn of the development conversations (each turn asked with the conversation so far), with
median and p95 in ms and the ratio to the extractive answer to a single question measured in the same run:

* ``single``: the extractive answer to the opening questions alone (the baseline);
* ``extractive``: every turn with its history, no model (what follow-ups cost offline);
* ``generated``: every turn through a language model — by default the local fake server of the tests
  (``tests/fake_chat_server.py``, no delay), which measures what the rewrite, the prompt, the streaming
  client and the check cost; with ``--model-url`` a real OpenAI-compatible server;
* ``first_text``: streamed, the time until the first checked sentence is shown;
* ``model_down``: a model configured at a port where nothing listens (the first question finds out,
  the rest are answered while it rests).

Nothing is asserted; the figures are for people (README, "Språkmodell").
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def _stats(values: list[float], base: float | None = None) -> dict[str, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    out = {"n": len(values), "median_ms": statistics.median(values), "p95_ms": p95}
    if base:
        out["ratio_to_single"] = statistics.median(values) / base
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--set", default=str(ROOT / "eval" / "followups.jsonl"))
    parser.add_argument("--model-url", default=None, help="a real OpenAI-compatible server instead of the fake")
    parser.add_argument("--model-name", default="testmodell")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--limit", type=int, default=None, help="only the first N conversations (a slow real model)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from fake_chat_server import running_servers

    from assistant.api import Assistant
    from assistant.config import Config
    from assistant.evaluation.conversations import load_conversations

    cases = load_conversations(Path(args.set))[: args.limit]
    offline = Assistant(Config.from_sources({"llm_base_url": "", "llm_model": ""}), build="never")
    embedder = offline.embedder

    def configured(url: str) -> Assistant:
        cfg = Config.from_sources({"llm_base_url": url, "llm_model": args.model_name, "llm_timeout": args.timeout})
        return Assistant(cfg, build="never", embedder=embedder)

    def conversation(a: Assistant, turns: list[Any], generate: bool) -> list[float]:
        times, history = [], []
        for fact in turns:
            t0 = time.perf_counter()
            answer = a.ask(fact.question, history=history, generate=generate)
            times.append((time.perf_counter() - t0) * 1000)
            history.append(answer)
        return times

    results: dict[str, Any] = {"conversations": len(cases), "turns": sum(len(c.turns) for c in cases)}
    single: list[float] = []
    extractive: list[float] = []
    generated: list[float] = []
    first_text: list[float] = []
    modes: dict[str, int] = {}
    down_times: list[float] = []
    with running_servers(("behave",), delay=0.0) as urls:
        model = configured(args.model_url or urls["behave"])
        down = configured("http://127.0.0.1:9/v1")  # configured, but nothing listens there
        t0 = time.perf_counter()
        down.ask(cases[0].turns[0].question, generate=True)  # the question that finds out
        first_down = (time.perf_counter() - t0) * 1000
        for case in cases[:4]:  # warm-up, not recorded
            conversation(offline, list(case.turns), False)
            conversation(model, list(case.turns), True)
        for _ in range(args.passes):
            for case in cases:  # interleaved, so that both modes see the same machine
                t0 = time.perf_counter()
                offline.ask(case.turns[0].question)  # the baseline: the opening question alone
                single.append((time.perf_counter() - t0) * 1000)
                extractive += conversation(offline, list(case.turns), False)
                generated += conversation(model, list(case.turns), True)
                down_times += conversation(down, list(case.turns), True)
        for case in cases[:8]:
            started = time.perf_counter()
            seen: list[float] = []

            def shown(_text: str, seen: list[float] = seen) -> None:
                seen.append(time.perf_counter())

            answer = model.ask(case.turns[0].question, on_text=shown)
            modes[answer.mode] = modes.get(answer.mode, 0) + 1
            if seen:
                first_text.append((seen[0] - started) * 1000)
    base = statistics.median(single)
    results["single"] = _stats(single)
    results["extractive"] = _stats(extractive, base)
    results["generated"] = _stats(generated, base)
    results["first_text"] = _stats(first_text, base) if first_text else {}
    results["generated_modes_streamed"] = modes
    results["model"] = args.model_url or "tests/fake_chat_server.py (behave, no delay)"

    results["model_down"] = {"first_question_ms": first_down, **_stats(down_times, base)}

    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return 0
    print(
        f"{results['conversations']} samtal, {results['turns']} frågor per varv, {args.passes} varv; "
        f"modell: {results['model']}"
    )
    for key in ("single", "extractive", "generated", "first_text", "model_down"):
        r = results[key]
        if not r:
            continue
        ratio = f"  ×{r['ratio_to_single']:.2f}" if "ratio_to_single" in r else ""
        extra = f"  (första frågan {r['first_question_ms']:.0f} ms)" if "first_question_ms" in r else ""
        print(f"{key:<11} median {r['median_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms  n={r['n']}{ratio}{extra}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

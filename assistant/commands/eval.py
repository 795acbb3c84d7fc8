"""``eval``: run the known-facts set through ``ask`` and the naive baseline, side by side."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ..config import Config
from ..errors import AssistantError
from . import add_model_option, print_json, table

METRICS = [
    ("hit@1", "hit@1"),
    ("hit@5", "hit@5"),
    ("hit@10", "hit@10"),
    ("mrr@10", "MRR@10"),
    ("answer_accuracy", "svarsträffsäkerhet"),
    ("point_coverage", "sammanfattning: täckta punkter"),
    ("routing_accuracy", "rätt rapport först"),
    ("abstain_precision", "avstå: precision"),
    ("abstain_recall", "avstå: recall"),
    ("abstain_false_abstention", "felaktigt avstått"),
    ("latency_ms_median", "latens median (ms)"),
    ("latency_ms_p95", "latens p95 (ms)"),
]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--set", dest="fact_set", default=None, help="faktafil (standard: eval/facts.jsonl)")
    parser.add_argument("--json", action="store_true", help="skriv ut resultatet som JSON")
    parser.add_argument("--no-baseline", action="store_true", help="hoppa över den naiva jämförelsen")
    parser.add_argument(
        "--gate",
        nargs="?",
        const="eval/floors.json",
        default=None,
        metavar="GOLV.json",
        help="avsluta med fel om ett mått faller under golvet i filen (standard eval/floors.json)",
    )
    parser.add_argument("--failures", type=int, default=40, help="hur många misslyckanden som listas (standard 40)")
    add_model_option(parser)


def run(args: argparse.Namespace, config: Config) -> int:
    from ..api import Assistant
    from ..evaluation.baseline import NaiveBaseline
    from ..evaluation.facts import load_facts
    from ..evaluation.runner import run_system, summarise

    path = Path(args.fact_set) if args.fact_set else config.root / "eval" / "facts.jsonl"
    if not path.exists():
        raise AssistantError(f"Faktafilen {path} finns inte. Ange en med --set.")
    try:
        facts = load_facts(path)
    except ValueError as exc:
        raise AssistantError(str(exc)) from exc
    if not facts:
        raise AssistantError(f"Faktafilen {path} är tom.")

    assistant = Assistant(config)
    system = summarise(run_system(facts, assistant.ask))
    result: dict[str, Any] = {"set": str(path), "questions": len(facts), "system": system}
    if not args.no_baseline:
        baseline = NaiveBaseline(assistant.corpus, assistant.embedder, cache_dir=config.index / "cache")
        result["baseline"] = summarise(run_system(facts, baseline.ask))

    status = 0
    if args.gate:
        result["gate"] = gate(
            system["overall"], Path(args.gate) if Path(args.gate).is_absolute() else config.root / args.gate
        )
        status = 0 if result["gate"]["passed"] else 1

    if args.json:
        print_json(result)
    else:
        print(render(result, args.failures))
    return status


def gate(overall: dict[str, float], floors_path: Path) -> dict[str, Any]:
    """Compare metrics with stored floors; latency floors are ceilings (…_max)."""
    if not floors_path.exists():
        raise AssistantError(f"Golvfilen {floors_path} finns inte.")
    floors = json.loads(floors_path.read_text(encoding="utf-8"))
    failed = []
    for key, floor in floors.get("min", {}).items():
        if overall.get(key, 0.0) < floor:
            failed.append(f"{key} = {overall.get(key, 0.0):.3f} < golvet {floor}")
    for key, ceiling in floors.get("max", {}).items():
        if overall.get(key, 0.0) > ceiling:
            failed.append(f"{key} = {overall.get(key, 0.0):.3f} > taket {ceiling}")
    return {"passed": not failed, "failed": failed, "floors": floors}


def render(result: dict[str, Any], max_failures: int) -> str:
    sys_overall = result["system"]["overall"]
    base = result.get("baseline", {}).get("overall")
    rows = []
    for key, label in METRICS:
        if key not in sys_overall:
            continue  # e.g. point coverage: only for sets with summary questions
        value = sys_overall.get(key, 0.0)
        row = [label, _fmt(key, value)]
        if base is not None:
            row.append(_fmt(key, base.get(key, 0.0)))
        rows.append(row)
    headers = ["mått", "systemet"] + (["naiv baslinje"] if base is not None else [])
    out = [f"Utvärdering: {result['questions']} frågor ur {result['set']}", "", table(rows, headers)]
    if base is not None:
        out.append("(baslinje: fasta 800-teckensavsnitt, bara vektorsökning, inga filter; svaret = hela toppavsnittet)")
    out += ["", "Per frågetyp (systemet):"]
    kind_rows = []
    for kind, m in result["system"]["per_kind"].items():
        kind_rows.append(
            [
                kind,
                str(m["n"]),
                _fmt("hit@5", m["hit@5"]),
                _fmt("mrr@10", m["mrr@10"]),
                _fmt("answer_accuracy", m["answer_accuracy"]),
                _fmt("x", m["abstain_recall"]),
                _fmt("x", m["abstain_false_abstention"]),
            ]
        )
    out.append(table(kind_rows, ["typ", "n", "hit@5", "MRR@10", "svar", "avstå recall", "felaktigt avstått"]))
    failures = result["system"]["failures"]
    out += ["", f"Misslyckanden ({len(failures)} st, visar högst {max_failures}):"]
    for f in failures[:max_failures]:
        got = " ".join(str(f["got"]).split())
        out.append(f"- {f['id']} [{f['kind']}] {f['question']}")
        out.append(f"    väntat: {'; '.join(f['expected'])}")
        out.append(f"    fick:   {'(avstod) ' if f['abstained'] else ''}{got[:220]}")
        out.append(f"    hit@5: {'ja' if f['hit@5'] else 'nej'}, första källa: {f['top_report']}")
    if "gate" in result:
        g = result["gate"]
        out.append("")
        out.append("Kvalitetsgrind: GODKÄND" if g["passed"] else "Kvalitetsgrind: UNDERKÄND")
        out += [f"  {line}" for line in g["failed"]]
    return "\n".join(out)


def _fmt(key: str, value: float) -> str:
    return f"{value:.1f}" if key.startswith("latency") else f"{value:.3f}"

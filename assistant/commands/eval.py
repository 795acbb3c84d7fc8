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
    parser.add_argument(
        "--llm",
        action="store_true",
        help="svara genom den inställda språkmodellen (RAPPORT_LLM_BASE_URL …), med kontrollen mot källorna",
    )
    add_model_option(parser)


def run(args: argparse.Namespace, config: Config) -> int:
    from ..api import Assistant
    from ..evaluation.baseline import NaiveBaseline
    from ..evaluation.conversations import is_conversation_set
    from ..evaluation.facts import load_facts
    from ..evaluation.runner import run_system, summarise

    path = Path(args.fact_set) if args.fact_set else config.root / "eval" / "facts.jsonl"
    if not path.exists():
        raise AssistantError(f"Faktafilen {path} finns inte. Ange en med --set.")
    if is_conversation_set(path):
        return run_conversation_set(args, config, path)
    try:
        facts = load_facts(path)
    except ValueError as exc:
        raise AssistantError(str(exc)) from exc
    if not facts:
        raise AssistantError(f"Faktafilen {path} är tom.")

    assistant = Assistant(config)
    generate = _generate_option(assistant, args.llm)
    system = summarise(run_system(facts, lambda q: assistant.ask(q, generate=generate)))
    result: dict[str, Any] = {"set": str(path), "questions": len(facts), "system": system}
    if args.llm:
        result["llm"] = True
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


def _generate_option(assistant: Any, llm: bool) -> bool:
    """``--llm``: answer through the model (which must be configured); otherwise always extractive, so that
    the figures do not depend on whether a model happens to be configured."""
    if llm and not assistant.llm_configured:
        raise AssistantError(
            "eval --llm behöver en språkmodell: sätt RAPPORT_LLM_BASE_URL och RAPPORT_LLM_MODEL "
            "(och vid behov RAPPORT_LLM_API_KEY)."
        )
    return llm


def run_conversation_set(args: argparse.Namespace, config: Config, path: Path) -> int:
    """A conversation set: every turn with the conversation so far, beside every turn asked on its own."""
    from ..api import Assistant
    from ..evaluation.conversations import load_conversations, run_conversations, summarise_conversations

    if args.gate:
        raise AssistantError("--gate gäller faktaset (golven i eval/floors.json), inte samtalsset.")
    try:
        cases = load_conversations(path)
    except ValueError as exc:
        raise AssistantError(str(exc)) from exc
    if not cases:
        raise AssistantError(f"Samtalsfilen {path} är tom.")
    assistant = Assistant(config)
    generate = _generate_option(assistant, args.llm)

    def ask(question: str, history: list[Any] | None) -> tuple[Any, tuple[str, ...], str]:
        answer = assistant.ask(question, history=history, generate=generate)
        return answer, tuple(c.field for c in answer.carried), answer.mode

    result: dict[str, Any] = {"set": str(path), "conversations": len(cases), "llm": args.llm}
    result["system"] = summarise_conversations(run_conversations(cases, ask))
    if not args.no_baseline:
        result["alone"] = summarise_conversations(run_conversations(cases, ask, alone=True))
    if args.json:
        print_json(result)
    else:
        print(render_conversations(result, args.failures))
    return 0


def render_conversations(result: dict[str, Any], max_failures: int) -> str:
    system, alone = result["system"], result.get("alone")
    rows = []
    for key, label in (("followup_correct", "följdfrågan rätt"), ("first_turn_correct", "första frågan rätt")):
        row = [label, _fmt(key, system[key])]
        if alone is not None:
            row.append(_fmt(key, alone[key]))
        rows.append(row)
    row = ["latens följdfråga, median (ms)", _fmt("latency", system["followup_latency_ms_median"])]
    if alone is not None:
        row.append(_fmt("latency", alone["followup_latency_ms_median"]))
    rows.append(row)
    headers = ["mått", "med samtalet"] + (["varje fråga för sig"] if alone is not None else [])
    out = [
        f"Samtal: {result['conversations']} ur {result['set']} ({system['followup_turns']} följdfrågor)"
        + (" – genom språkmodellen" if result.get("llm") else ""),
        "",
        table(rows, headers),
    ]
    if result.get("llm"):
        out.append("Svar per läge: " + ", ".join(f"{k} {v}" for k, v in system["modes"].items()))
    out += ["", "Per typ av följdfråga:"]
    kind_rows = []
    for kind, m in system["per_kind"].items():
        row = [kind, str(m["n"]), _fmt("x", m["followup_correct"])]
        if alone is not None:
            row.append(_fmt("x", alone["per_kind"][kind]["followup_correct"]))
        kind_rows.append(row)
    out.append(table(kind_rows, ["typ", "n", "med samtalet"] + (["för sig"] if alone is not None else [])))
    failures = system["failures"]
    out += ["", f"Misslyckade följdfrågor ({len(failures)} st, visar högst {max_failures}):"]
    for f in failures[:max_failures]:
        got = " ".join(str(f["got"]).split())
        out.append(f"- {f['id']} [{f['kind']}] {' → '.join([*f['previous'], f['question']])}")
        out.append(f"    väntat: {'; '.join(f['expected'])}")
        out.append(f"    fick:   {'(avstod) ' if f['abstained'] else ''}{got[:220]}")
        out.append(f"    från samtalet: {', '.join(f['carried']) or '–'}")
    return "\n".join(out)


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

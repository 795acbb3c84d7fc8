"""Choose fusion weights and abstention thresholds on the evaluation set.

    python scripts/tune.py [--set eval/facts.jsonl] [--grid]

Prints, for the current settings, the metrics and the evidence features of
every question (answerable vs. not), then — with --grid — the fusion-weight
grid (hit@1/hit@5/MRR) and the abstention-threshold grid (recall and false
abstention), so the defaults in assistant/retrieval.py and assistant/answer.py
can be set from measured values. Nothing here changes the defaults by itself.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import assistant.answer as answer_module  # noqa: E402
from assistant.answer import ABSTAIN, Abstention, should_abstain  # noqa: E402
from assistant.api import Assistant  # noqa: E402
from assistant.config import Config  # noqa: E402
from assistant.evaluation import load_facts, run_system, summarise  # noqa: E402
from assistant.retrieval import FusionWeights  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", default=str(ROOT / "eval" / "facts.jsonl"))
    parser.add_argument("--grid", action="store_true")
    parser.add_argument("--features", action="store_true", help="print every question's evidence")
    parser.add_argument("--no-abstain", action="store_true", help="measure answers with abstention switched off")
    args = parser.parse_args()
    facts = load_facts(Path(args.set))
    assistant = Assistant(Config.from_sources({"root": str(ROOT)}))
    if args.no_abstain:
        answer_module.ABSTAIN = Abstention(sentence_sim=0, coverage=0, unknown_sim=0, number_sim=0, answer_type=False)

    outcomes = run_system(facts, assistant.ask)
    summary = summarise(outcomes)
    print({k: round(v, 3) for k, v in summary["overall"].items()})
    answers = [assistant.ask(f.question) for f in facts]
    evidence = [(f, a.evidence) for f, a in zip(facts, answers, strict=True)]
    if args.features:
        for f, ev in evidence:
            if ev is None:
                continue
            tag = "ANS" if f.answerable else "NOT"
            print(
                f"{tag} {f.id} {f.kind:10s} sent={ev.sentence_sim:.3f} cov={ev.coverage:.2f} dense={ev.dense:.3f} "
                f"num={ev.number_sim:.3f} want#={int(ev.wants_number)} unknown={','.join(ev.unknown)}"
            )
    if not args.grid:
        return 0

    print("\nAbstention grid (recall on not-in-corpus, false abstention on answerable):")
    rows = []
    for s_sim, cov, unk, num in itertools.product(
        [0.0, 0.8, 0.82, 0.84, 0.86], [0.0, 0.2, 0.3, 0.4, 0.5], [0.0, 0.86, 0.88, 0.9, 1.0], [0.0, 0.8, 0.82, 0.84]
    ):
        a = Abstention(sentence_sim=s_sim, coverage=cov, unknown_sim=unk, number_sim=num)
        refused = {f.id for f, ans in zip(facts, answers, strict=True) if ans.abstained and ans.evidence is None}
        tp = fp = 0
        for f, ev in evidence:
            abstain = f.id in refused or (ev is not None and should_abstain(ev, a))
            if abstain and not f.answerable:
                tp += 1
            if abstain and f.answerable:
                fp += 1
        n_not = sum(not f.answerable for f in facts)
        n_ans = sum(f.answerable for f in facts)
        rows.append((tp / n_not, fp / n_ans, a))
    rows.sort(key=lambda r: (-(r[0] >= 0.9 and r[1] <= 0.05), -(r[0] - 2 * r[1])))
    for recall, false_rate, a in rows[:15]:
        print(f"  recall={recall:.3f} false={false_rate:.3f} {a}")
    print(f"  current: {ABSTAIN}")

    print("\nFusion grid (answerable questions):")
    answerable = [f for f in facts if f.answerable]
    results = []
    for dense, lexical, k, raw in itertools.product([0.6, 1.0, 1.4], [0.6, 1.0, 1.4], [10, 30, 60], [0.0, 0.02, 0.1]):
        assistant.retriever.weights = FusionWeights(dense=dense, lexical=lexical, k=k, raw_dense=raw)
        m = summarise(run_system(answerable, assistant.ask))["overall"]
        results.append(
            (
                m["hit@1"],
                m["hit@5"],
                m["mrr@10"],
                m["answer_accuracy"],
                dataclasses.astuple(assistant.retriever.weights),
            )
        )
    results.sort(key=lambda r: (-r[2], -r[1]))
    for hit1, hit5, mrr, acc, w in results[:12]:
        print(f"  hit@1={hit1:.3f} hit@5={hit5:.3f} mrr={mrr:.3f} answer={acc:.3f} (dense, lexical, k, raw)={w}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

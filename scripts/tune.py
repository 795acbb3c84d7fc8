"""Choose fusion weights, sentence weights and abstention thresholds on evaluation sets.

    python scripts/tune.py [--set eval/facts.jsonl ...] [--grid] [--sentence-grid] [--features]

``--set`` may be given several times: the grids then report every set and their mean, which is how
the defaults were chosen in the second round (eval/facts.jsonl with the studied held-out sets
holdout, holdout2 and holdout3 – never the untouched one, see eval/README.md):

    python scripts/tune.py --set eval/facts.jsonl --set eval/holdout.jsonl \\
        --set eval/holdout2.jsonl --set eval/holdout3.jsonl --grid --sentence-grid

Prints, for the current settings, the metrics of each set and (``--features``) the evidence of
every question; ``--grid`` adds the abstention-threshold grid (recall and false abstention over all
sets together) and the fusion-weight grid (hit@1/hit@5/MRR/answer per set); ``--sentence-grid`` the
sentence-weight grid (answer accuracy per set, abstention off). Candidates are passed to
``Assistant.ask(..., tuning=…)``; nothing here changes assistant/data/tuning.toml by itself.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import statistics
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.answer.abstention import should_abstain  # noqa: E402
from assistant.api import Assistant  # noqa: E402
from assistant.config import Config  # noqa: E402
from assistant.evaluation.facts import KnownFact, load_facts  # noqa: E402
from assistant.evaluation.runner import run_system, summarise  # noqa: E402
from assistant.tuning import FusionWeights, Tuning  # noqa: E402

NO_ABSTENTION = {
    "abstention": {"sentence_sim": 0, "coverage": 0, "unknown_sim": 0, "number_sim": 0, "answer_type": False}
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", action="append", dest="sets", help="faktafil (flera går bra)")
    parser.add_argument("--grid", action="store_true", help="abstention and fusion grids")
    parser.add_argument("--sentence-grid", action="store_true", help="sentence-weight grid")
    parser.add_argument("--features", action="store_true", help="print every question's evidence")
    parser.add_argument("--no-abstain", action="store_true", help="measure answers with abstention switched off")
    args = parser.parse_args()
    paths = [Path(p) for p in (args.sets or [str(ROOT / "eval" / "facts.jsonl")])]
    sets = {p.stem: load_facts(p) for p in paths}
    assistant = Assistant(Config.from_sources({"root": str(ROOT)}))
    base = assistant.tuning.merged(NO_ABSTENTION) if args.no_abstain else assistant.tuning

    for name, facts in sets.items():
        overall = summarise(run_system(facts, _ask(assistant, base)))["overall"]
        print(name, {k: round(v, 3) for k, v in overall.items()})
    if args.features:
        _print_features(assistant, sets)
    if args.grid:
        _abstention_grid(assistant, sets)
        _fusion_grid(assistant, sets, base)
    if args.sentence_grid:
        _sentence_grid(assistant, sets)
    return 0


def _ask(assistant: Assistant, tuning: Tuning) -> Callable[[str], Any]:
    return lambda question: assistant.ask(question, tuning=tuning)


def _print_features(assistant: Assistant, sets: dict[str, list[KnownFact]]) -> None:
    for name, facts in sets.items():
        for f in facts:
            ev = assistant.ask(f.question).evidence
            if ev is None:
                continue
            tag = "ANS" if f.answerable else "NOT"
            print(
                f"{name} {tag} {f.id} {f.kind:10s} sent={ev.sentence_sim:.3f} cov={ev.coverage:.2f} "
                f"dense={ev.dense:.3f} num={ev.number_sim:.3f} want#={int(ev.wants_number)} "
                f"missing={ev.missing or '-'} unknown={','.join(ev.unknown)}"
            )


def _abstention_grid(assistant: Assistant, sets: dict[str, list[KnownFact]]) -> None:
    print("\nAbstention grid (all sets together: recall on not-in-corpus, false abstention on answerable):")
    rows = []
    for name, facts in sets.items():
        for f in facts:
            ans = assistant.ask(f.question)
            # A refusal (year, unit or district missing) comes before the thresholds.
            rows.append((name, f, ans.evidence, ans.abstained and ans.evidence is None))
    n_not = sum(not f.answerable for _, f, _, _ in rows) or 1
    n_ans = sum(f.answerable for _, f, _, _ in rows) or 1
    results = []
    current = assistant.tuning.abstention
    for unk, length, short, kind in itertools.product(
        [0.0, 0.84, 0.85, 0.86, 0.87, 0.88], [7, 8, 9, 10, 11, 12], [0.0, 0.8, 0.81, 0.82, 0.83, 0.84], [True, False]
    ):
        a = dataclasses.replace(current, unknown_sim=unk, unknown_len=length, unknown_short_sim=short, answer_type=kind)
        tp = fp = 0
        for _, f, ev, refused in rows:
            abstain = refused or (ev is not None and should_abstain(ev, a))
            tp += abstain and not f.answerable
            fp += abstain and f.answerable
        results.append((tp / n_not, fp / n_ans, a))
    results.sort(key=lambda r: -(r[0] - 2 * r[1]))
    for recall, false_rate, a in results[:15]:
        print(
            f"  recall={recall:.3f} false={false_rate:.3f} unknown_sim={a.unknown_sim} unknown_len={a.unknown_len} "
            f"unknown_short_sim={a.unknown_short_sim} answer_type={a.answer_type}"
        )
    print(f"  current: {current}")


def _answer_table(
    assistant: Assistant, sets: dict[str, list[KnownFact]], tuning: Tuning
) -> dict[str, dict[str, float]]:
    out = {}
    for name, facts in sets.items():
        m = summarise(run_system([f for f in facts if f.answerable], _ask(assistant, tuning)))["overall"]
        out[name] = {k: m[k] for k in ("hit@1", "hit@5", "mrr@10", "answer_accuracy")}
    return out


def _fusion_grid(assistant: Assistant, sets: dict[str, list[KnownFact]], base: Tuning) -> None:
    print("\nFusion grid (answerable questions; mean over the sets):")
    results = []
    for dense, lexical, sentence in itertools.product([0.7, 1.0, 1.3], [0.7, 1.0, 1.3], [0.25, 0.5, 1.0]):
        candidate = base.merged({"fusion": {"dense": dense, "lexical": lexical, "sentence": sentence}})
        table = _answer_table(assistant, sets, candidate)
        mrr = statistics.mean(t["mrr@10"] for t in table.values())
        acc = statistics.mean(t["answer_accuracy"] for t in table.values())
        results.append((acc, mrr, candidate.fusion, table))
    results.sort(key=lambda r: (-r[0], -r[1]))
    for acc, mrr, w, table in results[:10]:
        per_set = " ".join(f"{n}={t['mrr@10']:.3f}/{t['answer_accuracy']:.3f}" for n, t in table.items())
        print(f"  answer={acc:.3f} mrr={mrr:.3f} {_weights(w)}  (mrr/answer: {per_set})")
    print(f"  current: {_weights(base.fusion)}")


def _sentence_grid(assistant: Assistant, sets: dict[str, list[KnownFact]]) -> None:
    print("\nSentence-weight grid (answerable questions, abstention off; mean answer accuracy over the sets):")
    base = assistant.tuning.merged(NO_ABSTENTION)
    results = []
    for sim, coverage, decay, margin in itertools.product(
        [1.5, 2.0, 3.0], [0.3, 0.5, 0.8], [0.0, 0.05, 0.1], [0.15, 0.2, 0.3]
    ):
        candidate = base.merged(
            {"sentences": {"sim": sim, "coverage": coverage, "rank_decay": decay, "margin": margin}}
        )
        table = _answer_table(assistant, sets, candidate)
        acc = statistics.mean(t["answer_accuracy"] for t in table.values())
        results.append((acc, candidate.sentences, table))
    results.sort(key=lambda r: -r[0])
    for acc, w, table in results[:10]:
        per_set = " ".join(f"{n}={t['answer_accuracy']:.3f}" for n, t in table.items())
        weights = f"sim={w.sim} coverage={w.coverage} rank_decay={w.rank_decay} margin={w.margin}"
        print(f"  answer={acc:.3f} {weights}  ({per_set})")
    print(f"  current: {assistant.tuning.sentences}")


def _weights(w: FusionWeights) -> str:
    return f"dense={w.dense} lexical={w.lexical} sentence={w.sentence} k={w.k} raw_dense={w.raw_dense}"


if __name__ == "__main__":
    sys.exit(main())

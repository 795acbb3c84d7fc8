#!/usr/bin/env python
"""Fit one calibrated abstention decision (logistic regression over the evidence features) on the
studied sets, and compare it with the shipped threshold rules — leave one set out, so every figure
is measured on a set the fit did not see.

    python scripts/fit_abstention.py --set eval/facts.jsonl --set eval/holdout.jsonl … [--fa 0.04]

Never give it an untouched set (eval/README.md). It prints, per left-out set and in total, the
recall on unanswerable questions and the false-abstention rate of (a) the shipped rules and (b) the
fitted decision, with its weights. Nothing is changed by it: if the fit is better, its threshold
and weights are a candidate for assistant/data/tuning.toml.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.answer.abstention import should_abstain  # noqa: E402
from assistant.answer.model import Evidence  # noqa: E402
from assistant.api import Assistant  # noqa: E402
from assistant.config import Config  # noqa: E402
from assistant.evaluation.facts import load_facts  # noqa: E402

FEATURES = (
    "sentence_sim",
    "dense",
    "coverage",
    "sentence_coverage",
    "best_score",
    "margin",
    "lexical",
    "unknown_share",
    "specific_unknown",
    "any_unknown",
    "kind_missing",
)
OFF = {"abstention": {"sentence_sim": 0, "coverage": 0, "unknown_sim": 0, "number_sim": 0, "answer_type": False}}


def features(ev: Evidence, unknown_len: int) -> list[float]:
    specific = bool(ev.unknown_names) or any(len(w) >= unknown_len for w in ev.unknown)
    return [
        ev.sentence_sim,
        ev.dense,
        ev.coverage,
        ev.sentence_coverage,
        ev.best_score,
        ev.margin,
        min(ev.lexical, 3.0),
        ev.unknown_share,
        float(specific),
        float(bool(ev.unknown)),
        float(bool(ev.missing)),
    ]


def fit(x: np.ndarray, y: np.ndarray, lam: float = 1.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """L2-regularised logistic regression by Newton's method on standardised features."""
    mu, sd = x.mean(0), x.std(0) + 1e-9
    z = np.hstack([(x - mu) / sd, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    reg = lam * np.r_[np.ones(len(w) - 1), 0.0]
    for _ in range(50):
        p = 1 / (1 + np.exp(-z @ w))
        grad = z.T @ (p - y) + reg * w
        hess = (z * (p * (1 - p))[:, None]).T @ z + np.diag(reg)
        w -= np.linalg.solve(hess, grad)
    return mu, sd, w


def probability(model: tuple[np.ndarray, np.ndarray, np.ndarray], x: np.ndarray) -> np.ndarray:
    mu, sd, w = model
    z = np.hstack([(x - mu) / sd, np.ones((len(x), 1))])
    return 1 / (1 + np.exp(-z @ w))


def threshold(p: np.ndarray, y: np.ndarray, fa_max: float) -> float:
    """The lowest threshold whose false-abstention rate on the training questions is at most ``fa_max``."""
    for t in np.linspace(0.05, 0.95, 91):
        if ((p >= t) & (y == 0)).sum() / max((y == 0).sum(), 1) <= fa_max:
            return float(t)
    return 0.95


def rates(abstain: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    return (abstain & (y == 1)).sum() / max((y == 1).sum(), 1), (abstain & (y == 0)).sum() / max((y == 0).sum(), 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", action="append", dest="sets", required=True, help="a studied set (several)")
    parser.add_argument("--fa", type=float, default=0.04, help="false-abstention rate allowed when fitting")
    args = parser.parse_args()
    assistant = Assistant(Config.from_sources({"root": str(ROOT)}))
    off = assistant.tuning.merged(OFF)
    rule = assistant.tuning.abstention
    rows: list[tuple[str, list[float], float, bool]] = []
    for path in args.sets:
        for fact in load_facts(Path(path)):
            ev = assistant.ask(fact.question, tuning=off).evidence
            if ev is None:  # refused before searching (a missing year, unit or district): not this decision's
                continue
            rows.append((Path(path).stem, features(ev, rule.unknown_len), 0.0 if fact.answerable else 1.0,
                         should_abstain(ev, rule)))  # fmt: skip
    sets = np.array([r[0] for r in rows])
    x = np.array([r[1] for r in rows])
    y = np.array([r[2] for r in rows])
    shipped = np.array([r[3] for r in rows])
    fitted = np.zeros(len(rows), dtype=bool)
    print(f"{'left out':<12} {'rules recall/FA':>16} {'fitted recall/FA':>17}")
    for name in sorted(set(sets)):
        train, test = sets != name, sets == name
        model = fit(x[train], y[train])
        fitted[test] = probability(model, x[test]) >= threshold(probability(model, x[train]), y[train], args.fa)
        r_rec, r_fa = rates(shipped[test], y[test])
        f_rec, f_fa = rates(fitted[test], y[test])
        print(f"{name:<12} {r_rec:>8.3f}/{r_fa:.3f} {f_rec:>9.3f}/{f_fa:.3f}")
    r_rec, r_fa = rates(shipped, y)
    f_rec, f_fa = rates(fitted, y)
    print(
        f"{'all':<12} {r_rec:>8.3f}/{r_fa:.3f} {f_rec:>9.3f}/{f_fa:.3f}  (questions refused before searching excluded)"
    )
    model = fit(x, y)
    weights = {name: round(float(w / s), 3) for name, w, s in zip(FEATURES, model[2][:-1], model[1], strict=True)}
    print("weights of a fit on all sets (per unit of each feature):", weights)
    return 0


if __name__ == "__main__":
    sys.exit(main())

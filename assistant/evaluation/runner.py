"""Running known facts through a system and summarising the outcome.

The runner sends every question through the same code path as ``ask`` (or the
naive baseline's), so the two can be compared side by side.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .facts import KnownFact
from .metrics import (
    RankedPassage,
    abstention_metrics,
    answer_correct,
    hit_at_k,
    percentile,
    point_coverage,
    reciprocal_rank,
)

__all__ = ["Outcome", "outcome_of", "run_system", "summarise"]


@dataclass
class Outcome:
    fact: KnownFact
    ranked: list[RankedPassage]
    answer: str
    abstained: bool
    top_report: str | None
    latency_ms: float
    extra: dict[str, Any] = field(default_factory=dict)


def summarise(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    def block(items: Sequence[Outcome]) -> dict[str, Any]:
        ans = [o for o in items if o.fact.answerable]
        n = len(ans) or 1
        result: dict[str, Any] = {
            "n": len(items),
            "hit@1": sum(hit_at_k(o.ranked, o.fact.expected, 1) for o in ans) / n,
            "hit@5": sum(hit_at_k(o.ranked, o.fact.expected, 5) for o in ans) / n,
            "hit@10": sum(hit_at_k(o.ranked, o.fact.expected, 10) for o in ans) / n,
            "mrr@10": sum(reciprocal_rank(o.ranked, o.fact.expected, 10) for o in ans) / n,
            "answer_accuracy": sum(answer_correct(o.answer, o.fact.expected) for o in ans) / n,
            "routing_accuracy": sum(o.top_report in {e.report_id for e in o.fact.expected} for o in ans) / n,
        }
        covered = [c for o in ans if (c := point_coverage(o.answer, o.fact.expected)) is not None]
        if covered:
            result["point_coverage"] = sum(covered) / len(covered)
        pairs = [(o.fact.answerable, o.abstained) for o in items]
        result.update({f"abstain_{k}": v for k, v in abstention_metrics(pairs).items()})
        return result

    latencies = [o.latency_ms for o in outcomes]
    overall = block(outcomes)
    overall["latency_ms_median"] = statistics.median(latencies) if latencies else 0.0
    overall["latency_ms_p95"] = percentile(latencies, 0.95)
    kinds = sorted({o.fact.kind for o in outcomes})
    per_kind = {kind: block([o for o in outcomes if o.fact.kind == kind]) for kind in kinds}
    failures = []
    for o in outcomes:
        ok_answer = answer_correct(o.answer, o.fact.expected) if o.fact.answerable else o.abstained
        ok_hit = hit_at_k(o.ranked, o.fact.expected, 5) if o.fact.answerable else True
        if not (ok_answer and ok_hit and (o.abstained != o.fact.answerable)):
            failures.append(
                {
                    "id": o.fact.id,
                    "kind": o.fact.kind,
                    "question": o.fact.question,
                    "expected": [f"{e.year} {e.unit}: {' | '.join(e.answers)}" for e in o.fact.expected]
                    or ["(ska avstå)"],
                    "got": o.answer,
                    "abstained": o.abstained,
                    "hit@5": ok_hit,
                    "top_report": o.top_report,
                }
            )
    return {"overall": overall, "per_kind": per_kind, "failures": failures}


def run_system(facts: Sequence[KnownFact], ask: Callable[[str], Any]) -> list[Outcome]:
    """Run facts through ``ask`` (the real Assistant.ask)."""
    outcomes = []
    for fact in facts:
        t0 = time.perf_counter()
        answer = ask(fact.question)
        outcomes.append(outcome_of(fact, answer, (time.perf_counter() - t0) * 1000))
    return outcomes


def outcome_of(fact: KnownFact, answer: Any, latency_ms: float) -> Outcome:
    """What the metrics need of an answer (the Assistant's or the baseline's)."""
    ranked = [RankedPassage(c.report_id, c.text) for c in answer.retrieved]
    top = answer.citations[0].report_id if answer.citations else None
    return Outcome(fact, ranked, answer.answer, answer.abstained, top, latency_ms)

"""Evaluation against known facts: metrics as tested functions, and the runner.

A fact (``eval/facts.jsonl``) has a question, whether it is answerable, and the
expected report(s) with accepted answer strings. A retrieved passage is
*relevant* when it comes from an expected report and contains an accepted
string (whitespace-insensitive). For a question across years, every expected
report must be covered.

The runner sends every question through the same code path as ``ask`` and,
in the same run, through the naive baseline (fixed 800-character chunks, dense
only, no filters), so the two can be compared side by side.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "Fact",
    "Outcome",
    "Passage",
    "abstention_metrics",
    "answer_correct",
    "contains_answer",
    "hit_at_k",
    "load_facts",
    "percentile",
    "point_coverage",
    "reciprocal_rank",
    "summarise",
]


@dataclass(frozen=True)
class Expected:
    report_id: str
    unit: str
    year: int
    answers: tuple[str, ...]
    value: float | None = None
    section: str | None = None
    # Summary questions: the distinct points a good answer mentions, each with its accepted strings.
    points: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Fact:
    id: str
    kind: str
    lang: str
    question: str
    answerable: bool
    expected: tuple[Expected, ...]


@dataclass(frozen=True)
class Passage:
    """A retrieved passage, as far as the metrics care."""

    report_id: str
    text: str


@dataclass
class Outcome:
    fact: Fact
    ranked: list[Passage]
    answer: str
    abstained: bool
    top_report: str | None
    latency_ms: float
    extra: dict[str, Any] = field(default_factory=dict)


def load_facts(path: Path) -> list[Fact]:
    facts = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                expected = tuple(
                    Expected(
                        report_id=Path(e["file"]).stem,
                        unit=e["unit"],
                        year=int(e["year"]),
                        answers=tuple(e["answers"]),
                        value=e.get("value"),
                        section=e.get("section"),
                        points=tuple(tuple(p) for p in e.get("points", ())),
                    )
                    for e in d.get("expected", [])
                )
                facts.append(
                    Fact(d["id"], d["kind"], d.get("lang", "sv"), d["question"], bool(d["answerable"]), expected)
                )
            except (KeyError, ValueError, TypeError) as exc:
                raise ValueError(f"{path.name} rad {n}: ogiltig fakta-post ({exc}).") from exc
    return facts


# ------------------------------------------------------------------ metrics


def _norm(text: str) -> str:
    text = text.replace("\u00a0", " ")
    text = re.sub(r"(\w)-\s+(\w)", r"\1-\2", text)
    text = " ".join(text.split())
    return re.sub(r"\s+%", "%", text).lower()


def contains_answer(text: str, answers: Sequence[str]) -> bool:
    """An accepted string occurs in ``text`` (whitespace and case insensitive).

    A number must match a whole number: "7,1 %" is not found in "17,1 %" or "7,15 %".
    """
    t = _norm(text)
    return any(_occurs(_norm(a), t) for a in answers if a.strip())


def _occurs(needle: str, haystack: str) -> bool:
    pattern = re.escape(needle)
    if needle[:1].isdigit():
        pattern = r"(?<!\d)(?<!\d[,.])" + pattern
    if needle[-1:].isdigit():
        pattern += r"(?![,.]?\d)"
    return re.search(pattern, haystack) is not None


def _relevant(p: Passage, e: Expected) -> bool:
    return p.report_id == e.report_id and contains_answer(p.text, e.answers)


def hit_at_k(ranked: Sequence[Passage], expected: Sequence[Expected], k: int) -> bool:
    """Every expected report has a relevant passage among the first ``k``."""
    if not expected:
        return False
    top = ranked[:k]
    return all(any(_relevant(p, e) for p in top) for e in expected)


def reciprocal_rank(ranked: Sequence[Passage], expected: Sequence[Expected], k: int = 10) -> float:
    """1/rank of the first relevant passage within ``k`` (0 if none)."""
    for i, p in enumerate(ranked[:k], start=1):
        if any(_relevant(p, e) for e in expected):
            return 1.0 / i
    return 0.0


def point_coverage(answer: str, expected: Sequence[Expected]) -> float | None:
    """Share of the expected points (summary questions) that the answer mentions; None without points."""
    points = [p for e in expected for p in e.points]
    if not points:
        return None
    return sum(contains_answer(answer, p) for p in points) / len(points)


#: A summary answer counts as correct when it mentions at least this share of the expected points.
SUMMARY_CORRECT = 0.5


def answer_correct(answer: str, expected: Sequence[Expected]) -> bool:
    """The answer text contains an accepted string for every expected report (for a summary
    question: at least :data:`SUMMARY_CORRECT` of its points)."""
    coverage = point_coverage(answer, expected)
    if coverage is not None:
        return coverage >= SUMMARY_CORRECT
    return bool(expected) and all(contains_answer(answer, e.answers) for e in expected)


def abstention_metrics(outcomes: Sequence[tuple[bool, bool]]) -> dict[str, float]:
    """(answerable, abstained) pairs → precision/recall of abstaining, false-abstention rate."""
    abstained = [a for ans, a in outcomes if a]
    true_abstain = sum(1 for ans, a in outcomes if a and not ans)
    unanswerable = sum(1 for ans, _ in outcomes if not ans)
    answerable = sum(1 for ans, _ in outcomes if ans)
    false_abstain = sum(1 for ans, a in outcomes if a and ans)
    return {
        "precision": true_abstain / len(abstained) if abstained else 1.0,
        "recall": true_abstain / unanswerable if unanswerable else 1.0,
        "false_abstention": false_abstain / answerable if answerable else 0.0,
    }


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    idx = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[idx]


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


# ------------------------------------------------------------------ runner


def run_system(facts: Sequence[Fact], ask: Callable[[str], Any]) -> list[Outcome]:
    """Run facts through ``ask`` (the real Assistant.ask)."""
    outcomes = []
    for fact in facts:
        t0 = time.perf_counter()
        answer = ask(fact.question)
        latency = (time.perf_counter() - t0) * 1000
        ranked = [Passage(c.report_id, c.text) for c in answer.retrieved]
        top = answer.citations[0].report_id if answer.citations else None
        outcomes.append(Outcome(fact, ranked, answer.answer, answer.abstained, top, latency))
    return outcomes

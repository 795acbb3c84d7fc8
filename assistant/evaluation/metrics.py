"""Evaluation metrics as tested functions: hit@k, MRR, answer accuracy, point coverage, abstention.

A retrieved passage is *relevant* when it comes from an expected report and
contains an accepted string (whitespace- and case-insensitive; a number must
match a whole number). For a question across years, every expected report
must be covered.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .facts import Expected

__all__ = [
    "SUMMARY_CORRECT",
    "RankedPassage",
    "abstention_metrics",
    "answer_correct",
    "contains_answer",
    "hit_at_k",
    "percentile",
    "point_coverage",
    "reciprocal_rank",
]


@dataclass(frozen=True)
class RankedPassage:
    """A retrieved passage, as far as the metrics care."""

    report_id: str
    text: str


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


def _relevant(p: RankedPassage, e: Expected) -> bool:
    return p.report_id == e.report_id and contains_answer(p.text, e.answers)


def hit_at_k(ranked: Sequence[RankedPassage], expected: Sequence[Expected], k: int) -> bool:
    """Every expected report has a relevant passage among the first ``k``."""
    if not expected:
        return False
    top = ranked[:k]
    return all(any(_relevant(p, e) for p in top) for e in expected)


def reciprocal_rank(ranked: Sequence[RankedPassage], expected: Sequence[Expected], k: int = 10) -> float:
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

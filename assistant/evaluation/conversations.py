"""Conversation sets (``eval/followups*.jsonl``): two- or three-turn conversations, each turn a known fact.

One JSON line per conversation::

    {"id": "c001", "kind": "year_change",
     "turns": [{"question": "Hur hög var sjukfrånvaron på Assistansenheten 2012?", "answerable": true,
                "expected": [{"unit": …, "year": 2012, "file": …, "answers": ["8,30 %"], …}]},
               {"question": "Och 2018 då?", "answerable": true, "expected": [...]}]}

``kind`` says what the follow-up does (``year_change``, ``relative_year``, ``unit_change``,
``subject_change``, ``why``, ``target``, ``type_change``, ``fresh``, ``pronoun``); every turn has
the fields of a single question (``eval/README.md``). The measure is the *follow-up turn*: every
turn after the first, judged by the same rules as a single question (the answer holds an accepted
string for every expected report and does not abstain; an unanswerable turn abstains).

The conversation is asked as a user would: each turn with the system's own earlier answers as
history (``alone=True`` asks every turn on its own, which is how a system without memory does).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .facts import KnownFact, fact_from_dict
from .metrics import answer_correct
from .runner import Outcome, outcome_of

__all__ = [
    "ConversationCase",
    "TurnOutcome",
    "is_conversation_set",
    "load_conversations",
    "run_conversations",
    "summarise_conversations",
    "turn_correct",
]


@dataclass(frozen=True)
class ConversationCase:
    id: str
    kind: str
    turns: tuple[KnownFact, ...]


@dataclass
class TurnOutcome:
    case: ConversationCase
    turn: int  # 0 is the opening question
    outcome: Outcome
    carried: tuple[str, ...] = ()  # what the turn took from the conversation ("year", "unit", …)
    mode: str = "extractive"


def is_conversation_set(path: Path) -> bool:
    """Does the file hold conversations (lines with ``turns``) rather than single questions?"""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                try:
                    return "turns" in json.loads(line)
                except json.JSONDecodeError:
                    return False
    return False


def load_conversations(path: Path) -> list[ConversationCase]:
    cases = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                turns = d["turns"]
                if not isinstance(turns, list) or len(turns) < 2:
                    raise ValueError("'turns' ska vara en lista med minst två frågor")
                facts = tuple(
                    fact_from_dict({**t, "id": f"{d['id']}.{i}", "kind": d["kind"]}) for i, t in enumerate(turns)
                )
                cases.append(ConversationCase(str(d["id"]), str(d["kind"]), facts))
            except (KeyError, ValueError, TypeError) as exc:
                raise ValueError(f"{path.name} rad {n}: ogiltigt samtal ({exc}).") from exc
    return cases


#: ``ask(question, history)`` → (answer, what was carried, which mode answered); history is the
#: list of earlier answers of the conversation, or None to ask the question on its own.
ConversationAsk = Callable[[str, list[Any] | None], tuple[Any, tuple[str, ...], str]]


def run_conversations(
    cases: Sequence[ConversationCase], ask: ConversationAsk, *, alone: bool = False
) -> list[TurnOutcome]:
    out = []
    for case in cases:
        history: list[Any] = []
        for i, fact in enumerate(case.turns):
            t0 = time.perf_counter()
            answer, carried, mode = ask(fact.question, None if alone else list(history))
            latency = (time.perf_counter() - t0) * 1000
            history.append(answer)
            out.append(TurnOutcome(case, i, outcome_of(fact, answer, latency), tuple(carried), mode))
    return out


def turn_correct(o: Outcome) -> bool:
    """The single-question rules: an answerable turn is answered with an accepted string for every
    expected report; an unanswerable one abstains."""
    if not o.fact.answerable:
        return o.abstained
    return not o.abstained and answer_correct(o.answer, o.fact.expected)


def summarise_conversations(turns: Sequence[TurnOutcome]) -> dict[str, Any]:
    """The follow-up figure (every turn after the first), the opening turns, per kind, failures."""
    follow = [t for t in turns if t.turn > 0]
    first = [t for t in turns if t.turn == 0]

    def share(items: Sequence[TurnOutcome]) -> float:
        return sum(turn_correct(t.outcome) for t in items) / (len(items) or 1)

    per_kind = {}
    for kind in sorted({t.case.kind for t in follow}):
        items = [t for t in follow if t.case.kind == kind]
        per_kind[kind] = {"n": len(items), "followup_correct": share(items)}
    failures = [
        {
            "id": t.outcome.fact.id,
            "kind": t.case.kind,
            "question": t.outcome.fact.question,
            "previous": [p.question for p in t.case.turns[: t.turn]],
            "expected": [f"{e.year} {e.unit}: {' | '.join(e.answers)}" for e in t.outcome.fact.expected]
            or ["(ska avstå)"],
            "got": t.outcome.answer,
            "abstained": t.outcome.abstained,
            "carried": list(t.carried),
            "top_report": t.outcome.top_report,
        }
        for t in follow
        if not turn_correct(t.outcome)
    ]
    latencies = sorted(t.outcome.latency_ms for t in follow)
    return {
        "conversations": len({t.case.id for t in turns}),
        "followup_turns": len(follow),
        "followup_correct": share(follow),
        "first_turn_correct": share(first),
        "followup_latency_ms_median": latencies[len(latencies) // 2] if latencies else 0.0,
        "modes": {m: sum(t.mode == m for t in follow) for m in sorted({t.mode for t in follow})},
        "per_kind": per_kind,
        "failures": failures,
    }

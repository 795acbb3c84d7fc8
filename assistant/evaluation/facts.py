"""Known facts (``eval/*.jsonl``): questions with the report(s) and accepted answer strings they expect.

The format is described in ``eval/README.md``. A summary question lists the
distinct *points* a good answer mentions, each with its accepted strings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Expected", "KnownFact", "fact_from_dict", "load_facts"]


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
class KnownFact:
    id: str
    kind: str
    lang: str
    question: str
    answerable: bool
    expected: tuple[Expected, ...]


def load_facts(path: Path) -> list[KnownFact]:
    facts = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                facts.append(fact_from_dict(json.loads(line)))
            except (KeyError, ValueError, TypeError) as exc:
                raise ValueError(f"{path.name} rad {n}: ogiltig fakta-post ({exc}).") from exc
    return facts


def fact_from_dict(d: dict) -> KnownFact:  # type: ignore[type-arg]
    """One question in the fact format (a line of a fact set, or a turn of a conversation)."""
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
    return KnownFact(d["id"], d["kind"], d.get("lang", "sv"), d["question"], bool(d["answerable"]), expected)

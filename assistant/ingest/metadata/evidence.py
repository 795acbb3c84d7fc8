"""Weighing what several sources say about one metadata field.

Every source that points at a value (the title line, a labelled field, the file
name, the file's properties, the text) is one :class:`Evidence` with a weight
from ``sv/metadata.toml``. The value with most weight wins; its confidence is
``1 - Π(1 - w)`` over the sources that agree, times the share of the weight
that agrees (the sources naming another value count at ``disagreement``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ...resources import data_toml

__all__ = ["METADATA_RULES_FILE", "Choice", "Evidence", "choose", "rules", "weight"]

METADATA_RULES_FILE = "sv/metadata.toml"

T = TypeVar("T", bound=Hashable)


def rules() -> dict[str, Any]:
    """The metadata rules of ``assistant/data/sv/metadata.toml``."""
    return data_toml(METADATA_RULES_FILE)


def weight(source: str) -> float:
    """The weight of one kind of source (``[weights]`` in the rules)."""
    return float(rules()["weights"][source])


@dataclass(frozen=True)
class Evidence(Generic[T]):
    value: T
    source: str  # a key of [weights]: "title", "field", "file_name", …
    weight: float


@dataclass(frozen=True)
class Choice(Generic[T]):
    value: T | None
    confidence: float
    sources: tuple[str, ...]  # the sources that agree with the value, strongest first


def choose(evidence: Iterable[Evidence[T]], key: Callable[[T], Hashable] = lambda v: v) -> Choice[T]:
    """The best-supported value, how sure it is, and which sources say so.

    Values with the same ``key`` (e.g. the same name in other letter case) pool their
    evidence; the value shown is the one of the strongest single source.
    """
    groups: dict[Hashable, list[Evidence[T]]] = {}
    for item in evidence:
        groups.setdefault(key(item.value), []).append(item)
    if not groups:
        return Choice(None, 0.0, ())

    def total(items: list[Evidence[T]]) -> float:
        return sum(e.weight for e in items)

    best_key = max(groups, key=lambda k: total(groups[k]))
    agree = sorted(groups[best_key], key=lambda e: -e.weight)
    doubt = 1.0
    for item in agree:
        doubt *= 1.0 - min(item.weight, 0.99)
    support = total(agree)
    against = sum(total(items) for k, items in groups.items() if k != best_key) * weight("disagreement")
    confidence = (1.0 - doubt) * support / (support + against) if support else 0.0
    sources = tuple(dict.fromkeys(e.source for e in agree))
    return Choice(agree[0].value, round(confidence, 3), sources)

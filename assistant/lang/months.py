"""Swedish month names, read once from ``assistant/data/sv/months.toml``.

Every stage that recognises a month in text uses these, not a list of its own::

    MONTH_NAMES                    ("januari", …, "december")
    MONTH_ABBREVIATIONS            ("jan", …, "dec")
    month_number("Mars")           -> 3
    months_pattern()               -> "januari|februari|…|december" (for inside a regex group)
    months_pattern(MONTH_ABBREVIATIONS)
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..resources import data_toml

__all__ = ["MONTHS_FILE", "MONTH_ABBREVIATIONS", "MONTH_NAMES", "month_number", "months_pattern"]

MONTHS_FILE = "sv/months.toml"


def _load_months() -> tuple[tuple[str, ...], tuple[str, ...]]:
    data = data_toml(MONTHS_FILE)
    return tuple(data["names"]), tuple(data["abbreviations"])


MONTH_NAMES, MONTH_ABBREVIATIONS = _load_months()


def month_number(name: str) -> int | None:
    """1 for "januari" (any case) … 12 for "december"; None for anything else."""
    try:
        return MONTH_NAMES.index(name.lower()) + 1
    except ValueError:
        return None


def months_pattern(names: Iterable[str] = MONTH_NAMES) -> str:
    """The names as one regex alternation, in order, for use inside ``(?:…)``."""
    return "|".join(re.escape(name) for name in names)

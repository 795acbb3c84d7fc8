"""Indicator names: which wordings in any report name which series.

The built-in definitions are data, ``assistant/data/indicators.toml``, read once
into :data:`INDICATORS`; a corpus adds its own in ``corpus/indicators.toml``
(:func:`load_indicator_file`), placed before the built-in ones. Both files have
the same format. Order matters: the first definition that matches a label wins.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...errors import AssistantError
from ...resources import data_toml

__all__ = [
    "INDICATORS",
    "IndicatorDef",
    "definition",
    "fold",
    "indicator_defs",
    "load_indicator_file",
    "match_indicator",
]


@dataclass(frozen=True)
class IndicatorDef:
    """One normalised indicator: the patterns that name it, in any report's wording."""

    key: str
    name: str  # shown to the user
    patterns: tuple[str, ...]  # regexes, matched case-insensitively against a table label
    unit: str | None = None
    lower_is_better: bool | None = None
    cues: tuple[str, ...] = ()  # regexes that mention it in goal text (for fulfilment checks)


_ALLOWED = {"nyckel", "namn", "mönster", "enhet", "lägre_är_bättre", "ledord"}
# TOML bare keys are ASCII; both spellings are accepted.
_ASCII_KEYS = {"monster": "mönster", "lagre_ar_battre": "lägre_är_bättre"}


def indicator_defs(data: dict[str, Any], source: str) -> list[IndicatorDef]:
    """The ``[[indikator]]`` entries of a parsed indicator file, in order; ``source`` names it in errors."""
    defs = []
    for i, raw_entry in enumerate(data.get("indikator", []), start=1):
        entry = {_ASCII_KEYS.get(k, k): v for k, v in raw_entry.items()}
        unknown = set(entry) - _ALLOWED
        if unknown:
            raise AssistantError(
                f"{source}: okänt fält {', '.join(sorted(unknown))} i indikator {i}. "
                f"Tillåtna fält: {', '.join(sorted(_ALLOWED))}."
            )
        if not entry.get("nyckel") or not entry.get("mönster"):
            raise AssistantError(f"{source}: indikator {i} behöver både 'nyckel' och 'mönster'.")
        defs.append(
            IndicatorDef(
                str(entry["nyckel"]),
                str(entry.get("namn", entry["nyckel"])),
                tuple(entry["mönster"]),
                entry.get("enhet"),
                entry.get("lägre_är_bättre"),
                tuple(entry.get("ledord", ())),
            )
        )
    return defs


def load_indicator_file(path: Path) -> list[IndicatorDef]:
    """Extra definitions from ``corpus/indicators.toml``, placed before the built-in ones::

    [[indikator]]
    nyckel = "nojda_hemtjanst"
    namn = "Nöjda brukare – hemtjänst"
    mönster = ["nöjda brukare\\s*-\\s*hemtjänst"]
    enhet = "%"
    lägre_är_bättre = false
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise AssistantError(f"{path.name} går inte att läsa som TOML: {exc}. Rätta filen eller ta bort den.") from exc
    return indicator_defs(data, path.name)


#: The built-in definitions (assistant/data/indicators.toml), in file order.
INDICATORS: tuple[IndicatorDef, ...] = tuple(
    indicator_defs(data_toml("indicators.toml"), "assistant/data/indicators.toml")
)


def fold(text: str) -> str:
    """A label or query as compared: NFC, lower case, single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).lower().split())


def match_indicator(label: str, defs: Sequence[IndicatorDef] | None = None) -> IndicatorDef:
    """The normalised indicator for a label; an unknown label is a series of its own."""
    folded = fold(label)
    for d in defs if defs is not None else INDICATORS:
        if any(re.search(p, folded, re.I) for p in d.patterns):
            return d
    key = re.sub(r"[^a-zåäö0-9]+", "_", folded).strip("_")[:60] or "okand"
    return IndicatorDef(key, label.strip().rstrip("."), ())


def definition(key: str, defs: Sequence[IndicatorDef]) -> IndicatorDef:
    """The first definition with ``key`` (a corpus definition overrides a built-in one)."""
    for d in defs:
        if d.key == key:
            return d
    raise KeyError(key)

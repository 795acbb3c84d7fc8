"""Swedish numbers as the reports write them → values.

The reports write "4,77 mnkr", "42 653 kronor", "-2 163", "7.17 %", "c:a 60",
"drygt 30", "mellan 50-60", "tio" and "åtta". :func:`find_quantities` finds
them in running text and keeps the written form next to the normalised value,
the range where the text gives one, the qualifier ("c:a", "drygt") and the
offsets, so every figure can be cited exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..lang.months import MONTH_ABBREVIATIONS, months_pattern
from ..resources import data_toml, data_words

__all__ = [
    "NUMBER_WORDS",
    "UNIT_ALIASES",
    "Quantity",
    "convert",
    "decimals",
    "find_quantities",
    "format_value",
    "normalise_unit",
    "parse_number",
    "parse_quantity",
]

# The word lists are data (assistant/data/sv/): number words, unit aliases,
# qualifiers ("c:a", "drygt") and the count nouns that make a number word a count.
_NUMBER_DATA = data_toml("sv/number_words.toml")
NUMBER_WORDS: dict[str, int] = dict(_NUMBER_DATA["values"])
# Words that would be read as numbers far too often ("en", "ett", "sex") are
# only taken with a unit or count noun after them.
_AMBIGUOUS_WORDS = set(_NUMBER_DATA["ambiguous"])

# written unit (lower case) -> normalised unit
UNIT_ALIASES: dict[str, str] = dict(data_toml("sv/unit_aliases.toml")["aliases"])

_QUALIFIERS = "|".join(re.escape(w) for w in data_words("sv/quantity_qualifiers.txt"))
_NUM = r"[-−–]?\d{1,3}(?:[  ]\d{3})+(?:[,.]\d+)?|[-−–]?\d+(?:[,.]\d+)?"
_WORD_NUM = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_UNIT = "|".join(re.escape(u) for u in sorted(UNIT_ALIASES, key=len, reverse=True))

_QUANTITY = re.compile(
    rf"(?<![\w,.:/-])"
    rf"(?:(?P<qual>{_QUALIFIERS})\s+)?"
    rf"(?P<a>{_NUM}|(?:{_WORD_NUM})(?![\wåäö]))"
    rf"(?:\s*(?:-|–|—|till|och)\s*(?P<b>{_NUM}|(?:{_WORD_NUM})(?![\wåäö])))?"
    rf"(?:\s*(?P<unit>{_UNIT})(?![\wåäö]))?"
    rf"(?![\w]|[.,]\d|-\d)",
    re.I,
)


@dataclass(frozen=True)
class Quantity:
    """One figure as written, with its value and where it stands in the text."""

    written: str
    value: float
    unit: str | None = None  # normalised: "%", "tkr", "mnkr", "kronor", "personer", …
    low: float | None = None  # a range the text gives ("mellan 50-60")
    high: float | None = None
    qualifier: str | None = None  # "c:a", "drygt", "mellan", …
    start: int = 0
    end: int = 0

    @property
    def approximate(self) -> bool:
        return self.qualifier is not None and self.qualifier.lower() not in ("totalt", "mellan")

    def to_json(self) -> dict[str, object]:
        return {
            "written": self.written,
            "value": self.value,
            "unit": self.unit,
            "low": self.low,
            "high": self.high,
            "qualifier": self.qualifier,
            "start": self.start,
            "end": self.end,
        }


def parse_number(text: str) -> float | None:
    """ "4,77" → 4.77, "42 653" → 42653, "-2 163" → -2163, "7.17" → 7.17, "åtta" → 8."""
    s = text.strip().lower().replace("−", "-").replace("–", "-").replace("\u00a0", " ")
    if s in NUMBER_WORDS:
        return float(NUMBER_WORDS[s])
    s = s.replace(" ", "")
    if re.fullmatch(r"-?\d+,\d+", s):
        s = s.replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}(?:\.\d{3})+", s):
        s = s.replace(".", "")  # "1.250" as a thousands separator
    try:
        return float(s)
    except ValueError:
        return None


# Units one amount can be stated in, as parts of a million kronor.
_PER_MNKR = {"mnkr": 1.0, "tkr": 1000.0}


def convert(value: float, unit: str | None, target: str | None) -> float | None:
    """``value`` in ``unit`` expressed in ``target`` (mnkr and tkr convert), None when it cannot be."""
    if unit == target:
        return value
    if unit in _PER_MNKR and target in _PER_MNKR:
        return value / _PER_MNKR[unit] * _PER_MNKR[target]
    return None


def normalise_unit(unit: str | None) -> str | None:
    if not unit:
        return None
    return UNIT_ALIASES.get(" ".join(unit.lower().split()), unit.lower())


def find_quantities(text: str, offset: int = 0) -> list[Quantity]:
    """Every figure in ``text``; offsets are shifted by ``offset``.

    Dates and bare years ("2014-01-01", "2012") are not quantities; a number
    word counts only with a unit or a count noun after it ("tio APT", "åtta
    personer"), and "en", "ett", "sex" never do.
    """
    dates = [(m.start(), m.end()) for m in _DATE.finditer(text)]
    found: list[Quantity] = []
    for m in _QUANTITY.finditer(text):
        a, b, unit = m.group("a"), m.group("b"), m.group("unit")
        if any(s < m.end() and m.start() < e for s, e in dates):
            continue
        if a.lower() in NUMBER_WORDS:
            if a.lower() in _AMBIGUOUS_WORDS:
                continue
            if not unit and not _COUNT_NOUN.match(text, m.end()):
                continue
        va = parse_number(a)
        vb = parse_number(b) if b else None
        if va is None or (b and vb is None):
            continue
        if not unit and not b and re.fullmatch(r"(19|20)\d\d", a):
            continue  # a year
        qual = m.group("qual")
        low = high = None
        value = va
        if vb is not None:
            low, high = min(va, vb), max(va, vb)
            value = (low + high) / 2
        written = m.group(0).rstrip()
        found.append(
            Quantity(
                written=written,
                value=value,
                unit=normalise_unit(unit),
                low=low,
                high=high,
                qualifier=qual.lower() if qual else None,
                start=offset + m.start(),
                end=offset + m.start() + len(written),
            )
        )
    return found


_DATE = re.compile(rf"\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b(?:{months_pattern(MONTH_ABBREVIATIONS)})-\d\d\b", re.I)
_COUNT_NOUN = re.compile(
    r"\s+(?:\w+\s+)?(?:" + "|".join(re.escape(w) for w in data_words("sv/count_nouns.txt")) + r")\b",
    re.I,
)


def parse_quantity(text: str) -> Quantity | None:
    """The single figure in a table cell ("99,7 %", "-2 163", "tas fram av nämnden" → None)."""
    cell = text.strip()
    if not cell:
        return None
    # "+/- 1 %": keep the tolerance as written, its value is the number.
    m = re.fullmatch(r"\+/-\s*(" + _NUM + r")\s*(%)?", cell)
    if m:
        value = parse_number(m.group(1))
        if value is not None:
            return Quantity(cell, value, normalise_unit(m.group(2)), -value, value, "+/-", 0, len(cell))
    found = find_quantities(cell)
    if len(found) != 1 or found[0].end - found[0].start != len(cell):
        return None
    return found[0]


def decimals(written: str) -> int:
    """Decimals as written: "7,1 %" → 1, "7.17" → 2, "16 %" → 0."""
    m = re.search(r"\d[,.](\d+)(?!\d)", written.replace(" ", ""))
    return len(m.group(1)) if m and not re.search(r"\d\.\d{3}(?!\d)", written) else 0


def format_value(value: float, unit: str | None = None) -> str:
    """Swedish display: 7.17 → "7,17", 42653 → "42 653"."""
    if value == int(value) and abs(value) >= 1000:
        text = f"{int(value):,}".replace(",", " ")
    elif value == int(value):
        text = str(int(value))
    else:
        text = f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    if unit:
        return f"{text} {unit}"
    return text

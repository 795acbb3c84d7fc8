"""The district (stadsdelsområde) whose administration wrote the report.

Stockholm's districts, past and present, are data (``sv/districts.toml``). A
"Stadsdel: …" field names it; otherwise the text does: the report's own
administration ("Farsta stadsdelsförvaltning") weighs most, a plain mention
little, and partners or lists of administrations not at all. Former names
(Kista, Liljeholmen …) are also places, so they count only as an administration.
"""

from __future__ import annotations

import re
from collections import Counter

from ...resources import data_toml
from .evidence import Evidence, weight
from .hints import labelled_fields

__all__ = ["DISTRICTS_FILE", "FORMER_DISTRICTS", "KNOWN_DISTRICTS", "district_evidence", "load_districts"]

DISTRICTS_FILE = "sv/districts.toml"


def load_districts() -> tuple[str, ...]:
    """Stockholm's districts from ``assistant/data/sv/districts.toml``, in file order (it breaks ties)."""
    return tuple(data_toml(DISTRICTS_FILE)["names"])


def load_former_districts() -> tuple[str, ...]:
    """Former districts' names (before the mergers), from the same file."""
    return tuple(data_toml(DISTRICTS_FILE).get("former", ()))


KNOWN_DISTRICTS = load_districts()
FORMER_DISTRICTS = load_former_districts()
_ALL = KNOWN_DISTRICTS + FORMER_DISTRICTS
# All districts in one pattern: one pass over the text instead of one per district.
_DISTRICT = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(n) for n in sorted(_ALL, key=len, reverse=True)) + r")s?(?![\w-])"
)
# Before a district: other administrations the report works with, or a former one.
_PARTNER_BEFORE = re.compile(r"tillsammans med|samverkan med|samarbete med|\bfd\.?\s*\S*\s*$|tidigare")
# After a district: one of several listed administrations.
_LISTED_AFTER = re.compile(r"\s*(?:och|,)\s")
_SEVERAL_AFTER = re.compile(r"\s*stadsdelsförvaltningar")
# After a district: the report's own administration ("Farsta stadsdelsförvaltning").
_ADMINISTRATION_AFTER = re.compile(r"\s*(?:sdf|stadsdelsnämnd|stadsdelsområde|stadsdelsförvaltning\b)")


def district_evidence(text: str, first_lines: list[str]) -> list[Evidence[str]]:
    out: list[Evidence[str]] = []
    field = labelled_fields(first_lines).get("district", "")
    if m := _DISTRICT.search(field):
        out.append(Evidence(m.group(1), "field", weight("field")))
    best = _from_text(text)
    if best is not None:
        name, administration = best
        out.append(
            Evidence(
                name,
                "administration" if administration else "mention",
                weight("administration" if administration else "mention"),
            )
        )
    return out


def _from_text(text: str) -> tuple[str, bool] | None:
    """(the district the text points at, whether it names it as its own administration)."""
    counts: Counter[str] = Counter()
    own: set[str] = set()
    for m in _DISTRICT.finditer(text):
        mention = _district_weight(text, m)
        if m.group(1) in FORMER_DISTRICTS and mention < 3:
            continue
        if mention:
            counts[m.group(1)] += mention
            if mention == 3:
                own.add(m.group(1))
    if not counts:
        return None
    # Ties go to the district listed first, as they always have.
    name = max(counts, key=lambda n: (counts[n], -_ALL.index(n)))
    return name, name in own


def _district_weight(text: str, m: re.Match[str]) -> int:
    """3 for the report's own administration, 1 for a mention, 0 for a partner or one of a list."""
    before = text[max(0, m.start() - 80) : m.start()].lower()
    after = text[m.end() : m.end() + 30].lower()
    if _PARTNER_BEFORE.search(before):
        return 0
    if _LISTED_AFTER.match(after) or _SEVERAL_AFTER.match(after):
        return 0
    return 3 if _ADMINISTRATION_AFTER.match(after) else 1

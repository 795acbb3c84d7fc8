"""The report's title line: its type, its year and the unit it names.

"Verksamhetsberättelse 2021 för Hemtjänsten Liljeholmen", "Verksamhetsplan 2024 –
Vård- och omsorgsboendet Lövsångaren", "Rapport: Verksamhetsberättelse 2019",
or a title page whose first line names only type and year and whose next line
names the unit ("Verksamhetsberättelse 2022" / "Daglig verksamhet Blåklinten").
Without a title, the structure tells the type: a report (berättelse) says how
goals were met, a plan how they will be worked on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .evidence import Evidence, rules, weight

__all__ = ["YEAR", "TitleLine", "detect_title", "structure_type", "title_lines", "type_of_words"]

YEAR = r"(?:19[89]\d|20[0-4]\d)"
_TITLE = re.compile(rf"\b(verksamhetsberättelse|verksamhetsplan|VB|VP)\b\s*(?:(?:VB|VP|för|år)\s*)?({YEAR})?", re.I)
# A title word after "utfall" is a table's column header ("Periodens utfall VB 2017").
_AFTER_OUTCOME = re.compile(r"utfall\s*$", re.I)
# "VB"/"VP" inside a line count as a title only right after the word they stand for.
_AFTER_TITLE_WORD = re.compile(r"(?:verksamhetsberättelse|verksamhetsplan)\s*$", re.I)
# The report's own title line.
_TITLE_LINE = re.compile(r"^\s*(verksamhetsberättelse|verksamhetsplan)\b", re.I)
_TITLE_LINE_MAX = 120  # a longer line is a sentence that names the report
_HEAD_LINES = 25
# What may stand between the title's year and the unit's name: "för", a dash, a colon.
_LEAD = re.compile(rf"^(?:\s*(?:för|VB|VP|år|{YEAR}|[-–—:,]))+\s*", re.I)
_PART_SEPARATOR = re.compile(r"\s+[-–—]\s+|,\s+|\s*\(")
_REPORT_SIGNS = re.compile(r"\bUppfylls\s+(?:helt|delvis|inte|ej)\b|\bPeriodens\s+utfall\b|\bbokslut", re.I)
_REPORT_LABELS = re.compile(r"^\s*Analys\s*$", re.M)
_PLAN_LABELS = re.compile(r"^\s*Arbetssätt\s*$|^\s*Uppföljning\s*$", re.M)
_PLAN_SIGNS = re.compile(r"\bUtvecklingsområden\b|\bkommer\s+(?:att\s+)?(?:ändras|genomföras|etableras)", re.I)
_REPORT_WORD = re.compile(r"verksamhetsberättelse", re.I)
_PLAN_WORD = re.compile(r"verksamhetsplan", re.I)
_TYPES = {"verksamhetsberättelse": "verksamhetsberättelse", "vb": "verksamhetsberättelse"} | {
    "verksamhetsplan": "verksamhetsplan",
    "vp": "verksamhetsplan",
}


@dataclass(frozen=True)
class TitleLine:
    """A title mention in the first lines: its type, year and what follows it on the line."""

    index: int  # in first_lines
    type: str
    year: int | None
    rest: str  # the line after type and year ("för Hemtjänsten Liljeholmen")
    whole_line: bool  # the line starts with the title word (a title, not a sentence naming one)


def title_lines(first_lines: list[str]) -> list[TitleLine]:
    """Title mentions in the first lines, without table headers such as "Periodens utfall VB 2017"."""
    found = []
    for i, line in enumerate(first_lines[:_HEAD_LINES]):
        for m in _TITLE.finditer(line):
            before = line[: m.start()]
            if _AFTER_OUTCOME.search(before):
                continue
            if m.group(1).upper() in ("VB", "VP") and before.strip() and not _AFTER_TITLE_WORD.search(before):
                continue  # "VB 2018" counts as a title only where a line starts with it
            year = int(m.group(2)) if m.group(2) else None
            whole = bool(_TITLE_LINE.match(line)) and len(line) < _TITLE_LINE_MAX
            found.append(TitleLine(i, _TYPES[m.group(1).lower()], year, line[m.end() :], whole))
    return found


def type_of_words(text: str) -> str | None:
    """The type a short text names ("Verksamhetsberättelse 2021 …", "VP 2024"), or None."""
    for m in _TITLE.finditer(text):
        return _TYPES[m.group(1).lower()]
    return None


def structure_type(text: str) -> Evidence[str]:
    """The type judged from the report's structure, for a report without a title."""
    report = len(_REPORT_SIGNS.findall(text)) + len(_REPORT_LABELS.findall(text))
    plan = len(_PLAN_LABELS.findall(text)) + len(_PLAN_SIGNS.findall(text))
    if report == 0 and plan == 0:
        if _REPORT_WORD.search(text):
            return Evidence("verksamhetsberättelse", "text_only", weight("text_only"))
        if _PLAN_WORD.search(text):
            return Evidence("verksamhetsplan", "text_only", weight("text_only"))
        return Evidence("annat", "text_only", 0.0)
    kind = "verksamhetsberättelse" if report >= plan else "verksamhetsplan"
    return Evidence(kind, "text_only", weight("text_only"))


def unit_after_title(rest: str) -> str | None:
    """The unit named after a title's type and year ("för Hemtjänsten Liljeholmen" → the name)."""
    rest = _LEAD.sub("", rest).strip()
    rest = _PART_SEPARATOR.split(rest, maxsplit=1)[0].strip()
    return rest if looks_like_name(rest) else None


def looks_like_name(line: str) -> bool:
    """Could ``line`` be a unit's name: a short capitalised phrase, not an address, person or administration?"""
    s = line.strip()
    not_unit = rules()["not_unit"]
    if not s or not s[0].isupper() or re.search(r"\d|@|\.se\b", s):
        return False
    words = s.lower().split()
    if len(words) > int(not_unit["max_words"]) or s.endswith((".", ":")):
        return False
    if words[0].rstrip(":") in not_unit["starts"]:
        return False
    return not any(w.strip(",.") in not_unit["contains"] for w in words)


def detect_title(first_lines: list[str], doc_type: str, year: int | None, unit: str | None) -> str:
    """The report's own title line if it has one, else one made from type, year and unit."""
    for i, line in enumerate(first_lines[:_HEAD_LINES]):
        if _TITLE_LINE.match(line) and len(line) < _TITLE_LINE_MAX:
            title = " ".join(line.split())
            if unit and unit.lower() not in title.lower():
                # A title wrapped onto the next line ("… – Vård- och omsorgsboendet" / "Lövsångaren").
                nxt = " ".join(first_lines[i + 1].split()) if i + 1 < len(first_lines) else ""
                joined = f"{title} {nxt}"
                wrapped = unit.lower() in joined.lower() and unit.lower() not in nxt.lower()
                title = joined if wrapped else f"{title} – {unit}"
            return title
    kind = {"verksamhetsberättelse": "Verksamhetsberättelse", "verksamhetsplan": "Verksamhetsplan"}.get(
        doc_type, "Rapport"
    )
    parts = [kind + (f" {year}" if year else "")]
    if unit:
        parts.append(unit)
    return " – ".join(parts)

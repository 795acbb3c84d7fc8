"""Which lines are structural headings, and of what kind.

Level 0 is a report section ("Sammanfattande analys"); levels 1-4 are the goal
hierarchy (KF:s inriktningsmål → KF:s mål för verksamhetsområdet → Nämndmål →
Enhetsmål/Åtagande); ``LEAF_LEVEL`` holds the labels under a goal ("Analys",
"Förväntat resultat" …). Section titles and leaf labels are data, read from
``assistant/data/sv/sections.toml``; the goal labels are patterns, because
reports write them with numbers, colons and the goal's text on the same line.
"""

from __future__ import annotations

import re

from ...resources import data_toml

__all__ = [
    "GOAL_MAIN",
    "GOAL_SUB",
    "LEAF_LABELS",
    "LEAF_LEVEL",
    "SECTIONS_FILE",
    "SECTION_TITLES",
    "heading_of",
    "load_sections",
]

SECTIONS_FILE = "sv/sections.toml"
LEAF_LEVEL = 5
GOAL_MAIN = "KF:s inriktningsmål"  # level 1
GOAL_SUB = "KF:s mål"  # level 2, "KF:s mål för verksamhetsområdet"

# (pattern, level, canonical label) of the goal hierarchy's labels, tried in order.
_GOAL_LABELS: list[tuple[re.Pattern[str], int, str]] = [
    (re.compile(r"^KF:?s\s+inriktningsmål\s*(\d+)?\s*:?\s*(.*)$", re.I), 1, GOAL_MAIN),
    (re.compile(r"^KF:?s\s+mål\s+för\s+verksamhetsområdet\s*:?\s*(.*)$", re.I), 2, GOAL_SUB),
    (re.compile(r"^(?:Nämndmål|Nämndens\s+mål)\s*:\s*(.*)$", re.I), 3, "Nämndmål"),
    (re.compile(r"^Nämndmål\s*$", re.I), 3, "Nämndmål"),
    (re.compile(r"^(Enhetsmål|Åtagande)\s*:\s*(.*)$", re.I), 4, "Enhetsmål"),
    (re.compile(r"^(Enhetsmål|Åtagande)\s*$", re.I), 4, "Enhetsmål"),
]
# Section titles are compared in lower case with every run of punctuation and space as one space.
_NON_WORD = re.compile(r"\W+")
# Plans date their sections: "Budget 2025", "Utvecklingsområden 2025".
_DATED_TITLE = re.compile(r"(.+?)\s+((?:19|20)\d\d)")


def load_sections() -> tuple[tuple[str, ...], dict[str, str]]:
    """(section titles, leaf labels) from ``assistant/data/sv/sections.toml``, in file order."""
    data = data_toml(SECTIONS_FILE)
    return tuple(data["titles"]), dict(data["leaf_labels"])


SECTION_TITLES, LEAF_LABELS = load_sections()


def _section_key(text: str) -> str:
    return _NON_WORD.sub(" ", text.lower()).strip()


# Where two titles share a key, the later one is the canonical spelling.
_SECTION_KEYS = {_section_key(t): t for t in SECTION_TITLES}
_LONGEST_TITLE = max(len(t) for t in SECTION_TITLES) + 12  # room for a year and stray punctuation


def heading_of(line: str) -> tuple[int, str, str] | None:
    """(level, canonical label, inline title) if ``line`` is a structural heading."""
    s = line.strip()
    goal = _goal_label(s)
    if goal is not None:
        return goal
    if len(s) > _LONGEST_TITLE:
        return None  # a sentence, not a section title or leaf label
    key = s.rstrip(": ").lower()
    if key in LEAF_LABELS:
        return LEAF_LEVEL, LEAF_LABELS[key], ""
    norm = _section_key(s)
    if norm in _SECTION_KEYS and s[:1].isupper():
        return 0, _SECTION_KEYS[norm], ""
    dated = _DATED_TITLE.fullmatch(norm)
    if dated and dated.group(1) in _SECTION_KEYS and s[:1].isupper():
        return 0, f"{_SECTION_KEYS[dated.group(1)]} {dated.group(2)}", ""
    return None


def _goal_label(s: str) -> tuple[int, str, str] | None:
    for pattern, level, label in _GOAL_LABELS:
        m = pattern.match(s)
        if m:
            groups = [g for g in m.groups() if g is not None]
            inline = groups[-1].strip() if groups and not groups[-1].isdigit() else ""
            if level == 4 and m.group(1) and m.group(1).lower().startswith("åtagande"):
                label = "Åtagande"
            return level, label, inline
    return None

"""Month names: one list (assistant/data/sv/months.toml) for every stage."""

from __future__ import annotations

import re

from assistant.lang.months import MONTH_ABBREVIATIONS, MONTH_NAMES, month_number, months_pattern


def test_twelve_months_in_order_with_their_short_forms() -> None:
    assert len(MONTH_NAMES) == len(MONTH_ABBREVIATIONS) == 12
    assert (MONTH_NAMES[0], MONTH_NAMES[4], MONTH_NAMES[11]) == ("januari", "maj", "december")
    # Swedish short forms are the first three letters ("okt", "maj").
    assert MONTH_ABBREVIATIONS == tuple(name[:3] for name in MONTH_NAMES)


def test_month_number() -> None:
    assert month_number("januari") == 1
    assert month_number("Mars") == 3
    assert month_number("december") == 12
    assert month_number("mar") is None
    assert month_number("måndag") is None


def test_months_pattern_matches_whole_names_and_short_forms() -> None:
    full = re.compile(rf"\b(?:{months_pattern()})\s+(\d{{4}})\b", re.I)
    assert full.search("under Oktober 2014 ökade").group(1) == "2014"  # type: ignore[union-attr]
    assert full.search("under okt 2014 ökade") is None
    short = re.compile(rf"\b(?:{months_pattern(MONTH_ABBREVIATIONS)})-\d\d\b")
    assert short.search("Insats dec-13 jun-14") is not None

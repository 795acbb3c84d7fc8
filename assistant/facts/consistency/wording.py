"""Words about change (assistant/data/sv/change_words.toml), compiled once."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ...resources import data_toml

__all__ = ["EXPLAINED", "HIGHER_WORDS", "LOWER_WORDS"]


def _word_beginnings(entries: Iterable[str]) -> re.Pattern[str]:
    """Any of ``entries`` at the start of a word, with any ending; a space matches any whitespace."""
    alternatives = (r"\s+".join(re.escape(part) for part in entry.split()) for entry in entries)
    return re.compile(r"\b(?:" + "|".join(alternatives) + ")", re.I)


_WORDS = data_toml("sv/change_words.toml")
#: A goal's text asks for a lower value ("Sjunkande sjukfrånvaro").
LOWER_WORDS = _word_beginnings(_WORDS["lower"])
#: A goal's text asks for a higher value ("ökad delaktighet").
HIGHER_WORDS = _word_beginnings(_WORDS["higher"])
#: The text next to a change explains it ("beror på", "jämfört med").
EXPLAINED = _word_beginnings(_WORDS["explained"])

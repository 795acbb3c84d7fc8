"""What a line's text looks like: the end of a sentence, a bullet, a table cell's value.

Classifying lines and joining them into paragraphs and table rows ask the same
questions; the answers are these patterns.
"""

from __future__ import annotations

import re

__all__ = ["BULLET", "ENDS_SENTENCE", "LOWER_LETTER_START", "LOWER_START", "VALUES_ONLY", "VALUE_END"]

# A sentence (or a clause before a list) ends here, possibly inside quotes or brackets.
ENDS_SENTENCE = re.compile(r"[.!?:;]\s*[\"”»)]?\s*$")
# The last cell of a table row: a percentage, a date, a year, an amount, a unit,
# "Avvikelse", or a plan's "Periodicitet" column (År, Tertial, …).
VALUE_END = re.compile(
    r"(?:\d\s*%|\b\d{4}-\d{2}-\d{2}|\bVB\s*\d{4}|\b(?:19|20)\d{2}|\d[\d ]*|tkr|mnkr|Avvikelse"
    r"|\b(?:År|Tertial|Halvår|Kvartal|Månad))\s*$",
    re.I,
)
# A line holding nothing but cell values: "2012-01-01 2012-12-31", "79 % 78 % 80 % 2014".
VALUES_ONLY = re.compile(r"^[\d\s%,.+/\-–]+(?:\s*VB\s*\d{4})?\s*$")
# A list item: a bullet sign, or "1." / "2)" before a capital letter.
BULLET = re.compile(r"^\s*[•●○■□▪►\-–—]\s+|^\s*\d+[.)]\s+(?=[A-ZÅÄÖ])")
# Text that cannot start a sentence: the wrapped rest of one.
LOWER_START = re.compile(r"^\s*[a-zåäöéü0-9(%,]")
# A line that starts with a lower-case letter: it continues the line before it.
LOWER_LETTER_START = re.compile(r"^[a-zåäöé]")

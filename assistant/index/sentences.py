"""Splitting passage text into sentences (and table rows), with offsets."""

from __future__ import annotations

import re

__all__ = ["split_sentences"]

# A sentence ends at . ! ? before an upper-case letter, digit or bullet; a line
# break always ends one (a table row, a list item, a heading).
_SENT_END = re.compile(r"(?<=[.!?])\s+(?=[\"”«(]?[A-ZÅÄÖ0-9•\-])|\n+")


# Abbreviations after which a full stop does not end the sentence ("kl. 16:00", "ca. 200", "t.ex. Excel").
_ABBREVIATION = re.compile(
    r"(?:^|[\s(])(?:kl|ca|nr|sid|kap|tel|jfr|resp|ang|t\.ex|bl\.a|s\.k|p\.g\.a|d\.v\.s|fr\.o\.m|t\.o\.m|"
    r"f\.d|m\.fl)\.$",
    re.I,
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences in ``text``, whitespace trimmed."""
    spans = []
    pos = 0
    for m in _SENT_END.finditer(text):
        if "\n" not in m.group() and _ABBREVIATION.search(text, max(0, m.start() - 8), m.start()):
            continue
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    out = []
    for s, e in spans:
        seg = text[s:e]
        lead = len(seg) - len(seg.lstrip())
        trail = len(seg) - len(seg.rstrip())
        if e - trail > s + lead:
            out.append((s + lead, e - trail))
    return out

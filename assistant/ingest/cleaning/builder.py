"""Cleaned text built from runs copied from the source plus a few synthetic
separators, so that ``runs`` (the offset map) leads every copied character back
to the file."""

from __future__ import annotations

import re

__all__ = ["TextBuilder"]

# Inline markup some extractors leave in the text ("<i>Intäkter</i>"); the words stay.
_TAGS = re.compile(r"</?(?:i|b|u|em|strong|sup|sub|br)\s*/?>", re.I)
# Runs of spaces inside a line (column gaps) become one space.
_SPACE_RUN = re.compile(r" {2,}")


class TextBuilder:
    """Appends source runs and synthetic text; ``runs`` holds (clean offset, source offset, length)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.parts: list[str] = []
        self.length = 0
        self.runs: list[tuple[int, int, int]] = []

    def copy(self, start: int, end: int) -> None:
        """Copy source[start:end], dropping markup tags and folding space runs."""
        segment = self.source[start:end]
        pos = 0
        for m in _TAGS.finditer(segment):
            self._copy_folded(start + pos, start + m.start())
            pos = m.end()
        self._copy_folded(start + pos, end)

    def synthetic(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def drop_last_char(self) -> None:
        """Take back the last character written (a line-end hyphen of a rejoined word)."""
        last = self.parts[-1]
        self.parts[-1] = last[:-1]
        self.length -= 1
        if self.runs:
            clean_start, src_start, length = self.runs[-1]
            if clean_start + length > self.length:
                self.runs[-1] = (clean_start, src_start, length - 1)

    def text(self) -> str:
        return "".join(self.parts)

    def _copy_folded(self, start: int, end: int) -> None:
        segment = self.source[start:end]
        pos = 0
        for m in _SPACE_RUN.finditer(segment):
            self._raw(start + pos, start + m.start())
            self.synthetic(" ")
            pos = m.end()
        self._raw(start + pos, end)

    def _raw(self, start: int, end: int) -> None:
        if end <= start:
            return
        self.runs.append((self.length, start, end - start))
        self.parts.append(self.source[start:end])
        self.length += end - start

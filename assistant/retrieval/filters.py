"""Filters: which reports a question may be answered from (year, unit, type)."""

from __future__ import annotations

from dataclasses import dataclass

from ..documents import Chunk, ReportMeta

__all__ = ["Filters"]


@dataclass(frozen=True)
class Filters:
    years: tuple[int, ...] = ()
    unit: str | None = None
    type: str | None = None

    def allows(self, item: Chunk | ReportMeta) -> bool:
        """Does a chunk (or a whole report) pass the filters?"""
        if self.years and item.year not in self.years:
            return False
        if self.unit and (item.unit or "").lower() != self.unit.lower():
            return False
        return not (self.type and item.type != self.type)

    def widened(self) -> Filters:
        """The same unit and type, any year."""
        return Filters((), self.unit, self.type)

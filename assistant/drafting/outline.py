"""The section skeleton of a unit's latest report: what ``draft`` can be asked to write."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..documents import REPORT_TYPES, Document
from ..errors import AssistantError
from .precedents import report_sections
from .units import resolve_unit

if TYPE_CHECKING:
    from ..api import Assistant

__all__ = ["OutlineItem", "outline"]


@dataclass(frozen=True)
class OutlineItem:
    level: int
    label: str | None
    title: str
    path: tuple[str, ...]
    parts: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "label": self.label,
            "title": self.title,
            "path": list(self.path),
            "parts": list(self.parts),
        }


def outline(assistant: Assistant, *, unit: str | None = None, type: str | None = None) -> tuple[Any, list[OutlineItem]]:
    """The section skeleton of the unit's latest report of the type: (ReportMeta, items)."""
    if type is not None and type not in REPORT_TYPES:
        raise AssistantError(f"Okänd rapporttyp '{type}'. Välj en av: {', '.join(REPORT_TYPES)}.")
    unit = resolve_unit(assistant, unit) if unit else None
    metas = [
        m
        for m in assistant.reports()
        if (unit is None or (m.unit or "").lower() == unit.lower()) and (type is None or m.type == type)
    ]
    if not metas:
        have = ", ".join(sorted({m.type for m in assistant.reports() if unit is None or m.unit == unit}))
        raise AssistantError(
            f"Det finns ingen {type or 'rapport'}{' för ' + unit if unit else ''}. Rapporttyper som finns: {have}."
        )
    meta = max(metas, key=lambda m: (m.year or 0, m.report_id))
    doc = assistant.document(meta.report_id)
    return meta, _with_parent_goals(doc, _items(doc))


def _items(doc: Document) -> list[OutlineItem]:
    items: list[OutlineItem] = []
    for section in report_sections(doc):
        head = section.head
        level = head.level if head is not None and head.level >= 0 else min(len(section.path) - 1, 5)
        parts = tuple(str(label) for label, blocks in section.parts() if label is not None)
        label = head.label if head is not None else None
        items.append(OutlineItem(level, label, section.title, section.path, parts))
    return items


def _with_parent_goals(doc: Document, items: list[OutlineItem]) -> list[OutlineItem]:
    """Goals whose only content is their sub-goals (KF:s inriktningsmål) still belong in the skeleton."""
    present = {item.path for item in items}
    full: list[OutlineItem] = []
    for item in items:
        for depth in range(1, len(item.path)):
            prefix = item.path[:depth]
            if prefix not in present:
                present.add(prefix)
                full.append(OutlineItem(_level_of(doc, prefix[-1]), None, prefix[-1], prefix, ()))
        full.append(item)
    return full


def _level_of(doc: Document, title: str) -> int:
    for block in doc.blocks:
        if block.kind == "heading" and block.title == title:
            return max(block.level, 0)
    return 0

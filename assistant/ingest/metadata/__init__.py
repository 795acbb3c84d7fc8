"""Detecting a report's unit, district, year, type and title, each with a confidence.

What every report has is read, one module a field: the title page or first
heading and labelled fields (``title``, ``hints``), the file's properties and
name (``hints``), and the text (``year``, ``unit``, ``district``). Every source
that points at a value is weighed (``evidence``); the weights, field labels and
the confidence at which a field counts as sure are data (``sv/metadata.toml``),
and so are Stockholm's districts past and present (``sv/districts.toml``) and
the words that end a unit's name (``sv/unit_name_stop_words.txt``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .district import DISTRICTS_FILE, FORMER_DISTRICTS, KNOWN_DISTRICTS, district_evidence, load_districts
from .evidence import Choice, Evidence, choose, rules, weight
from .hints import MetadataHints, file_name_words
from .title import TitleLine, detect_title, structure_type, title_lines, type_of_words
from .unit import UNIT_STOP_WORDS_FILE, load_unit_stop_words, normalise_unit, unit_evidence, unit_key
from .year import year_evidence

__all__ = [
    "DETECTED_FIELDS",
    "DISTRICTS_FILE",
    "FORMER_DISTRICTS",
    "KNOWN_DISTRICTS",
    "UNIT_STOP_WORDS_FILE",
    "DetectedMeta",
    "MetadataHints",
    "detect_metadata",
    "detect_title",
    "load_districts",
    "load_unit_stop_words",
    "normalise_unit",
    "sure_confidence",
]

DETECTED_FIELDS = ("unit", "district", "year", "type")


def sure_confidence() -> float:
    """At or above this confidence a detected field needs no confirmation (``[confidence] sure``)."""
    return float(rules()["confidence"]["sure"])


@dataclass(frozen=True)
class DetectedMeta:
    title: str
    unit: str | None
    district: str | None
    year: int | None
    type: str
    # field → 0..1, and field → the sources that agree ("title", "file_name", …)
    confidence: dict[str, float] = field(default_factory=dict)
    evidence: dict[str, tuple[str, ...]] = field(default_factory=dict)


def detect_metadata(text: str, first_lines: list[str], hints: MetadataHints | None = None) -> DetectedMeta:
    hints = hints or MetadataHints()
    titles = title_lines(first_lines)
    doc_type = choose(_type_evidence(text, titles, hints))
    year = choose(year_evidence(text, titles, first_lines, hints))
    unit = choose(unit_evidence(text, titles, first_lines, hints), key=unit_key)
    district = choose(district_evidence(text, first_lines))
    kind = doc_type.value or "annat"
    title = detect_title(first_lines, kind, year.value, unit.value)
    choices: dict[str, Choice[Any]] = {"type": doc_type, "year": year, "unit": unit, "district": district}
    return DetectedMeta(
        title=title,
        unit=unit.value,
        district=district.value,
        year=year.value,
        type=kind,
        confidence={name: c.confidence for name, c in choices.items()},
        evidence={name: c.sources for name, c in choices.items()},
    )


_FILE_TYPE_WORDS = {
    "vb": "verksamhetsberättelse",
    "verksamhetsberattelse": "verksamhetsberättelse",
    "vp": "verksamhetsplan",
    "verksamhetsplan": "verksamhetsplan",
}


def _type_evidence(text: str, titles: list[TitleLine], hints: MetadataHints) -> list[Evidence[str]]:
    out: list[Evidence[str]] = []
    if titles:
        out.append(Evidence(titles[0].type, "title", weight("title")))
    named = {_FILE_TYPE_WORDS[w] for w in file_name_words(hints.file_name) if w in _FILE_TYPE_WORDS}
    if len(named) == 1:
        out.append(Evidence(named.pop(), "file_name", weight("file_name")))
    if prop := type_of_words(hints.properties.get("title", "") + " " + hints.properties.get("subject", "")):
        out.append(Evidence(prop, "properties", weight("properties")))
    if not titles:  # the structure is a weak sign, asked only when the report has no title
        out.append(structure_type(text))
    return out

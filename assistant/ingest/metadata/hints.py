"""What a report file says about itself besides its text: its name, its properties, labelled fields.

- The file name ("VB2021_Hemtjansten_Liljeholmen.pdf", "VP 2024 Lövsångaren.docx"):
  its words are often written without å/ä/ö, so names are compared folded to ASCII.
- The properties (DOCX core properties, PDF metadata): title and subject, often a
  template's leftovers ("Mall verksamhetsberättelse 2016"), so they weigh little.
- Labelled fields at the top of a report: "Enhet: …", "Stadsdel: …", "Rapport: …"
  (the labels are data, ``[fields]`` in ``sv/metadata.toml``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .evidence import rules

__all__ = ["MetadataHints", "ascii_words", "file_name_words", "labelled_fields", "name_in_file_name"]

_WORD = re.compile(r"[^\W_]+")
_LABEL = re.compile(r"^\s*([A-Za-zÅÄÖåäö][\w ]{1,30}?)\s*:\s*(\S.*?)\s*$")
_FIELD_LINES = 30  # first lines searched for labelled fields


@dataclass(frozen=True)
class MetadataHints:
    """What is known about a report apart from its text."""

    file_name: str = ""  # without folder
    properties: dict[str, str] = field(default_factory=dict)  # "title", "subject" → value


def ascii_words(text: str) -> list[str]:
    """The words of ``text`` in lower case with accents removed ("Hemtjänsten" → "hemtjansten")."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return _WORD.findall(folded)


def _file_words(file_name: str) -> list[str]:
    stem = file_name.rsplit(".", 1)[0]
    spaced = re.sub(r"(?<=[a-zåäö])(?=[A-ZÅÄÖ])", " ", stem)  # CamelCase
    spaced = re.sub(r"(?<=\D)(?=\d)|(?<=\d)(?=\D)", " ", spaced)  # VB2021 → VB 2021
    return ascii_words(spaced)


def name_in_file_name(name: str, file_name: str) -> bool:
    """Does the file name spell ``name`` (every word of 4+ letters, possibly shortened)?"""
    wanted = [w for w in ascii_words(name) if len(w) >= 4]
    if not wanted:
        return False
    have = _file_words(file_name)
    return all(any(h == w or (len(h) >= 4 and (w.startswith(h) or h.startswith(w))) for h in have) for w in wanted)


def file_name_words(file_name: str) -> list[str]:
    """The file name's words, ASCII-folded, with numbers split off ("VB2021" → "vb", "2021")."""
    return _file_words(file_name)


def labelled_fields(first_lines: list[str]) -> dict[str, str]:
    """The values of labelled fields at the top: {"unit": …, "district": …, "report": …}."""
    labels: dict[str, str] = {}
    for kind, names in rules()["fields"].items():
        for name in names:
            labels[name] = kind
    found: dict[str, str] = {}
    for line in first_lines[:_FIELD_LINES]:
        m = _LABEL.match(line)
        if not m:
            continue
        kind = labels.get(" ".join(m.group(1).lower().split()))
        if kind and kind not in found:
            found[kind] = m.group(2)
    return found

"""Synonyms from a real Swedish thesaurus: LibreOffice's (Debian package ``mythes-sv``).

A question word is looked up by its dictionary base form (:mod:`.morphology`: "kunderna" → "kund"
→ "klient", "köpare", …); only synonyms that the corpus uses matter, which the lexical index
checks when it expands a query. Without the thesaurus file (the package not installed) there are
no synonyms and search works as before, only less well on paraphrases.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from . import morphology

__all__ = ["THESAURUS_PATHS", "synonyms_available", "synonyms_of"]

log = logging.getLogger(__name__)

THESAURUS_PATHS = (Path("/usr/share/mythes/th_sv_SE_v2.dat"),)


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[str, ...]]:
    for path in THESAURUS_PATHS:
        if path.exists():
            return _read(path)
    log.warning("Ingen svensk synonymordbok hittades (Debian-paketet mythes-sv); omskrivningar hittas sämre.")
    return {}


def _read(path: Path) -> dict[str, tuple[str, ...]]:
    """MyThes format: an encoding line, then "word|n" followed by n lines "|syn|syn…" (or "(pos)|syn…")."""
    lines = path.read_bytes().split(b"\n")
    encoding = lines[0].decode("ascii", "replace").strip() or "ISO-8859-1"
    table: dict[str, set[str]] = {}
    i = 1
    while i < len(lines):
        head = lines[i].decode(encoding, "replace").strip()
        i += 1
        if "|" not in head:
            continue
        word, _, count = head.partition("|")
        try:
            n = int(count)
        except ValueError:
            continue
        entry = table.setdefault(word.lower(), set())
        for line in lines[i : i + n]:
            for syn in line.decode(encoding, "replace").strip().split("|")[1:]:
                syn = syn.strip().lower()
                if syn and syn != word.lower() and " " not in syn:
                    entry.add(syn)
        i += n
    return {w: tuple(sorted(s)) for w, s in table.items() if s}


def synonyms_available() -> bool:
    return bool(_table())


@lru_cache(maxsize=100_000)
def synonyms_of(word: str) -> tuple[str, ...]:
    """Single-word synonyms of a lower-case word (looked up as written and by its base form)."""
    table = _table()
    found: list[str] = []
    for key in dict.fromkeys((word, morphology.lemma(word) or word)):
        found.extend(table.get(key, ()))
    return tuple(dict.fromkeys(found))

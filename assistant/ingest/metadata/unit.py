"""The unit a report is about.

Sources, strongest first: a labelled field ("Enhet: Biståndsenheten för äldre"),
the title line ("… 2021 för Hemtjänsten Liljeholmen", "… 2024 – Vård- och
omsorgsboendet Lövsångaren", a title page's line after "Verksamhetsberättelse
2022"), a letterhead's addressee ("Till" / "Hemtjänsten Liljeholmen"), the file's
properties and the file name; last, the unit names the text itself uses
("Assistansenheten", "Enheten för personligt stöd"). A name from the title page
that the text repeats, or that the file name spells, is surer.
"""

from __future__ import annotations

import re
from collections import Counter

from ...resources import data_words
from ..cleaning.headings import heading_of
from .evidence import Evidence, weight
from .hints import MetadataHints, labelled_fields, name_in_file_name
from .title import TitleLine, looks_like_name, type_of_words, unit_after_title

__all__ = ["UNIT_STOP_WORDS_FILE", "load_unit_stop_words", "normalise_unit", "unit_evidence", "unit_key"]

UNIT_STOP_WORDS_FILE = "sv/unit_name_stop_words.txt"

_UNIT = re.compile(
    r"\b([A-ZÅÄÖ][a-zåäö]+enheten|Enheten\s+för\s+[a-zåäöA-ZÅÄÖ]+(?:\s+[a-zåäö]+)?)"
    r"(\s+(?:funktionsnedsättning|socialpsykiatri|vuxna|barn(?:\s+och\s+unga)?|äldre))?"
)
_UNIT_SEARCH = 20000  # characters of the text searched for unit names
_ADDRESSEE = re.compile(r"^\s*till\s*:?\s*$", re.I)
_NAMING_SOURCES = ("field", "title", "title_next", "addressee")  # sources that give a name in full
_WRAP_MAX_WORDS = 3  # a title's unit name wrapped onto the next line: at most this many words there


def load_unit_stop_words() -> frozenset[str]:
    """Words a unit's name does not end with, from ``assistant/data/sv/unit_name_stop_words.txt``."""
    return frozenset(data_words(UNIT_STOP_WORDS_FILE))


_UNIT_STOP = load_unit_stop_words()


def normalise_unit(name: str) -> str:
    """Canonical spelling: first letter upper case, single spaces."""
    name = " ".join(name.split())
    return name[:1].upper() + name[1:]


def unit_key(name: str) -> str:
    return " ".join(name.lower().split())


def unit_evidence(
    text: str, titles: list[TitleLine], first_lines: list[str], hints: MetadataHints
) -> list[Evidence[str]]:
    """Every source's word on the report's unit."""
    named: list[Evidence[str]] = []
    if (value := labelled_fields(first_lines).get("unit")) and looks_like_name(value):
        named.append(Evidence(normalise_unit(value), "field", weight("field")))
    named += _title_units(titles, first_lines, text)
    named += _addressee(first_lines)
    named += _property_units(hints, text)
    mentioned = _mentioned_units(text, "\n".join(first_lines[:25]))
    out = list(named)
    named_values = {e.value for e in named}
    for name in sorted(named_values | set(mentioned)):
        if name_in_file_name(name, hints.file_name):
            out.append(Evidence(name, "file_name", weight("file_name")))
        if name in named_values and _occurrences(name, text) >= 2:
            out.append(Evidence(name, "text_repeated", weight("text_repeated")))
    if mentioned:
        best = _best_mentioned(mentioned)
        out.append(Evidence(best, "text_only", weight("text_only") * (0.5 if named else 1.0)))
    return _pool_prefixes(out)


def _title_units(titles: list[TitleLine], first_lines: list[str], text: str) -> list[Evidence[str]]:
    out: list[Evidence[str]] = []
    for title in titles:
        name = unit_after_title(title.rest)
        if name:
            nxt = first_lines[title.index + 1] if title.index + 1 < len(first_lines) else ""
            out.append(Evidence(normalise_unit(_unwrap(name, nxt, text)), "title", weight("title")))
        elif title.whole_line and not title.rest.strip(" –-:") and title.index + 1 < len(first_lines):
            nxt = first_lines[title.index + 1]
            candidate = unit_after_title(nxt) if type_of_words(nxt) is None else None
            if candidate:
                out.append(Evidence(normalise_unit(candidate), "title_next", weight("title_next")))
    return out


def _unwrap(name: str, next_line: str, text: str) -> str:
    """A title's name that a PDF wrapped onto the next line, joined back when the text uses the joined form."""
    words = next_line.split()
    if not words or len(words) > _WRAP_MAX_WORDS or not next_line[:1].isupper() or not looks_like_name(next_line):
        return name
    if heading_of(next_line) is not None:
        return name
    joined = f"{name} {' '.join(words)}"
    return joined if _occurrences(joined, text, across_lines=False) >= 1 else name


def _addressee(first_lines: list[str]) -> list[Evidence[str]]:
    """The unit a letterhead is addressed to: the line after "Till"."""
    for i, line in enumerate(first_lines[:25]):
        if _ADDRESSEE.match(line) and i + 1 < len(first_lines) and looks_like_name(first_lines[i + 1]):
            return [Evidence(normalise_unit(first_lines[i + 1]), "addressee", weight("addressee"))]
    return []


def _property_units(hints: MetadataHints, text: str) -> list[Evidence[str]]:
    """A unit in the file's title property ("Verksamhetsberättelse 2021 Hemtjänsten Liljeholmen"),
    counted only where the text names it too (properties are often a template's leftovers)."""
    out: list[Evidence[str]] = []
    title = hints.properties.get("title", "")
    if type_of_words(title) is None:
        return out
    name = unit_after_title(re.sub(r"^.*?\b(?:verksamhetsberättelse|verksamhetsplan|VB|VP)\b", "", title, flags=re.I))
    if name and _occurrences(name, text) >= 1:
        out.append(Evidence(normalise_unit(name), "properties", weight("properties")))
    return out


def _occurrences(name: str, text: str, *, across_lines: bool = True) -> int:
    space = r"\s+" if across_lines else r"[ \t]+"
    pattern = r"(?<!\w)" + space.join(re.escape(w) for w in name.split()) + r"(?!\w)"
    return len(re.findall(pattern, text, flags=re.I))


def _mentioned_units(text: str, head: str) -> Counter[str]:
    """Unit names of the "…enheten" / "Enheten för …" kind, weighted: a mention in the first lines counts five times."""
    counts: Counter[str] = Counter()
    for source, mention in ((head, 5), (text[:_UNIT_SEARCH], 1)):
        for m in _UNIT.finditer(source):
            words = m.group(1).split()
            while words and words[-1].lower() in _UNIT_STOP:
                words.pop()
            base = " ".join(words)
            if base.lower() in ("enheten", "enheten för"):
                continue
            counts[normalise_unit(base + (m.group(2) or ""))] += mention
            if m.group(2):
                counts[normalise_unit(base)] += 0  # keep the bare form known
    return counts


def _best_mentioned(counts: Counter[str]) -> str:
    # Prefer the qualified form ("Beställarenheten funktionsnedsättning") when
    # it is used repeatedly; it names the unit more precisely than the bare one.
    best, _ = counts.most_common(1)[0]
    for name, count in counts.most_common():
        if name != best and name.startswith(best + " ") and count >= 2:
            return name
    return best


def _pool_prefixes(evidence: list[Evidence[str]]) -> list[Evidence[str]]:
    """Evidence for a shortened name ("Biståndsenheten", "Lövsångaren") counts for the full name a
    stronger source gives ("Biståndsenheten för äldre", "Vård- och omsorgsboendet Lövsångaren")."""
    strong = {unit_key(e.value): e.value for e in evidence if e.source in _NAMING_SOURCES}
    out = []
    for e in evidence:
        key = unit_key(e.value)
        longer = [s for s in strong if s != key and (s.startswith(key + " ") or s.endswith(" " + key))]
        if longer and e.source not in _NAMING_SOURCES:
            out.append(Evidence(strong[max(longer, key=len)], e.source, e.weight))
        else:
            out.append(e)
    return out

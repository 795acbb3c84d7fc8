"""What the corpus holds, for routing questions and for telling users: years, units, districts, types.

A unit is recognised in a question by its name or a distinctive part of it
("assistansenheten", "beställarenheten", "personligt stöd"); those alias word
lists are derived from the unit names themselves, so a new unit is known as
soon as its report is loaded.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..documents import Chunk, ReportMeta
from ..errors import AssistantError
from ..index.lexical import stem

__all__ = ["PROPER_NAME", "NameUnits", "ReportCatalog", "UnitAlias", "question_stems", "same_district"]

_WORD = re.compile(r"[\wåäöÅÄÖ]+")


@dataclass(frozen=True)
class UnitAlias:
    unit: str
    stems: tuple[str, ...]  # stems that must all occur in the question


@dataclass(frozen=True)
class ReportCatalog:
    """What the corpus holds: years, units, types (for routing and for telling users)."""

    reports: tuple[ReportMeta, ...]
    aliases: tuple[UnitAlias, ...] = ()
    # What each unit works with: the words after its head word ("funktionsnedsättning", "personligt stöd").
    fields: tuple[UnitAlias, ...] = ()
    # The units whose reports use a name ("Lövsångarbacken", the address of one unit): from the
    # reports' text, looked up only for a unit the question names that no unit is called.
    name_units: Callable[[str], frozenset[str]] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_reports(
        cls, reports: list[ReportMeta], name_units: Callable[[str], frozenset[str]] | None = None
    ) -> ReportCatalog:
        aliases: list[UnitAlias] = []
        fields: list[UnitAlias] = []
        units = sorted({r.unit for r in reports if r.unit})
        names = _proper_names(units, {r.district for r in reports if r.district})
        firsts = [u.split()[0].lower() for u in units if len(u.split()) > 1]
        for unit in units:
            for words in _unit_alias_words(unit):
                aliases.append(UnitAlias(unit, tuple(stem(w) for w in words)))
            head = unit.split()[0].lower()
            if len(unit.split()) > 1 and firsts.count(head) == 1 and head not in _generic():
                aliases.append(UnitAlias(unit, (stem(head),)))  # "Boendestödet" names "Boendestödet Södermalm"
            for name in names.get(unit, ()):
                aliases.append(UnitAlias(unit, (stem(name),)))  # "Blåklinten" names "Daglig verksamhet Blåklinten"
            field = [w.lower() for w in _WORD.findall(unit)][1:]
            if field := [w for w in field if w != "för"]:
                fields.append(UnitAlias(unit, tuple(stem(w) for w in field)))
        return cls(tuple(reports), tuple(aliases), tuple(fields), name_units)

    @property
    def years(self) -> list[int]:
        return sorted({r.year for r in self.reports if r.year})

    @property
    def units(self) -> list[str]:
        return sorted({r.unit for r in self.reports if r.unit})

    @property
    def types(self) -> list[str]:
        return sorted({r.type for r in self.reports})

    @property
    def districts(self) -> list[str]:
        return sorted({r.district for r in self.reports if r.district})

    def named_units(self, question: str) -> set[str]:
        """The units the question names (all alias words occur in it)."""
        return _named(question, self.aliases)

    def names_a_field(self, question: str) -> bool:
        """Does the question name what one of the units works with ("… för funktionsnedsättning")?"""
        return bool(_named(question, self.fields))

    def unit_stems(self, units: set[str]) -> set[str]:
        """The alias stems of ``units`` (removed from a question's content once they became a filter)."""
        return {s for alias in self.aliases if alias.unit in units for s in alias.stems}

    def resolve_unit(self, unit: str) -> str:
        """The unit's name as the corpus writes it, from its name or an unambiguous part of it;
        an unknown name is an error listing the known ones."""
        wanted = " ".join(unit.split()).lower()
        for name in self.units:
            if name.lower() == wanted:
                return name
        matches = [name for name in self.units if wanted and wanted in name.lower()]
        if len(matches) == 1:
            return matches[0]
        raise AssistantError(f"Okänd enhet '{unit}'. Enheter som finns: {', '.join(self.units)}.")


def question_stems(question: str) -> set[str]:
    return {stem(w) for w in _WORD.findall(question.lower())}


def same_district(a: str, b: str) -> bool:
    """Lenient: "Älvsjö" is the same place as "Hägersten-Älvsjö" (a merged district) and vice versa."""
    return bool({a, *a.split("-")} & {b, *b.split("-")})


def _unit_alias_words(unit: str) -> list[list[str]]:
    words = [w.lower() for w in _WORD.findall(unit)]
    out = [words]
    if words and words[0] == "enheten" and "för" in words:
        rest = words[words.index("för") + 1 :]
        if rest:
            out.append(rest)  # "personligt stöd"
    elif len(words) > 1 and words[0].endswith("enheten"):
        out.append(words[:1])  # "beställarenheten"
    return out


def _generic() -> frozenset[str]:
    from ..resources import data_toml

    return frozenset(data_toml("sv/question_words.toml")["generic_unit"].split())


def _proper_names(units: list[str], districts: set[str]) -> dict[str, list[str]]:
    """Per unit, the capitalised words of its name after the first ("Blåklinten" in "Daglig verksamhet
    Blåklinten") that no other unit's name has and that are no district ("Södermalm" in "Boendestödet
    Södermalm" places the unit, it does not name it): such a word alone names the unit."""
    place_words = {w.lower() for d in districts for w in re.split(r"[-\s]+", d) if w}
    words_of = {u: [w for w in _WORD.findall(u)[1:] if w[:1].isupper()] for u in units}
    out: dict[str, list[str]] = {}
    for unit, words in words_of.items():
        for word in words:
            low = word.lower()
            shared = any(low in (x.lower() for x in _WORD.findall(other)) for other in units if other != unit)
            if not shared and low not in place_words:
                out.setdefault(unit, []).append(low)
    return out


def _named(question: str, aliases: tuple[UnitAlias, ...]) -> set[str]:
    """The units of the aliases whose words all occur in the question."""
    q_stems = question_stems(question)
    return {alias.unit for alias in aliases if all(s in q_stems for s in alias.stems)}


# A proper name: a capitalised word of 4+ letters, perhaps hyphenated ("Lövsångarbacken", "Hässelby-Vällingby").
PROPER_NAME = r"[A-ZÅÄÖ][a-zåäöé]{3,}(?:-[A-ZÅÄÖ]?[a-zåäöé]+)*"
# One inside a sentence (after a lower-case word or a figure), not a word starting it.
_NAME_IN_SENTENCE = re.compile(rf"(?<=[a-zåäö0-9,] ){PROPER_NAME}")


class NameUnits:
    """Which units' passages use a proper name ("Lövsångarbacken"), read from the chunks on the first
    question that needs it (a unit named by something that is not its name); thread-safe."""

    def __init__(self, chunks: Sequence[Chunk]) -> None:
        self._chunks = chunks
        self._by_name: dict[str, frozenset[str]] | None = None
        self._lock = threading.Lock()

    def __call__(self, name: str) -> frozenset[str]:
        with self._lock:
            if self._by_name is None:
                found: dict[str, set[str]] = {}
                for chunk in self._chunks:
                    if chunk.unit:
                        for word in set(_NAME_IN_SENTENCE.findall(chunk.text)):
                            found.setdefault(word.lower(), set()).add(chunk.unit)
                self._by_name = {w: frozenset(u) for w, u in found.items()}
        return self._by_name.get(name.lower(), frozenset())

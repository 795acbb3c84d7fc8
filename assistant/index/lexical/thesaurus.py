"""A small domain thesaurus: everyday and English words → the reports' own terms.

Staff ask "hur många anställda", the reports say "medarbetare"; they ask about
"förlust", the reports say "underskott". The lexical index only sees the
reports' words, so a question term found here is expanded with the report
terms (at a lower weight than the question's own words). The table is data:
``assistant/data/sv/thesaurus.toml``.
"""

from __future__ import annotations

from functools import lru_cache

from ...resources import data_toml
from .analyzer import analyze

__all__ = ["expansions", "has_expansion", "synonyms"]


def synonyms() -> dict[str, list[str]]:
    """The table as written: word → report words."""
    return {k: list(v) for k, v in data_toml("sv/thesaurus.toml").items()}


@lru_cache(maxsize=1)
def _stemmed() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for word, targets in synonyms().items():
        keys = analyze(word, keep_stopwords=True)
        if not keys:
            continue
        stems = tuple(dict.fromkeys(t for target in targets for t in analyze(target, keep_stopwords=True)))
        table[keys[0]] = tuple(dict.fromkeys(table.get(keys[0], ()) + stems))
    return table


def expansions(question: str) -> list[str]:
    """Report-vocabulary stems for the question's everyday/English words."""
    table = _stemmed()
    out: list[str] = []
    for term in analyze(question, keep_stopwords=True):
        for target in table.get(term, ()):
            if target != term and target not in out:
                out.append(target)
    return out


def has_expansion(stem: str) -> bool:
    """Does the thesaurus map this (already stemmed) question term to report vocabulary?"""
    return bool(_stemmed().get(stem))

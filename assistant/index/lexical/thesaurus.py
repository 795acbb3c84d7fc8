"""Other words for a question's words: the genre's own pairings and a general Swedish thesaurus.

Staff ask "hur många anställda", the reports say "medarbetare"; they ask about
"förlust", the reports say "underskott". The lexical index only sees the
reports' words, so a question word is expanded with other words for it (at a
lower weight than the question's own words): first the small genre table of
synonyms and abbreviations (``assistant/data/sv/thesaurus.toml``), then the
general thesaurus (:mod:`.synonyms`, LibreOffice's mythes-sv, looked up by the
word's base form). Which of them the corpus uses is checked by the index.
"""

from __future__ import annotations

from functools import lru_cache

from ...resources import data_toml
from .analyzer import analyze, stem
from .synonyms import synonyms_of

__all__ = ["expansions", "has_expansion", "synonym_terms", "synonyms"]


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
    """Stems of the report words the genre table offers for the question's words."""
    table = _stemmed()
    out: list[str] = []
    for term in analyze(question, keep_stopwords=True):
        for target in table.get(term, ()):
            if target != term and target not in out:
                out.append(target)
    return out


@lru_cache(maxsize=100_000)
def _synonym_stems(word: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(stem(s) for s in synonyms_of(word)))


def has_expansion(term: str) -> bool:
    """Does the genre table map this (already stemmed) question term to report vocabulary?"""
    return bool(_stemmed().get(term))


def synonym_terms(word: str) -> tuple[str, ...]:
    """The stems of a lower-case word's synonyms in the general thesaurus."""
    return _synonym_stems(word)

"""The question's language, and the names it uses."""

from __future__ import annotations

import re
from functools import lru_cache

from ..index.lexical import analyze
from ..resources import data_words

__all__ = ["english_function_words", "language_of", "names_in"]

_WORDS = re.compile(r"[a-zåäö]+")
_NAME_WORDS = re.compile(r"[\wåäöÅÄÖ-]+")


@lru_cache(maxsize=1)
def english_function_words() -> frozenset[str]:
    """English words that are no Swedish words and carry no topic ("the", "what", "report")."""
    return frozenset(data_words("en/function_words.txt"))


def language_of(question: str) -> str:
    """ "en" when two or more English-only words occur, else "sv"."""
    words = _WORDS.findall(question.lower())
    english = english_function_words()
    return "en" if sum(w in english for w in words) >= 2 else "sv"


def names_in(question: str) -> frozenset[str]:
    """Stems of the capitalised words inside the question (names: "DigiJag", "Solrosen")."""
    words = _NAME_WORDS.findall(question)
    return frozenset(t for w in words[1:] if w[:1].isupper() and not w.isupper() for t in analyze(w))

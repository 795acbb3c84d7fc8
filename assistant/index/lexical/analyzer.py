"""Swedish text analysis for lexical search: tokens, stop words, stems.

Lower case (å/ä/ö kept intact), words and numbers as tokens, Snowball Swedish
stemming, plus a light extra step for definite forms that Snowball leaves
alone ("sjukfrånvaron" → "sjukfrånvaro", "underskottet" → "underskott").
Stop words: ``assistant/data/sv/stopwords.txt``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ...resources import data_words

__all__ = ["ANALYZER_VERSION", "STOPWORDS", "analyze", "stem"]

#: Bump when analysis changes: stored in the index manifest, a change rebuilds BM25
#: (the vectors are reused from the cache).
ANALYZER_VERSION = "sv-2"

_TOKEN = re.compile(r"[a-zåäöéü]+|\d+(?:[.,]\d+)?", re.I)

#: Function words that carry no content in a question or a passage.
STOPWORDS = frozenset(data_words("sv/stopwords.txt"))


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer  # PyStemmer (Snowball)

    return Stemmer.Stemmer("swedish")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    s: str = _stemmer().stemWord(word)
    if len(s) >= 7:
        if s.endswith("et"):
            s = s[:-2]
        elif s.endswith("n") and s[-2] in "aeo":
            s = s[:-1]
        else:
            return s
        # Snowball's consonant-pair step, again after the extra ending was removed,
        # so "underskottet" → "underskot" like "underskott".
        if s[-2:] in ("dd", "gd", "nn", "dt", "gt", "kt", "tt"):
            s = s[:-1]
    return s


def analyze(text: str, *, keep_stopwords: bool = False) -> list[str]:
    """Index terms of ``text``: lower-cased, stemmed, numbers normalised."""
    terms = []
    for m in _TOKEN.finditer(text.lower()):
        tok = m.group(0)
        if tok[0].isdigit():
            terms.append(tok.replace(".", ","))
            continue
        if not keep_stopwords and tok in STOPWORDS:
            continue
        if len(tok) < 2:
            continue
        terms.append(stem(tok))
    return terms


def content_words(text: str) -> list[str]:
    """The lower-case words of ``text`` that carry content (no numbers, stop words or single letters)."""
    out = []
    for m in _TOKEN.finditer(text.lower()):
        tok = m.group(0)
        if tok[0].isdigit() or tok in STOPWORDS or len(tok) < 2:
            continue
        out.append(tok)
    return out


@lru_cache(maxsize=1)
def asking_words() -> frozenset[str]:
    """Words that say what kind of answer is asked for ("hur stor", "många", "gjorde"), not what it is
    about (``assistant/data/sv/question_words.toml``, "asking" and "verbs")."""
    from ...resources import data_toml

    data = data_toml("sv/question_words.toml")
    return frozenset(data["asking"].split()) | frozenset(data.get("verbs", "").split())

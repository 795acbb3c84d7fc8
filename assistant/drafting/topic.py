"""The topic of a draft as weighted content stems, and how much of it a text covers."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..index.lexical import STOPWORDS, analyze

if TYPE_CHECKING:
    from ..api import Assistant

__all__ = ["TopicTerms"]


@dataclass(frozen=True)
class TopicTerms:
    """The topic's content stems, each with its idf and its weighted compound relatives."""

    terms: tuple[tuple[float, dict[str, float], re.Pattern[str] | None], ...]  # (idf, {variant: weight}, surface)

    @classmethod
    def of(cls, assistant: Assistant, query: str, compound_weight: float) -> TopicTerms:
        bm25 = assistant.index.bm25
        n = max(bm25.size, 1)
        out = []
        words = [w for w in re.findall(r"[a-zåäöéü]+", query.lower()) if w not in STOPWORDS and len(w) > 1]
        for word in dict.fromkeys(words):
            stem = analyze(word)[0] if analyze(word) else word
            surface = None
            if len(stem) < 4 and len(word) >= 6:
                # Snowball leaves too little ("demens" → "dem", the pronoun): match the word itself.
                surface = re.compile(rf"\b\w*{re.escape(word[:-1])}\w*", re.I)
            variants = {} if surface else bm25.expand(stem)
            if len(stem) >= 4:
                # A compound that begins or ends with the topic word is about it
                # ("klimat" → "klimatpåverkan", "miljö" → "arbetsmiljö"), if less exactly.
                for term in bm25.vocab:
                    if len(term) >= len(stem) + 3 and (term.endswith(stem) or term.startswith(stem)):
                        variants[term] = max(variants.get(term, 0.0), compound_weight)
            variants[stem] = 1.0
            df = _doc_freq(assistant, stem) if surface is None else 0
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            out.append((idf, variants, surface))
        return cls(tuple(out))

    def coverage(self, text: str) -> float:
        """Share of the topic (idf-weighted) found in ``text``; a compound relative counts partly."""
        total = sum(idf for idf, _, _ in self.terms)
        if not total:
            return 0.0
        stems = set(analyze(text))
        got = 0.0
        for idf, variants, surface in self.terms:
            if surface is not None:
                got += idf if surface.search(text) else 0.0
            else:
                got += idf * max((w for v, w in variants.items() if v in stems), default=0.0)
        return got / total


def _doc_freq(assistant: Assistant, stem: str) -> int:
    scores = assistant.index.bm25.scores_and_terms(stem)[0]
    return int((scores > 0).sum())

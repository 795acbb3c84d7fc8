"""Lexical search: Swedish analysis and BM25.

Analysis: lower case (å/ä/ö kept intact), words and numbers as tokens, Snowball
Swedish stemming, plus a light extra step for definite forms that Snowball
leaves alone ("sjukfrånvaron" → "sjukfrånvaro", "underskottet" → "underskott").

Compounds: Swedish writes "sjukfrånvaro", "budgetföljsamhet", "brukarundersökning"
as one word. A query term is therefore expanded to the index terms that end
with it (its compounds: "frånvaro" → "sjukfrånvaro", "korttidsfrånvaro") and,
more weakly, that begin with it ("budget" → "budgetföljsamhet"); and a
compound in the query is split into known parts ("personalfrånvaro" →
"frånvaro"). Expanded terms score with a lower weight than the term itself.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import numpy as np

__all__ = ["ANALYZER_VERSION", "STOPWORDS", "Bm25Index", "analyze", "stem"]

#: Bump when analysis changes: stored in the index manifest, a change rebuilds BM25
#: (the vectors are reused from the cache).
ANALYZER_VERSION = "sv-2"

_TOKEN = re.compile(r"[a-zåäöéü]+|\d+(?:[.,]\d+)?", re.I)

# Function words that carry no content in a question or a passage.
STOPWORDS = frozenset(
    """
    och i att det som en på är av för med till den har de inte om ett var
    jag hon han vi ni man sig vara från vad hur när där vilka vilken vilket
    vem varför kan ska skulle får fick finns fanns blev blir eller samt men
    så än då nu under över efter före mellan hos vid sin sina sitt deras dess
    detta denna dessa här också mycket mer mest många flera alla allt andra
    annat något några inom utan bara även ju nog kring mot genom per år året
    dem den dom honom henne oss er mig dig hans hennes vår våra ert era
    the a an of in on at to for and or is was were what how many much did do
    does which who why when where with by from that this
    """.split()
)
_WEIGHT_SUFFIX = 0.6  # query term found as the head of an index compound
_WEIGHT_PREFIX = 0.35  # query term found as the modifier of an index compound
_WEIGHT_PART = 0.5  # part of a query compound
_WEIGHT_SYNONYM = 0.7  # a report term the thesaurus offers for an everyday or English word


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


class Bm25Index:
    """BM25 (bm25s) over analysed chunk texts, with weighted query expansion."""

    def __init__(self, retriever, vocab: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
        self._retriever = retriever
        self.vocab = vocab
        self._terms = sorted(vocab)
        self._by_len = [t for t in self._terms if len(t) >= 4]

    @classmethod
    def build(cls, texts: list[str]) -> Bm25Index:
        import bm25s

        corpus = [analyze(t) or ["∅"] for t in texts]
        retriever = bm25s.BM25(k1=1.2, b=0.75)
        retriever.index(corpus, show_progress=False)
        vocab = {term: idx for term, idx in retriever.vocab_dict.items()}
        return cls(retriever, vocab)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._retriever.save(str(folder), show_progress=False)
        (folder / "terms.json").write_text(json.dumps(self.vocab, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> Bm25Index:
        import bm25s

        retriever = bm25s.BM25.load(str(folder), show_progress=False, load_vocab=True)
        vocab = json.loads((folder / "terms.json").read_text(encoding="utf-8"))
        return cls(retriever, vocab)

    @property
    def size(self) -> int:
        return int(self._retriever.scores["num_docs"])

    def expand(self, question: str) -> dict[str, float]:
        """Query terms with weights: exact terms 1.0, compound relatives less."""
        weights: dict[str, float] = {}

        def add(term: str, w: float) -> None:
            if term in self.vocab and w > weights.get(term, 0.0):
                weights[term] = w

        from .thesaurus import expansions

        own = analyze(question)
        for term in own:
            add(term, 1.0)
            if term[0].isdigit() or len(term) < 4:
                continue
            for other in self._compounds(term):
                add(other, _WEIGHT_SUFFIX if other.endswith(term) else _WEIGHT_PREFIX)
            for part in self._parts(term):
                add(part, _WEIGHT_PART)
        for term in expansions(question):
            add(term, _WEIGHT_SYNONYM)
            for other in self._compounds(term):
                if other.endswith(term):
                    add(other, _WEIGHT_SYNONYM * _WEIGHT_SUFFIX)
        return weights

    def unknown_terms(self, question: str) -> list[str]:
        """Content words of the question that the corpus never uses, not even in compounds."""
        from .thesaurus import has_expansion

        out = []
        for term in analyze(question):
            if term[0].isdigit() or len(term) < 4 or term in self.vocab:
                continue
            if self._compounds(term) or self._parts(term) or has_expansion(term) or self._of_known_words(term):
                continue
            out.append(term)
        return out

    def _of_known_words(self, term: str) -> bool:
        """A compound of two words the corpus uses ("samtalsteknik": "samtal" + "teknik" as in
        "välfärdsteknik"), the first perhaps with a linking s ("arbets-")."""
        for i in range(4, len(term) - 3):
            head, mod = term[i:], term[:i]
            if not (head in self.vocab or self._compounds(head)):
                continue
            if mod in self.vocab or (mod.endswith("s") and mod[:-1] in self.vocab):
                return True
        return False

    def _compounds(self, term: str) -> list[str]:
        if len(term) < 5:
            return []
        found = []
        for other in self._by_len:
            if other != term and len(other) >= len(term) + 3 and (other.endswith(term) or other.startswith(term)):
                found.append(other)
        return found[:20]

    def _parts(self, term: str) -> list[str]:
        """Known index terms that a query compound is built from."""
        parts = []
        for i in range(3, len(term) - 3):
            head = term[i:]
            if len(head) >= 4 and head in self.vocab:
                parts.append(head)
                break
        return parts

    def scores(self, question: str) -> np.ndarray:
        return self.scores_and_terms(question)[0]

    def scores_and_terms(self, question: str) -> tuple[np.ndarray, dict[str, tuple[float, float]]]:
        """BM25 scores for every chunk, and each query term's (weight, idf)."""
        total = np.zeros(self.size, dtype=np.float32)
        terms: dict[str, tuple[float, float]] = {}
        n = max(self.size, 1)
        for term, weight in self.expand(question).items():
            per_doc = self._retriever.get_scores([term])
            total += weight * per_doc
            df = int(np.count_nonzero(per_doc))
            terms[term] = (weight, float(np.log(1 + (n - df + 0.5) / (df + 0.5))))
        return total, terms

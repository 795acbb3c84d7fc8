"""BM25 over analysed chunk texts (bm25s), with weighted query expansion.

Compounds: Swedish writes "sjukfrånvaro", "budgetföljsamhet", "brukarundersökning"
as one word. A query term is therefore expanded to the index terms that end
with it (its compounds: "frånvaro" → "sjukfrånvaro", "korttidsfrånvaro") and,
more weakly, that begin with it ("budget" → "budgetföljsamhet"); and a
compound in the query is split into known parts ("personalfrånvaro" →
"frånvaro"). Thesaurus words add the report's own terms. Expanded terms score
with a lower weight than the term itself (:class:`~assistant.tuning.LexicalWeights`).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ...tuning import LexicalWeights, Tuning
from .analyzer import analyze, asking_words, content_words, stem
from .thesaurus import expansions, has_expansion, synonym_terms

__all__ = ["Bm25Index"]


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

    def expand(
        self,
        question: str,
        w: LexicalWeights | None = None,
        extra: dict[str, float] | None = None,
        *,
        spell: bool = True,
    ) -> dict[str, float]:
        """Query terms with weights: exact terms 1.0, compound relatives and synonyms less; ``extra``
        (term → weight) from elsewhere, e.g. the corpus words nearest to an unknown question word;
        ``spell``: a misspelt word also searches the word meant (not for a question in another
        language, whose words are not misspellings of the reports' ones)."""
        w = w or Tuning.default().lexical
        weights: dict[str, float] = {}

        def add(term: str, w: float) -> None:
            if term in self.vocab and w > weights.get(term, 0.0):
                weights[term] = w

        own = analyze(question)
        for term in own:
            add(term, 1.0)
            if term[0].isdigit() or len(term) < 4:
                continue
            for spelled in self.spelled_as(term) if spell else ():
                add(spelled, 1.0)  # "hemtjänstn": the word meant
            for other in self._compounds(term):
                add(other, w.suffix if other.endswith(term) else w.prefix)
            for part in self._parts(term):
                add(part, w.part)
        for term in expansions(question):
            add(term, w.synonym)
            for other in self._compounds(term):
                if other.endswith(term):
                    add(other, w.synonym * w.suffix)
        for word in content_words(question):
            if word in asking_words():
                continue  # "stor", "många", "gjorde": they say what is asked, not what about
            for term in synonym_terms(word):
                add(term, w.thesaurus)
        for term, weight in (extra or {}).items():
            add(term, weight)
        return weights

    def unknown_terms(self, question: str) -> list[str]:
        """Content words of the question that the corpus never uses, not even in compounds."""
        out: list[str] = []
        for word in content_words(question):
            term = stem(word)
            if term[0].isdigit() or len(term) < 4 or term in self.vocab or term in out:
                continue
            if self._compounds(term) or self._parts(term) or has_expansion(term) or self._of_known_words(term):
                continue
            if self.spelled_as(term):
                continue  # a misspelling of a word the reports use
            if any(s in self.vocab for s in synonym_terms(word)):
                continue  # the general thesaurus knows another word for it that the reports use
            out.append(term)
        return out

    def spelled_as(self, term: str) -> list[str]:
        """The corpus terms ``term`` is one typing slip away from (a letter left out, added, changed
        or two swapped), when it is not a corpus term itself and at most two such terms exist; only
        for terms of 6+ letters, where one slip rarely makes another real word."""
        if len(term) < _SPELL_MIN or term in self.vocab or not term.isalpha():
            return []
        found = sorted(v for v in _one_slip(term) if v in self.vocab and len(v) >= _SPELL_MIN - 1)
        return found if len(found) <= 2 else []

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

    def scores_and_terms(
        self,
        question: str,
        w: LexicalWeights | None = None,
        extra: dict[str, float] | None = None,
        *,
        spell: bool = True,
    ) -> tuple[np.ndarray, dict[str, tuple[float, float]]]:
        """BM25 scores for every chunk, and each query term's (weight, idf)."""
        total = np.zeros(self.size, dtype=np.float32)
        terms: dict[str, tuple[float, float]] = {}
        n = max(self.size, 1)
        for term, weight in self.expand(question, w, extra, spell=spell).items():
            per_doc = self._retriever.get_scores([term])
            total += weight * per_doc
            df = int(np.count_nonzero(per_doc))
            terms[term] = (weight, float(np.log(1 + (n - df + 0.5) / (df + 0.5))))
        return total, terms


_SPELL_MIN = 6
_LETTERS = "abcdefghijklmnopqrstuvwxyzåäöé"


def _one_slip(word: str) -> set[str]:
    """Every string one deletion, transposition, substitution or insertion away from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    changes = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return (deletes | swaps | changes | inserts) - {word}

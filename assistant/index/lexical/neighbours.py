"""Expansions derived from the corpus itself: a question word the reports never use → the report
words whose vectors lie nearest to it.

Staff write "sjukskrivningarna", "kollegor", "klienterna", or ask in English ("staff", "users",
"survey"); the reports say "sjukfrånvaron", "medarbetare", "brukare", "undersökning". Every word
the corpus uses is embedded once (with the same multilingual model as the passages) when the
index is built; a question word that is not in the corpus is embedded with the question and
replaced, for lexical search, by its nearest corpus words above a similarity floor, weighted by
how near they are. The model is multilingual, so this also carries English question words to the
reports' Swedish words without a word list.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .analyzer import STOPWORDS, stem

__all__ = ["WordNeighbours", "corpus_words"]

_WORD_MIN = 4


def corpus_words(texts: list[str]) -> list[str]:
    """The distinct lower-case words (4+ letters, no stop words) of ``texts``, sorted."""
    import re

    token = re.compile(r"[a-zåäöéü]+")
    words = {w for t in texts for w in token.findall(t.lower()) if len(w) >= _WORD_MIN and w not in STOPWORDS}
    return sorted(words)


@dataclass
class WordNeighbours:
    words: list[str]
    terms: list[str]  # each word's index term
    vectors: np.ndarray  # (n, dim), L2-normalised

    @classmethod
    def build(cls, words: list[str], encode, cache: Path | None = None) -> WordNeighbours:  # type: ignore[no-untyped-def]
        """Embed ``words`` (``encode``: texts → vectors), reusing vectors cached in ``cache`` by word."""
        known: dict[str, np.ndarray] = {}
        if cache is not None and cache.exists():
            try:
                data = np.load(cache)
                known = dict(zip(json.loads(str(data["words"])), data["vectors"], strict=True))
            except (OSError, KeyError, ValueError, zipfile.BadZipFile):  # a damaged cache: embedded again
                known = {}
        missing = [w for w in words if w not in known]
        if missing:
            for w, v in zip(missing, encode(missing), strict=True):
                known[w] = v
            if cache is not None:
                cache.parent.mkdir(parents=True, exist_ok=True)
                tmp = cache.with_name(cache.stem + ".tmp.npz")
                keys = sorted(known)
                np.savez(tmp, words=np.array(json.dumps(keys)), vectors=np.vstack([known[k] for k in keys]))
                tmp.replace(cache)
        dim = next(iter(known.values())).shape[0] if known else 1
        matrix = np.vstack([known[w] for w in words]).astype(np.float32) if words else np.zeros((0, dim), np.float32)
        return cls(words, [stem(w) for w in words], matrix)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        np.save(folder / "vectors.npy", self.vectors)
        (folder / "words.json").write_text(json.dumps(self.words, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> WordNeighbours:
        words = json.loads((folder / "words.json").read_text(encoding="utf-8"))
        vectors = np.load(folder / "vectors.npy", mmap_mode="r")
        return cls(words, [stem(w) for w in words], np.asarray(vectors))

    def nearest(self, vector: np.ndarray, k: int, floor: float) -> list[tuple[str, float]]:
        """The terms of the ``k`` nearest corpus words with a cosine of at least ``floor``."""
        if not len(self.words):
            return []
        sims = self.vectors @ vector
        top = np.argsort(-sims)[: k * 3]
        out: list[tuple[str, float]] = []
        for i in top:
            sim = float(sims[i])
            if sim < floor:
                break
            term = self.terms[i]
            if term not in (t for t, _ in out):
                out.append((term, sim))
            if len(out) >= k:
                break
        return out


def cache_key(model_id: str) -> str:
    return hashlib.sha1(model_id.encode()).hexdigest()[:12]

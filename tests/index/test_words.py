"""Swedish words as Swedish works: dictionary base forms, a general thesaurus and the corpus's
nearest words for question words it never uses (assistant/index/lexical/)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.api import Assistant
from assistant.index.lexical import morphology, synonyms
from assistant.index.lexical.neighbours import WordNeighbours, corpus_words
from assistant.query.intent import understand

needs_dictionary = pytest.mark.skipif(not morphology.dictionary_available(), reason="hunspell-sv/chunspell saknas")
needs_thesaurus = pytest.mark.skipif(not synonyms.synonyms_available(), reason="mythes-sv är inte installerat")


@needs_dictionary
def test_base_forms_from_the_dictionary() -> None:
    assert morphology.lemma("sjukskrivningarna") == "sjukskrivning"
    assert morphology.lemma("gick") == "gå"
    assert morphology.lemma("medarbetarna") == "medarbetare"
    assert morphology.lemma("xyzqwk") is None


@needs_dictionary
@needs_thesaurus
def test_synonyms_are_looked_up_by_base_form() -> None:
    assert "klient" in synonyms.synonyms_of("kunderna")
    assert "medarbetare" in synonyms.synonyms_of("anställda")


def test_word_vectors_are_cached_by_word(tmp_path: Path) -> None:
    calls: list[list[str]] = []

    def encode(words: list[str]) -> np.ndarray:
        calls.append(list(words))
        return np.eye(4, dtype=np.float32)[[len(w) % 4 for w in words]]

    cache = tmp_path / "words.npz"
    WordNeighbours.build(["brukare", "medarbetare"], encode, cache)
    nb = WordNeighbours.build(["brukare", "medarbetare", "klagomål"], encode, cache)
    assert calls == [["brukare", "medarbetare"], ["klagomål"]]  # only the new word is embedded
    # nearest: only above the floor, best first
    found = nb.nearest(np.eye(4, dtype=np.float32)[len("brukare") % 4], k=3, floor=0.5)
    assert found and found[0][1] == pytest.approx(1.0)
    assert nb.nearest(np.zeros(4, dtype=np.float32), k=3, floor=0.5) == []


def test_corpus_words_are_distinct_content_words() -> None:
    words = corpus_words(["Brukarna och medarbetarna", "brukarna, 2018, och"])
    assert words == ["brukarna", "medarbetarna"]


@pytest.mark.slow
def test_a_word_the_corpus_lacks_is_carried_to_its_nearest_report_words(assistant: Assistant) -> None:
    intent = understand("What did the clients think of the support?", assistant.catalog, assistant.events)
    terms = assistant.retriever.score_all(intent).terms
    expanded = {t for t, (w, _) in terms.items() if w < 1.0}
    assert "stöd" in expanded  # "support" → the reports' "stöd", by vector (no word list maps it)
    # the question's own words keep full weight; expansions weigh less
    assert all(w <= 1.0 for w, _ in terms.values())


@pytest.mark.slow
def test_the_index_holds_the_corpus_words(assistant: Assistant) -> None:
    nb = assistant.index.neighbours
    assert nb is not None and len(nb.words) > 1000
    assert nb.vectors.shape == (len(nb.words), assistant.embedder.dim)

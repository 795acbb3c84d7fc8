"""Swedish analysis and BM25 with compound expansion (assistant/lexical.py, assistant/thesaurus.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.documents import Chunk
from assistant.index.lexical import Bm25Index, analyze, stem
from assistant.index.lexical.thesaurus import expansions

DOCS = [
    "Sjukfrånvaro 7,1 % under året. Korttidsfrånvaron har minskat.",  # 0
    "Medarbetarna på enheten är nöjda med arbetsmiljön.",  # 1
    "Bokslutet visar ett underskott med 4,77 mnkr.",  # 2
    "Budgetföljsamheten var god och prognosen höll.",  # 3
    "Förskolan på Åsögatan öppnade i maj. Brukarna är nöjda.",  # 4
]


@pytest.fixture(scope="module")
def bm25() -> Bm25Index:
    return Bm25Index.build(DOCS)


def best(index: Bm25Index, question: str) -> int:
    scores = index.scores(question)
    assert scores.max() > 0, f"nothing matched {question!r}"
    return int(np.argmax(scores))


# ------------------------------------------------------------------ analysis
def test_definite_form_meets_the_bare_form() -> None:
    assert analyze("sjukfrånvaron") == analyze("Sjukfrånvaro")
    assert analyze("bokslutet") == analyze("bokslut")


def test_definite_form_of_a_double_consonant_word_meets_the_bare_form() -> None:
    assert analyze("underskottet") == analyze("underskott")


def test_swedish_letters_are_kept_intact() -> None:
    terms = analyze("Förskolan på Åsögatan: Överskott och ärenden")
    assert all(set(t) <= set("abcdefghijklmnopqrstuvwxyzåäöéü") for t in terms)
    assert any("å" in t for t in terms) and any("ö" in t for t in terms) and any("ä" in t for t in terms)
    assert stem("överskott").startswith("ö")
    assert analyze("Åsögatan")[0].startswith("åsö")  # not folded to "asö"


def test_stopwords_dropped_and_numbers_normalised() -> None:
    assert analyze("Vad var det för år") == []
    assert analyze("7.1 och 4,77") == ["7,1", "4,77"]
    assert "vad" in analyze("Vad var", keep_stopwords=True)


# ------------------------------------------------------------------ BM25
def test_inflected_query_finds_the_base_form(bm25: Bm25Index) -> None:
    assert best(bm25, "sjukfrånvaron") == 0
    assert best(bm25, "bokslutet") == 2


def test_head_of_a_compound_reaches_the_compound(bm25: Bm25Index) -> None:
    weights = bm25.expand("frånvaro")
    assert stem("sjukfrånvaro") in weights
    assert 0 < weights[stem("sjukfrånvaro")] < 1.0  # an expansion weighs less than the word itself
    assert best(bm25, "frånvaro") == 0


def test_modifier_of_a_compound_reaches_the_compound(bm25: Bm25Index) -> None:
    assert best(bm25, "budget") == 3


def test_query_compound_is_split_into_known_parts(bm25: Bm25Index) -> None:
    # "personalfrånvaro" is not an index term, but its head "frånvaro" is.
    weights = Bm25Index.build(["Frånvaro bland medarbetarna."]).expand("personalfrånvaro")
    assert weights == {stem("frånvaro"): pytest.approx(0.5)}


def test_unrelated_word_matches_nothing(bm25: Bm25Index) -> None:
    assert bm25.scores("elefanter").max() == 0
    assert bm25.unknown_terms("Hur många elefanter finns på Jupiter?") == [stem("elefanter"), stem("jupiter")]
    assert bm25.unknown_terms("Hur hög var sjukfrånvaron?") == []
    assert bm25.unknown_terms("Hur hög var frånvaron?") == []  # known as part of a compound


def test_compound_of_two_known_words_is_not_unknown(bm25: Bm25Index) -> None:
    # "följsamhet" is only used inside "Budgetföljsamheten", "bokslut" as a word of its own
    assert bm25.unknown_terms("bokslutsföljsamheten") == []
    assert bm25.unknown_terms("elefantföljsamheten") == [stem("elefantföljsamheten")]


def test_scores_and_terms_report_weight_and_idf(bm25: Bm25Index) -> None:
    scores, terms = bm25.scores_and_terms("Bokslutet visar underskott")
    assert scores.shape == (len(DOCS),)
    weight, idf = terms[stem("underskott")]
    assert weight == 1.0 and idf > 0


def test_save_and_load_give_the_same_scores(bm25: Bm25Index, tmp_path: Path) -> None:
    bm25.save(tmp_path / "bm25")
    again = Bm25Index.load(tmp_path / "bm25")
    assert again.size == len(DOCS)
    for q in ("sjukfrånvaron", "frånvaro", "anställda", "Åsögatan"):
        np.testing.assert_allclose(again.scores(q), bm25.scores(q))


# ------------------------------------------------------------------ thesaurus
def test_thesaurus_maps_everyday_words_to_report_terms(bm25: Bm25Index) -> None:
    assert stem("medarbetare") in expansions("Hur många anställda finns det?")
    assert stem("underskott") in expansions("Gick enheten med förlust?")
    assert best(bm25, "anställda") == 1
    assert best(bm25, "förlust") == 2


def test_thesaurus_maps_english_to_swedish(bm25: Bm25Index) -> None:
    found = expansions("What was the sick leave?")
    assert stem("sjukfrånvaro") in found and stem("frånvaro") in found
    assert best(bm25, "sick leave") == 0
    assert best(bm25, "deficit") == 2


@pytest.mark.parametrize(
    ("question", "report_word"),
    [
        ("Hur tar man hand om soporna?", "avfall"),
        ("Hur läggs turlistorna?", "schema"),
        ("Vilka prylar får kunderna?", "hjälpmedel"),
        ("Hur många APT hölls?", "arbetsplatsträff"),  # an abbreviation, both ways
        ("Hur ofta hålls arbetsplatsträffar?", "APT"),
    ],
)
def test_thesaurus_maps_everyday_words_and_abbreviations(question: str, report_word: str) -> None:
    assert stem(report_word.lower()) in expansions(question)


def test_thesaurus_does_not_expand_unrelated_words() -> None:
    assert expansions("Hur många elefanter finns på månen?") == []


# ------------------------------------------------------------------ the real corpus
def test_real_corpus_inflected_and_compound_queries(seed_chunks: list[Chunk]) -> None:
    index = Bm25Index.build([c.context + "\n" + c.text for c in seed_chunks])
    for question in ("sjukfrånvaron", "frånvaro"):
        top = np.argsort(-index.scores(question))[:5]
        assert all("sjukfrånvaro" in seed_chunks[i].text.lower() for i in top), question


def test_a_misspelt_word_searches_the_word_meant(bm25: Bm25Index) -> None:
    # one letter left out, swapped or changed: the corpus word one slip away is searched too
    assert best(bm25, "Hur var sjukfrånvarn?") == 0
    assert best(bm25, "Vad visar boksltuet?") == 2
    assert stem("sjukfrånvarn") not in bm25.unknown_terms("sjukfrånvarn")
    assert bm25.unknown_terms("parkeringsavgiften")  # far from every corpus word: still unknown
    # not for a question in another language, whose words are no misspellings of the reports'
    assert "bokslut" not in bm25.expand("boksltuet", spell=False)

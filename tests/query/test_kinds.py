"""The kind of answer a question asks for, read once (assistant/query/kinds.py)."""

from __future__ import annotations

import pytest

from assistant.index.lexical import analyze
from assistant.query.kinds import AnswerKind, answer_kinds

K = AnswerKind


@pytest.mark.parametrize(
    ("question", "wanted", "not_wanted"),
    [
        ("Hur hög var sjukfrånvaron 2018?", {K.FIGURE, K.MEASURE}, {K.PERSON, K.COUNT}),
        ("När genomfördes risk- och väsentlighetsanalysen?", {K.DATE}, {K.FIGURE}),
        ("Hur många klagomål kom in 2014?", {K.FIGURE, K.COUNT}, {K.DATE}),
        ("Vad kostade iPad-inköpet?", {K.AMOUNT}, {K.PERSON}),
        ("Vad heter enhetschefen på assistansenheten?", {K.PERSON}, {K.FIGURE}),
        ("Varför ökade kostnaderna för taxiresor?", {K.REASON, K.EXPLAIN}, {K.AMOUNT}),
        ("Vilka aktiviteter planerades för att minska sjukfrånvaron?", {K.LIST}, {K.DATE}),
        ("What was the sick leave in 2018?", {K.FIGURE, K.MEASURE}, {K.PERSON}),
    ],
)
def test_kinds(question: str, wanted: set[AnswerKind], not_wanted: set[AnswerKind]) -> None:
    kinds = answer_kinds(question).kinds
    assert wanted <= kinds
    assert not (not_wanted & kinds)


def test_what_a_count_and_a_measure_are_about() -> None:
    reading = answer_kinds("Hur många brukare hade enheten?")
    assert analyze("brukare")[0] in reading.count_asked and analyze("brukare")[0] in reading.counted
    assert analyze("sjukfrånvaron")[0] in answer_kinds("Hur hög var sjukfrånvaron?").measure
    # the English name of a measure brings the report's word
    assert "sjukfrånvaro" in answer_kinds("What was the sick leave?").measure


def test_a_verb_or_a_group_after_hur_manga_is_no_counted_thing() -> None:
    assert answer_kinds("Hur många anställdes under året?").count_asked == frozenset()
    assert answer_kinds("Hur många av brukarna var nöjda?").count_asked == frozenset()


@pytest.mark.parametrize(
    ("question", "following"),
    [
        ("En boende fick sin kvällsmedicin två gånger samma kväll. Vad har enheten ändrat efter det?", True),
        ("Deltagarna tyckte att personalen bestämmer. Vad har man infört för att ändra på det?", True),
        ("Hur hög var sjukfrånvaron 2018?", False),
        ("Något helt annat: vilket system ska enheten börja använda?", False),  # a lead-in, no statement
        ("Vad var AMI 2018? Och 2020?", False),
    ],
)
def test_a_question_that_tells_something_first_asks_for_what_follows(question: str, following: bool) -> None:
    assert (AnswerKind.FOLLOWING in answer_kinds(question).kinds) is following


def test_every_thing_a_count_question_names_is_counted() -> None:
    # "synpunkter och klagomål": a report that counts either answers it
    counted = answer_kinds("Hur många synpunkter och klagomål fick enheten 2014?").count_asked
    assert set(analyze("klagomål")) <= counted and set(analyze("synpunkter")) <= counted

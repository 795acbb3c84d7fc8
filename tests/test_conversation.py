"""A conversation through the Python API (assistant/conversation.py and Assistant.ask(history=…)), on the real
corpus, model and index."""

from __future__ import annotations

import pytest

from assistant.api import Assistant
from assistant.conversation import Conversation

pytestmark = pytest.mark.slow

FIRST = "Vad var sjukfrånvaron för Assistansenheten 2018?"


def test_a_question_without_history_is_answered_as_before(assistant: Assistant) -> None:
    alone = assistant.ask(FIRST)
    assert assistant.ask(FIRST, history=[]).to_json() | {"timings_ms": None} == alone.to_json() | {"timings_ms": None}
    assert alone.carried == () and alone.to_json()["carried"] == []


def test_a_conversation_carries_what_the_follow_up_leaves_out(assistant: Assistant) -> None:
    chat = Conversation(assistant)
    chat.ask("Hur hög var sjukfrånvaron på Assistansenheten 2012?")
    later = chat.ask("Och 2018 då?")
    assert later.question == "Och 2018 då?"  # the user's words, not the resolved question
    assert later.filters == {"year": 2018, "unit": "Assistansenheten", "type": None}
    assert "7,1 %" in later.answer and {c.year for c in later.citations} == {2018}
    data = later.to_json()
    assert [(c["field"], c["from_turn"]) for c in data["carried"]] == [("unit", 0), ("subject", 0)]
    assert data["carried"][0]["label"] == "enhet: Assistansenheten (från förra frågan)"
    assert len(chat) == 2
    chat.clear()
    assert len(chat) == 0 and chat.ask("Och 2018 då?").carried == ()  # "Rensa samtalet": nothing to take


def test_a_relative_year_without_a_report_is_refused_naming_the_years(assistant: Assistant) -> None:
    first = assistant.ask(FIRST)
    before = assistant.ask("Och året innan?", history=[first])
    assert before.abstained
    assert "Det finns ingen rapport för 2017" in before.answer and "2012, 2014, 2018" in before.answer
    assert next(c.label for c in before.carried) == "år: 2017 (räknat från 2018 i förra frågan)"


def test_a_later_report_that_quotes_the_relative_year_answers_it(assistant: Assistant) -> None:
    first = assistant.ask("Hur mycket lade beställarenheten funktionsnedsättning på taxiresor 2014?")
    before = assistant.ask("Och året innan?", history=[first])
    assert not before.abstained and "57 917 kronor" in before.answer
    assert "ingen rapport för 2013" in before.notice


def test_the_plan_answers_when_the_follow_up_names_it(assistant: Assistant) -> None:
    first = assistant.ask("Hur hög var sjukfrånvaron på Enheten för personligt stöd 2020?")
    plan = assistant.ask("Vad står det om den i planen?", history=[first])
    assert plan.filters["type"] == "verksamhetsplan"
    assert {c.year for c in plan.citations} == {2025}
    assert "8,5 %" in plan.answer


def test_history_may_be_any_list_of_earlier_answers(assistant: Assistant) -> None:
    first = assistant.ask("Gjorde Assistansenheten några nerdragningar under 2012?")
    why = assistant.ask("Varför då?", history=[first])
    assert why.filters == {"year": 2012, "unit": "Assistansenheten", "type": None}
    assert "omfattande vårdbehov bytte utförare" in why.answer

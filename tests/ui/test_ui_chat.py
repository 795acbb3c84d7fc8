"""The chat tab's conversation (assistant/ui/chat.py): follow-ups with carried, removable filters, and a
generated answer streamed from a local server that speaks the OpenAI protocol."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_chat_server import running_servers

from assistant.api import Assistant
from assistant.config import Config
from assistant.index.embeddings import Embedder
from assistant.ui.chat import ask_streaming, ask_turn, conversation_of, drop_filters
from assistant.ui.render import GENERATED_TITLE, QUOTES_TITLE, Turn, render_conversation

pytestmark = pytest.mark.slow


def three_turns(assistant: Assistant) -> list[Turn]:
    turns: list[Turn] = []
    for q in ("Hur hög var sjukfrånvaron på Assistansenheten 2012?", "Och 2018 då?", "Vad sägs om korttidsfrånvaron?"):
        turns.append(ask_turn(assistant, q, {}, history=conversation_of(turns)))
    return turns


def test_carried_filters_are_shown_as_removable_chips(assistant: Assistant) -> None:
    turns = three_turns(assistant)
    second = turns[1].answer
    assert second is not None and second.filters["year"] == 2018 and "7,1 %" in second.answer
    html = render_conversation(turns)
    assert "enhet: Assistansenheten (från förra frågan)" in html
    assert "ämne: sjukfrånvaron (från förra frågan)" in html
    assert 'class="ra-chip ra-inferred ra-carried" data-carried="unit"' in html
    assert 'data-turn="1" data-key="unit"' in html and 'data-turn="1" data-key="subject"' in html
    third = turns[2].answer
    assert third is not None and third.filters == {"year": 2018, "unit": "Assistansenheten", "type": None}
    assert "år: 2018 (från förra frågan)" in render_conversation(turns[2:])
    assert f">{QUOTES_TITLE}<" in html


def test_removing_a_carried_filter_asks_the_follow_up_again_without_it(assistant: Assistant) -> None:
    turns = three_turns(assistant)
    any_year = drop_filters(assistant, turns[2], "year")
    assert any_year.answer is not None
    assert any_year.answer.filters == {"year": None, "unit": "Assistansenheten", "type": None}
    assert any_year.history == turns[2].history  # still the same place in the conversation
    alone = drop_filters(assistant, turns[1], "subject")  # "Och 2018 då?" on its own, in the same filters
    assert alone.answer is not None and alone.history == ()
    assert alone.answer.filters == {"year": 2018, "unit": "Assistansenheten", "type": None}
    assert "Sökt utan de tolkade filtren: ämne" in render_conversation([alone])


@pytest.fixture(scope="module")
def model_assistant(built_root: Path, embedder: Embedder) -> Iterator[Assistant]:
    with running_servers(("behave",)) as urls:
        config = Config(root=built_root, llm_base_url=urls["behave"], llm_model="testmodell", llm_timeout=10.0)
        yield Assistant(config, build="never", embedder=embedder)


def test_a_generated_answer_streams_then_shows_the_quotes_under_it(model_assistant: Assistant) -> None:
    steps = list(ask_streaming(model_assistant, "Vad var sjukfrånvaron för Assistansenheten 2018?", {}, [], None))
    pending, final = steps[:-1], steps[-1]
    assert pending[0].streaming == "" and "Språkmodellen skriver" in render_conversation(pending[:1])
    texts = [t.streaming for t in pending[1:]]
    assert texts and all(a in b for a, b in itertools.pairwise(texts))  # it grows
    assert final.answer is not None and final.answer.mode == "generated"
    html = render_conversation([final])
    assert GENERATED_TITLE in html and f"{QUOTES_TITLE} ur källorna" in html
    assert 'data-mode="generated"' in html and "ra-streaming" not in html


def test_without_the_model_the_same_question_is_answered_with_quotes(model_assistant: Assistant) -> None:
    (turn,) = ask_streaming(model_assistant, "Vad var sjukfrånvaron för Assistansenheten 2018?", {}, [], False)
    assert turn.answer is not None and turn.answer.mode == "extractive"

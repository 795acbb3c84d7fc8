"""Answers by the kind of question (assistant/answer/summary.py, answer/figures.py) on the real corpus."""

from __future__ import annotations

import pytest

from assistant.api import Assistant
from assistant.query.kinds import AnswerKind, answer_kinds


@pytest.mark.parametrize(
    "question",
    [
        "Sammanfatta vad rapporten säger om kompetensutveckling.",
        "Beskriv hur enheten arbetar med brukarnas inflytande.",
        "Vad gjorde enheten för att minska sjukfrånvaron?",
        "Hur har beställarenheten arbetat med anhörigstödet?",
        "Vilka aktiviteter planeras för att förbättra arbetsmiljön?",
        "What did the unit do to reduce sick leave?",
    ],
)
def test_open_questions_ask_for_a_summary(question: str) -> None:
    assert AnswerKind.SUMMARY in answer_kinds(question).kinds


@pytest.mark.parametrize(
    "question",
    [
        "Hur hög var sjukfrånvaron 2018?",
        "Hur många klagomål kom in 2014?",
        "Vad heter enhetschefen?",
        "När genomfördes brukarundersökningen?",
        "Varför ökade kostnaderna för taxiresor?",
        "Vad kostade iPad-inköpet?",
    ],
)
def test_questions_for_one_thing_are_no_summary(question: str) -> None:
    assert AnswerKind.SUMMARY not in answer_kinds(question).kinds


@pytest.mark.slow
def test_a_summary_quotes_several_sentences_of_one_section_in_order(assistant: Assistant) -> None:
    ans = assistant.ask("Beskriv vad beställarenheten gjorde för anhöriga under 2014.")
    assert not ans.abstained
    assert 3 <= len(ans.sentences) <= assistant.tuning.summary.max_sentences
    sections = {c.section for c in ans.citations}
    assert len(sections) == 1 and "anhörig" in next(iter(sections)).lower()
    # every sentence is verbatim in its cited passage and cited in the answer text
    positions = []
    for sentence, n in ans.sentences:
        citation = ans.citations[n - 1]
        assert sentence in citation.text
        assert f"[{n}]" in ans.answer
        positions.append((citation.start, citation.text.index(sentence)))
    assert positions == sorted(positions)  # document order
    # different points, not one point restated
    assert len({s.split()[0] for s, _ in ans.sentences}) > 1


@pytest.mark.slow
def test_a_summary_can_be_switched_to_one_sentence_by_tuning(assistant: Assistant) -> None:
    question = "Beskriv vad beställarenheten gjorde för anhöriga under 2014."
    short = assistant.tuning.merged({"summary": {"max_sentences": 1, "min_sentences": 1}})
    assert len(assistant.ask(question, tuning=short).sentences) == 1


@pytest.mark.slow
def test_a_table_row_is_answered_with_its_values_named(assistant: Assistant) -> None:
    ans = assistant.ask("Vad var sjukfrånvaron för Assistansenheten 2018?")
    assert ans.lead.startswith("Sjukfrånvaro: utfall 2018 7,1 %")
    assert "föregående år (2017) 5,7 %" in ans.lead
    assert ans.answer.startswith(ans.lead + " [1]")
    # the verbatim row is still what is cited and highlighted
    first = ans.citations[0]
    assert first.quote_start is not None and first.quote_end is not None
    quote = " ".join(first.text[first.quote_start : first.quote_end].split())
    assert quote.startswith("Sjukfrånvaro 7,1 % 5,7 %")


@pytest.mark.slow
def test_a_sentence_in_prose_gets_no_rendered_lead(assistant: Assistant) -> None:
    ans = assistant.ask("Hur stort underskott visade bokslutet för Assistansenheten 2012?")
    assert ans.lead == ""
    assert ans.answer.startswith("Bokslutet visar ett underskott med 4,77 mnkr.")


@pytest.mark.slow
def test_a_reason_is_the_first_full_sentence_after_the_status_line(tmp_path, embedder) -> None:  # type: ignore[no-untyped-def]
    """Why a goal was missed: the reason stands after the goal's status line ("Uppfylls inte"),
    not in the status line itself."""
    from assistant.config import Config

    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "vb.txt").write_text(
        "Verksamhetsberättelse 2021 för Provenheten\n\nEkonomi\n\n"
        "Enhetsmål: Verksamheten ska bedrivas inom beslutad budget.\nUppfylls inte\n"
        "Underskottet berodde på att två brukare flyttade under hösten och intäkterna minskade.\n\n"
        "Arbetsmiljö\n\nEnhetsmål: Medarbetarna har en god arbetsmiljö.\nUppfylls helt\n"
        "Sjukfrånvaron minskade efter att schemat gjordes om.\n",
        encoding="utf-8",
    )
    assistant = Assistant(Config(root=tmp_path), embedder=embedder)
    ans = assistant.ask("Varför uppfylldes inte målet om budgeten?")
    assert "två brukare flyttade" in ans.answer, ans.answer

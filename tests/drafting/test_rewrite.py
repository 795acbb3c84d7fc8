"""The optional language-model rewrite of a draft, against a local server that speaks the chat protocol
(``tests/fake_chat_server.py``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fake_chat_server import running_servers

from assistant.drafting import Draft, DraftPart, Paragraph, Precedent, rewrite_draft, unsupported_figures
from assistant.llm import ChatClient


@pytest.fixture(scope="module")
def fake_servers() -> Iterator[dict[str, str]]:
    with running_servers() as urls:
        yield urls


def _precedent(n: int, year: int, text: str) -> Precedent:
    return Precedent(
        n=n,
        report_id=f"r{n}",
        title=f"Verksamhetsberättelse {year}",
        unit="Enheten för personligt stöd",
        district=None,
        year=year,
        type="verksamhetsberättelse",
        heading_path=("Enhetsmål: Enhetens medarbetare erbjuds en god arbetsmiljö.",),
        pages=(3,),
        start=0,
        end=len(text),
        text=text,
        relevance=1.0,
        same_unit=True,
    )


@pytest.fixture()
def small_draft() -> Draft:
    p1 = _precedent(1, 2020, "Sjukfrånvaron uppgick till 16 %. Arbetsmiljöfrågor diskuteras på APT.")
    p2 = _precedent(2, 2018, "Sjukfrånvaron uppgick till 7,1 %.")
    para = Paragraph(
        (
            "Sjukfrånvaron uppgick till [ANGE 2021] (2020: 16 %, 2018: 7,1 %).",
            "Arbetsmiljöfrågor diskuteras på APT.",
        ),
        (1, 2),
    )
    return Draft(
        topic="sjukfrånvaro",
        heading="Enhetsmål: Enhetens medarbetare erbjuds en god arbetsmiljö.",
        unit="Enheten för personligt stöd",
        year=2021,
        type="verksamhetsberättelse",
        parts=(DraftPart("Analys", (para,)),),
        precedents=(p1, p2),
        covered=True,
    )


def _client(url: str, timeout: float = 10.0) -> ChatClient:
    return ChatClient(url, "testmodell", "hemlig-nyckel", timeout)


def test_behaving_server_rewrites_and_keeps_markers_and_placeholders(
    fake_servers: dict[str, str], small_draft: Draft
) -> None:
    out, notes = rewrite_draft(small_draft, _client(fake_servers["behave"]))
    assert out.rewritten and not notes
    text = out.parts[0].paragraphs[0].text
    assert text.startswith("Sammantaget gäller följande.")
    assert "[ANGE 2021] (2020: 16 %, 2018: 7,1 %)" in text
    assert text.endswith("[1][2]")


def test_invented_figure_is_rejected_and_extractive_sentence_kept(
    fake_servers: dict[str, str], small_draft: Draft
) -> None:
    out, notes = rewrite_draft(small_draft, _client(fake_servers["invent"]))
    text = out.parts[0].paragraphs[0].text
    assert "99,9" not in text
    assert "Sjukfrånvaron uppgick till [ANGE 2021] (2020: 16 %, 2018: 7,1 %)." in text
    assert any("ersattes av originalet" in n for n in notes)


def test_dropped_placeholder_keeps_the_original_paragraph(fake_servers: dict[str, str], small_draft: Draft) -> None:
    out, notes = rewrite_draft(small_draft, _client(fake_servers["drop"]))
    assert out.parts == small_draft.parts and not out.rewritten
    assert any("platshållare" in n for n in notes)


def test_server_error_leaves_the_draft_extractive(fake_servers: dict[str, str], small_draft: Draft) -> None:
    out, notes = rewrite_draft(small_draft, _client(fake_servers["error"]))
    assert out is small_draft
    assert notes and "500" in notes[0]


def test_timeout_leaves_the_draft_extractive(fake_servers: dict[str, str], small_draft: Draft) -> None:
    out, notes = rewrite_draft(small_draft, _client(fake_servers["slow"], timeout=0.5))
    assert out is small_draft
    assert notes and "Kunde inte nå språkmodellen" in notes[0]


def test_unsupported_figures_ignore_placeholders_and_markers() -> None:
    sources = ["Sjukfrånvaron uppgick till 16 %."]
    assert unsupported_figures("Den var [ANGE 2021] (2020: 16 %) i år [1].", sources) == []
    assert unsupported_figures("Den var 16 %.", sources) == []
    assert unsupported_figures("Den var 6 %.", sources) == ["6"]

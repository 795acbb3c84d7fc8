"""A three-turn conversation in a real headless Chromium: follow-ups take what they leave out (shown as
chips that can be removed), "Rensa samtalet" starts over, and the answer streams from a language model.

The model is ``tests/fake_chat_server.py`` (a local process that speaks the OpenAI protocol and streams
by server-sent events); the app is ``python -m assistant serve`` over a temporary copy of the corpus
and the built index. Never run ``playwright install``: the browser is /usr/bin/chromium.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from fake_chat_server import running_servers

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

from serving import ARTIFACTS, CHROMIUM, chromium_context, copy_project, serve_app

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"Chromium saknas ({CHROMIUM}): apt-get install chromium"),
]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("chat-app-root")
    copy_project(root)
    with running_servers(("behave",), delay=0.25) as urls:
        env = {"RAPPORT_LLM_BASE_URL": urls["behave"], "RAPPORT_LLM_MODEL": "testmodell", "RAPPORT_LLM_TIMEOUT": "60"}
        with serve_app(root, "chat-server.log", env) as (url, _):
            yield url


@pytest.fixture(scope="module")
def page(app_url: str) -> Iterator[Page]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p, chromium_context(p, viewport={"width": 1500, "height": 1000}) as context:
        pg = context.new_page()
        pg.goto(app_url)
        pg.wait_for_selector("#ra-question textarea", timeout=60_000)
        yield pg


def _turns(page: Page) -> Locator:
    return page.locator("#ra-conversation .ra-turn")


def _ask(page: Page, question: str) -> Locator:
    """Ask in the chat tab and wait until the answer is finished; returns the new (last) turn."""
    before = _turns(page).count()
    page.fill("#ra-question textarea", question)
    page.click("#ra-ask")
    page.wait_for_function(
        "n => { const t = document.querySelectorAll('#ra-conversation .ra-turn');"
        " return t.length > n && !t[t.length - 1].querySelector('.ra-streaming')"
        " && t[t.length - 1].querySelector('.ra-answer'); }",
        arg=before,
        timeout=120_000,
    )
    return _turns(page).last


def _shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


# The tests run in order and share one page.


def test_the_answer_streams_from_the_model_and_is_marked_as_generated(page: Page) -> None:
    page.fill("#ra-question textarea", "Hur hög var sjukfrånvaron på Assistansenheten 2012?")
    page.click("#ra-ask")
    stream = page.locator("#ra-conversation .ra-streaming .ra-stream-text")
    # while the model writes, its checked sentences appear and grow
    page.wait_for_function(
        "() => { const e = document.querySelector('#ra-conversation .ra-streaming .ra-stream-text');"
        " return e && /\\[\\d\\]/.test(e.innerText); }",
        timeout=60_000,
    )
    partial = stream.inner_text()
    _shot(page, "chat-01-streaming")
    page.wait_for_function("() => !document.querySelector('#ra-conversation .ra-streaming')", timeout=120_000)
    turn = _turns(page).last
    answer = turn.locator(".ra-answer")
    assert answer.get_attribute("data-mode") == "generated"
    text = answer.text_content() or ""  # the labels are upper-cased by CSS
    assert "Genererat svar, kontrollerat mot källorna" in text and "Ordagranna citat ur källorna" in text
    assert partial.split(" [")[0] in answer.locator(".ra-generated").inner_text()
    assert "8,30 %" in answer.inner_text()
    assert turn.locator(".ra-chip.ra-carried").count() == 0  # the first question carries nothing


def test_a_follow_up_takes_the_unit_and_subject_from_the_first_question(page: Page) -> None:
    turn = _ask(page, "Och 2018 då?")
    chips = turn.locator(".ra-chip.ra-carried").all_inner_texts()
    assert any("enhet: Assistansenheten (från förra frågan)" in c for c in chips)
    assert any("ämne: sjukfrånvaron (från förra frågan)" in c for c in chips)
    assert "7,1 %" in turn.locator(".ra-answer").inner_text()
    assert turn.locator(".ra-card").first.get_attribute("data-year") == "2018"


def test_a_third_turn_takes_the_year_too_and_the_chip_can_be_removed(page: Page) -> None:
    turn = _ask(page, "Vad sägs om korttidsfrånvaron?")
    year_chip = turn.locator('.ra-chip.ra-carried[data-carried="year"]')
    assert "år: 2018 (från förra frågan)" in year_chip.inner_text()
    assert {c.get_attribute("data-year") for c in turn.locator(".ra-card").all()} == {"2018"}
    _shot(page, "chat-02-three-turns")
    before = _turns(page).count()
    year_chip.locator(".ra-chip-x").click()
    page.wait_for_function(
        "n => document.querySelectorAll('#ra-conversation .ra-turn').length > n", arg=before, timeout=120_000
    )
    page.wait_for_function("() => !document.querySelector('#ra-conversation .ra-streaming')", timeout=120_000)
    again = _turns(page).last
    assert "Sökt utan de tolkade filtren: år" in again.inner_text()
    assert again.locator('.ra-chip[data-carried="year"]').count() == 0
    assert again.locator('.ra-chip.ra-carried[data-carried="unit"]').count() == 1  # the unit stays


def test_clearing_the_conversation_starts_over(page: Page) -> None:
    page.click("#ra-clear")
    page.wait_for_function("() => !document.querySelector('#ra-conversation .ra-turn')", timeout=30_000)
    turn = _ask(page, "Och 2018 då?")
    assert turn.locator(".ra-chip.ra-carried").count() == 0
    _shot(page, "chat-03-cleared")

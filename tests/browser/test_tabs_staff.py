"""The "Skriv utkast" and "Jämför år" tabs in a real Chromium, as staff meet them (issue 17).

Uses the server and page of ``test_e2e`` (a temporary copy of the project,
``python -m assistant serve``); screenshots go to tmp/artifacts/ (the ones in
docs/screenshots/ are copies of ``draft-tab.png`` and ``compare-tab.png``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from test_e2e import _shot, page, pytestmark, server  # noqa: F401  (fixtures and marks shared with the e2e tests)

if TYPE_CHECKING:
    from playwright.sync_api import Page


def _pick(pg: Page, elem_id: str, typed: str, name: re.Pattern[str]) -> None:
    box = pg.locator(f"#{elem_id} input")
    box.click()
    box.fill(typed)
    pg.get_by_role("option", name=name).first.click()


def test_draft_tab_year_field_marks_and_ui_messages(page: Page) -> None:  # noqa: F811
    pg = page
    pg.get_by_role("tab", name="Skriv utkast").click()
    year = pg.locator("#ra-draft-year input, #ra-draft-year textarea").first
    year.wait_for(timeout=30_000)
    assert year.input_value() == ""  # not "0": empty means the year after the unit's latest report
    _pick(pg, "ra-draft-unit", "Assistans", re.compile(r"^Assistansenheten$"))
    pg.wait_for_function(
        "() => (document.querySelector('#ra-draft-year input, #ra-draft-year textarea') || {}).placeholder"
        "?.includes('2019')",
        timeout=30_000,
    )
    pg.fill("#ra-draft-topic textarea", "sjukfrånvaro och arbetsmiljö")
    pg.wait_for_timeout(500)  # the unit's other events (its section list) have run
    assert pg.locator("#ra-draft-topic textarea").input_value() == "sjukfrånvaro och arbetsmiljö"
    pg.click("#ra-draft-go")
    pg.locator("#ra-draft-result .ra-draft, #ra-draft-result .ra-error").first.wait_for(timeout=120_000)
    title = pg.locator("#ra-draft-result h3")
    assert title.count() == 1, pg.locator("#ra-draft-result").inner_text()
    assert "2019, Assistansenheten" in title.inner_text()
    others = pg.locator("#ra-draft-result .ra-other-unit")
    assert others.count() >= 1
    assert re.match(r"\(från .+ \d{4}\)", others.first.locator(".ra-origin").inner_text())
    assert pg.locator("#ra-draft-result mark.ra-placeholder").count() >= 1
    pg.get_by_role("tab", name="Skriv utkast").scroll_into_view_if_needed()
    _shot(pg, "draft-tab")
    pg.fill("#ra-draft-topic textarea", "snöröjning av gator")
    pg.click("#ra-draft-go")
    refusal = pg.locator("#ra-draft-result .ra-refusal")
    refusal.wait_for(timeout=120_000)
    text = refusal.inner_text()
    assert "snöröjning" in text and "python -m" not in text and "Avsnitt ur senaste rapporten" in text


def test_compare_tab_counts_chart_notes_and_row_jump(page: Page) -> None:  # noqa: F811
    pg = page
    pg.get_by_role("tab", name="Jämför år").click()
    pg.locator("#ra-compare-summary .ra-cmp-summary").wait_for(timeout=60_000)
    box = pg.locator("#ra-compare-indicator input")
    box.click()
    pg.get_by_role("option").first.wait_for(timeout=30_000)
    options = pg.get_by_role("option").all_inner_texts()
    assert options and not any(o.endswith("(1 värden)") for o in options)
    assert any(o.endswith("(1 värde)") for o in options)
    pg.keyboard.press("Escape")  # sick leave stays chosen (the default)
    pg.locator("#ra-compare-indicator input").blur()
    pg.locator("#ra-compare-summary").click()  # closes the list
    pg.wait_for_function("() => !document.querySelector('[role=option]')", timeout=30_000)
    notes = pg.locator("#ra-compare-chartnotes")
    pg.wait_for_function(
        "() => (document.querySelector('#ra-compare-chartnotes') || {}).innerText?.includes('Sjukfrånvaro – ')",
        timeout=60_000,
    )
    assert "Inte i diagrammet" in notes.inner_text()
    summary = pg.locator("#ra-compare-summary").inner_text()
    assert "en linje per enhet" in summary
    assert pg.locator("#ra-compare-summary td[data-kind]", has_text="tas fram av").count() == 0
    pg.wait_for_function(
        "() => { const i = document.querySelector('#ra-compare-chart img'); "
        "return i && i.complete && i.naturalWidth > 0; }",
        timeout=60_000,
    )
    pg.get_by_role("tab", name="Jämför år").scroll_into_view_if_needed()
    _shot(pg, "compare-tab")
    _pick(pg, "ra-compare-indicator", "deltid", re.compile(r"^Andel medarbetare på deltid"))
    jump = pg.locator('#ra-compare-flags .ra-flag[data-kind="hopp"]')
    jump.first.wait_for(timeout=60_000)
    assert jump.first.locator(".ra-flag-side").count() == 1
    assert jump.first.locator("mark").all_inner_texts() == ["42,5 %", "22,92 %"]
    jump.first.scroll_into_view_if_needed()
    _shot(pg, "compare-row-jump")

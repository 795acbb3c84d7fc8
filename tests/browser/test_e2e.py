"""End to end in a real headless Chromium (the Debian package), driven by Playwright.

The app runs as ``python -m assistant serve`` on a free port over a temporary
copy of the corpus (and of the built index, to skip the embedding), so
uploads never touch the real corpus. Screenshots go to tmp/artifacts/.

Never run ``playwright install``: the browser is /usr/bin/chromium
(``apt-get install chromium``).
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Dialog, Locator, Page

from serving import ARTIFACTS, CHROMIUM, chromium_context, copy_project, serve_app

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"Chromium saknas ({CHROMIUM}): apt-get install chromium"),
]

FACT_REPORT = """Verksamhetsberättelse 2023

Fjärilsenheten

Sammanfattande analys

Fjärilsenheten är en liten enhet som startade under året.
Under 2023 genomförde Fjärilsenheten 17 brandövningar, fler än något tidigare år.

Sjukfrånvaro

Sjukfrånvaron i Fjärilsenheten var 3,3 procent.
"""

EVIL_REPORT = """Verksamhetsberättelse 2024

Ogräsenheten

Sammanfattande analys

<script>window.__pwned=1</script>
Ogräsenheten provade bildtaggen <img src=x onerror="window.__pwned=2"> under 2024 i sin rapport.
Ogräsenheten provade också mallen ${window.__pwned=3} och {{constructor.constructor('window.__pwned=4')()}} i texten.
"""


DIALOGS: list[str] = []  # alert()/confirm() texts: a report's script must never open one


def _dismiss(dialog: Dialog) -> None:
    DIALOGS.append(dialog.message)
    dialog.dismiss()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("app-root")
    copy_project(root)
    with serve_app(root, "server.log") as (url, _):
        yield url, root


@pytest.fixture(scope="module")
def page(server: tuple[str, Path]) -> Iterator[Page]:
    from playwright.sync_api import sync_playwright

    url, _ = server
    with sync_playwright() as p, chromium_context(p, viewport={"width": 1500, "height": 1000}) as context:
        pg = context.new_page()
        pg.on("dialog", _dismiss)
        pg.goto(url)
        pg.wait_for_selector("#ra-question textarea", timeout=60_000)
        yield pg


def _ask(page: Page, question: str) -> Locator:
    """Ask in the chat tab; returns the locator of the new (last) turn."""
    pg = page
    before = pg.locator("#ra-conversation .ra-turn").count()
    pg.fill("#ra-question textarea", question)
    pg.click("#ra-ask")
    pg.wait_for_function(
        "n => document.querySelectorAll('#ra-conversation .ra-turn').length > n", arg=before, timeout=60_000
    )
    return pg.locator("#ra-conversation .ra-turn").last


def _shot(page: Page, name: str) -> Path:
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def _assert_not_pwned(page: Page) -> None:
    assert page.evaluate("() => window.__pwned === undefined"), "JavaScript ur en rapport kördes"
    assert DIALOGS == []


# The tests run in order and share one browser page and one server.


def test_ask_shows_answer_with_source_of_the_right_year(page: Page) -> None:
    turn = _ask(page, "Vad var sjukfrånvaron för Assistansenheten 2018?")
    answer = turn.locator(".ra-answer")
    assert answer.get_attribute("data-abstained") == "false"
    card = turn.locator(".ra-card").first
    assert card.get_attribute("data-year") == "2018"
    assert "2018" in card.locator(".ra-card-meta").inner_text()
    assert turn.locator("mark.ra-quote").count() >= 1
    chips = turn.locator(".ra-chip.ra-inferred").all_inner_texts()
    assert any("2018" in c for c in chips) and any("Assistansenheten" in c for c in chips)
    copy = page.locator("#ra-copy-text textarea").input_value()
    assert copy.startswith(answer.locator(".ra-sentence").first.inner_text().split(" [")[0][:30])
    assert "Källor:" in copy and "2018" in copy


def test_source_viewer_opens_report_at_the_passage(page: Page) -> None:
    pg = page
    pg.locator("#ra-conversation .ra-turn").last.locator(".ra-open").first.click()
    mark = pg.locator("#ra-viewer #ra-passage")
    mark.wait_for(timeout=30_000)
    pg.wait_for_timeout(400)
    box = pg.locator("#ra-viewer .ra-doc-text").bounding_box()
    m = mark.bounding_box()
    assert box and m and box["y"] <= m["y"] < box["y"] + box["height"], "stället syns inte i källvisaren"
    title = pg.locator("#ra-viewer .ra-doc-title").inner_text()
    assert "2018" in title
    # The whole report is there, not only the passage.
    assert len(pg.locator("#ra-viewer .ra-doc-text").inner_text()) > 3 * len(mark.inner_text())
    _shot(pg, "01-answer-and-viewer")


def test_inferred_filters_can_be_removed(page: Page) -> None:
    pg = page
    pg.locator("#ra-conversation .ra-turn").last.locator(".ra-drop-all").click()
    pg.wait_for_function("() => document.querySelectorAll('#ra-conversation .ra-turn').length >= 2", timeout=60_000)
    last = pg.locator("#ra-conversation .ra-turn").last
    assert "Sökt utan de tolkade filtren" in last.inner_text()
    assert last.locator(".ra-chip.ra-inferred").count() == 0


def test_source_card_shows_its_quote_however_far_down_the_passage(page: Page) -> None:
    # answered from the 2014 report, whose quoted sentence lies below the card's first lines
    turn = _ask(page, "Vad var sjukfrånvaron på beställarenheten 2013?")
    page.wait_for_timeout(400)
    cards = turn.locator(".ra-card")
    seen = 0
    for i in range(cards.count()):
        passage = cards.nth(i).locator(".ra-passage")
        mark = passage.locator("mark.ra-quote")
        if mark.count() == 0:
            continue
        box, m = passage.bounding_box(), mark.first.bounding_box()
        assert box and m and box["y"] <= m["y"] < box["y"] + box["height"], "citatet syns inte i källkortet"
        seen += 1
    assert seen >= 1
    assert "3,75 %" in turn.locator(".ra-answer").inner_text()


def test_abstention_looks_different(page: Page) -> None:
    turn = _ask(page, "Vad var sjukfrånvaron för Assistansenheten 2031?")
    answer = turn.locator(".ra-answer")
    assert answer.get_attribute("data-abstained") == "true"
    assert "Inget svar hittades" in answer.inner_text()
    color = answer.evaluate("e => getComputedStyle(e).backgroundColor")
    normal = page.locator("#ra-conversation .ra-answer[data-abstained=false]").first
    assert color != normal.evaluate("e => getComputedStyle(e).backgroundColor")
    _shot(page, "02-abstention")


def _upload(page: Page, path: Path) -> str:
    """Upload in the reports tab; returns the new status line."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    pg = page
    pg.get_by_role("tab", name="Rapporter").click()
    before = _status_text(pg)
    # The previous upload clears the file field; wait until it is empty again.
    pg.wait_for_function("() => !/\\.(txt|pdf|docx)/.test(document.querySelector('#ra-upload').innerText)")
    # Switching tabs re-renders the file field; a file set on the old element is lost, so retry.
    for attempt in range(3):
        # (the file field can take a while to render on a loaded machine)
        pg.locator("#ra-upload input[type=file]").set_input_files(str(path), timeout=90_000)
        try:
            pg.locator("#ra-upload", has_text=path.name).wait_for(timeout=10_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    pg.click("#ra-upload-btn")
    status_text = _wait_for_status(pg, before)
    if "Kontrollera" in status_text:
        # Something detected was uncertain: the review asks to confirm it before indexing.
        pg.click("#ra-upload-confirm")
        status_text = _wait_for_status(pg, status_text)
    return status_text


def _status_text(pg: Page) -> str:
    return str(pg.evaluate("() => (document.querySelector('#ra-upload-status .ra-status') || {}).innerText || ''"))


def _wait_for_status(pg: Page, before: str) -> str:
    """The upload status line once it differs from ``before`` (its text, without gradio's progress timer)."""
    handle = pg.wait_for_function(
        "old => { const s = document.querySelector('#ra-upload-status .ra-status');"
        " return s && s.innerText !== old && s.innerText; }",
        arg=before,
        timeout=600_000,
    )
    return str(handle.json_value())


def test_upload_a_report_and_ask_about_it(page: Page, server: tuple[str, Path], tmp_path: Path) -> None:
    _, root = server
    f = tmp_path / "fjarilsenheten-2023.txt"
    f.write_text(FACT_REPORT, encoding="utf-8")
    status = _upload(page, f)
    assert "går att söka i nu" in status, status
    assert (root / "corpus" / "fjarilsenheten-2023.txt").exists()
    table = page.locator("#ra-reports-table").inner_text()
    assert "Fjärilsenheten" in table
    _shot(page, "03-reports")
    # Uploading it again is recognised as a duplicate.
    status = _upload(page, f)
    assert "finns redan" in status, status
    page.get_by_role("tab", name="Fråga").click()
    turn = _ask(page, "Hur många brandövningar genomförde Fjärilsenheten 2023?")
    assert "17 brandövningar" in turn.locator(".ra-sentences").inner_text()
    assert turn.locator(".ra-card").first.get_attribute("data-year") == "2023"


def test_report_with_html_and_js_is_shown_as_text(page: Page, tmp_path: Path) -> None:
    f = tmp_path / "ograsenheten.txt"
    f.write_text(EVIL_REPORT, encoding="utf-8")
    status = _upload(page, f)
    assert "går att söka i nu" in status, status
    _assert_not_pwned(page)
    assert page.locator("#ra-reports-table img, #ra-reports-table script").count() == 0
    page.get_by_role("tab", name="Fråga").click()
    turn = _ask(page, "Vilken bildtagg provade Ogräsenheten 2024?")
    text = turn.inner_text()
    assert '<img src=x onerror="window.__pwned=2">' in text
    assert turn.locator("img, script").count() == 0
    turn.locator(".ra-open").first.click()
    page.locator("#ra-viewer .ra-doc-title", has_text="Ogräsenheten").wait_for(timeout=30_000)
    viewer = page.locator("#ra-viewer .ra-doc-text").inner_text()
    assert "<script>window.__pwned=1</script>" in viewer
    assert "${window.__pwned=3}" in viewer and "{{constructor.constructor" in viewer
    assert page.locator("#ra-viewer img, #ra-viewer script").count() == 0
    page.wait_for_timeout(500)
    _assert_not_pwned(page)
    _shot(page, "04-html-as-text")


def test_metadata_correction_and_removal(page: Page, server: tuple[str, Path]) -> None:
    _, root = server
    pg = page
    pg.get_by_role("tab", name="Rapporter").click()
    pick = pg.locator("#ra-pick input")
    pick.click()
    pick.fill("Fjärilsenheten")
    pg.get_by_role("option", name="Fjärilsenheten", exact=False).first.click()
    unit = pg.locator("#ra-meta-unit textarea, #ra-meta-unit input").first
    pg.wait_for_function(
        "() => (document.querySelector('#ra-meta-unit textarea, #ra-meta-unit input') || {}).value", timeout=30_000
    )
    unit.fill("Fjärilsenheten Syd")
    pg.click("#ra-meta-save")
    pg.locator("#ra-meta-status .ra-ok").wait_for(timeout=300_000)
    assert "Fjärilsenheten Syd" in (root / "corpus" / "manifest.toml").read_text(encoding="utf-8")
    row = pg.locator("#ra-reports-table tr", has_text="Fjärilsenheten Syd")
    assert row.count() == 1 and "rättat: enhet" in row.inner_text()
    pg.click("#ra-remove")
    confirm = pg.locator("#ra-confirm-text")
    confirm.wait_for(timeout=30_000)
    assert "Vill du ta bort" in confirm.inner_text()
    pg.click("#ra-remove-yes")
    pg.wait_for_function(
        "() => !document.querySelector('#ra-reports-table').innerText.includes('Fjärilsenheten')", timeout=300_000
    )
    assert not (root / "corpus" / "fjarilsenheten-2023.txt").exists()


def test_upload_pdf_confirm_metadata_reload_and_ask_with_page(
    page: Page, server: tuple[str, Path], tmp_path: Path
) -> None:
    """A user's PDF: what was detected is shown, the uncertain field confirmed; after a reload the report
    is listed (read fresh), a question about it is answered with the page, and the original opens there."""
    import solrosen

    url, root = server
    pg = page
    f = solrosen.write_pdf(tmp_path / "Solrosen VB2021.pdf", administration=False)
    pg.get_by_role("tab", name="Rapporter").click()
    pg.locator("#ra-upload").wait_for(timeout=30_000)
    before = _status_text(pg)
    for attempt in range(3):
        pg.locator("#ra-upload input[type=file]").set_input_files(str(f))
        try:
            pg.locator("#ra-upload", has_text=f.name).wait_for(timeout=10_000)
            break
        except Exception:
            if attempt == 2:
                raise
    pg.click("#ra-upload-btn")
    status = _wait_for_status(pg, before)
    # The review shows the detected values; the district was only mentioned in passing: uncertain.
    review = pg.locator("#ra-review-text")
    review.wait_for(timeout=30_000)
    assert "Kontrollera" in status, status
    assert pg.locator("#ra-review-text tr.ra-doubt[data-field=district]").count() == 1
    assert pg.locator("#ra-review-text tr.ra-sure[data-field=unit]").count() == 1
    assert solrosen.UNIT in review.inner_text() and "2021" in review.inner_text()
    assert not (root / "corpus" / f.name).exists()  # nothing is indexed before the confirmation
    district = pg.locator("#ra-new-district textarea, #ra-new-district input").first
    assert district.input_value() == solrosen.DISTRICT
    _shot(pg, "06-upload-review")
    pg.click("#ra-upload-confirm")
    status = _wait_for_status(pg, status)
    assert "går att söka i nu" in status, status
    assert (root / "corpus" / f.name).exists()
    assert 'district = "Bromma"' in (root / "corpus" / "manifest.toml").read_text(encoding="utf-8")
    # A reload reads the corpus afresh: the new report is listed.
    pg.reload()
    pg.wait_for_selector("#ra-question textarea", timeout=60_000)
    pg.get_by_role("tab", name="Rapporter").click()
    pg.locator("#ra-reports-table tr", has_text=solrosen.UNIT).wait_for(timeout=30_000)
    pg.get_by_role("tab", name="Fråga").click()
    turn = _ask(pg, f"Hur hög var sjukfrånvaron i {solrosen.UNIT} 2021?")
    assert "9,4 %" in turn.locator(".ra-sentences").inner_text()
    card = turn.locator(".ra-card").first
    assert "s. 2" in card.locator(".ra-card-meta").inner_text()
    link = card.locator("a.ra-original")
    href = link.get_attribute("href") or ""
    assert "original=" in href and "sida=2" in href
    # The link opens the original at the cited page in the reports tab.
    pg.goto(url + "/" + href)
    pg.locator("#ra-orig-status", has_text="sida 2 av 5").wait_for(timeout=60_000)
    assert pg.locator("#ra-orig-image img").count() == 1
    pg.locator("#ra-orig-image").scroll_into_view_if_needed()
    _shot(pg, "07-original-page")
    # The whole file can be downloaded too (a copy; corpus/ itself is never served).
    download = pg.locator("#ra-orig-file a").first
    assert f.stem in pg.locator("#ra-orig-file").inner_text()
    assert "/corpus/" not in (download.get_attribute("href") or "")


def test_server_serves_no_report_files(server: tuple[str, Path]) -> None:
    url, root = server
    targets = [str(next((root / "corpus").glob("*.txt"))), "/etc/passwd", str(root / "index" / "CURRENT")]
    for target in targets:
        for route in ("/gradio_api/file=", "/file="):
            try:
                with urllib.request.urlopen(url + route + urllib.parse.quote(target), timeout=10) as r:
                    body = r.read(200)
                    status = r.status
            except urllib.error.HTTPError as exc:
                status, body = exc.code, b""
            assert status in {403, 404}, (route, target, status, body[:80])


def test_compare_years_tab_shows_series_chart_and_flags(page: Page) -> None:
    """The "Jämför år" tab: pick sick leave, see the table year by year, the chart and its flags."""
    import re

    pg = page
    pg.get_by_role("tab", name="Jämför år").click()
    summary = pg.locator("#ra-compare-summary .ra-cmp-summary")
    summary.wait_for(timeout=60_000)

    def pick(name: re.Pattern[str], typed: str) -> None:
        box = pg.locator("#ra-compare-indicator input")
        box.click()
        box.fill(typed)
        pg.get_by_role("option", name=name).first.click()

    # Another indicator first, so that choosing sick leave is a real change.
    pick(re.compile(r"^Aktivt medskapandeindex"), "medskapande")
    pg.wait_for_function(
        "() => (document.querySelector('#ra-compare-flags') || {}).innerText?.includes('Flaggor för Aktivt')",
        timeout=60_000,
    )
    pick(re.compile(r"^Sjukfrånvaro \("), "Sjukfrånvaro")
    pg.wait_for_function(
        "() => (document.querySelector('#ra-compare-flags') || {}).innerText?.includes('Flaggor för Sjukfrånvaro')",
        timeout=60_000,
    )
    table = pg.locator("#ra-compare-table .ra-cmp-series")
    for year, value in (("2012", "8,30 %"), ("2018", "7,1 %"), ("2020", "16 %")):
        row = table.locator(f'tr[data-year="{year}"][data-kind="utfall"]', has_text=value)
        assert row.count() >= 1, (year, value)
    assert "s. 2" in table.locator('tr[data-year="2012"]').first.inner_text()
    chart = pg.locator("#ra-compare-chart img")
    chart.wait_for(timeout=60_000)
    pg.wait_for_function(
        "() => { const i = document.querySelector('#ra-compare-chart img'); "
        "return i && i.complete && i.naturalWidth > 0; }",
        timeout=60_000,
    )
    flags = pg.locator("#ra-compare-flags .ra-flag")
    assert flags.count() >= 1
    first = flags.first
    assert first.locator(".ra-flag-side").count() == 2 and first.locator(".ra-flag-expl").inner_text()
    shown = flags.count()
    pg.locator("#ra-compare-all input[type=checkbox]").check()
    pg.wait_for_function(
        "n => document.querySelectorAll('#ra-compare-flags .ra-flag').length > n", arg=shown, timeout=60_000
    )
    pg.locator("#ra-compare-all input[type=checkbox]").uncheck()
    pg.wait_for_function(
        "n => document.querySelectorAll('#ra-compare-flags .ra-flag').length === n", arg=shown, timeout=60_000
    )
    assert pg.locator("#ra-compare-table script, #ra-compare-flags script").count() == 0
    _assert_not_pwned(pg)
    pg.get_by_role("tab", name="Jämför år").scroll_into_view_if_needed()
    _shot(pg, "05-compare")
    pg.locator("#ra-compare-flags").scroll_into_view_if_needed()
    _shot(pg, "06-compare-flags")

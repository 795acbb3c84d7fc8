"""The first start in a real headless Chromium: the page is usable while the index builds.

``python -m assistant serve`` on a project whose index has never been built,
with the vectors of four of the five seed reports already in the cache, so the
background build embeds one report (tens of seconds): long enough to see the
progress line, a question answered with "not ready yet", and then the answer.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from seeds import R2020
from serving import ARTIFACTS, CHROMIUM, PROJECT, chromium_context, serve_app

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"Chromium saknas ({CHROMIUM}): apt-get install chromium"),
]


def test_first_start_shows_progress_and_answers_when_the_index_is_ready(tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    root = tmp_path / "root"
    shutil.copytree(PROJECT / "corpus", root / "corpus")
    cache = PROJECT / "index" / "cache"
    if cache.is_dir():  # every report's vectors but one: the build has one report to embed
        shutil.copytree(cache, root / "index" / "cache", ignore=shutil.ignore_patterns(f"{R2020}-*", "docs"))
    # HTTP within 60 s although no index exists yet: it is built in the background.
    with serve_app(root, "server-first-start.log", drop=("RAPPORT_",), start_timeout=60) as (url, _):
        with sync_playwright() as p, chromium_context(p) as context:
            page = context.new_page()
            page.goto(url)
            page.wait_for_selector("#ra-question textarea", timeout=60_000)
            status = page.locator("#ra-build-status")
            expect(status).to_contain_text("Frågor kan ställas när det är klart", timeout=30_000)
            expect(status).to_contain_text("4 av 5 rapporter klara", timeout=60_000)
            page.screenshot(path=str(ARTIFACTS / "first-start-building.png"))

            page.fill("#ra-question textarea", "Vad var sjukfrånvaron för Assistansenheten 2018?")
            page.click("#ra-ask")
            turn = page.locator("#ra-conversation .ra-turn").last
            expect(turn).to_contain_text("Sökindexet byggs fortfarande", timeout=60_000)

            expect(status).to_contain_text("Sökindexet är klart: 5 rapporter på", timeout=900_000)
            page.fill("#ra-question textarea", "Vad var sjukfrånvaron för Assistansenheten 2018?")
            page.click("#ra-ask")
            expect(page.locator("#ra-conversation .ra-turn").nth(1)).to_contain_text("7,1 %", timeout=60_000)
            page.screenshot(path=str(ARTIFACTS / "first-start-ready.png"))

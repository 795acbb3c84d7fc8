"""Years inside a report: a question about a year a report plans for ("Utvecklingsområden 2022") is
answered from that passage, naming the report, instead of being refused for want of a 2022 report.

The report is the issue's example, uploaded as a user would (tests/solrosen.py), over the real
seed corpus, model and index.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import solrosen

from assistant.api import Assistant
from assistant.config import Config
from assistant.index.embeddings import Embedder

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def with_solrosen(tmp_path_factory: pytest.TempPathFactory, built_root: Path, embedder: Embedder) -> Assistant:
    import shutil

    root = tmp_path_factory.mktemp("solrosen") / "root"
    shutil.copytree(built_root, root)
    own = Assistant(Config(root=root), embedder=embedder)
    source = solrosen.write_docx(tmp_path_factory.mktemp("upload") / "VB 2021 Solrosen.docx")
    meta = own.add_report(source)
    assert (meta.unit, meta.year) == (solrosen.UNIT, 2021)
    return own


def test_a_planned_year_is_answered_from_its_section_naming_the_report(with_solrosen: Assistant) -> None:
    answer = with_solrosen.ask("Vad ska Solrosen göra under 2022?")
    assert not answer.abstained
    assert answer.citations and all(c.unit == solrosen.UNIT and c.year == 2021 for c in answer.citations[:1])
    assert "Utvecklingsområden 2022" in answer.citations[0].section
    assert "Det finns ingen rapport för 2022" in answer.notice
    assert solrosen.UNIT in answer.notice  # the report it comes from is named


def test_the_report_year_itself_is_still_answered_without_a_notice(with_solrosen: Assistant) -> None:
    answer = with_solrosen.ask(f"Hur hög var sjukfrånvaron i {solrosen.UNIT} 2021?")
    assert not answer.abstained
    assert "9,4 %" in answer.answer
    assert not answer.notice

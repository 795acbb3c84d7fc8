"""A year-to-year jump found inside one table row is one passage with both values highlighted."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.facts.consistency import Flag, check, flags_to_html, flags_to_markdown
from assistant.ingest.corpus import load_corpus

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def row_jump() -> Flag:
    corpus = load_corpus(ROOT / "corpus", ROOT)
    flags = [f for f in check(corpus.documents) if f.kind == "hopp"]
    same = [f for f in flags if f.first.start == f.second.start and f.first.report_id == f.second.report_id]
    assert same, [f.explanation for f in flags]
    return same[0]


def test_one_row_jump_is_one_passage_with_both_values(row_jump: Flag) -> None:
    assert row_jump.same_passage
    data = row_jump.to_json()
    assert data["same_passage"] is True
    assert set(data["first"]) >= {"report_id", "start", "end", "text", "highlight"}  # the contract stays
    highlights = data["first"]["highlights"]
    assert len(highlights) == 2 and all(h in row_jump.first.text for h in highlights)


def test_one_row_jump_is_rendered_once(row_jump: Flag) -> None:
    md = flags_to_markdown([row_jump])
    assert md.count(row_jump.first.text) == 1
    html = flags_to_html([row_jump])
    assert html.count("<blockquote") == 1
    for h in row_jump.first.highlights:
        assert f"<mark>{h}</mark>" in html

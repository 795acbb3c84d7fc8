"""The reports tab's handlers on the real corpus, model and index (a private copy): an upload read and
reviewed before it is indexed, confirmed fields saved, the original file only ever from corpus/, and
links from a source card and the table that open it.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import solrosen

from assistant.api import Assistant
from assistant.config import Config
from assistant.errors import AssistantError
from assistant.index.embeddings import Embedder
from assistant.ui.render import original_link, render_answer, render_reports_table
from assistant.ui.reports import (
    confirmed_metadata,
    inspect_report,
    open_original,
    uncertain_fields,
    upload_report,
)

pytestmark = pytest.mark.slow


@pytest.fixture()
def own(copy_built_root: Path, embedder: Embedder) -> Assistant:
    return Assistant(Config(root=copy_built_root), embedder=embedder)


def test_an_upload_is_read_without_being_added(own: Assistant, tmp_path: Path) -> None:
    pdf = solrosen.write_pdf(tmp_path / "Solrosen VB2021.pdf", administration=False)
    doc = inspect_report(own, pdf)
    assert (doc.meta.unit, doc.meta.year, doc.meta.type) == (solrosen.UNIT, 2021, "verksamhetsberättelse")
    assert doc.meta.district == solrosen.DISTRICT and doc.meta.pages == 5
    assert uncertain_fields(doc.meta) == ["district"]  # mentioned in passing only
    assert not (own.config.corpus / pdf.name).exists()
    assert not list(own.config.corpus.glob(".*"))  # no temporary file left behind
    assert solrosen.UNIT not in {r.unit for r in own.reports()}


def test_a_sure_report_needs_no_review(own: Assistant, tmp_path: Path) -> None:
    pdf = solrosen.write_pdf(tmp_path / "Solrosen VB2021.pdf")
    assert uncertain_fields(inspect_report(own, pdf).meta) == []


def test_confirmed_and_corrected_fields_are_saved_with_the_upload(own: Assistant, tmp_path: Path) -> None:
    pdf = solrosen.write_pdf(tmp_path / "Solrosen VB2021.pdf", administration=False)
    meta = inspect_report(own, pdf).meta
    wanted = {"title": meta.title, "year": "2021", "unit": meta.unit, "district": "Bromma", "type": meta.type}
    metadata = confirmed_metadata(meta, **wanted)
    assert metadata == {"district": "Bromma"}  # the uncertain one, confirmed as it was
    corrected = confirmed_metadata(meta, **{**wanted, "year": "2020"})
    assert corrected == {"district": "Bromma", "year": 2020}
    with pytest.raises(AssistantError, match="årtal"):
        confirmed_metadata(meta, **{**wanted, "year": "tjugo"})
    message, kind = upload_report(own, pdf, metadata=metadata)
    assert kind == "ok", message
    manifest = tomllib.loads((own.config.corpus / "manifest.toml").read_text(encoding="utf-8"))
    assert manifest[pdf.name] == {"district": "Bromma"}
    added = next(r for r in own.reports() if r.unit == solrosen.UNIT)
    assert added.origin["district"] == "manifest" and added.confidence["district"] == 1.0


def test_the_original_is_a_copy_from_corpus_with_the_pdf_page_rendered(own: Assistant, tmp_path: Path) -> None:
    pdf = solrosen.write_pdf(tmp_path / "Solrosen VB2021.pdf")
    assert upload_report(own, pdf)[1] == "ok"
    report_id = next(r.report_id for r in own.reports() if r.unit == solrosen.UNIT)
    original = open_original(own, report_id, 3)
    assert original.kind == "ok" and "sida 3 av 5" in original.message
    assert original.file and Path(original.file).read_bytes() == (own.config.corpus / pdf.name).read_bytes()
    assert own.config.corpus not in Path(original.file).parents  # a copy is handed out, never corpus/ itself
    assert original.image and Path(original.image).read_bytes()[:4] == b"\x89PNG"
    assert "sida 5 av 5" in open_original(own, report_id, 99).message  # clamped to the last page
    seed = open_original(own, "000_12869f676b65cbb2")
    assert seed.file and seed.image is None and seed.file.endswith(".txt")
    assert open_original(own, "finns-inte").kind == "error"


def test_an_original_outside_corpus_is_refused(own: Assistant, tmp_path: Path) -> None:
    from dataclasses import replace

    from assistant.ingest.library import original_file

    doc = own.document("000_12869f676b65cbb2")
    outside = replace(doc.meta, source="../../etc/passwd")
    with pytest.raises(AssistantError, match="finns inte i rapportmappen"):
        original_file(outside.source, own.config.corpus, own.config.root)


def test_source_cards_and_table_link_to_the_original(own: Assistant) -> None:
    answer = own.ask("Vad var sjukfrånvaron för Assistansenheten 2012?")
    html = render_answer(answer)
    c = answer.citations[0]
    assert original_link(c.report_id, c.page) in html
    assert 'href="?original=000_12869f676b65cbb2&amp;sida=' in html
    table = render_reports_table(own.reports(), own.chunk_counts())
    assert table.count('class="ra-original"') == len(own.reports())

"""The corpus folder: loading all reports, the manifest's corrections applied to
their metadata, and one bad file never taking the others down. Each test works
on a copy of the seed reports in a temporary folder. Reading and writing the
manifest itself: test_manifest.py."""

from __future__ import annotations

import random
import shutil
import textwrap
from pathlib import Path

import pytest
from seeds import R2012, R2014, R2020

from assistant.errors import AssistantError, ManifestError
from assistant.ingest.corpus import Corpus, load_corpus, report_files
from assistant.ingest.manifest import MANIFEST_NAME


@pytest.fixture()
def corpus_copy(tmp_path: Path, project_root: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in sorted((project_root / "corpus").glob("*.txt")):
        shutil.copy(path, folder / path.name)
    return folder


def _write_manifest(folder: Path, text: str) -> None:
    (folder / MANIFEST_NAME).write_text(text, encoding="utf-8")


def test_seed_corpus_loads_all_five_reports(seed_corpus: Corpus, project_root: Path) -> None:
    assert not (project_root / "corpus" / MANIFEST_NAME).exists(), "the seeds are checked without a manifest"
    assert seed_corpus.errors == []
    assert [d.meta.report_id for d in seed_corpus.documents] == [
        R2012,
        "001_9c8cd3c33fffa320",
        R2020,
        R2014,
        "004_bd48fc4562325a5d",
    ]
    for doc in seed_corpus.documents:
        assert doc.meta.source == f"corpus/{doc.meta.report_id}.txt"
        assert len(doc.meta.sha256) == 64


def test_manifest_sets_and_corrects_fields(corpus_copy: Path) -> None:
    manifest = f"""
        ["{R2020}.txt"]
        unit = "Personligt stöd Älvsjö"
        district = "Älvsjö"

        ["{R2014}.txt"]
        year = 2015
    """
    _write_manifest(corpus_copy, textwrap.dedent(manifest))
    docs = load_corpus(corpus_copy, corpus_copy.parent).by_id()

    m2020 = docs[R2020].meta
    assert (m2020.unit, m2020.district, m2020.year) == ("Personligt stöd Älvsjö", "Älvsjö", 2020)
    assert m2020.origin == {
        "title": "detected",
        "unit": "manifest",
        "district": "manifest",
        "year": "detected",
        "type": "detected",
    }
    m2014 = docs[R2014].meta
    assert (m2014.year, m2014.unit, m2014.type) == (
        2015,
        "Beställarenheten funktionsnedsättning",
        "verksamhetsberättelse",
    )
    assert m2014.origin["year"] == "manifest" and m2014.origin["unit"] == "detected"
    # The report has no title line: its title is made from the corrected year.
    assert m2014.title == "Verksamhetsberättelse 2015 – Beställarenheten funktionsnedsättning"
    assert m2014.origin["title"] == "detected"
    # Reports the manifest does not mention are untouched.
    assert set(docs[R2012].meta.origin.values()) == {"detected"}
    assert docs[R2012].meta.year == 2012


def test_manifest_title_and_type(corpus_copy: Path) -> None:
    _write_manifest(corpus_copy, f'["{R2012}.txt"]\ntitle = "VB 2012 Assistansenheten"\ntype = "annat"\n')
    meta = load_corpus(corpus_copy).by_id()[R2012].meta
    assert (meta.title, meta.type) == ("VB 2012 Assistansenheten", "annat")
    assert meta.origin["title"] == meta.origin["type"] == "manifest"


def test_an_invalid_manifest_field_is_reported_and_the_rest_is_used(corpus_copy: Path) -> None:
    # Every way a manifest can be wrong is in test_manifest.py; here: load_corpus does not hide it,
    # and does not stop at it (issue 15): the entry's correct fields still apply.
    _write_manifest(corpus_copy, f'["{R2012}.txt"]\nyaer = 2012\ntitle = "Rättad titel"\n')
    corpus = load_corpus(corpus_copy)
    [problem] = corpus.manifest_problems
    assert isinstance(problem, ManifestError) and "'yaer'" in str(problem) and R2012 in str(problem)
    assert corpus.by_id()[R2012].meta.title == "Rättad titel"


def test_one_bad_file_does_not_stop_the_others(corpus_copy: Path) -> None:
    (corpus_copy / "trasig.txt").write_bytes(random.Random(1).randbytes(2048))
    (corpus_copy / "avbruten.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    (corpus_copy / "tom.docx").write_bytes(b"")
    (corpus_copy / "gammal.doc").write_bytes(b"\xd0\xcf\x11\xe0" + bytes(512))
    (corpus_copy / "LÄSMIG.md").write_text("Inte en rapport.", encoding="utf-8")

    corpus = load_corpus(corpus_copy)
    assert len(corpus.documents) == 5
    failed = sorted(error.path.name for error in corpus.errors)
    assert failed == ["avbruten.pdf", "gammal.doc", "tom.docx", "trasig.txt"]
    for error in corpus.errors:
        assert str(error).startswith(f"Kunde inte läsa rapporten {error.path.name}: ")


def test_same_report_id_twice_is_an_error(corpus_copy: Path, tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 6, "Verksamhetsberattelse 2012. Enheten har under 2012 arbetat med kvalitet. " * 10)
    pdf.output(str(corpus_copy / f"{R2012}.pdf"))

    corpus = load_corpus(corpus_copy)
    assert [d.meta.report_id for d in corpus.documents].count(R2012) == 1
    assert len(corpus.errors) == 1
    assert "har redan id" in str(corpus.errors[0]) and R2012 in str(corpus.errors[0])


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(AssistantError, match="finns inte"):
        report_files(tmp_path / "saknas")
    with pytest.raises(AssistantError, match="finns inte"):
        load_corpus(tmp_path / "saknas")


def test_hidden_and_other_files_are_ignored(corpus_copy: Path) -> None:
    (corpus_copy / ".~lock.rapport.txt").write_text("lås", encoding="utf-8")
    (corpus_copy / "anteckningar.md").write_text("# inte en rapport", encoding="utf-8")
    assert [p.name for p in report_files(corpus_copy)] == sorted(p.name for p in corpus_copy.glob("0*.txt"))
    assert load_corpus(corpus_copy).errors == []


def test_a_copy_under_another_name_is_a_duplicate_loaded_once(
    corpus_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Same content hash: indexed once, and `corpus` says so (also in its JSON)."""
    import json

    from assistant.cli import main as cli_main

    shutil.copy(corpus_copy / f"{R2014}.txt", corpus_copy / "zz kopia av VB 2014.txt")
    corpus = load_corpus(corpus_copy)
    assert len(corpus.documents) == 5 and not corpus.errors
    assert [(d.source, d.original) for d in corpus.duplicates] == [("corpus/zz kopia av VB 2014.txt", R2014)]
    assert corpus.copies_of(R2014) == ["corpus/zz kopia av VB 2014.txt"]
    assert cli_main(["--root", str(corpus_copy.parent), "corpus", "--json"]) == 0
    out = capsys.readouterr()
    items = {i["report_id"]: i for i in json.loads(out.out)}
    assert items[R2014]["duplicates"] == ["corpus/zz kopia av VB 2014.txt"]
    assert "zz kopia av VB 2014.txt har samma innehåll som" in out.err


@pytest.mark.slow
def test_index_reports_a_duplicate_and_indexes_it_once(
    copy_built_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from assistant.cli import main as cli_main

    corpus = copy_built_root / "corpus"
    shutil.copy(corpus / f"{R2012}.txt", corpus / "VB 2012 kopia.txt")
    assert cli_main(["--root", str(copy_built_root), "index"]) == 0
    out = capsys.readouterr()
    assert "VB 2012 kopia.txt har samma innehåll som" in out.err
    assert "Indexet är aktuellt (5 rapporter" in out.out  # the copy added nothing to index

"""Adding, removing and correcting reports through the API on a copy of the real project (assistant/api.py)."""

from __future__ import annotations

import random
import tomllib
from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.config import Config
from assistant.errors import AssistantError, ReportLoadError
from assistant.index.embeddings import Embedder
from assistant.ingest.library import safe_filename

NEW_REPORT = """Verksamhetsberättelse 2019
Korttidsenheten Vinga
Hägersten-Liljeholmens stadsdelsförvaltning

Sammanfattning
Korttidsenheten Vinga tog emot 14 barn under året. Enheten köpte en ny minibuss i mars 2019 för 612 tkr.

Ekonomi
Korttidsenheten redovisar ett överskott på 0,3 mnkr för 2019. Överskottet beror på vakanta tjänster under hösten.
"""
QUESTION = "Hur mycket kostade minibussen?"


@pytest.fixture()
def own(copy_built_root: Path, embedder: Embedder) -> Assistant:
    """An assistant over a private copy of the project, free to change."""
    return Assistant(Config(root=copy_built_root), build="auto", embedder=embedder)


def corpus_files(a: Assistant) -> list[str]:
    return sorted(p.name for p in a.config.corpus.iterdir())


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / "upload" / name
    path.parent.mkdir(exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


# ------------------------------------------------------------------ safe file names
def test_safe_filename_strips_paths_and_odd_characters(tmp_path: Path) -> None:
    assert safe_filename("../../x.txt", ".txt", tmp_path) == "x.txt"
    assert safe_filename("C:\\evil\\x.txt", ".txt", tmp_path) == "x.txt"
    assert safe_filename("/etc/passwd", ".txt", tmp_path) == "passwd.txt"
    assert safe_filename("VB 2019 <Vinga>|?*.txt", ".txt", tmp_path) == "VB 2019 _Vinga.txt"
    assert safe_filename("Årsrapport Östermalm.pdf", ".pdf", tmp_path) == "Årsrapport Östermalm.pdf"
    assert safe_filename("..", ".txt", tmp_path) == "rapport.txt"
    assert safe_filename("rapport.exe", ".pdf", tmp_path) == "rapport.pdf"  # the suffix comes from the content
    assert len(safe_filename("a" * 300 + ".txt", ".txt", tmp_path)) == 80 + 4


def test_safe_filename_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("finns", encoding="utf-8")
    (tmp_path / "x-2.txt").write_text("finns", encoding="utf-8")
    assert safe_filename("x.txt", ".txt", tmp_path) == "x-3.txt"


# ------------------------------------------------------------------ add, correct, remove
@pytest.mark.slow
def test_report_lifecycle(own: Assistant, tmp_path: Path) -> None:
    before = own.ask(QUESTION)
    assert "612 tkr" not in before.answer

    meta = own.add_report(write(tmp_path, "vinga.txt", NEW_REPORT), filename="../../VB 2019 Vinga.txt")
    assert meta.report_id == "VB 2019 Vinga"
    assert (own.config.corpus / "VB 2019 Vinga.txt").read_text(encoding="utf-8") == NEW_REPORT
    assert meta.year == 2019 and meta.unit == "Korttidsenheten Vinga"  # the line after the title
    answer = own.ask(QUESTION)  # answerable at once, from the new report
    assert not answer.abstained
    assert "612 tkr" in answer.answer
    assert answer.citations[0].report_id == meta.report_id, answer.answer
    assert 2019 in own.catalog.years

    fixed = own.update_metadata(meta.report_id, unit="Korttidsenheten Vinga", year=2018)
    assert fixed.unit == "Korttidsenheten Vinga" and fixed.year == 2018
    assert fixed.origin["unit"] == "manifest" and fixed.origin["year"] == "manifest"
    manifest = tomllib.loads((own.config.corpus / "manifest.toml").read_text(encoding="utf-8"))
    assert manifest["VB 2019 Vinga.txt"] == {"unit": "Korttidsenheten Vinga", "year": 2018}
    assert own.store.status(own.corpus).fresh
    routed = own.ask("Hur mycket kostade minibussen för Korttidsenheten Vinga?")
    assert routed.filters["unit"] == "Korttidsenheten Vinga"
    assert {c.report_id for c in routed.citations} == {meta.report_id}
    assert {c.year for c in routed.citations} == {2018}

    own.remove_report(meta.report_id)
    assert "VB 2019 Vinga.txt" not in corpus_files(own)
    removed = list((own.config.index / "removed").iterdir())
    assert [p.name.endswith("VB 2019 Vinga.txt") for p in removed] == [True]  # kept, not deleted
    assert "VB 2019 Vinga.txt" not in tomllib.loads((own.config.corpus / "manifest.toml").read_text("utf-8"))
    gone = own.ask(QUESTION)
    assert "612 tkr" not in gone.answer
    assert meta.report_id not in {c.report_id for c in gone.citations}
    assert meta.report_id not in {c.report_id for c in own.index.chunks}
    with pytest.raises(AssistantError, match="finns inte"):
        own.document(meta.report_id)


@pytest.mark.slow
def test_duplicate_report_is_refused(own: Assistant, tmp_path: Path) -> None:
    existing = own.config.corpus / "001_9c8cd3c33fffa320.txt"
    before = corpus_files(own)
    with pytest.raises(AssistantError, match="finns redan") as err:
        own.add_report(write(tmp_path, "kopia.txt", existing.read_bytes()))
    assert not isinstance(err.value, ReportLoadError)
    assert corpus_files(own) == before


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("trasig.txt", random.Random(3).randbytes(4096), "varken PDF"),
        ("tom.txt", b"", "tom"),
        ("falsk.pdf", b"%PDF-1.4\nbara en rubrik\n", None),
        ("falsk.docx", b"PK\x03\x04 inte en zip", None),
        ("program.exe", NEW_REPORT.encode(), "stöds inte"),
    ],
)
def test_bad_file_is_refused_and_nothing_lands_in_the_corpus(
    own: Assistant, tmp_path: Path, name: str, data: bytes, reason: str | None
) -> None:
    before = corpus_files(own)
    reports = len(own.reports())
    with pytest.raises(ReportLoadError, match=reason) as err:
        own.add_report(write(tmp_path, name, data))
    assert name in str(err.value)
    assert corpus_files(own) == before  # no copy, no .uploading or .probe leftovers
    assert len(own.reports()) == reports


@pytest.mark.slow
def test_upload_name_cannot_escape_the_corpus(own: Assistant, tmp_path: Path) -> None:
    source = write(tmp_path, "vinga.txt", NEW_REPORT)
    meta = own.add_report(source, filename="C:\\evil\\..\\..\\x.txt")
    assert meta.source == "corpus/x.txt"
    assert (own.config.corpus / "x.txt").exists()
    assert not (own.config.root.parent / "x.txt").exists()


@pytest.mark.slow
def test_unknown_report_id_is_an_error(own: Assistant) -> None:
    with pytest.raises(AssistantError, match="finns inte"):
        own.remove_report("999_finns_inte")
    with pytest.raises(AssistantError, match="finns inte"):
        own.update_metadata("999_finns_inte", year=2019)


@pytest.mark.slow
def test_invalid_metadata_is_refused_and_the_manifest_restored(own: Assistant) -> None:
    report = "000_12869f676b65cbb2"
    with pytest.raises(AssistantError, match="type"):
        own.update_metadata(report, type="årsrapport")
    assert own.document(report).meta.type == "verksamhetsberättelse"
    manifest = own.config.corpus / "manifest.toml"
    assert not manifest.exists() or "årsrapport" not in manifest.read_text(encoding="utf-8")


def test_a_refusal_copied_as_text_says_why_once(assistant: Assistant) -> None:
    answer = assistant.ask("Hur hög var sjukfrånvaron 2016?")
    assert answer.abstained and answer.notice
    assert answer.as_text().count(answer.notice) == 1

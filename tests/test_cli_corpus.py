"""The ``corpus`` and ``chunks`` commands: their JSON is a contract (fields may be
added, never renamed or dropped), their errors are Swedish and traceback-free."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import cli
from assistant.ingest.corpus import Corpus

EXPECTED = {
    "000_12869f676b65cbb2": ("Assistansenheten", 2012, "verksamhetsberättelse", 12),
    "001_9c8cd3c33fffa320": ("Assistansenheten", 2018, "verksamhetsberättelse", None),
    "002_643e35bcf02e80f7": ("Enheten för personligt stöd", 2020, "verksamhetsberättelse", 15),
    "003_0ccf60bf8091811b": ("Beställarenheten funktionsnedsättning", 2014, "verksamhetsberättelse", 20),
    "004_bd48fc4562325a5d": ("Enheten för personligt stöd", 2025, "verksamhetsplan", None),
}
CORPUS_FIELDS = {"report_id", "source", "title", "unit", "district", "year", "type", "pages", "origin"}
CHUNK_FIELDS = {"chunk_id", "report_id", "year", "unit", "section", "pages", "start", "end", "text"}


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_corpus_json_lists_detected_metadata(capsys: pytest.CaptureFixture[str], project_root: Path) -> None:
    code, out, err = _run(capsys, "--root", str(project_root), "corpus", "--json")
    assert code == 0 and err == ""
    items = json.loads(out)
    assert [item["report_id"] for item in items] == list(EXPECTED)
    for item in items:
        assert CORPUS_FIELDS <= item.keys()
        unit, year, kind, pages = EXPECTED[item["report_id"]]
        assert (item["unit"], item["year"], item["type"], item["pages"]) == (unit, year, kind, pages)
        assert item["source"] == f"corpus/{item['report_id']}.txt"
        assert item["origin"] == dict.fromkeys(("title", "unit", "district", "year", "type"), "detected")
        assert str(year) in item["title"]


def test_corpus_table_marks_manifest_fields(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, project_root: Path
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(project_root / "corpus", corpus)
    (corpus / "manifest.toml").write_text('["002_643e35bcf02e80f7.txt"]\nyear = 2021\n', encoding="utf-8")

    code, out, _ = _run(capsys, "--root", str(tmp_path), "corpus")
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("002_643e35bcf02e80f7"))
    assert "2021*" in row
    assert "5 rapporter" in out

    code, out, _ = _run(capsys, "--root", str(tmp_path), "corpus", "--json")
    item = next(i for i in json.loads(out) if i["report_id"] == "002_643e35bcf02e80f7")
    assert (item["year"], item["origin"]["year"], item["origin"]["unit"]) == (2021, "manifest", "detected")


def test_corpus_with_a_bad_file_warns_and_lists_the_rest(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, project_root: Path
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(project_root / "corpus", corpus)
    (corpus / "trasig.txt").write_bytes(random.Random(3).randbytes(1024))

    code, out, err = _run(capsys, "--root", str(tmp_path), "corpus")
    assert code == 0
    assert "Varning: Kunde inte läsa rapporten trasig.txt" in err
    assert "Traceback" not in err
    assert "1 fil(er) kunde inte läsas" in out
    code, out, _ = _run(capsys, "--root", str(tmp_path), "corpus", "--json")
    assert len(json.loads(out)) == 5


def test_invalid_manifest_field_is_a_swedish_warning_without_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, project_root: Path
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(project_root / "corpus", corpus)
    (corpus / "manifest.toml").write_text('["000_12869f676b65cbb2.txt"]\nenhet = "X"\n', encoding="utf-8")
    code, out, err = _run(capsys, "--root", str(tmp_path), "corpus", "--json")
    assert code == 0 and len(json.loads(out)) == 5  # the wrong field stops nothing (issue 15)
    assert err.startswith("Varning: manifest.toml: okänt fält 'enhet'")
    assert "Traceback" not in err


def test_chunks_json_for_one_report(
    capsys: pytest.CaptureFixture[str], project_root: Path, seed_corpus: Corpus
) -> None:
    code, out, _ = _run(capsys, "--root", str(project_root), "chunks", "001_9c8cd3c33fffa320", "--json")
    assert code == 0
    items = json.loads(out)
    doc = seed_corpus.by_id()["001_9c8cd3c33fffa320"]
    assert len(items) > 20
    for item in items:
        assert CHUNK_FIELDS <= item.keys()
        assert item["report_id"] == "001_9c8cd3c33fffa320"
        assert (item["year"], item["unit"]) == (2018, "Assistansenheten")
        assert doc.text[item["start"] : item["end"]] == item["text"]
        assert item["pages"] == []
        assert item["section"] == " › ".join(item["heading_path"])


def test_chunks_by_file_name_and_all_reports(capsys: pytest.CaptureFixture[str], project_root: Path) -> None:
    code, out, _ = _run(capsys, "--root", str(project_root), "chunks", "000_12869f676b65cbb2.txt", "--json")
    assert code == 0
    items = json.loads(out)
    assert {i["report_id"] for i in items} == {"000_12869f676b65cbb2"}
    assert all(i["pages"] for i in items)

    code, out, _ = _run(capsys, "--root", str(project_root), "chunks")
    assert code == 0
    assert out.rstrip().endswith("i 5 rapport(er).")
    assert "── 000_12869f676b65cbb2#000" in out


def test_chunks_unknown_report_names_the_known_ones(capsys: pytest.CaptureFixture[str], project_root: Path) -> None:
    code, out, err = _run(capsys, "--root", str(project_root), "chunks", "999_finnsinte")
    assert code == 1 and out == ""
    assert "Hittar ingen rapport '999_finnsinte'" in err
    assert "000_12869f676b65cbb2" in err


def test_python_m_assistant_corpus_json(tmp_path: Path, project_root: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "--root", str(project_root), "corpus", "--json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert [(i["report_id"], i["year"]) for i in items] == [(k, v[1]) for k, v in EXPECTED.items()]

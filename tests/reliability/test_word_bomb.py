"""Issue 15, break 1: a Word zip bomb. Before: a .docx that unpacks to hundreds of MB was unpacked
before anything looked at it (gigabytes of memory, minutes), in every command while it sat in
corpus/, and in the server when uploaded. Now its zip directory is read first and it is refused
with a message naming the file and the limit; an upload is moreover parsed in a child process with
a memory limit, so even a file that passes the static limits cannot take the server's memory.
"""

from __future__ import annotations

import json
import resource
import shutil
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hostile import REPORT_TEXT, run_measured, write_docx, write_docx_bomb
from seeds import R2018

from assistant.api import Assistant
from assistant.config import Config
from assistant.errors import ReportLoadError
from assistant.index.embeddings import Embedder
from assistant.ingest.library import inspect_upload
from assistant.ingest.loading import load_raw

PROJECT = Path(__file__).resolve().parents[2]
BOMB_MB = 150  # unpacked; packed it is well under 1 MB


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_a_word_bomb_is_refused_from_its_zip_directory(tmp_path: Path) -> None:
    bomb = write_docx_bomb(tmp_path / "bomb.docx", BOMB_MB)
    assert bomb.stat().st_size < 1024 * 1024
    with pytest.raises(ReportLoadError) as info:
        load_raw(bomb)
    message = str(info.value)
    assert "bomb.docx" in message and "packas upp" in message and "RAPPORT_MAX_DOCX" in message


def test_an_ordinary_word_file_passes_the_limits(tmp_path: Path) -> None:
    raw = load_raw(write_docx(tmp_path / "rapport.docx"))
    assert "Provenheten" in raw.pages[0]


@pytest.mark.slow
def test_a_word_bomb_in_the_corpus_costs_no_memory_and_the_rest_is_read(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy2(PROJECT / "corpus" / f"{R2018}.txt", corpus)
    write_docx_bomb(corpus / "bomb.docx", BOMB_MB)
    run = run_measured(sys.executable, "assistant", ["--root", str(tmp_path), "corpus", "--json"], timeout=120)
    assert not run.timed_out, f"corpus ran for {run.seconds:.0f} s (peak {run.peak_mb:.0f} MB)"
    assert run.returncode == 0, run.stderr
    assert [r["report_id"] for r in json.loads(run.stdout)] == [R2018]
    assert "bomb.docx" in run.stderr and "packas upp" in run.stderr
    # Unpacking would need at least the BOMB_MB the document unpacks to (the CLI alone takes ~45 MB).
    assert run.peak_mb < BOMB_MB * 0.8, run.peak_mb


@pytest.mark.slow
def test_an_uploaded_word_bomb_is_refused_and_nothing_lands(
    copy_built_root: Path, embedder: Embedder, tmp_path: Path
) -> None:
    assistant = Assistant(Config(root=copy_built_root), build="never", embedder=embedder)
    before = sorted(p.name for p in assistant.config.corpus.iterdir())
    bomb = write_docx_bomb(tmp_path / "Verksamhetsberättelse 2023.docx", BOMB_MB)
    peak = _peak_mb()
    with pytest.raises(ReportLoadError, match=r"Verksamhetsberättelse 2023\.docx"):
        assistant.add_report(bomb)
    assert _peak_mb() - peak < BOMB_MB / 2
    assert sorted(p.name for p in assistant.config.corpus.iterdir()) == before


@pytest.mark.slow
def test_an_upload_too_big_to_parse_stops_in_its_own_process(tmp_path: Path) -> None:
    # The static limits opened wide: only the child's memory limit stands between the file and the server.
    limits = replace(
        Config(root=tmp_path).ingest_limits,
        max_docx_unpacked_bytes=10**10,
        max_docx_ratio=10**6,
        max_chars=10**10,
        parse_memory_bytes=400 * 1024 * 1024,
    )
    data = write_docx_bomb(tmp_path / "bomb.docx", 300).read_bytes()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    peak = _peak_mb()
    with pytest.raises(ReportLoadError) as info:
        inspect_upload(data, "stor.docx", corpus, tmp_path, max_mb=25, existing=[], limits=limits)
    assert "stor.docx" in str(info.value) and "RAPPORT_PARSE_MEMORY_MB" in str(info.value)
    assert _peak_mb() - peak < 100
    assert not list(corpus.iterdir())


def test_an_ordinary_upload_is_read_in_the_child_process(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    data = write_docx(tmp_path / "rapport.docx", REPORT_TEXT).read_bytes()
    limits = Config(root=tmp_path).ingest_limits
    doc = inspect_upload(data, "Provenheten 2023.docx", corpus, tmp_path, max_mb=25, existing=[], limits=limits)
    assert doc.meta.unit == "Provenheten" and doc.meta.year == 2023
    assert not list(corpus.iterdir())

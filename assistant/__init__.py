"""Rapportassistenten: questions, drafts and comparisons over Stockholm's
verksamhetsberättelser and verksamhetsplaner, with cited sources.

The public surface is what ``__all__`` lists; everything else is internal and
may change. To add a name: import it below and add it to ``__all__``, which
stays sorted (``tests/test_exported_members.py`` checks both). Import only
light modules here: heavy dependencies (pypdf, python-docx, langchain, models,
indexes) are imported where they are used, so ``import assistant`` stays fast.
"""

from __future__ import annotations

from .config import Config
from .documents import Chunk, Document, ReportMeta
from .errors import AssistantError, ReportLoadError
from .index.chunking import chunk_document
from .ingest.corpus import load_corpus

__all__ = [
    "Assistant",
    "AssistantError",
    "Chunk",
    "Config",
    "Conversation",
    "Document",
    "ReportLoadError",
    "ReportMeta",
    "chunk_document",
    "load_corpus",
]


def __getattr__(name: str) -> object:
    # Assistant pulls in numpy, the model and the index: imported on first use.
    if name == "Assistant":
        from .api import Assistant

        globals()["Assistant"] = Assistant
        return Assistant
    if name == "Conversation":  # imports the question understanding (and its word lists): also on first use
        from .conversation import Conversation

        globals()["Conversation"] = Conversation
        return Conversation
    raise AttributeError(f"module 'assistant' has no attribute {name!r}")

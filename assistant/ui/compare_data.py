"""The facts and flags behind the "Jämför år" tab, extracted once per corpus state, and the tab's pick lists.

:class:`FactCache` keys them by every report's id, sha256 and metadata (and
``corpus/indicators.toml``), so a report uploaded, corrected or removed in the
reports tab is picked up the next time the tab is used.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..documents import Document
from ..facts.consistency import Flag, check
from ..facts.indicators import Fact, extract_facts, known_indicators, load_indicator_file, values_phrase

if TYPE_CHECKING:
    from ..api import Assistant

__all__ = [
    "ALL_UNITS",
    "DEFAULT_INDICATOR",
    "CorpusFacts",
    "FactCache",
    "cite",
    "default_indicator",
    "esc",
    "indicator_choices",
    "unit_choices",
]

ALL_UNITS = "Alla enheter"
DEFAULT_INDICATOR = "sjukfranvaro"
SOURCE_NAMES = {"tabell": "tabell", "text": "text"}


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


@dataclass(frozen=True)
class CorpusFacts:
    """The facts and flags of one state of the corpus."""

    key: tuple[Any, ...]
    documents: tuple[Document, ...]
    facts: tuple[Fact, ...]
    flags: tuple[Flag, ...]

    def title(self, report_id: str) -> str:
        for d in self.documents:
            if d.meta.report_id == report_id:
                return d.meta.title or d.meta.label()
        return report_id


def _corpus_key(documents: Sequence[Document], extra_file: Path | None) -> tuple[Any, ...]:
    reports = tuple(
        sorted(
            (d.meta.report_id, d.meta.sha256, d.meta.title, d.meta.unit, d.meta.year, d.meta.type) for d in documents
        )
    )
    extra: tuple[Any, ...] = ()
    if extra_file is not None and extra_file.exists():
        st = extra_file.stat()
        extra = (st.st_mtime_ns, st.st_size)
    return (reports, extra)


class FactCache:
    """Facts and flags, extracted again only when the corpus has changed.

    ``documents`` returns the current documents (``lambda: assistant.corpus.documents``);
    ``extra_file`` is the optional ``corpus/indicators.toml`` with more indicator definitions.
    """

    def __init__(self, documents: Callable[[], Sequence[Document]], extra_file: Path | None = None) -> None:
        self._documents = documents
        self._extra_file = extra_file
        self._lock = threading.Lock()
        self._current: CorpusFacts | None = None
        self.extractions = 0  # how many times the facts were extracted (for tests)

    @classmethod
    def for_assistant(cls, assistant: Assistant) -> FactCache:
        return cls(lambda: assistant.corpus.documents, assistant.config.corpus / "indicators.toml")

    def get(self) -> CorpusFacts:
        docs = tuple(self._documents())
        key = _corpus_key(docs, self._extra_file)
        with self._lock:
            if self._current is not None and self._current.key == key:
                return self._current
            extra = load_indicator_file(self._extra_file) if self._extra_file and self._extra_file.exists() else []
            facts = extract_facts(docs, extra)
            flags = check(docs, facts=facts)
            self._current = CorpusFacts(key, docs, tuple(facts), tuple(flags))
            self.extractions += 1
            return self._current


def indicator_choices(data: CorpusFacts) -> list[tuple[str, str]]:
    """(Swedish label, key) for every indicator with values, by name; the count is that of ``compare``."""
    return [(f"{name} ({values_phrase(n)})", key) for key, name, n in known_indicators(data.facts)]


def default_indicator(data: CorpusFacts) -> str | None:
    keys = [key for _, key in indicator_choices(data)]
    if DEFAULT_INDICATOR in keys:
        return DEFAULT_INDICATOR
    return keys[0] if keys else None


def unit_choices(data: CorpusFacts, indicator: str | None) -> list[str]:
    """``ALL_UNITS`` and every reporting unit that states the indicator."""
    units = sorted({f.org_unit for f in data.facts if f.indicator == indicator and f.org_unit})
    return [ALL_UNITS, *units]


def cite(title: str, heading_path: Sequence[str], page: int | None, source: str | None = None) -> str:
    """Report title · section · page (· table or text), escaped."""
    parts = [esc(title)]
    if heading_path:
        parts.append(esc(heading_path[-1]))
    parts.append(f"s. {esc(page)}" if page else "sida okänd")
    if source:
        parts.append(esc(SOURCE_NAMES.get(source, source)))
    return " · ".join(parts)

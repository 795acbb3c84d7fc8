"""What one report file may cost before it is refused, checked before the expensive work.

The numbers come from :class:`assistant.config.Config` (``Config.ingest_limits``; each has a
``RAPPORT_*`` variable, see docs/security.md). A report over a limit is a
:class:`ReportTooLargeError` naming the file, the limit and how to change it; the rest of the
corpus is read as usual.

- the file's size, from the file system, before it is read;
- a Word file's parts, from the zip's own directory, before anything is unpacked (zipfile never
  reads past an entry's stated size, so the stated sizes bound what unpacking can cost);
- the text's length, right after it is extracted and before it is cleaned and chunked.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import ReportLoadError, ReportTooLargeError

__all__ = ["IngestLimits", "check_docx_archive", "check_file_size", "check_text_length", "default_limits"]

_MB = 1024 * 1024


@dataclass(frozen=True, kw_only=True)
class IngestLimits:
    max_file_bytes: int
    max_chars: int
    max_docx_unpacked_bytes: int
    max_docx_ratio: int
    max_field_chars: int
    parse_memory_bytes: int  # the address space of the process reading an uploaded file
    parse_timeout: float  # seconds


@cache
def default_limits() -> IngestLimits:
    """The limits of a default ``Config`` (for callers that have none)."""
    from ..config import Config

    return Config(root=Path.cwd()).ingest_limits


def _mb(n: int) -> str:
    return f"{n / _MB:.1f}".replace(".", ",").removesuffix(",0") + " MB"


def _count(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def check_file_size(path: Path, size: int, limits: IngestLimits) -> None:
    if size > limits.max_file_bytes:
        raise ReportTooLargeError(
            path,
            f"filen är {_mb(size)}, mer än gränsen {_mb(limits.max_file_bytes)} för en rapport. "
            "Dela upp rapporten, eller höj gränsen med RAPPORT_MAX_REPORT_MB.",
        )


def check_docx_archive(path: Path, data: bytes, limits: IngestLimits) -> None:
    """Refuse a Word file whose parts unpack to more than the limit, or unpack suspiciously far
    (a zip bomb), from the sizes the zip's directory states — nothing is unpacked here."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ReportLoadError(path, f"Word-filen är trasig eller ofullständig ({exc}). Spara den på nytt.") from exc
    unpacked = sum(e.file_size for e in entries)
    packed = sum(e.compress_size for e in entries)
    advice = (
        "Filen kan vara skadlig (en så kallad zip-bomb). Öppna den i Word och spara den på nytt, "
        "eller höj gränsen med {var} om filen är i sin ordning."
    )
    if unpacked > limits.max_docx_unpacked_bytes:
        raise ReportTooLargeError(
            path,
            f"Word-filen packas upp till {_mb(unpacked)} (den är {_mb(len(data))} packad), mer än gränsen "
            f"{_mb(limits.max_docx_unpacked_bytes)}. " + advice.format(var="RAPPORT_MAX_DOCX_UNPACKED_MB"),
        )
    if unpacked > limits.max_docx_ratio * max(packed, 1):
        raise ReportTooLargeError(
            path,
            f"Word-filen packas upp {unpacked // max(packed, 1)} gånger större ({_mb(unpacked)}), mer än gränsen "
            f"{limits.max_docx_ratio} gånger. " + advice.format(var="RAPPORT_MAX_DOCX_RATIO"),
        )


def check_text_length(path: Path, characters: int, limits: IngestLimits) -> None:
    if characters > limits.max_chars:
        raise ReportTooLargeError(
            path,
            f"rapporten har {_count(characters)} tecken text, mer än gränsen {_count(limits.max_chars)}. "
            "Dela upp den, eller höj gränsen med RAPPORT_MAX_REPORT_CHARS.",
        )

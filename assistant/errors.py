"""Exceptions raised by Rapportassistenten.

The tree::

    AssistantError                 base of everything the assistant raises on purpose
    ├── ConfigError                unknown or invalid configuration key/value
    ├── ReportLoadError            one report could not be read (names the file)
    │   ├── ScannedPdfError        a PDF without a text layer
    │   └── ReportTooLargeError    over a limit: file size, unpacked Word parts, text, passages
    ├── ManifestError              corpus/manifest.toml is invalid (names the field)
    ├── ModelLoadError             an embedding model could not be loaded offline
    ├── QuestionError              a question that cannot be asked: empty, too long, no words
    ├── IndexStoreError                base for index problems
    │   ├── IndexMismatchError     index built with another model/chunker/corpus
    │   ├── IndexMissingError      no index on disk and building was not allowed
    │   └── IndexCorruptError      an index file damaged: checksum mismatch, missing, does not parse
    └── DependencyMissingError     an optional package is not installed

Every message is written for a person, in Swedish: what went wrong, which file or
field, and what to do about it. The CLI prints ``str(error)`` without a
traceback and exits non-zero; the UI shows the same text.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "AssistantError",
    "ConfigError",
    "DependencyMissingError",
    "IndexCorruptError",
    "IndexMismatchError",
    "IndexMissingError",
    "IndexStoreError",
    "ManifestError",
    "ModelLoadError",
    "QuestionError",
    "ReportLoadError",
    "ReportTooLargeError",
    "ScannedPdfError",
]


class AssistantError(Exception):
    """Base class: an error with a message meant for the user."""


class ConfigError(AssistantError):
    pass


class ReportLoadError(AssistantError):
    """A single report could not be loaded. The other reports still load."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"Kunde inte läsa rapporten {self.path.name}: {reason}")


class ScannedPdfError(ReportLoadError):
    def __init__(self, path: Path | str) -> None:
        super().__init__(
            path,
            "PDF-filen saknar textlager (troligen en inskannad bild). "
            "Kör den genom OCR (t.ex. ocrmypdf) eller spara den som Word/PDF med text "
            "och lägg till den igen.",
        )


class ReportTooLargeError(ReportLoadError):
    """A report over one of the limits in ``Config`` (checked before the expensive work)."""


class ManifestError(AssistantError):
    pass


class ModelLoadError(AssistantError):
    pass


class QuestionError(AssistantError):
    pass


class IndexStoreError(AssistantError):
    pass


class IndexMismatchError(IndexStoreError):
    pass


class IndexMissingError(IndexStoreError):
    pass


class IndexCorruptError(IndexStoreError):
    """A store (or its manifest) that does not match its checksums or does not parse; ``index`` and
    ``serve`` rebuild it from the per-report caches. ``damage``: what is wrong, without the advice."""

    def __init__(self, damage: str, advice: str) -> None:
        self.damage = damage
        super().__init__(f"{damage} {advice}")


class DependencyMissingError(AssistantError):
    def __init__(self, package: str, extra: str | None = None, purpose: str = "") -> None:
        hint = f"pip install 'rapportassistenten[{extra}]'" if extra else f"pip install {package}"
        what = f" för {purpose}" if purpose else ""
        super().__init__(f"Paketet {package} behövs{what} men är inte installerat. Installera med: {hint}")

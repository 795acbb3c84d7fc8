"""Changing what is in ``corpus/``: a report uploaded, removed or its metadata corrected.

Nothing already there is lost: an upload is validated under a hidden name
before it lands (read in a child process with a memory and a time limit,
``isolation.py``, since nobody has looked at the file yet), a removed report is moved to ``index/removed/``, and a
manifest edit that makes the manifest invalid is undone.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..documents import Document
from ..errors import AssistantError, ManifestError, ReportLoadError, ReportTooLargeError
from .isolation import load_document_isolated
from .limits import IngestLimits, default_limits
from .loading import SUPPORTED_SUFFIXES, sniff_kind
from .manifest import edit_entry, read_raw_manifest, write_manifest

__all__ = [
    "edit_manifest",
    "inspect_upload",
    "original_file",
    "remove_report_file",
    "safe_filename",
    "store_upload",
]

_UNSAFE = re.compile(r"[^A-Za-z0-9ÅÄÖåäöÉé._ -]+")


def safe_filename(name: str, suffix: str, folder: Path) -> str:
    """A file name that stays inside ``folder``: no path parts, no odd characters, no clash."""
    base = Path(name.replace("\\", "/")).name  # drop any directory part, also Windows-style
    stem = _UNSAFE.sub("_", Path(base).stem).strip(" ._-") or "rapport"
    stem = stem[:80]
    candidate = f"{stem}{suffix}"
    n = 2
    while (folder / candidate).exists():
        candidate = f"{stem}-{n}{suffix}"
        n += 1
    return candidate


def inspect_upload(
    data: bytes,
    name: str,
    corpus_dir: Path,
    root: Path,
    *,
    max_mb: int,
    existing: list[Document],
    limits: IngestLimits | None = None,
) -> Document:
    """Read an upload as the corpus would, without adding it: what would be detected (metadata with its
    confidence). Raises the same errors as :func:`store_upload`."""
    target = _check_upload(data, name, corpus_dir, max_mb=max_mb, existing=existing)
    tmp = target.with_name(".inspecting-" + target.name)
    tmp.write_bytes(data)
    try:
        doc = load_document_isolated(
            tmp, root, limits or default_limits(), file_name=Path(name.replace("\\", "/")).name
        )
    except ReportLoadError as exc:
        raise _named(exc, name) from None
    finally:
        tmp.unlink(missing_ok=True)
    meta = replace(doc.meta, report_id=target.stem, source=str(Path(doc.meta.source).with_name(target.name)))
    return replace(doc, meta=meta)


def store_upload(
    data: bytes,
    name: str,
    corpus_dir: Path,
    root: Path,
    *,
    max_mb: int,
    existing: list[Document],
    metadata: dict[str, Any] | None = None,
    limits: IngestLimits | None = None,
) -> Path:
    """Validate an uploaded report and put it in the corpus under a safe name; returns its path.

    ``metadata``: fields a person confirmed or corrected on upload, saved in the manifest with the file.
    """
    limits = limits or default_limits()
    target = _check_upload(data, name, corpus_dir, max_mb=max_mb, existing=existing)
    # Written under a hidden name (the corpus ignores dot files) that keeps the real
    # suffix, validated there, then renamed: unreadable files never land in the corpus.
    tmp = target.with_name(".uploading-" + target.name)
    tmp.write_bytes(data)
    try:
        try:
            load_document_isolated(tmp, root, limits)
        except ReportLoadError as exc:
            raise _named(exc, name) from None
        if metadata:
            edit_manifest(corpus_dir, target.name, metadata, max_field_chars=limits.max_field_chars)
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def _named(error: ReportLoadError, name: str) -> ReportLoadError:
    """The error of the file checked under a temporary name, told with the name it was uploaded as."""
    kind = ReportTooLargeError if isinstance(error, ReportTooLargeError) else ReportLoadError
    return kind(name, error.reason)


def _check_upload(data: bytes, name: str, corpus_dir: Path, *, max_mb: int, existing: list[Document]) -> Path:
    """The upload's target path in the corpus, after the checks that need no parsing."""
    if len(data) > max_mb * 1024 * 1024:
        raise ReportLoadError(name, f"filen är större än {max_mb} MB.")
    suffix = {"pdf": ".pdf", "docx": ".docx", "text": ".txt"}.get(sniff_kind(data))
    if suffix is None:
        raise ReportLoadError(name, "filen är varken PDF, Word (.docx) eller text.")
    if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise ReportLoadError(name, "filtypen stöds inte. Använd .pdf, .docx eller .txt.")
    digest = hashlib.sha256(data).hexdigest()
    for doc in existing:
        if doc.meta.sha256 == digest:
            raise AssistantError(f"Rapporten finns redan: {doc.meta.title} ({doc.meta.source}).")
    return corpus_dir / safe_filename(name, suffix, corpus_dir)


def remove_report_file(path: Path, corpus_dir: Path, trash: Path) -> None:
    """Move the report to ``trash`` (kept rather than deleted, so nothing is lost by a slip) and drop
    its manifest entry (every other entry is kept as it was)."""
    if not path.is_file():
        raise AssistantError(
            f"Rapporten {path.name} finns inte längre i {corpus_dir.name}/; den är redan borttagen "
            "(kanske i ett annat fönster). Listan är uppdaterad."
        )
    trash.mkdir(parents=True, exist_ok=True)
    shutil.move(str(path), trash / f"{time.strftime('%Y%m%d-%H%M%S')}-{path.name}")
    try:
        manifest = read_raw_manifest(corpus_dir)
    except ManifestError:
        return  # a manifest that is no TOML is never overwritten; its entry for the file is reported
    if path.name in manifest:
        del manifest[path.name]
        write_manifest(corpus_dir, manifest)


def edit_manifest(corpus_dir: Path, name: str, fields: dict[str, Any], *, max_field_chars: int | None = None) -> None:
    """Set (or, with None/"", clear) metadata fields of one file in the manifest; a wrong value is a
    ManifestError naming the field, and nothing is written."""
    edit_entry(corpus_dir, name, fields, max_field_chars=max_field_chars)


def original_file(source: str, corpus_dir: Path, root: Path) -> Path:
    """The report file ``source`` (as in ``ReportMeta.source``) — only ever a file directly in ``corpus_dir``."""
    path = (root / source).resolve()
    folder = corpus_dir.resolve()
    if path.parent != folder or not path.is_file() or path.name.startswith("."):
        raise AssistantError(f"Originalfilen {Path(source).name} finns inte i rapportmappen {folder.name}/.")
    return path

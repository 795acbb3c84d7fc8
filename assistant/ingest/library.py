"""Changing what is in ``corpus/``: a report uploaded, removed or its metadata corrected.

Nothing already there is lost: an upload is validated under a hidden name
before it lands, a removed report is moved to ``index/removed/``, and a
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
from ..errors import AssistantError, ReportLoadError
from .corpus import load_document, read_manifest, write_manifest
from .loading import SUPPORTED_SUFFIXES, sniff_kind

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
    data: bytes, name: str, corpus_dir: Path, root: Path, *, max_mb: int, existing: list[Document]
) -> Document:
    """Read an upload as the corpus would, without adding it: what would be detected (metadata with its
    confidence). Raises the same errors as :func:`store_upload`."""
    target = _check_upload(data, name, corpus_dir, max_mb=max_mb, existing=existing)
    tmp = target.with_name(".inspecting-" + target.name)
    tmp.write_bytes(data)
    try:
        doc = load_document(tmp, root, file_name=Path(name.replace("\\", "/")).name)
    except ReportLoadError as exc:
        raise ReportLoadError(name, exc.reason) from None
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
) -> Path:
    """Validate an uploaded report and put it in the corpus under a safe name; returns its path.

    ``metadata``: fields a person confirmed or corrected on upload, saved in the manifest with the file.
    """
    target = _check_upload(data, name, corpus_dir, max_mb=max_mb, existing=existing)
    # Written under a hidden name (the corpus ignores dot files) that keeps the real
    # suffix, validated there, then renamed: unreadable files never land in the corpus.
    tmp = target.with_name(".uploading-" + target.name)
    tmp.write_bytes(data)
    try:
        try:
            load_document(tmp, root)
        except ReportLoadError as exc:
            raise ReportLoadError(name, exc.reason) from None
        if metadata:
            edit_manifest(corpus_dir, target.name, metadata)
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


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
    its manifest entry."""
    trash.mkdir(parents=True, exist_ok=True)
    shutil.move(str(path), trash / f"{time.strftime('%Y%m%d-%H%M%S')}-{path.name}")
    manifest = read_manifest(corpus_dir)
    if path.name in manifest:
        del manifest[path.name]
        write_manifest(corpus_dir, manifest)


def edit_manifest(corpus_dir: Path, name: str, fields: dict[str, Any]) -> None:
    """Set (or, with None/"", clear) metadata fields of one file in the manifest; an edit that makes
    the manifest invalid is undone and the error raised."""
    manifest = read_manifest(corpus_dir)
    entry = dict(manifest.get(name, {}))
    for key, value in fields.items():
        if value in (None, ""):
            entry.pop(key, None)
        else:
            entry[key] = int(value) if key == "year" else value
    manifest[name] = entry
    write_manifest(corpus_dir, manifest)
    try:
        read_manifest(corpus_dir)
    except AssistantError:
        manifest[name] = {k: v for k, v in manifest.get(name, {}).items() if k not in fields}
        write_manifest(corpus_dir, manifest)
        raise


def original_file(source: str, corpus_dir: Path, root: Path) -> Path:
    """The report file ``source`` (as in ``ReportMeta.source``) — only ever a file directly in ``corpus_dir``."""
    path = (root / source).resolve()
    folder = corpus_dir.resolve()
    if path.parent != folder or not path.is_file() or path.name.startswith("."):
        raise AssistantError(f"Originalfilen {Path(source).name} finns inte i rapportmappen {folder.name}/.")
    return path

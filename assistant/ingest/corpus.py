"""The corpus: a folder of reports plus an optional manifest → Documents.

Each report is read (``loading``), cleaned (``cleaning``) and its metadata
detected (``metadata``); ``corpus/manifest.toml`` (``manifest``) may set or
correct any metadata field per file. Detection fills every field the manifest
leaves out; ``ReportMeta.origin`` records where each field came from.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..documents import Document, ReportMeta
from ..errors import AssistantError, ManifestError, ReportLoadError
from .cleaning import CleanResult, clean
from .limits import IngestLimits, default_limits
from .loading import SUPPORTED_SUFFIXES, load_raw
from .manifest import MANIFEST_FIELDS, MANIFEST_NAME, load_manifest, read_manifest, write_manifest
from .metadata import MetadataHints, detect_metadata, detect_title, normalise_unit

__all__ = [
    "MANIFEST_FIELDS",
    "MANIFEST_NAME",
    "Corpus",
    "DocumentLoader",
    "Duplicate",
    "load_corpus",
    "load_document",
    "read_manifest",
    "report_files",
    "write_manifest",
]

# Documents a person may drop in the folder that cannot be read: named as
# errors rather than silently skipped. Other files (README, notes) are ignored.
UNSUPPORTED_DOCUMENTS = (".doc", ".odt", ".rtf", ".pages", ".xls", ".xlsx", ".ppt", ".pptx")
_MIN_TEXT = 20  # characters of cleaned text below which a file is no report


@dataclass(frozen=True)
class Duplicate:
    """A file whose content is byte for byte a report already in the corpus: indexed once, as ``original``."""

    source: str  # the copy, as shown to people
    original: str  # report_id of the report it copies


@dataclass
class Corpus:
    documents: list[Document]
    errors: list[ReportLoadError] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    # Wrong entries and fields of corpus/manifest.toml, and entries for files that are not there;
    # every correct field is used all the same.
    manifest_problems: list[ManifestError] = field(default_factory=list)

    def by_id(self) -> dict[str, Document]:
        return {d.meta.report_id: d for d in self.documents}

    def copies_of(self, report_id: str) -> list[str]:
        """The files that are copies of ``report_id`` (same content hash)."""
        return [d.source for d in self.duplicates if d.original == report_id]

    def duplicate_messages(self) -> list[str]:
        """One line per copy, in Swedish, for ``corpus`` and ``index`` to tell."""
        names = {d.meta.report_id: d.meta.source for d in self.documents}
        return [
            f"{d.source} har samma innehåll som {names.get(d.original, d.original)} och indexeras bara en gång. "
            "Ta bort kopian om den inte behövs."
            for d in self.duplicates
        ]


def report_files(corpus_dir: Path) -> list[Path]:
    if not corpus_dir.is_dir():
        raise AssistantError(f"Rapportmappen {corpus_dir} finns inte. Skapa den och lägg rapporterna där.")
    return sorted(
        p
        for p in corpus_dir.iterdir()
        if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith(".")
    )


def load_document(
    path: Path,
    root: Path,
    manifest_entry: dict[str, Any] | None = None,
    *,
    file_name: str | None = None,
    limits: IngestLimits | None = None,
) -> Document:
    """One report read, cleaned and its metadata detected; ``file_name``: the name to read hints from
    when the file lies under a temporary one (an upload being checked)."""
    raw = load_raw(path, limits)
    cleaned = clean(raw)
    if len(cleaned.text.strip()) < _MIN_TEXT:
        raise ReportLoadError(path, "filen innehåller för lite text för att vara en rapport.")
    hints = MetadataHints(file_name=file_name or path.name, properties=dict(raw.properties))
    values, origin, confidence, evidence = _resolve_metadata(cleaned, manifest_entry or {}, hints)
    meta = ReportMeta(
        report_id=path.stem,
        source=_source_name(path, root),
        title=values["title"],
        unit=values["unit"],
        district=values["district"],
        year=values["year"],
        type=values["type"],
        pages=cleaned.page_count,
        origin=origin,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        confidence=confidence,
        evidence=evidence,
    )
    return Document(
        meta=meta,
        text=cleaned.text,
        blocks=cleaned.blocks,
        source_text=cleaned.source_text,
        offset_map=cleaned.offset_map,
        page_spans=cleaned.page_spans,
    )


def _resolve_metadata(
    cleaned: CleanResult, entry: dict[str, Any], hints: MetadataHints
) -> tuple[dict[str, Any], dict[str, str], dict[str, float], dict[str, tuple[str, ...]]]:
    """(value, origin, confidence, evidence) of every metadata field: the manifest's where it has
    one (confidence 1), else detected."""
    detected = detect_metadata(cleaned.text, cleaned.first_lines, hints)
    origin: dict[str, str] = {}
    values: dict[str, Any] = {}
    confidence: dict[str, float] = {}
    evidence: dict[str, tuple[str, ...]] = {}
    for key in MANIFEST_FIELDS:
        if key in entry:
            values[key] = entry[key]
            origin[key] = "manifest"
            if key in detected.confidence:
                confidence[key], evidence[key] = 1.0, ("manifest",)
        else:
            values[key] = getattr(detected, key)
            origin[key] = "detected"
            if key in detected.confidence:
                confidence[key], evidence[key] = detected.confidence[key], detected.evidence[key]
    if values["unit"]:
        values["unit"] = normalise_unit(values["unit"])
    if origin["title"] == "detected" and "manifest" in (origin["unit"], origin["year"], origin["type"]):
        # Re-derive the title from corrected fields when it was synthesised.
        values["title"] = detect_title(cleaned.first_lines, values["type"], values["year"], values["unit"])
    return values, origin, confidence, evidence


def _source_name(path: Path, root: Path) -> str:
    """The file as shown to people: relative to the project root where it lies inside it."""
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


#: How one report file becomes a Document: (path, project root, manifest entry, limits) → Document.
DocumentLoader = Callable[[Path, Path, "dict[str, Any] | None", IngestLimits], Document]


def _load_plain(path: Path, root: Path, entry: dict[str, Any] | None, limits: IngestLimits) -> Document:
    return load_document(path, root, entry, limits=limits)


def load_corpus(
    corpus_dir: Path,
    root: Path | None = None,
    limits: IngestLimits | None = None,
    *,
    load: DocumentLoader | None = None,
) -> Corpus:
    """Load every report; unreadable ones are collected in ``errors``, wrong manifest entries in
    ``manifest_problems``, not raised; a copy of a report under another name is a duplicate, loaded
    once. ``load`` reads one report (default :func:`load_document`; the index's document cache
    passes its own)."""
    load = load or _load_plain
    root = root or corpus_dir.parent
    limits = limits or default_limits()
    files = report_files(corpus_dir)
    manifest, manifest_problems = load_manifest(corpus_dir, max_field_chars=limits.max_field_chars)
    manifest_problems += orphan_entries(manifest, corpus_dir)
    docs: list[Document] = []
    errors = _unsupported_documents(corpus_dir)
    duplicates: list[Duplicate] = []
    ids: set[str] = set()
    by_hash: dict[str, str] = {}
    for path in files:
        digest = _file_hash(path, limits)
        if digest is not None and digest in by_hash:
            duplicates.append(Duplicate(_source_name(path, root), by_hash[digest]))
            continue
        try:
            doc = load(path, root, manifest.get(path.name), limits)
        except ReportLoadError as exc:
            errors.append(exc)
            continue
        if doc.meta.report_id in ids:
            reason = f"en annan fil har redan id '{doc.meta.report_id}'. Byt namn på filen."
            errors.append(ReportLoadError(path, reason))
            continue
        ids.add(doc.meta.report_id)
        by_hash[doc.meta.sha256] = doc.meta.report_id
        docs.append(doc)
    return Corpus(documents=docs, errors=errors, duplicates=duplicates, manifest_problems=manifest_problems)


def orphan_entries(manifest: dict[str, dict[str, Any]], corpus_dir: Path) -> list[ManifestError]:
    """An error for each manifest entry that names no file in the corpus (a typo, a removed report)."""
    present = {p.name for p in corpus_dir.iterdir() if p.is_file()}
    return [
        ManifestError(
            f"{MANIFEST_NAME}: posten '{name}' hör inte till någon fil i {corpus_dir.name}/, så den används inte. "
            "Rätta filnamnet i posten eller ta bort posten."
        )
        for name in sorted(manifest)
        if name not in present
    ]


def _file_hash(path: Path, limits: IngestLimits) -> str | None:
    try:
        if path.stat().st_size > limits.max_file_bytes:
            return None  # never read into memory; load_document names the limit
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None  # load_document names the problem


def _unsupported_documents(corpus_dir: Path) -> list[ReportLoadError]:
    """An error for each document in a format that cannot be read (.doc, .odt, …)."""
    errors: list[ReportLoadError] = []
    for path in sorted(corpus_dir.iterdir()):
        if path.is_file() and path.suffix.lower() in UNSUPPORTED_DOCUMENTS and not path.name.startswith("."):
            try:
                load_raw(path)
            except ReportLoadError as exc:  # always: the suffix is not supported
                errors.append(exc)
    return errors

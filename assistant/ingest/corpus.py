"""The corpus: a folder of reports plus an optional manifest → Documents.

``corpus/manifest.toml`` may set or correct any metadata field per file::

    ["002_643e35bcf02e80f7.txt"]
    year = 2020
    unit = "Enheten för personligt stöd"

Detection fills every field the manifest leaves out; ``ReportMeta.origin``
records where each field came from.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..documents import REPORT_TYPES, Document, ReportMeta
from ..errors import AssistantError, ManifestError, ReportLoadError
from .cleaning import clean
from .loading import SUPPORTED_SUFFIXES, load_raw
from .metadata import detect_metadata, detect_title, normalise_unit

__all__ = [
    "MANIFEST_FIELDS",
    "MANIFEST_NAME",
    "Corpus",
    "load_corpus",
    "load_document",
    "read_manifest",
    "report_files",
    "write_manifest",
]

MANIFEST_NAME = "manifest.toml"
# Documents a person may drop in the folder that cannot be read: named as
# errors rather than silently skipped. Other files (README, notes) are ignored.
UNSUPPORTED_DOCUMENTS = (".doc", ".odt", ".rtf", ".pages", ".xls", ".xlsx", ".ppt", ".pptx")
MANIFEST_FIELDS = {"title": str, "unit": str, "district": str, "year": int, "type": str}


@dataclass
class Corpus:
    documents: list[Document]
    errors: list[ReportLoadError] = field(default_factory=list)

    def by_id(self) -> dict[str, Document]:
        return {d.meta.report_id: d for d in self.documents}


def report_files(corpus_dir: Path) -> list[Path]:
    if not corpus_dir.is_dir():
        raise AssistantError(f"Rapportmappen {corpus_dir} finns inte. Skapa den och lägg rapporterna där.")
    return sorted(
        p
        for p in corpus_dir.iterdir()
        if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith(".")
    )


def read_manifest(corpus_dir: Path) -> dict[str, dict[str, Any]]:
    path = corpus_dir / MANIFEST_NAME
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{path.name} går inte att läsa som TOML: {exc}. Rätta filen eller ta bort den.") from exc
    result: dict[str, dict[str, Any]] = {}
    for name, entry in data.items():
        if not isinstance(entry, dict):
            raise ManifestError(f"{path.name}: posten '{name}' ska vara en tabell, t.ex. [\"{name}\"] med year = 2020.")
        for key, value in entry.items():
            if key not in MANIFEST_FIELDS:
                known = ", ".join(MANIFEST_FIELDS)
                raise ManifestError(f"{path.name}: okänt fält '{key}' för {name}. Tillåtna fält: {known}.")
            expected = MANIFEST_FIELDS[key]
            if not isinstance(value, expected) or isinstance(value, bool):
                kind = "ett heltal" if expected is int else "en text"
                raise ManifestError(f"{path.name}: fältet '{key}' för {name} ska vara {kind}, fick {value!r}.")
            if key == "type" and value not in REPORT_TYPES:
                raise ManifestError(
                    f"{path.name}: fältet 'type' för {name} ska vara en av {', '.join(REPORT_TYPES)}, fick {value!r}."
                )
            if key == "year" and isinstance(value, int) and not 1900 <= value <= 2100:
                raise ManifestError(f"{path.name}: fältet 'year' för {name} ska vara ett årtal, fick {value}.")
        result[name] = dict(entry)
    return result


def write_manifest(corpus_dir: Path, manifest: dict[str, dict[str, Any]]) -> None:
    """Write the manifest atomically (temporary file, then rename)."""
    lines = ["# Metadata som rättar eller kompletterar det som upptäcks automatiskt.", ""]
    for name in sorted(manifest):
        entry = manifest[name]
        if not entry:
            continue
        lines.append(f"[{_toml_str(name)}]")
        for key in MANIFEST_FIELDS:
            if key in entry and entry[key] is not None:
                value = entry[key]
                lines.append(f"{key} = {value}" if isinstance(value, int) else f"{key} = {_toml_str(str(value))}")
        lines.append("")
    path = corpus_dir / MANIFEST_NAME
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text("\n".join(lines), encoding="utf-8")
    tmp.replace(path)


def _toml_str(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def load_document(path: Path, root: Path, manifest_entry: dict[str, Any] | None = None) -> Document:
    raw = load_raw(path)
    cleaned = clean(raw)
    if len(cleaned.text.strip()) < 20:
        raise ReportLoadError(path, "filen innehåller för lite text för att vara en rapport.")
    detected = detect_metadata(cleaned.text, cleaned.first_lines)
    entry = manifest_entry or {}
    origin: dict[str, str] = {}
    values: dict[str, Any] = {}
    for key in MANIFEST_FIELDS:
        if key in entry:
            values[key] = entry[key]
            origin[key] = "manifest"
        else:
            values[key] = getattr(detected, key)
            origin[key] = "detected"
    if values["unit"]:
        values["unit"] = normalise_unit(values["unit"])
    if origin["title"] == "detected" and "manifest" in (origin["unit"], origin["year"], origin["type"]):
        # Re-derive the title from corrected fields when it was synthesised.
        values["title"] = detect_title(cleaned.first_lines, values["type"], values["year"], values["unit"])
    try:
        source = str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        source = str(path)
    meta = ReportMeta(
        report_id=path.stem,
        source=source,
        title=values["title"],
        unit=values["unit"],
        district=values["district"],
        year=values["year"],
        type=values["type"],
        pages=cleaned.page_count,
        origin=origin,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
    )
    return Document(
        meta=meta,
        text=cleaned.text,
        blocks=cleaned.blocks,
        source_text=cleaned.source_text,
        offset_map=cleaned.offset_map,
        page_spans=cleaned.page_spans,
    )


def load_corpus(corpus_dir: Path, root: Path | None = None) -> Corpus:
    """Load every report; unreadable ones are collected in ``errors``, not raised."""
    root = root or corpus_dir.parent
    files = report_files(corpus_dir)
    manifest = read_manifest(corpus_dir)
    docs: list[Document] = []
    errors: list[ReportLoadError] = []
    ids: set[str] = set()
    for path in sorted(corpus_dir.iterdir()):
        if path.is_file() and path.suffix.lower() in UNSUPPORTED_DOCUMENTS and not path.name.startswith("."):
            try:
                load_raw(path)
            except ReportLoadError as exc:  # always: the suffix is not supported
                errors.append(exc)
    for path in files:
        try:
            doc = load_document(path, root, manifest.get(path.name))
        except ReportLoadError as exc:
            errors.append(exc)
            continue
        if doc.meta.report_id in ids:
            reason = f"en annan fil har redan id '{doc.meta.report_id}'. Byt namn på filen."
            errors.append(ReportLoadError(path, reason))
            continue
        ids.add(doc.meta.report_id)
        docs.append(doc)
    return Corpus(documents=docs, errors=errors)

"""``corpus/manifest.toml``: metadata a person sets or corrects per report file::

    ["002_643e35bcf02e80f7.txt"]
    year = 2020
    unit = "Enheten för personligt stöd"

Only the fields in ``MANIFEST_FIELDS`` are allowed, each of its type and at most
``max_field_chars`` characters long; a wrong one is a :class:`ManifestError` that
names the file, the entry and the field.

Reading for the corpus (:func:`load_manifest`) never stops at a wrong field: every
correct field is used and every wrong one comes back as its own error, so one bad
entry cannot stop every command. Editing (:func:`edit_entry`) checks the fields it
writes and keeps every other entry exactly as it was, wrong ones included, so an
edit never loses what a person wrote.
"""

from __future__ import annotations

import datetime
import tomllib
from pathlib import Path
from typing import Any

from ..documents import REPORT_TYPES
from ..errors import ManifestError
from .limits import default_limits

__all__ = [
    "MANIFEST_FIELDS",
    "MANIFEST_NAME",
    "check_fields",
    "edit_entry",
    "load_manifest",
    "read_manifest",
    "read_raw_manifest",
    "write_manifest",
]

MANIFEST_NAME = "manifest.toml"
MANIFEST_FIELDS = {"title": str, "unit": str, "district": str, "year": int, "type": str}


def read_raw_manifest(corpus_dir: Path) -> dict[str, Any]:
    """The manifest as TOML, unchecked; ``{}`` when there is none. Only a file that is no TOML at
    all is an error."""
    path = corpus_dir / MANIFEST_NAME
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{path.name} går inte att läsa som TOML: {exc}. Rätta filen eller ta bort den.") from exc


def load_manifest(
    corpus_dir: Path, *, max_field_chars: int | None = None
) -> tuple[dict[str, dict[str, Any]], list[ManifestError]]:
    """The manifest's correct fields by file name, and an error for every wrong entry or field
    (a manifest that is no TOML: no fields and that one error)."""
    try:
        data = read_raw_manifest(corpus_dir)
    except ManifestError as exc:
        return {}, [exc]
    limit = max_field_chars or default_limits().max_field_chars
    entries: dict[str, dict[str, Any]] = {}
    problems: list[ManifestError] = []
    for name, entry in data.items():
        if not isinstance(entry, dict):
            problems.append(
                ManifestError(
                    f"{MANIFEST_NAME}: posten '{name}' ska vara en tabell, t.ex. [\"{name}\"] med year = 2020. "
                    "Posten används inte."
                )
            )
            continue
        kept: dict[str, Any] = {}
        for key, value in entry.items():
            problem = _field_problem(name, key, value, limit)
            if problem:
                problems.append(ManifestError(f"{problem} Fältet används inte; det upptäckta värdet gäller."))
            else:
                kept[key] = value
        entries[name] = kept
    return entries, problems


def read_manifest(corpus_dir: Path, *, max_field_chars: int | None = None) -> dict[str, dict[str, Any]]:
    """The manifest's entries by file name; ``{}`` when there is no manifest. Strict: the first
    wrong entry or field is raised."""
    entries, problems = load_manifest(corpus_dir, max_field_chars=max_field_chars)
    if problems:
        raise problems[0]
    return entries


def check_fields(name: str, fields: dict[str, Any], *, max_field_chars: int | None = None) -> None:
    """Raise the first problem of ``fields`` for the entry ``name`` (before they are written)."""
    limit = max_field_chars or default_limits().max_field_chars
    for key, value in fields.items():
        problem = _field_problem(name, key, value, limit)
        if problem:
            raise ManifestError(problem)


def _field_problem(name: str, key: str, value: Any, max_chars: int) -> str:
    """Swedish: what is wrong with one field of the entry ``name``; "" when nothing is."""
    if key not in MANIFEST_FIELDS:
        known = ", ".join(MANIFEST_FIELDS)
        return f"{MANIFEST_NAME}: okänt fält '{key}' för {name}. Tillåtna fält: {known}."
    expected = MANIFEST_FIELDS[key]
    if not isinstance(value, expected) or isinstance(value, bool):
        kind = "ett heltal" if expected is int else "en text"
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:60] + "…"
        return f"{MANIFEST_NAME}: fältet '{key}' för {name} ska vara {kind}, fick {shown}."
    if isinstance(value, str) and len(value) > max_chars:
        return (
            f"{MANIFEST_NAME}: fältet '{key}' för {name} är {len(value)} tecken långt; högst {max_chars} tillåts "
            "(RAPPORT_MAX_FIELD_CHARS). Korta det."
        )
    if key == "type" and value not in REPORT_TYPES:
        return f"{MANIFEST_NAME}: fältet 'type' för {name} ska vara en av {', '.join(REPORT_TYPES)}, fick {value!r}."
    if key == "year" and isinstance(value, int) and not 1900 <= value <= 2100:
        return f"{MANIFEST_NAME}: fältet 'year' för {name} ska vara ett årtal, fick {value}."
    return ""


def edit_entry(corpus_dir: Path, name: str, fields: dict[str, Any], *, max_field_chars: int | None = None) -> None:
    """Set (or, with None/"", clear) fields of the entry ``name``; the new values are checked first,
    every other entry is written back as it was. An entry left empty is dropped."""
    setting = {k: (int(v) if k == "year" else v) for k, v in fields.items() if v not in (None, "")}
    check_fields(name, setting, max_field_chars=max_field_chars)
    manifest = read_raw_manifest(corpus_dir)
    entry = manifest.get(name)
    entry = dict(entry) if isinstance(entry, dict) else {}
    for key in fields:
        entry.pop(key, None)
    entry.update(setting)
    manifest[name] = entry
    write_manifest(corpus_dir, manifest)


def write_manifest(corpus_dir: Path, manifest: dict[str, Any]) -> None:
    """Write the manifest atomically (temporary file, then rename). Every value TOML has is written
    back as it was (also fields the manifest does not allow, so that nothing a person wrote is lost);
    the known fields come first, in their order; empty entries and None values are left out."""
    lines = ["# Metadata som rättar eller kompletterar det som upptäcks automatiskt.", ""]
    loose = [name for name, entry in manifest.items() if not isinstance(entry, dict)]
    for name in sorted(loose):  # keys outside any table must come before the first one
        lines.append(f"{_toml_str(name)} = {_toml_value(manifest[name])}")
    if loose:
        lines.append("")
    for name in sorted(n for n in manifest if n not in loose):
        entry = {k: v for k, v in manifest[name].items() if v is not None}
        if not entry:
            continue
        lines.append(f"[{_toml_str(name)}]")
        for key in [*(k for k in MANIFEST_FIELDS if k in entry), *(k for k in entry if k not in MANIFEST_FIELDS)]:
            lines.append(f"{_toml_key(key)} = {_toml_value(entry[key])}")
        lines.append("")
    path = corpus_dir / MANIFEST_NAME
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text("\n".join(lines), encoding="utf-8")
    tmp.replace(path)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"
    return _toml_str(str(value))


def _toml_key(key: str) -> str:
    bare = key and all(c.isascii() and (c.isalnum() or c in "_-") for c in key)
    return key if bare else _toml_str(key)


def _toml_str(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    escaped = "".join(c if c >= " " or c == "\t" else f"\\u{ord(c):04x}" for c in escaped)
    return f'"{escaped}"'

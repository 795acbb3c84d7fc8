"""``corpus/manifest.toml``: metadata a person sets or corrects per report file::

    ["002_643e35bcf02e80f7.txt"]
    year = 2020
    unit = "Enheten för personligt stöd"

Only the fields in ``MANIFEST_FIELDS`` are allowed, each of its type; a wrong
one is a :class:`ManifestError` that names the file, the entry and the field.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from ..documents import REPORT_TYPES
from ..errors import ManifestError

__all__ = ["MANIFEST_FIELDS", "MANIFEST_NAME", "read_manifest", "write_manifest"]

MANIFEST_NAME = "manifest.toml"
MANIFEST_FIELDS = {"title": str, "unit": str, "district": str, "year": int, "type": str}


def read_manifest(corpus_dir: Path) -> dict[str, dict[str, Any]]:
    """The manifest's entries by file name; ``{}`` when there is no manifest."""
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
            _check_field(path.name, name, key, value)
        result[name] = dict(entry)
    return result


def _check_field(manifest: str, name: str, key: str, value: Any) -> None:
    if key not in MANIFEST_FIELDS:
        known = ", ".join(MANIFEST_FIELDS)
        raise ManifestError(f"{manifest}: okänt fält '{key}' för {name}. Tillåtna fält: {known}.")
    expected = MANIFEST_FIELDS[key]
    if not isinstance(value, expected) or isinstance(value, bool):
        kind = "ett heltal" if expected is int else "en text"
        raise ManifestError(f"{manifest}: fältet '{key}' för {name} ska vara {kind}, fick {value!r}.")
    if key == "type" and value not in REPORT_TYPES:
        raise ManifestError(
            f"{manifest}: fältet 'type' för {name} ska vara en av {', '.join(REPORT_TYPES)}, fick {value!r}."
        )
    if key == "year" and isinstance(value, int) and not 1900 <= value <= 2100:
        raise ManifestError(f"{manifest}: fältet 'year' för {name} ska vara ett årtal, fick {value}.")


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

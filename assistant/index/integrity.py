"""Checksums of an index store, and the one error a damaged store is.

A build records, in the store's ``manifest.json``, the size and SHA-256 of
every file it wrote (``files``) and a checksum of the manifest itself
(``checksum``, over its canonical JSON without that field). Opening a store
verifies all of them before any file is parsed, so damage of any kind — a
truncated file, changed bytes (also those a memory map would silently hand
out as vectors), a missing file, a manifest that no longer parses — is an
:class:`IndexCorruptError` naming the file, never a traceback and never a
wrong answer. ``index`` and ``serve`` repair such a store by building a new
one from the per-report caches (``report_cache.py``), which are verified the
same way; ``ask`` tells what is wrong and how to repair it.

Hashing runs at about 1 GB/s: a few milliseconds for the seed corpus, a
third of a second at a hundred times its size.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ..errors import IndexCorruptError

__all__ = ["REPAIR", "corrupt", "file_checksums", "manifest_checksum", "quick_damage", "verify_store"]

REPAIR = "Reparera det med: python -m assistant index (det byggs om från de sparade vektorerna per rapport)."
_CHUNK = 1 << 20


def corrupt(folder: Path, what: str) -> IndexCorruptError:
    return IndexCorruptError(f"Sökindexet i {folder.parent.name}/{folder.name} är skadat: {what}.", REPAIR)


def _sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def file_checksums(folder: Path) -> dict[str, dict[str, Any]]:
    """Size and SHA-256 of every file under ``folder`` but the manifest, by relative path."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        if name != "manifest.json":
            out[name] = {"bytes": path.stat().st_size, "sha256": _sha256(path)}
    return out


def manifest_checksum(manifest: dict[str, Any]) -> str:
    body = {k: v for k, v in manifest.items() if k != "checksum"}
    return hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def quick_damage(folder: Path, manifest: dict[str, Any]) -> str:
    """What is wrong with the store that its manifest and file sizes already tell (Swedish, "" when
    nothing): cheap enough for every status check."""
    if manifest.get("checksum") != manifest_checksum(manifest):
        return "manifest.json stämmer inte med sin kontrollsumma"
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        return "manifest.json saknar filernas kontrollsummor"
    for name, expected in files.items():
        path = folder / name
        if not path.is_file():
            return f"filen {name} saknas"
        if path.stat().st_size != expected.get("bytes"):
            return f"filen {name} har fel storlek ({path.stat().st_size} byte, ska vara {expected.get('bytes')})"
    return ""


def verify_store(folder: Path, manifest: dict[str, Any]) -> None:
    """Raise IndexCorruptError unless the manifest and every file it lists match their checksums."""
    damage = quick_damage(folder, manifest)
    if damage:
        raise corrupt(folder, damage)
    for name, expected in manifest["files"].items():
        if _sha256(folder / name) != expected.get("sha256"):
            raise corrupt(folder, f"filen {name} stämmer inte med sin kontrollsumma")

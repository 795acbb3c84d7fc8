"""corpus/manifest.toml: what may be in it, the errors that name what is wrong,
and writing it back (atomically) so that reading gives the same entries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from seeds import R2012

from assistant.errors import ManifestError
from assistant.ingest import corpus
from assistant.ingest.manifest import MANIFEST_FIELDS, MANIFEST_NAME, read_manifest, write_manifest

BAD_MANIFESTS = {
    "not TOML": (f'["{R2012}.txt"\nyear = 2012\n', ["manifest.toml", "TOML"]),
    "unknown field": (f'["{R2012}.txt"]\nyaer = 2012\n', ["'yaer'", R2012, "year"]),
    "year as text": (f'["{R2012}.txt"]\nyear = "2012"\n', ["'year'", "heltal", R2012]),
    "year as bool": (f'["{R2012}.txt"]\nyear = true\n', ["'year'", "heltal"]),
    "unit as number": (f'["{R2012}.txt"]\nunit = 7\n', ["'unit'", "text"]),
    "type not allowed": (f'["{R2012}.txt"]\ntype = "årsrapport"\n', ["'type'", "verksamhetsplan"]),
    "year out of range": (f'["{R2012}.txt"]\nyear = 212\n', ["'year'", "212"]),
    "entry not a table": (f'"{R2012}.txt" = 2012\n', [R2012, "tabell"]),
}


@pytest.mark.parametrize("case", list(BAD_MANIFESTS), ids=list(BAD_MANIFESTS))
def test_invalid_manifest_is_a_manifest_error_naming_the_field(tmp_path: Path, case: str) -> None:
    text, expected = BAD_MANIFESTS[case]
    (tmp_path / MANIFEST_NAME).write_text(text, encoding="utf-8")
    with pytest.raises(ManifestError) as info:
        read_manifest(tmp_path)
    message = str(info.value)
    for part in expected:
        assert part in message, (part, message)


def test_no_manifest_is_no_entries(tmp_path: Path) -> None:
    assert read_manifest(tmp_path) == {}


def test_manifest_round_trip(tmp_path: Path) -> None:
    manifest: dict[str, dict[str, Any]] = {
        "b.txt": {"year": 2020, "unit": 'Enheten "för" personligt stöd'},
        "a.txt": {"type": "verksamhetsplan", "district": None},
        "c.txt": {},
    }
    write_manifest(tmp_path, manifest)
    assert read_manifest(tmp_path) == {
        "a.txt": {"type": "verksamhetsplan"},
        "b.txt": {"year": 2020, "unit": 'Enheten "för" personligt stöd'},
    }
    assert not list(tmp_path.glob("*.tmp"))
    assert set(MANIFEST_FIELDS) == {"title", "unit", "district", "year", "type"}


def test_the_corpus_module_still_offers_the_manifest_functions() -> None:
    # Callers outside the stage (api.py, commands/corpus.py) import them from there.
    assert corpus.read_manifest is read_manifest and corpus.write_manifest is write_manifest
    assert corpus.MANIFEST_FIELDS is MANIFEST_FIELDS and corpus.MANIFEST_NAME == MANIFEST_NAME

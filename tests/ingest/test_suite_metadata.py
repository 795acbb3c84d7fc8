"""The generalisation suite (eval/reports/): every report's unit, district, year and type detected
right from the file alone (no manifest), in its PDF, DOCX and text versions alike.

The suite's reports were written for other units, districts, years and layouts than the seeds
(two-column PDFs, a title page whose next line names the unit, "Enhet:" fields, misleading file
properties, a year only on the title page); ``expected.toml`` is what a careful reader says each
report is. Run through ``corpus --json`` as a user would.
"""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import pytest

from assistant.cli import main as cli_main

ROOT = Path(__file__).resolve().parents[2]
SUITE = ROOT / "eval" / "reports"
EXPECTED = tomllib.loads((SUITE / "expected.toml").read_text(encoding="utf-8"))
FIELDS = ("unit", "district", "year", "type")


def _built_files() -> list[tuple[str, str, Path]]:
    """(stem, format, built file) for every file the builder made."""
    out = []
    for src in sorted((SUITE / "src").glob("*.md")):
        front = tomllib.loads(src.read_text(encoding="utf-8").split("+++")[1])
        name = front.get("file_name") or front["stem"]
        for fmt in front["formats"]:
            out.append((front["stem"], fmt, SUITE / "built" / f"{name}.{fmt}"))
    return out


BUILT = _built_files()


def _corpus(root: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    assert cli_main(["--root", str(root), "corpus", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("fmt", ["pdf", "docx", "txt"])
def test_suite_metadata_is_detected_in_every_format(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "corpus").mkdir()
    stems = {}
    for stem, file_fmt, path in BUILT:
        if file_fmt == fmt:
            shutil.copy2(path, tmp_path / "corpus" / path.name)
            stems[path.stem] = stem
    assert len(stems) >= 4
    items = _corpus(tmp_path, capsys)
    assert len(items) == len(stems)
    wrong = []
    for item in items:
        want = EXPECTED[stems[str(item["report_id"])]]
        assert set(item["origin"].values()) == {"detected"}  # type: ignore[union-attr]
        for field in FIELDS:
            if item[field] != want[field]:
                wrong.append(f"{item['report_id']}: {field} = {item[field]!r}, väntat {want[field]!r}")
    assert not wrong, "\n".join(wrong)


def test_confidence_is_reported_per_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every detected field has a confidence and the sources that agree on it; a field named in the
    title and the file name is sure, one the text alone suggests is not."""
    (tmp_path / "corpus").mkdir()
    _, _, path = next(b for b in BUILT if b[1] == "docx" and "hemtjansten" in b[0])
    shutil.copy2(path, tmp_path / "corpus" / path.name)
    shutil.copy2(ROOT / "corpus" / "002_643e35bcf02e80f7.txt", tmp_path / "corpus")  # a seed without a title
    items = {str(i["report_id"]): i for i in _corpus(tmp_path, capsys)}
    suite = items[path.stem]
    for field in FIELDS:
        assert 0.0 <= suite["confidence"][field] <= 1.0  # type: ignore[index]
        assert suite["evidence"][field]  # type: ignore[index]
    assert suite["confidence"]["unit"] >= 0.8  # type: ignore[index]
    assert "title" in suite["evidence"]["unit"] and "file_name" in suite["evidence"]["unit"]  # type: ignore[index]
    seed = items["002_643e35bcf02e80f7"]
    assert seed["evidence"]["year"] == ["text_only"]  # type: ignore[index]
    assert seed["confidence"]["year"] < 0.8  # type: ignore[index]

"""``check`` on the generalisation suite (eval/reports/) and values of a series in one sentence.

The suite plants contradictions and look-alikes (eval/reports/contradictions.toml). The flags it
gets are listed, each reviewed by hand, in tests/fixtures/check_flags_reports.json, as
check_flags.json does for the seeds: a change in what is flagged shows here.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.documents import Document
from assistant.facts.consistency import check
from assistant.ingest.corpus import load_document

ROOT = Path(__file__).resolve().parents[2]
SUITE = ROOT / "eval" / "reports"
FIXTURE = json.loads((ROOT / "tests" / "fixtures" / "check_flags_reports.json").read_text(encoding="utf-8"))


def _report(tmp_path: Path, body: str) -> Document:
    path = tmp_path / "vb.txt"
    path.write_text(f"Verksamhetsberättelse 2021 Provenheten\n\nSammanfattande analys\n\n{body}", encoding="utf-8")
    return load_document(path, tmp_path, {"year": 2021, "unit": "Provenheten", "type": "verksamhetsberättelse"})


@pytest.mark.parametrize(
    "sentence",
    [
        "Sjukfrånvaron blev 9,4 % under 2021, jämfört med 11,2 % år 2020.",
        "Sjukfrånvaron var 7,3 % för helåret, jämfört med 9,1 % år 2022 och 11,4 % år 2021.",
        "Sjukfrånvaron var 13,4 % under första kvartalet och 10,8 % för helåret.",
    ],
)
def test_values_of_a_series_in_one_sentence_are_no_contradiction(tmp_path: Path, sentence: str) -> None:
    assert check([_report(tmp_path, sentence)]) == []


def test_two_sentences_with_different_values_for_the_year_still_disagree(tmp_path: Path) -> None:
    doc = _report(tmp_path, "Sjukfrånvaron blev 9,4 % under 2021.\n\nFör 2021 var sjukfrånvaron 11,2 %.")
    (flag,) = check([doc])
    assert flag.kind == "inom_rapport" and {flag.first.highlight, flag.second.highlight} == {"9,4 %", "11,2 %"}


@pytest.fixture(scope="module")
def suite_flags(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, object]]:
    root = tmp_path_factory.mktemp("suite")
    (root / "corpus").mkdir()
    for path in sorted((SUITE / "built").glob("*.pdf")):
        shutil.copy2(path, root / "corpus" / path.name)
    out = root / "flags.json"
    with out.open("w", encoding="utf-8") as fh, contextlib.redirect_stdout(fh):
        assert main(["--root", str(root), "check", "--json"]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


def test_suite_flags_are_the_reviewed_ones(suite_flags: list[dict[str, object]]) -> None:
    assert sorted(str(f["key"]) for f in suite_flags) == sorted(f["key"] for f in FIXTURE["flags"])


def test_no_look_alike_of_the_suite_is_flagged(suite_flags: list[dict[str, object]]) -> None:
    for entry in FIXTURE["look_alikes"]:
        a, b = entry["values"]
        hits = [f for f in suite_flags if a in str(f["explanation"]) and b in str(f["explanation"])]
        assert not hits, (entry, hits)


def test_the_planted_contradictions_flagged_are_the_listed_ones(suite_flags: list[dict[str, object]]) -> None:
    strip = ("överskott på ", "underskott på ", " brukare")
    for entry in FIXTURE["planted"]:
        a, b = entry["values"]
        for word in strip:
            a, b = a.replace(word, ""), b.replace(word, "")
        hit = any(a in str(f["explanation"]) and b in str(f["explanation"]) for f in suite_flags)
        assert hit == entry["flagged"], entry

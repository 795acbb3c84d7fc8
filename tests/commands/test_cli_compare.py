"""``compare`` and ``check`` on the command line agree with the "Jämför år" tab (commands/compare.py, check.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.ingest.corpus import load_corpus
from assistant.ui.tab_compare import FactCache, indicator_choices

ROOT = Path(__file__).resolve().parents[2]


def _compare(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["--root", str(ROOT), "compare", *args]) == 0
    return capsys.readouterr().out


def test_counts_agree_with_the_tab(capsys: pytest.CaptureFixture[str]) -> None:
    data = FactCache(lambda: load_corpus(ROOT / "corpus", ROOT).documents).get()
    labels = dict((key, label) for label, key in indicator_choices(data))
    for key in ("sjukfranvaro", "ami", "dur_fn"):
        head = _compare(capsys, key).splitlines()[0]
        n = int(re.search(r"– (\d+) värden?$", head).group(1))
        assert labels[key].endswith(f"({n} värde)" if n == 1 else f"({n} värden)"), (labels[key], head)
        points = json.loads(_compare(capsys, key, "--json"))["points"]
        assert len(points) == n


def test_singular_and_text_targets(capsys: pytest.CaptureFixture[str]) -> None:
    data = FactCache(lambda: load_corpus(ROOT / "corpus", ROOT).documents).get()
    singles = [key for label, key in indicator_choices(data) if label.endswith("(1 värde)")]
    assert singles and not any(label.endswith("(1 värden)") for label, _ in indicator_choices(data))
    assert _compare(capsys, singles[0]).splitlines()[0].endswith("– 1 värde")
    out = _compare(capsys, "sjukfrånvaro", "--unit", "Assistansenheten")
    table = out.split("\n\n")[1]
    assert "tas fram av" not in table  # a target in words is no value …
    assert re.search(r"KF:s årsmål 2018: tas fram av.*inget värde", out)  # … but a note
    data_json = json.loads(_compare(capsys, "sjukfrånvaro", "--unit", "Assistansenheten", "--json"))
    assert {"indicator", "name", "points"} <= set(data_json)
    assert all(p["value"] is not None for p in data_json["points"])
    assert any("tas fram av" in n["text"] for n in data_json["notes"])


def test_plot_title_and_left_out_values(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = _compare(capsys, "sjukfrånvaro", "--plot", str(tmp_path / "s.png"))
    assert (tmp_path / "s.png").read_bytes()[:4] == b"\x89PNG"
    assert "Diagrammet: Sjukfrånvaro – 3 enheter" in out
    assert re.search(r"Inte i diagrammet:\n.*13,25 %.*månad", out)


def test_check_shows_a_row_jump_once(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(ROOT), "check", "--year", "2014"]) == 0
    out = capsys.readouterr().out
    block = next(b for b in out.split("\n\n") if "deltid som erbjuds heltid ökade" in b)
    assert block.count("▸") == 1 and "båda värdena" in block
    assert re.search(r"^\d+ flaggor: ", out, re.M)
    assert main(["--root", str(ROOT), "check", "--year", "2014", "--json"]) == 0
    flags = json.loads(capsys.readouterr().out)
    jump = next(f for f in flags if "deltid som erbjuds heltid ökade" in f["explanation"])
    assert jump["same_passage"] is True and jump["second"]["text"] == jump["first"]["text"]

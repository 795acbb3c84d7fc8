"""Flags (assistant.facts.consistency): hand-made fragments per kind, and the reviewed list on the seeds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.documents import Document
from assistant.facts.consistency import Flag, FlagPassage, check, flags_to_html, flags_to_markdown
from assistant.facts.consistency.wording import EXPLAINED, HIGHER_WORDS, LOWER_WORDS
from assistant.ingest.corpus import load_corpus, load_document

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "check_flags.json"

TABLE_HEAD = "Indikator\tPeriodens utfall\tPeriodens utfall VB {prev}\tÅrsmål\tKF:s årsmål\tPeriod\n"


def _report(tmp_path: Path, name: str, year: int, body: str, unit: str = "Provenheten") -> Document:
    path = tmp_path / f"{name}.txt"
    path.write_text(f"Verksamhetsberättelse {year} {unit}\n\nSammanfattande analys\n\n{body}", encoding="utf-8")
    return load_document(path, tmp_path, {"year": year, "unit": unit, "type": "verksamhetsberättelse"})


def _kf_table(year: int, row: str) -> str:
    return (
        "Uppföljning av Kommunfullmäktiges inriktningsmål\n\n"
        "KF:s inriktningsmål: 4. Ett demokratiskt hållbart Stockholm\n\n"
        "KF:s mål för verksamhetsområdet: 4.2 Stockholms stad är en bra arbetsgivare\n\n"
        + TABLE_HEAD.format(prev=year - 1)
        + row
        + "\n\n"
    )


def test_within_report_table_vs_analysis(tmp_path: Path) -> None:
    doc = _report(
        tmp_path,
        "a",
        2019,
        "Sjukfrånvaron uppgick till 6,2 % under året.\n\n"
        + _kf_table(2019, "Sjukfrånvaro\t5,9 %\t\t5 %\ttas fram av nämnden\tVB 2019"),
    )
    (flag,) = check([doc])
    assert flag.kind == "inom_rapport" and flag.indicator == "sjukfranvaro"
    assert (flag.first.highlight, flag.second.highlight) == ("5,9 %", "6,2 %")
    assert "5,9 %" in flag.explanation and "6,2 %" in flag.explanation
    assert doc.text[flag.second.start : flag.second.end].startswith("Sjukfrånvaron uppgick")


def test_rounding_and_hedges_are_not_contradictions(tmp_path: Path) -> None:
    doc = _report(
        tmp_path,
        "b",
        2019,
        "Sjukfrånvaron uppgick till 5,94 % under året. Inom socialpsykiatrin redovisas ett underskott om "
        "cirka 500 tkr.\n\nSocialpsykiatri\n\nBokslutet visar ett underskott om 498 tkr.\n\n"
        + _kf_table(2019, "Sjukfrånvaro\t5,9 %\t\t6 %\ttas fram av nämnden\tVB 2019"),
    )
    assert check([doc]) == []


def test_across_reports_previous_year_quote(tmp_path: Path) -> None:
    old = _report(tmp_path, "r2018", 2018, _kf_table(2018, "Sjukfrånvaro\t4,4 %\t3,9 %\t5 %\t\tVB 2018"))
    new = _report(tmp_path, "r2019", 2019, _kf_table(2019, "Sjukfrånvaro\t4,6 %\t4,0 %\t5 %\t\tVB 2019"))
    other_unit = _report(
        tmp_path, "x2018", 2018, _kf_table(2018, "Sjukfrånvaro\t9,9 %\t\t5 %\t\tVB 2018"), unit="Annan enhet"
    )
    flags = check([old, new, other_unit])
    (flag,) = [f for f in flags if f.kind == "mellan_rapporter"]
    assert (flag.first.report_id, flag.first.highlight) == ("r2019", "4,0 %")
    assert (flag.second.report_id, flag.second.highlight) == ("r2018", "4,4 %")
    assert "2018" in flag.explanation
    assert check([old, new], year=2019, unit="Provenheten") == [flag]
    assert check([old, new], unit="Annan enhet") == []


GOALS = (
    "Nämndmål: Sjukfrånvaron ska minska\n\n"
    "Förväntat resultat\n\nSjukfrånvaron har sjunkit.\n\n"
    "Enhetsmål: Vi arbetar för en god arbetsmiljö och låg sjukfrånvaro.\n\nUppfylls helt\n\n"
    "Analys\n\nEnheten har arbetat med friskvård.\n\n"
    "Enhetsmål: Brukarna är nöjda.\n\nUppfylls helt\n\nAnalys\n\nMätbart resultat fås efter brukarenkät.\n\n"
    "Enhetsmål: Rutinerna är kända.\n\nUppfylls helt\n\nAnalys\n\nAlla har gått igenom rutinerna.\n"
)


def test_fulfilment_contradicted_by_figures_and_by_missing_evidence(tmp_path: Path) -> None:
    doc = _report(tmp_path, "c", 2019, _kf_table(2019, "Sjukfrånvaro\t6,5 %\t\t5 %\t\tVB 2019") + GOALS)
    flags = check([doc])
    assert {(f.kind, f.indicator) for f in flags} == {("måluppfyllelse", "sjukfranvaro"), ("måluppfyllelse", "")}
    by_indicator = {f.indicator: f for f in flags}
    assert "6,5 %" in by_indicator["sjukfranvaro"].explanation and "5 %" in by_indicator["sjukfranvaro"].explanation
    assert by_indicator["sjukfranvaro"].first.highlight == "Uppfylls helt"
    assert "god arbetsmiljö" in by_indicator["sjukfranvaro"].first.text
    assert "Brukarna är nöjda" in by_indicator[""].explanation
    # Sibling goals under the same Nämndmål are not flagged for its sick leave.
    assert not any("Rutinerna" in f.explanation for f in flags)
    # Met target: no figure flag.
    ok = _report(tmp_path, "d", 2019, _kf_table(2019, "Sjukfrånvaro\t4,5 %\t\t5 %\t\tVB 2019") + GOALS)
    assert [f.indicator for f in check([ok])] == [""]


def test_fulfilment_contradicted_by_a_rise(tmp_path: Path) -> None:
    goals = GOALS.replace("Sjukfrånvaron har sjunkit.", "Arbetsmiljön är god.").replace(
        "Vi arbetar för en god arbetsmiljö och låg sjukfrånvaro.", "Sjunkande sjukfrånvaro."
    )
    doc = _report(tmp_path, "e", 2019, _kf_table(2019, "Sjukfrånvaro\t6,5 %\t5,0 %\t\t\tVB 2019") + goals)
    (flag,) = [f for f in check([doc]) if f.indicator == "sjukfranvaro"]
    assert "ökat från 5,0 % (2018) till 6,5 % (2019)" in flag.explanation


def test_unexplained_jump_is_informational(tmp_path: Path) -> None:
    row = "Andel medarbetare på deltid som erbjuds heltid\t{now}\t{prev}\t\t\tVB 2019"
    doc = _report(tmp_path, "f", 2019, _kf_table(2019, row.format(now="45 %", prev="20 %")))
    (flag,) = check([doc])
    assert flag.kind == "hopp" and flag.severity == "info"
    assert "från 20 % (2018) till 45 % (2019)" in flag.explanation
    explained = _report(
        tmp_path,
        "g",
        2019,
        _kf_table(2019, row.format(now="45 %", prev="20 %"))[:-1]
        + "Analys Ökningen beror på att alla deltidsanställda fått erbjudande.\n\n",
    )
    assert check([explained]) == []


def test_html_escapes_report_text() -> None:
    p = FlagPassage("r", "Rapport", 0, 10, 1, ("A",), "<script>alert('x')</script> 5 %", "5 %")
    q = FlagPassage("r", "Rapport", 20, 30, 1, ("A",), "6 % i texten", "6 %")
    flag = Flag("inom_rapport", "x", "X & Y", "Olika <värden>", p, q, "k")
    page = flags_to_html([flag])
    assert "<script>" not in page and "&lt;script&gt;" in page and "<mark>5 %</mark>" in page
    assert "&lt;värden&gt;" in page and "X &amp; Y" in page
    assert "| Ställe 1 | Ställe 2 |" in flags_to_markdown([flag])
    assert "Inga motsägelser" in flags_to_html([])


@pytest.fixture(scope="module")
def seed_flags() -> list[Flag]:
    corpus = load_corpus(ROOT / "corpus", ROOT)
    return check(corpus.documents)


def test_seed_flags_match_the_reviewed_list(seed_flags: list[Flag]) -> None:
    """Every flag on the seeds is reviewed in the fixture; a new or vanished flag must be reviewed there."""
    reviewed = json.loads(FIXTURE.read_text(encoding="utf-8"))["flags"]
    assert [f.key for f in seed_flags] == [r["key"] for r in reviewed]
    false_flags = [r for r in reviewed if not r["true"]]
    assert len(false_flags) <= len(reviewed) // 5, false_flags
    assert all(r["reason"] for r in reviewed)


def test_seed_flags_include_real_contradictions(seed_flags: list[Flag]) -> None:
    pairs = {(f.indicator, f.first.highlight, f.second.highlight) for f in seed_flags if f.kind == "inom_rapport"}
    assert {
        ("sjukfranvaro", "7,1 %", "7.17 %"),  # 2018: table vs analysis
        ("dur_fn", "83 %", "82 %"),  # 2014
        ("nojda_lss_boende", "91 %", "90 %"),  # 2014, stated twice
        ("ami", "80", "78"),  # 2014
    } <= pairs


def test_cli_check_and_compare(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "rapport.html"
    assert main(["--root", str(ROOT), "check", "--year", "2014", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "AMI" in page
    assert main(["--root", str(ROOT), "check", "--unit", "Assistansenheten", "--json"]) == 0
    flags = json.loads(capsys.readouterr().out)
    assert flags and all("explanation" in f and "first" in f for f in flags)
    assert main(["--root", str(ROOT), "compare", "sjukfrånvaro", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["indicator"] == "sjukfranvaro" and len(data["points"]) > 10
    assert main(["--root", str(ROOT), "compare", "antal katter"]) == 1
    assert "Kända indikatorer" in capsys.readouterr().err
    assert main(["--root", str(ROOT), "check", "--year", "1999"]) == 1
    assert "År som finns" in capsys.readouterr().err


def test_change_words_match_word_beginnings() -> None:
    assert LOWER_WORDS.search("Sjunkande sjukfrånvaro") and HIGHER_WORDS.search("Ökad delaktighet")
    assert not LOWER_WORDS.search("Sjukfrånvaron ska vara lägre än förvaltningens")
    assert EXPLAINED.search("Det är på  grund\nav fler brukare") and EXPLAINED.search("jämfört med föregående års")
    assert not EXPLAINED.search("Sjukfrånvaron var 45 % i år.")

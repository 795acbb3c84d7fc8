"""What a figure in a report is: its year, its role (outcome, target, forecast, bound) and its
column, read from the sentence's and the table's own words. Each case is a look-alike that the
consistency check used to flag as a contradiction, or a real one it used to miss."""

from __future__ import annotations

from pathlib import Path

from assistant.documents import Document
from assistant.facts.consistency import check
from assistant.facts.indicators import extract_facts
from assistant.ingest.corpus import load_document


def _report(tmp_path: Path, name: str, year: int, body: str, type: str = "verksamhetsberättelse") -> Document:
    path = tmp_path / f"{name}.txt"
    path.write_text(f"Rapport {year} Provenheten\n\nSammanfattande analys\n\n{body}", encoding="utf-8")
    return load_document(path, tmp_path, {"year": year, "unit": "Provenheten", "type": type})


def _facts(doc: Document, indicator: str) -> list[tuple[str, str, int | None, bool]]:
    return [(f.written, f.kind, f.period_year, f.quoted) for f in extract_facts([doc]) if f.indicator == indicator]


def test_a_forecast_is_not_the_outcome(tmp_path: Path) -> None:
    doc = _report(
        tmp_path,
        "a",
        2021,
        "Årets resultat blev ett underskott på 3,6 mnkr.\n\n"
        "Prognosen i tertialrapport 2 var ett underskott på 4,2 mnkr, men intäkterna ökade mot slutet av året.\n",
    )
    assert ("4,2 mnkr", "prognos", 2021, False) in _facts(doc, "resultat")
    assert check([doc]) == []


def test_last_years_figure_in_a_sentence_is_last_years_and_checked_against_its_report(tmp_path: Path) -> None:
    old = _report(tmp_path, "r2021", 2021, "Enheten redovisar ett underskott på 3,6 mnkr för 2021.\n")
    new = _report(
        tmp_path,
        "r2022",
        2022,
        "Enheten redovisar ett överskott på 0,6 mnkr för 2022. Jämfört med föregående års underskott på "
        "4,1 mnkr är det en tydlig förbättring.\n",
    )
    assert ("4,1 mnkr", "utfall", 2021, True) in _facts(new, "resultat")
    flags = check([old, new])
    assert [f.kind for f in flags] == ["mellan_rapporter"]
    assert {flags[0].first.highlight, flags[0].second.highlight} == {"4,1 mnkr", "3,6 mnkr"}


def test_a_year_after_the_figure_in_its_clause_is_the_figures_year(tmp_path: Path) -> None:
    plan = _report(
        tmp_path,
        "vp",
        2024,
        "Sjukfrånvaron uppgick till 8,7 % under perioden januari till augusti 2023, vilket är lägre än de "
        "10,2 % som boendet hade för helåret 2022.\n\nSjukfrånvaron minskar till 7,5 %.\n",
        type="verksamhetsplan",
    )
    facts = _facts(plan, "sjukfranvaro")
    # A plan's figures are targets for its year; what it says about earlier years is what was.
    assert ("8,7 %", "utfall", 2023, True) in facts
    assert ("10,2 %", "utfall", 2022, True) in facts
    assert ("7,5 %", "årsmål", 2024, False) in facts
    assert check([plan]) == []


def test_a_longer_compound_is_a_measure_of_its_own(tmp_path: Path) -> None:
    doc = _report(
        tmp_path,
        "b",
        2022,
        "Sjukfrånvaron bland medarbetarna sjönk till 6,2 %.\n\nKorttidssjukfrånvaron var 1,9 % under året.\n",
    )
    assert [w for w, *_ in _facts(doc, "sjukfranvaro")] == ["6,2 %"]


def test_bounds_and_comparisons_are_not_values(tmp_path: Path) -> None:
    doc = _report(
        tmp_path,
        "c",
        2021,
        "Sjukfrånvaron uppgick till 9,4 % under året.\n\nSjukfrånvaron är lägre än 10 % och minskar.\n\n"
        "Sjukfrånvaron låg under 9,9 % hela året.\n",
    )
    bounds = {f.written: f.bound for f in extract_facts([doc]) if f.indicator == "sjukfranvaro"}
    assert bounds["10 %"] == "comparison" and bounds["9,4 %"] is None
    assert check([doc]) == []
    broken = _report(
        tmp_path, "d", 2021, "Sjukfrånvaron uppgick till 9,4 % under året.\n\nSjukfrånvaron låg under 8 % hela året.\n"
    )
    assert [f.kind for f in check([broken])] == ["inom_rapport"]  # a bound the value breaks is still a contradiction


def test_a_header_cell_that_wraps_over_lines_keeps_its_column(tmp_path: Path) -> None:
    # A PDF table flattened to text: the header "Utfall föregående år" wraps onto two lines.
    doc = _report(
        tmp_path,
        "e",
        2021,
        "KF:s mål för verksamhetsområdet 3.2: Staden är en attraktiv arbetsgivare\n\n"
        "Indikator Periodens utfall Utfall\nföregående år\nÅrsmål KF:s årsmål Period Sjukfrånvaro 9,4 % 16 % "
        "10 % Tas fram av nämnden VB 2021\nAktivt medskapandeindex (AMI) 77 74 80 80 2021\n\n"
        "Medarbetarenkäten gav ett aktivt medskapandeindex på 77.\n",
    )
    ami = {(f.kind, f.quoted): f.written for f in extract_facts([doc]) if f.indicator == "ami" and f.source == "tabell"}
    assert ami[("utfall", False)] == "77" and ami[("utfall", True)] == "74" and ami[("årsmål", False)] == "80"
    assert check([doc]) == []


def test_amounts_of_a_series_are_in_one_unit_and_shown_with_their_sign(tmp_path: Path) -> None:
    from assistant.facts.indicators import series
    from assistant.facts.indicators.series import find_indicator

    old = _report(tmp_path, "r2012", 2012, "Enheten redovisar ett underskott på 4,77 mnkr.\n")
    new = _report(tmp_path, "r2018", 2018, "Enheten redovisar ett underskott på 2 163 tkr.\n")
    facts = extract_facts([old, new])
    points = series(facts, "resultat")
    assert [(p.year, p.value, p.unit) for p in points] == [(2012, -4.77, "mnkr"), (2018, -2.163, "mnkr")]
    assert points[0].fact.shown == "4,77 mnkr (underskott)"
    assert find_indicator(facts, "budgetresultat") == "resultat"  # a compound whose last part is the indicator

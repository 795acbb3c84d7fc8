"""Swedish number formats → values (assistant.figures)."""

from __future__ import annotations

import pytest

from assistant.facts.figures import decimals, find_quantities, format_value, parse_number, parse_quantity


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("4,77", 4.77),
        ("42 653", 42653),
        ("-2 163", -2163),
        ("−2 163", -2163),
        ("7.17", 7.17),
        ("99,99", 99.99),
        ("tio", 10),
        ("åtta", 8),
        ("1.250", 1250),
        ("inget tal", None),
    ],
)
def test_parse_number(written: str, value: float | None) -> None:
    assert parse_number(written) == value


@pytest.mark.parametrize(
    ("text", "written", "value", "unit", "low", "high", "qualifier"),
    [
        ("Bokslutet visar ett underskott med 4,77 mnkr.", "4,77 mnkr", 4.77, "mnkr", None, None, None),
        ("uppgår till 42 653 kronor (57 917", "42 653 kronor", 42653, "kronor", None, None, None),
        ("uppgår till totalt 42 653 kronor", "totalt 42 653 kronor", 42653, "kronor", None, None, "totalt"),
        ("Resultat netto\t-2 163", "-2 163", -2163, None, None, None, None),
        ("rullande tolv månader 7.17 %.", "7.17 %", 7.17, "%", None, None, None),
        ("antalet brukare är c:a 60 stycken", "c:a 60", 60, None, None, None, "c:a"),
        ("Enheten har drygt 30 tillsvidareanställda", "drygt 30", 30, None, None, None, "drygt"),
        ("Antalet brukare är mellan 50-60 Enhetens", "mellan 50-60", 55, None, 50, 60, "mellan"),
        ("mellan 80-90 personer engagerade", "mellan 80-90 personer", 85, "personer", 80, 90, "mellan"),
        ("Enheten har genomfört tio APT under året", "tio", 10, None, None, None, None),
        ("åtta personer påbörjat praktik", "åtta personer", 8, "personer", None, None, None),
        ("ett underskott om cirka 500 tkr", "cirka 500 tkr", 500, "tkr", None, None, "cirka"),
        ("och 91% vet vilken hjälp", "91%", 91, "%", None, None, None),
        ("minska med minst tio procent till år 2020", "minst tio procent", 10, "%", None, None, "minst"),
    ],
)
def test_find_quantities_keeps_written_form_and_value(
    text: str,
    written: str,
    value: float,
    unit: str | None,
    low: float | None,
    high: float | None,
    qualifier: str | None,
) -> None:
    found = [q for q in find_quantities(text) if q.written == written]
    assert len(found) == 1, find_quantities(text)
    q = found[0]
    assert (q.value, q.unit, q.low, q.high, q.qualifier) == (value, unit, low, high, qualifier)
    assert text[q.start : q.end] == written


def test_offsets_are_shifted() -> None:
    (q,) = find_quantities("visar 13,25 %", offset=100)
    assert (q.start, q.end) == (106, 113)


@pytest.mark.parametrize("text", ["2014-01-01 2014-12-31", "år 2012", "dec-14 dec-13", "sex veckor", "en brukare"])
def test_dates_years_and_ambiguous_words_are_not_figures(text: str) -> None:
    assert find_quantities(text) == []


def test_approximate_only_for_hedges() -> None:
    (ca,) = find_quantities("c:a 100 medarbetare")
    (between,) = find_quantities("mellan 50-60")
    assert ca.approximate and not between.approximate


def test_parse_quantity_cells() -> None:
    tol = parse_quantity("+/- 1 %")
    assert tol is not None and (tol.value, tol.low, tol.high, tol.unit) == (1, -1, 1, "%")
    assert parse_quantity("99,7 %").value == 99.7  # type: ignore[union-attr]
    assert parse_quantity("tas fram av nämnden") is None
    assert parse_quantity("") is None
    assert parse_quantity("83 År") is None  # not a single figure


def test_decimals_and_display() -> None:
    assert (decimals("7,1 %"), decimals("7.17 %"), decimals("16 %"), decimals("42 653")) == (1, 2, 0, 0)
    assert format_value(7.17, "%") == "7,17 %"
    assert format_value(42653) == "42 653"
    assert format_value(16.0) == "16"

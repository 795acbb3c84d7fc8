"""Jämför år as staff meet it: counts, text targets, one line per unit, every value in the chart or noted."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from assistant.documents import Document
from assistant.facts.indicators import (
    Fact,
    chart_plan,
    extract_facts,
    known_indicators,
    series,
    series_notes,
    values_phrase,
)
from assistant.facts.indicators.plot import chart_title, draw_chart
from assistant.ingest.corpus import load_corpus, load_document

ROOT = Path(__file__).resolve().parents[2]
TABLE = (
    "Uppföljning av Kommunfullmäktiges inriktningsmål\n\n"
    "KF:s mål för verksamhetsområdet: 4.2 Stockholms stad är en bra arbetsgivare\n\n"
    "Indikator\tPeriodens utfall\tPeriodens utfall VB {prev}\tÅrsmål\tKF:s årsmål\tPeriod\n"
    "Sjukfrånvaro\t{value}\t\t5 %\ttas fram av nämnden\tVB {year}\n\n"
)


@pytest.fixture(scope="module")
def facts() -> list[Fact]:
    corpus = load_corpus(ROOT / "corpus", ROOT)
    return extract_facts(corpus.documents)


def _report(tmp_path: Path, name: str, year: int, unit: str, value: str) -> Document:
    path = tmp_path / f"{name}.txt"
    body = TABLE.format(prev=year - 1, year=year, value=value)
    path.write_text(f"Verksamhetsberättelse {year} {unit}\n\nSammanfattande analys\n\n{body}", encoding="utf-8")
    return load_document(path, tmp_path, {"year": year, "unit": unit, "type": "verksamhetsberättelse"})


def test_values_phrase_is_swedish_singular_and_plural() -> None:
    assert values_phrase(1) == "1 värde"
    assert values_phrase(2) == "2 värden"
    assert values_phrase(0) == "0 värden"


def test_counts_are_the_points_of_the_series(facts: list[Fact]) -> None:
    known = known_indicators(facts)
    assert known
    for key, _name, n in known:
        assert n == len(series(facts, key)), key


def test_text_target_is_a_note_not_a_point(facts: list[Fact]) -> None:
    points = series(facts, "sjukfranvaro")
    assert all(p.value is not None for p in points)
    assert not any("tas fram av" in p.fact.written.lower() for p in points)
    notes = series_notes(facts, "sjukfranvaro")
    assert {(n.fact.period_year, n.fact.kind) for n in notes} >= {(2018, "kf_årsmål"), (2020, "kf_årsmål")}
    assert all("tas fram av" in n.text.lower() for n in notes)


def test_one_line_per_unit_and_kind(tmp_path: Path) -> None:
    docs = [
        _report(tmp_path, "a", 2021, "Norra enheten", "6,1 %"),
        _report(tmp_path, "b", 2021, "Södra enheten", "12,8 %"),
        _report(tmp_path, "c", 2022, "Norra enheten", "7,0 %"),
    ]
    points = series(extract_facts(docs), "sjukfranvaro")
    plan = chart_plan(points)
    outcome = {line.unit: line.values for line in plan.lines if line.kind == "utfall"}
    assert outcome == {"Norra enheten": {2021: 6.1, 2022: 7.0}, "Södra enheten": {2021: 12.8}}
    labels = [line.label for line in plan.lines]
    assert "Södra enheten – utfall" in labels and len(labels) == len(set(labels))
    assert chart_title(points) == "Sjukfrånvaro – 2 enheter"


def test_every_value_is_drawn_or_left_out_with_a_reason(facts: list[Fact]) -> None:
    points = series(facts, "sjukfranvaro")
    plan = chart_plan(points)
    drawn = {id(p) for line in plan.lines for p in line.points}
    left = {id(p): reason for p, reason in plan.left_out}
    for p in points:
        assert (id(p) in drawn) != (id(p) in left), p.fact
        if id(p) in left:
            assert left[id(p)], p.fact
    # The 2012 November figure is a month, the 2020 per-sub-unit figures are parts of the unit.
    reasons = {p.fact.written: r for p, r in plan.left_out}
    assert "månad" in reasons["13,25 %"]
    assert "enhet 6227" in reasons["16,92"]


def test_title_names_indicator_and_unit(facts: list[Fact]) -> None:
    assert chart_title(series(facts, "sjukfranvaro", unit="Assistansenheten")) == "Sjukfrånvaro – Assistansenheten"


def test_value_labels_do_not_overlap(facts: list[Fact]) -> None:
    # 2014: outcome 5,5 % and target 5,8 % sit almost on top of each other.
    fig, labels = draw_chart(series(facts, "sjukfranvaro"))
    try:
        renderer = fig.canvas.get_renderer()
        boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in labels]
        assert len(boxes) >= 10
        for (ta, a), (tb, b) in itertools.combinations(boxes, 2):
            assert not a.overlaps(b), (ta, tb)
    finally:
        import matplotlib.pyplot as plt

        plt.close(fig)

"""The "Jämför år" tab (assistant.ui.tab_compare): its handlers on the real seed corpus, no browser.

The tab itself in a real browser is exercised in ``tests/browser/test_e2e.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from seeds import R2012, R2018

from assistant.documents import Document
from assistant.ingest.corpus import Corpus, load_document
from assistant.ui import app as ui_app
from assistant.ui.tab_compare import (
    ALL_UNITS,
    CorpusFacts,
    FactCache,
    compare_view,
    default_indicator,
    indicator_choices,
    unit_choices,
)

ROOT = Path(__file__).resolve().parents[2]
TABLE = (
    "Uppföljning av Kommunfullmäktiges inriktningsmål\n\n"
    "KF:s mål för verksamhetsområdet: 4.2 Stockholms stad är en bra arbetsgivare\n\n"
    "Indikator\tPeriodens utfall\tPeriodens utfall VB {prev}\tÅrsmål\tKF:s årsmål\tPeriod\n"
    "Sjukfrånvaro\t5,9 %\t\t5 %\ttas fram av nämnden\tVB {year}\n\n"
)


@pytest.fixture(scope="module")
def data(seed_corpus: Corpus) -> CorpusFacts:
    return FactCache(lambda: seed_corpus.documents).get()


def _report(tmp_path: Path, name: str, year: int, body: str, unit: str) -> Document:
    path = tmp_path / f"{name}.txt"
    path.write_text(f"Verksamhetsberättelse {year} {unit}\n\nSammanfattande analys\n\n{body}", encoding="utf-8")
    return load_document(path, tmp_path, {"year": year, "unit": unit, "type": "verksamhetsberättelse"})


def _rows(html: str) -> list[tuple[str, str, str]]:
    """(year, value cell text, kind) of each row of the series table."""
    out = []
    for m in re.finditer(r'<tr[^>]*data-year="([^"]*)" data-kind="([^"]*)"[^>]*>(.*?)</tr>', html):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", m.group(3))
        out.append((m.group(1), re.sub(r"<[^>]+>", "", cells[2]).strip(" *"), m.group(2)))
    return out


# ------------------------------------------------------------------ picker
def test_sick_leave_is_preselected_and_labels_are_swedish(data: CorpusFacts) -> None:
    assert default_indicator(data) == "sjukfranvaro"
    labels = dict((key, label) for label, key in indicator_choices(data))
    assert labels["sjukfranvaro"].startswith("Sjukfrånvaro (")
    assert labels["sjukfranvaro_dag_1_14"].startswith("Sjukfrånvaro dag 1–14")
    assert labels["ami"].startswith("Aktivt medskapandeindex")
    units = unit_choices(data, "sjukfranvaro")
    assert units[0] == ALL_UNITS
    assert {"Assistansenheten", "Enheten för personligt stöd", "Beställarenheten funktionsnedsättning"} <= set(units)


# ------------------------------------------------------------------ series
def test_sick_leave_series_year_by_year_with_citations(data: CorpusFacts) -> None:
    view = compare_view(data, "sjukfranvaro")
    rows = _rows(view.table)
    assert len(rows) == len(view.points)
    assert ("2012", "8,30 %", "utfall") in rows
    assert ("2018", "7,1 %", "utfall") in rows
    assert ("2020", "16 %", "utfall") in rows
    assert ("2020", "10 %", "årsmål") in rows
    years = [int(y) for y, _, _ in rows]
    assert years == sorted(years)
    # Each row cites the report by title, section and page.
    rows2012 = re.findall(
        r'<tr[^>]*data-year="2012" data-kind="utfall" data-report="([^"]+)"[^>]*>(.*?)</tr>', view.table
    )
    report, row = next((r, row) for r, row in rows2012 if "8,30 %" in row)
    assert report == R2012
    assert data.title(R2012) in row and "Sammanfattande analys" in row and "s. 2" in row
    assert "rullande 12 mån (nov 2012)" in row
    # A previous year's value quoted in a later report says so.
    assert "fjolårsvärde, citerat i rapporten för 2018" in view.table


def test_targets_stand_beside_the_outcome_of_the_same_year(data: CorpusFacts) -> None:
    summary = compare_view(data, "sjukfranvaro").summary
    row = re.search(r'<tr data-year="2014">(.*?)</tr>', summary)
    assert row
    cells = dict(re.findall(r'<td data-kind="([^"]+)">([^<]*)', row.group(1)))
    assert cells == {"utfall": "5,5 %", "årsmål": "5,8 %", "kf_årsmål": "4,4 %"}
    assert "3 enheter" in summary  # the series mixes units: the tab says so


def test_unit_filter_keeps_one_unit(data: CorpusFacts) -> None:
    view = compare_view(data, "sjukfranvaro", "Assistansenheten")
    assert view.points and {p.fact.org_unit for p in view.points} == {"Assistansenheten"}
    assert {p.year for p in view.points} == {2012, 2017, 2018}
    assert "enheter (" not in view.summary
    for flag in view.flags:
        assert set(flag.report_ids) <= {R2012, R2018}


def test_chart_is_a_png_outside_corpus_and_index(data: CorpusFacts) -> None:
    view = compare_view(data, "sjukfranvaro")
    assert view.chart is not None
    chart = Path(view.chart)
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    for folder in (ROOT / "corpus", ROOT / "index"):
        assert not chart.resolve().is_relative_to(folder.resolve())
    assert compare_view(data, "sjukfranvaro").chart == view.chart  # drawn once per corpus state
    assert compare_view(data, "sjukfranvaro", "Assistansenheten").chart != view.chart


# ------------------------------------------------------------------ flags
def test_flags_for_sick_leave_show_both_passages(data: CorpusFacts) -> None:
    view = compare_view(data, "sjukfranvaro")
    assert view.flags and {f.indicator for f in view.flags} == {"sjukfranvaro"}
    kinds = {f.kind for f in view.flags}
    assert {"inom_rapport", "måluppfyllelse"} <= kinds
    html = view.flags_html
    assert html.count('class="ra-flag"') + html.count('class="ra-flag ra-flag-info"') == len(view.flags)
    assert html.count('class="ra-flag-side"') == 2 * len(view.flags)
    within = next(f for f in view.flags if f.kind == "inom_rapport")
    assert "<mark>7,1 %</mark>" in html and "<mark>7.17 %</mark>" in html
    assert within.explanation in html  # plain Swedish, nothing to escape in it
    assert f"Flaggor för Sjukfrånvaro ({len(view.flags)})" in html


def test_show_all_flags(data: CorpusFacts) -> None:
    one = compare_view(data, "sjukfranvaro")
    everything = compare_view(data, "sjukfranvaro", show_all=True)
    assert len(everything.flags) == len(data.flags) > len(one.flags)
    assert {f.indicator for f in everything.flags} - {"sjukfranvaro"}
    assert "Alla flaggor" in everything.flags_html


def test_unknown_indicator_and_empty_corpus() -> None:
    empty = FactCache(lambda: []).get()
    view = compare_view(empty, "sjukfranvaro")
    assert "inga siffror" in view.summary and view.chart is None and not view.points
    assert default_indicator(empty) is None


def test_unknown_indicator_is_a_warning(data: CorpusFacts) -> None:
    view = compare_view(data, "finns_inte")
    assert "finns inte" in view.summary and not view.points and view.chart is None


# ------------------------------------------------------------------ escaping
def test_report_text_is_escaped(tmp_path: Path) -> None:
    evil = "<script>alert(1)</script>"
    doc = _report(
        tmp_path,
        "evil",
        2019,
        f"Sjukfrånvaron uppgick till 6,2 % under året {evil} <img src=x onerror=alert(2)>.\n\n"
        + TABLE.format(prev=2018, year=2019),
        unit=f"Ond{evil}enheten",
    )
    data = FactCache(lambda: [doc]).get()
    view = compare_view(data, "sjukfranvaro")
    assert view.points and view.flags
    assert any(evil in f.context for f in data.facts)  # the fact's own text carries the tag
    for html in (view.summary, view.table, view.flags_html):
        assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in view.flags_html
    assert "&lt;img src=x onerror=alert(2)&gt;" in view.flags_html
    assert "Ond&lt;script&gt;" in view.table


# ------------------------------------------------------------------ cache
def test_facts_are_extracted_once_per_corpus_state(seed_corpus: Corpus, tmp_path: Path) -> None:
    docs = list(seed_corpus.documents)
    cache = FactCache(lambda: docs)
    first = cache.get()
    assert cache.get() is first and cache.extractions == 1
    # An upload in the reports tab: the next use sees the new report.
    docs.append(_report(tmp_path, "ny", 2019, TABLE.format(prev=2018, year=2019), unit="Nyenheten"))
    second = cache.get()
    assert second is not first and cache.extractions == 2
    assert "Nyenheten" in unit_choices(second, "sjukfranvaro")
    assert ("2019", "5,9 %", "utfall") in _rows(compare_view(second, "sjukfranvaro").table)
    # A removal: gone again.
    docs.pop()
    assert "Nyenheten" not in unit_choices(cache.get(), "sjukfranvaro") and cache.extractions == 3


def test_the_app_finds_the_tab() -> None:
    assert "Jämför år" in [label for label, _ in ui_app.optional_tabs()]


# ------------------------------------------------------------------ as staff meet it (issue 17)
def test_picker_counts_are_swedish_and_those_of_the_table(data: CorpusFacts) -> None:
    for label, key in indicator_choices(data):
        n = len(compare_view(data, key).points)
        assert label.endswith(f"({n} värde)" if n == 1 else f"({n} värden)"), label


def test_text_target_is_a_note_in_both_tables(data: CorpusFacts) -> None:
    view = compare_view(data, "sjukfranvaro", "Assistansenheten")
    assert not any("tas fram av" in value.lower() for _, value, _ in _rows(view.table))
    assert "Angivet i ord, inget värde" in view.table and "tas fram av" in view.table
    row = re.search(r'<tr data-year="2018">(.*?)</tr>', view.summary)
    assert row and 'data-kind="kf_årsmål"' not in row.group(1) and "tas fram av (inget värde)" in row.group(1)


def test_chart_notes_name_every_value_not_drawn(data: CorpusFacts) -> None:
    view = compare_view(data, "sjukfranvaro")
    assert "Sjukfrånvaro – 3 enheter" in view.chart_notes
    assert "Assistansenheten – utfall" in view.chart_notes
    assert "Enheten för personligt stöd – årsmål" in view.chart_notes
    for written in ("13,25 %", "16,92", "2,39", "7.17 %"):
        assert written in view.chart_notes, written
    assert "en linje per enhet" in view.summary


def test_row_jump_flag_is_one_passage_with_both_values_marked(data: CorpusFacts) -> None:
    view = compare_view(data, "andel_heltid_erbjuds")
    jump = next(f for f in view.flags if f.kind == "hopp")
    assert jump.same_passage
    html = view.flags_html
    block = html[html.index('data-kind="hopp"') :]
    assert block.count('class="ra-flag-side') == 1
    assert "<mark>42,5 %</mark>" in block and "<mark>22,92 %</mark>" in block

"""Reported figures as data: indicator tables and prose → :class:`Fact`.

Three sources of facts, each with its exact span in ``Document.text``:

* **indicator tables** ("Indikator | Periodens utfall | … | Årsmål | KF:s årsmål
  | Period"), parsed row by row in :mod:`.tables` (including tables that lost
  their column borders), and the economy table ("Beloppen anges i TKr");
* **the analysis under a table row** ("Analys …", "Kommentar: …"), in
  :mod:`.prose`;
* **prose** rules for the quantities the reports state in sentences, in
  :mod:`.prose`.

The modules, in the order the data flows:

    definitions.py  IndicatorDef, INDICATORS (assistant/data/indicators.toml), match_indicator,
                    load_indicator_file (corpus/indicators.toml)
    model.py        Fact, KIND_LABELS
    collect.py      FactCollector (a found figure → Fact), heading_path
    tables.py       TableRow, parse_indicator_table
    periods.py      the period of a figure in a sentence
    prose.py        facts from sentences and from the analysis under a row
    extract.py      extract_facts: all of the above for a corpus
    series.py       known_indicators, find_indicator, SeriesPoint, series, series_notes, values_phrase
    plot.py         chart_plan (what the chart draws, and why not the rest), draw_chart, plot_series

Indicator names are normalised with :data:`INDICATORS` (add to
``assistant/data/indicators.toml``, or add ``corpus/indicators.toml``, see
:func:`load_indicator_file`); a table row that matches no definition is still a
series of its own, keyed by its label.
"""

from __future__ import annotations

from .collect import heading_path
from .definitions import INDICATORS, IndicatorDef, load_indicator_file, match_indicator
from .extract import extract_facts
from .model import KIND_LABELS, Fact
from .plot import ChartLine, ChartPlan, chart_plan, chart_title, plot_series
from .series import SeriesNote, SeriesPoint, find_indicator, known_indicators, series, series_notes, values_phrase
from .tables import TableRow, parse_indicator_table

__all__ = [
    "INDICATORS",
    "KIND_LABELS",
    "ChartLine",
    "ChartPlan",
    "Fact",
    "IndicatorDef",
    "SeriesNote",
    "SeriesPoint",
    "TableRow",
    "chart_plan",
    "chart_title",
    "extract_facts",
    "find_indicator",
    "heading_path",
    "known_indicators",
    "load_indicator_file",
    "match_indicator",
    "parse_indicator_table",
    "plot_series",
    "series",
    "series_notes",
    "values_phrase",
]

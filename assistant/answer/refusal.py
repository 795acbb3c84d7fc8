"""Refusing before searching: the asked year, unit or district is not in the corpus, or an outcome is
asked of a year that has only a plan. The notice names what there is instead."""

from __future__ import annotations

from ..query.catalog import ReportCatalog
from ..query.intent import QueryIntent
from ..retrieval.filters import Filters

__all__ = ["only_year_missing", "quoted_year_notice", "refusal"]


def only_year_missing(intent: QueryIntent, *, explicit_year: bool) -> bool:
    """The question names only years the corpus has no report for (a later report may still quote them)."""
    return bool(intent.missing_years) and not intent.years and not explicit_year and not intent.missing_unit


def quoted_year_notice(
    years: tuple[int, ...], reports: tuple[str, ...] = (), *, unit: str | None = None, plan_before: bool = False
) -> str:
    """The notice on an answer about a year without a report of its own (of ``unit``, when given),
    naming the reports it comes from: reports that name the year, or (``plan_before``) the plan for
    the next year, written during it."""
    asked = ", ".join(map(str, years))
    missing = f"Det finns ingen rapport för {asked}" + (f" från {unit}" if unit else "")
    named = " och ".join(reports) or "en rapport"
    if plan_before:
        return f"{missing}; svaret kommer ur {named}, som skrevs inför året efter och beskriver läget då."
    return f"{missing}; svaret kommer ur {named}, som nämner {asked}."


def refusal(intent: QueryIntent, filters: Filters, catalog: ReportCatalog, *, explicit_year: bool) -> str:
    """A Swedish notice when the asked year/unit is not in the corpus, else ''.

    Only an explicit year overrides a year in the question; a unit or type option does not make a
    question about a missing year answerable from another one.
    """
    years_txt = ", ".join(map(str, catalog.years))
    if intent.missing_years and not intent.years and not explicit_year:
        asked = ", ".join(map(str, intent.missing_years))
        return f"Det finns ingen rapport för {asked}. Rapporterna gäller åren {years_txt}."
    if intent.missing_district:
        have = ", ".join(catalog.districts)
        return f"Det finns ingen rapport från {intent.missing_district}. Rapporterna kommer från {have}."
    if intent.missing_unit and not intent.unit and not filters.unit:
        return (
            f"Enheten '{intent.missing_unit}' finns inte bland rapporterna. "
            f"Enheter som finns: {', '.join(catalog.units)}."
        )
    matching = [r for r in catalog.reports if filters.allows(r)]
    if matching and intent.outcome and filters.years and all(r.type == "verksamhetsplan" for r in matching):
        asked = ", ".join(map(str, filters.years))
        return (
            f"För {asked} finns bara verksamhetsplan, och en plan anger mål och aktiviteter – inte hur det "
            "gick. Utfallet redovisas i verksamhetsberättelsen för året."
        )
    if not matching:
        return _no_such_report(filters, catalog, years_txt)
    return ""


def _no_such_report(filters: Filters, catalog: ReportCatalog, years_txt: str) -> str:
    parts = []
    if filters.unit:
        unit_years = sorted({r.year for r in catalog.reports if r.unit == filters.unit and r.year})
        parts.append(f"{filters.unit} finns för åren {', '.join(map(str, unit_years)) or '–'}")
    if filters.years:
        year_units = sorted({r.unit or "?" for r in catalog.reports if r.year in filters.years})
        parts.append(f"för {', '.join(map(str, filters.years))} finns {', '.join(year_units) or 'inget'}")
    if filters.type:
        parts.append(f"rapporttyp: {filters.type}")
    notice = "Det finns ingen sådan rapport (" + "; ".join(parts) + ")."
    if filters.years and not set(filters.years) & set(catalog.years):
        notice += f" Rapporterna gäller åren {years_txt}."
    return notice

"""Reported figures as data: indicator tables and prose → :class:`Fact`.

Three sources of facts, each with its exact span in ``Document.text``:

* **indicator tables** ("Indikator | Periodens utfall | … | Årsmål | KF:s årsmål
  | Period"). Tables that kept their tabs (VB 2018) map cell by cell. Tables
  flattened to spaces need inference: the raw source tells where a cell was
  empty (two or more spaces, or an indented value line), "tas fram av nämnden"
  is always the KF target cell, two equal trailing values are the two targets,
  and any remaining values fill the columns a report fills most often
  (outcome, target, KF target, last year's outcome, …). A fact placed by
  inference carries a ``note``.
* **the analysis under a table row** ("Analys …", "Kommentar: …"): the first
  figure that restates the row's outcome, figures for another period (a month,
  "rullande 12 månader", last year), never comparisons ("i staden som helhet").
* **prose** rules for the quantities the reports state in sentences
  (sjukfrånvaro, AMI, underskott/överskott, antal brukare/medarbetare/klagomål,
  kostnader).

Indicator names are normalised with :data:`INDICATORS` (extend it, or add
``corpus/indicators.toml``, see :func:`load_indicator_file`); a table row that
matches no definition is still a series of its own, keyed by its label.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..documents import Document
from ..errors import AssistantError
from .figures import Quantity, find_quantities, format_value, parse_number, parse_quantity

__all__ = [
    "INDICATORS",
    "KIND_LABELS",
    "Fact",
    "IndicatorDef",
    "SeriesPoint",
    "TableRow",
    "extract_facts",
    "find_indicator",
    "heading_path",
    "known_indicators",
    "load_indicator_file",
    "match_indicator",
    "parse_indicator_table",
    "plot_series",
    "series",
]

KIND_LABELS = {
    "utfall": "utfall",
    "årsmål": "årsmål",
    "kf_årsmål": "KF:s årsmål",
    "prognos": "prognos helår",
}


@dataclass(frozen=True)
class IndicatorDef:
    """One normalised indicator: the patterns that name it, in any report's wording."""

    key: str
    name: str  # shown to the user
    patterns: tuple[str, ...]  # regexes, matched case-insensitively against a table label
    unit: str | None = None
    lower_is_better: bool | None = None
    cues: tuple[str, ...] = ()  # regexes that mention it in goal text (for fulfilment checks)


# The mapping from wordings to series. Order matters: the first match wins, so
# "Sjukfrånvaro dag 1-14" comes before "Sjukfrånvaro".
INDICATORS: list[IndicatorDef] = [
    IndicatorDef(
        "sjukfranvaro_dag_1_14",
        "Sjukfrånvaro dag 1–14",
        (r"sjukfrånvaro\w*\s+dag\s*1\s*[-–]\s*14", r"korttids\w*frånvaro"),
        "%",
        True,
        (r"sjukfrånvaro\w*\s+dag\s*1\s*[-–]\s*14",),
    ),
    IndicatorDef(
        "sjukfranvaro",
        "Sjukfrånvaro",
        (r"^sjukfrånvaro\w*(?:\s*\(alla nämnder/bolag\))?\s*$", r"^total\w* sjukfrånvaro"),
        "%",
        True,
        (r"sjukfrånvaro(?!\w*\s+dag\s*1)",),
    ),
    IndicatorDef("ami", "Aktivt medskapandeindex (AMI)", (r"medskapandeindex", r"\bAMI\b"), None, False, (r"\bAMI\b",)),
    IndicatorDef(
        "budgetfoljsamhet",
        "Nämndens budgetföljsamhet",
        (r"budgetföljsamhet",),
        "%",
        None,
    ),
    IndicatorDef("prognossakerhet", "Nämndens prognossäkerhet", (r"prognossäkerhet",), "%"),
    IndicatorDef(
        "resultat",
        "Resultat (överskott/underskott)",
        (r"^resultat netto", r"^resultat efter resultatdisposition"),
        "tkr",
        False,
        (r"inom (?:beslutad|tilldelad) budget", r"budget i balans", r"kostnadseffektiv"),
    ),
    IndicatorDef("summa_kostnader", "Kostnader (summa)", (r"^summa kostnader",), "tkr"),
    IndicatorDef("summa_intakter", "Intäkter (summa)", (r"^summa intäkter",), "tkr"),
    IndicatorDef("antal_brukare", "Antal brukare", (r"^antal brukare",), "personer"),
    IndicatorDef("antal_medarbetare", "Antal medarbetare", (r"^antal medarbetare",), "personer"),
    IndicatorDef("antal_klagomal", "Antal klagomål", (r"^antal klagomål",), "klagomål"),
    IndicatorDef("kostnad_taxi", "Kostnader för taxiresor", (r"taxiresor",), "kronor"),
    IndicatorDef(
        "andel_heltid_erbjuds",
        "Andel medarbetare på deltid som erbjuds heltid",
        (r"deltid som erbjuds heltid",),
        "%",
        False,
    ),
    IndicatorDef(
        "andel_heltidsanstallda",
        "Andel heltidsanställningar av tillsvidareanställningar",
        (r"andel heltidsanställ",),
        "%",
        False,
    ),
    IndicatorDef("andel_timavlonade", "Andel timmar av timavlönad personal", (r"timavlönad personal",), "%", True),
    IndicatorDef("tydliga_krav", "Chefer ställer tydliga krav", (r"tydliga krav",), "%", False),
    IndicatorDef("vet_vad_som_forvantas", "Medarbetare vet vad som förväntas", (r"vet vad som förväntas",), "%", False),
    IndicatorDef(
        "ekologiska_livsmedel",
        "Andel ekologiska livsmedel",
        (r"ekologisk\w* (?:livsmedel|måltider)",),
        "%",
        False,
    ),
    IndicatorDef("klimatpaverkan_livsmedel", "Klimatpåverkan från livsmedel", (r"klimatpåverkan",), None, True),
    IndicatorDef(
        "valmojlighet_fn", "Brukare som upplever valmöjlighet (FN)", (r"upplever att de har valmöjlighet",), "%", False
    ),
    IndicatorDef("bemotande_fn", "Väl bemötta av stadens personal (FN)", (r"väl bemötta",), "%", False),
    IndicatorDef("paverka_insats_fn", "Kan påverka insatsens utformning (FN)", (r"påverka insatsens",), "%", False),
    IndicatorDef("tillganglig_miljo_fn", "Tillgänglig inne- och utemiljö (FN)", (r"inre och utemiljö",), "%", False),
    IndicatorDef("fungerande_bostad_fn", "Fungerande bostad (FN)", (r"fungera(?:n)?de bostad",), "%", False),
    IndicatorDef("lonearbete_fn", "Övergång till lönearbete (FN)", (r"övergår till lönearbete",), "%", False),
    IndicatorDef("trygghet_lss_boende", "Trygghet i LSS-boende", (r"trygghet\s*-\s*lss-boende",), "%", False),
    IndicatorDef("nojda_lss_boende", "Nöjda brukare – LSS-boende", (r"nöjda brukare\s*-\s*lss-boende",), "%", False),
    IndicatorDef(
        "nojda_daglig_verksamhet", "Nöjda brukare – daglig verksamhet", (r"nöjda brukare\s*-\s*daglig",), "%", False
    ),
    IndicatorDef(
        "nojda_korttidsboende", "Nöjda brukare – korttidsboende", (r"nöjda brukare\s*-\s*korttid",), "%", False
    ),
    IndicatorDef(
        "nojda_utredning_sp",
        "Nöjda med utredningen (socialpsykiatri)",
        (r"nöjda med hur utredningen",),
        "%",
        False,
    ),
    IndicatorDef(
        "dur_socialpsykiatri", "Utredningar med DUR (socialpsykiatri)", (r"socialpsykiatri där metoden dur",), "%"
    ),
    IndicatorDef("dur_fn", "Utredningar enligt DUR (FN)", (r"utredningar enligt dur",), "%", False),
    IndicatorDef(
        "funktionsformaga_sp", "Ökad funktionsförmåga (socialpsykiatri)", (r"ökat sin funktionsförmåga",), "%", False
    ),
    IndicatorDef(
        "utbildning_vald", "Utbildade om våldsutsatthet", (r"utbildning om att upptäcka våldsutsatthet",), "%", False
    ),
]


@dataclass(frozen=True)
class Fact:
    """One reported figure, where it was stated, and what it is about."""

    report_id: str
    report_year: int | None
    report_type: str
    org_unit: str | None  # the reporting unit, e.g. "Assistansenheten"
    indicator: str  # normalised key, e.g. "sjukfranvaro"
    indicator_name: str  # display name of the series
    label: str  # the indicator or quantity as the report words it
    kind: str  # "utfall" | "årsmål" | "kf_årsmål" | "prognos"
    value: float | None  # None for a target stated in words ("tas fram av nämnden")
    written: str  # exactly as in the text
    unit: str | None  # "%", "tkr", "mnkr", "kronor", "personer", …
    period: str  # Swedish label: "2018", "november 2012", "rullande 12 mån (nov 2014)"
    period_year: int | None
    period_type: str  # "år" | "månad" | "rullande 12 mån"
    period_month: int | None
    quoted: bool  # a previous period's value quoted in a later report ("VB 2017")
    source: str  # "tabell" | "text"
    start: int  # offsets into Document.text of the figure
    end: int
    page: int | None
    heading_path: tuple[str, ...]
    context: str  # the table row or sentence the figure stands in
    context_start: int
    context_end: int
    low: float | None = None
    high: float | None = None
    approximate: bool = False
    scope: str | None = None  # "män/pojkar", "enhet 6227", "socialpsykiatri", … (None = whole unit)
    note: str = ""  # how an ambiguous table cell was placed

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    def citation(self) -> str:
        page = f", s. {self.page}" if self.page else ""
        where = " › ".join(self.heading_path[-2:]) if self.heading_path else ""
        return f"{self.report_id}{page}{', ' + where if where else ''} [{self.start}–{self.end}]"

    def to_json(self) -> dict[str, Any]:
        return {
            "report_id": self.report_id,
            "report_year": self.report_year,
            "org_unit": self.org_unit,
            "indicator": self.indicator,
            "indicator_name": self.indicator_name,
            "label": self.label,
            "kind": self.kind,
            "value": self.value,
            "written": self.written,
            "unit": self.unit,
            "low": self.low,
            "high": self.high,
            "approximate": self.approximate,
            "period": self.period,
            "period_year": self.period_year,
            "period_type": self.period_type,
            "quoted": self.quoted,
            "scope": self.scope,
            "source": self.source,
            "start": self.start,
            "end": self.end,
            "page": self.page,
            "heading_path": list(self.heading_path),
            "context": self.context,
            "note": self.note,
        }


# --------------------------------------------------------------------------- names


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).lower().split())


def match_indicator(label: str, defs: Sequence[IndicatorDef] | None = None) -> IndicatorDef:
    """The normalised indicator for a label; an unknown label is a series of its own."""
    folded = _fold(label)
    for d in defs if defs is not None else INDICATORS:
        if any(re.search(p, folded, re.I) for p in d.patterns):
            return d
    key = re.sub(r"[^a-zåäö0-9]+", "_", folded).strip("_")[:60] or "okand"
    return IndicatorDef(key, label.strip().rstrip("."), ())


def load_indicator_file(path: Path) -> list[IndicatorDef]:
    """Extra definitions from ``corpus/indicators.toml``, placed before the built-in ones::

    [[indikator]]
    nyckel = "nojda_hemtjanst"
    namn = "Nöjda brukare – hemtjänst"
    mönster = ["nöjda brukare\\s*-\\s*hemtjänst"]
    enhet = "%"
    lägre_är_bättre = false
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise AssistantError(f"{path.name} går inte att läsa som TOML: {exc}. Rätta filen eller ta bort den.") from exc
    allowed = {"nyckel", "namn", "mönster", "enhet", "lägre_är_bättre", "ledord"}
    ascii_keys = {"monster": "mönster", "lagre_ar_battre": "lägre_är_bättre"}
    defs = []
    for i, raw_entry in enumerate(data.get("indikator", []), start=1):
        entry = {ascii_keys.get(k, k): v for k, v in raw_entry.items()}
        unknown = set(entry) - allowed
        if unknown:
            raise AssistantError(
                f"{path.name}: okänt fält {', '.join(sorted(unknown))} i indikator {i}. "
                f"Tillåtna fält: {', '.join(sorted(allowed))}."
            )
        if not entry.get("nyckel") or not entry.get("mönster"):
            raise AssistantError(f"{path.name}: indikator {i} behöver både 'nyckel' och 'mönster'.")
        defs.append(
            IndicatorDef(
                str(entry["nyckel"]),
                str(entry.get("namn", entry["nyckel"])),
                tuple(entry["mönster"]),
                entry.get("enhet"),
                entry.get("lägre_är_bättre"),
                tuple(entry.get("ledord", ())),
            )
        )
    return defs


# --------------------------------------------------------------------------- structure helpers


def heading_path(doc: Document, offset: int) -> tuple[str, ...]:
    """Titles of the headings that enclose ``offset`` (outermost first)."""
    stack: list[tuple[int, str]] = []
    for b in doc.blocks:
        if b.start > offset:
            break
        if b.kind != "heading":
            continue
        level = b.level if b.level >= 0 else 6
        title = b.title or doc.text[b.start : b.end]
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, " ".join(title.split())[:140]))
    return tuple(t for _, t in stack)


@dataclass
class _Ctx:
    doc: Document
    defs: Sequence[IndicatorDef]
    facts: list[Fact] = field(default_factory=list)

    def add(
        self,
        d: IndicatorDef,
        label: str,
        kind: str,
        q: Quantity | None,
        written: str,
        start: int,
        end: int,
        *,
        period: tuple[str, int | None, str, int | None],
        quoted: bool,
        source: str,
        context: tuple[int, int],
        scope: str | None = None,
        note: str = "",
        unit: str | None = None,
    ) -> None:
        meta = self.doc.meta
        ctx_start, ctx_end = context
        self.facts.append(
            Fact(
                report_id=meta.report_id,
                report_year=meta.year,
                report_type=meta.type,
                org_unit=meta.unit,
                indicator=d.key,
                indicator_name=d.name,
                label=" ".join(label.split()),
                kind=kind,
                value=q.value if q else None,
                written=written,
                unit=(q.unit if q and q.unit else unit),
                period=period[0],
                period_year=period[1],
                period_type=period[2],
                period_month=period[3],
                quoted=quoted,
                source=source,
                start=start,
                end=end,
                page=self.doc.page_at(start),
                heading_path=heading_path(self.doc, start),
                context=" ".join(self.doc.text[ctx_start:ctx_end].split()),
                context_start=ctx_start,
                context_end=ctx_end,
                low=q.low if q else None,
                high=q.high if q else None,
                approximate=bool(q and q.approximate),
                scope=scope,
                note=note,
            )
        )


def _year_period(year: int | None) -> tuple[str, int | None, str, int | None]:
    return (str(year) if year else "okänt år", year, "år", None)


# --------------------------------------------------------------------------- indicator tables

_HEAD_START = re.compile(
    r"(?:KF:?s\s+indikatorer|Nämndens\s+indikatorer|Enhetens\s+indikatorer|Indikator(?:er)?)(?=\s|\t|$)", re.I
)
_COLS: list[tuple[str, re.Pattern[str]]] = [
    ("utfall_prev", re.compile(r"Perio\s?dens\s+utfall\s+VB\s*(\d{4})", re.I)),
    ("utfall", re.compile(r"Periodens\s+utfall", re.I)),
    ("män", re.compile(r"Utfall\s+män/\s*pojkar", re.I)),
    ("kvinnor", re.compile(r"Utfall\s+kvinn\s?or/\s*flick\s?o\s?r", re.I)),
    ("prognos", re.compile(r"Progno\s?s{1,2}\s+helår", re.I)),
    ("kf_årsmål", re.compile(r"KF:?s\s+årsmål(?:\s+år\s+(\d{4}))?", re.I)),
    ("årsmål", re.compile(r"Årsmål", re.I)),
    ("period", re.compile(r"Period(?:icitet)?", re.I)),
]
_PERIOD_END = re.compile(r"(?:^|[\s\t])(VB\s*(?:19|20)\d\d|(?:19|20)\d\d|År|Tertial|Halvår|Kvartal|Månad)\s*$")
_TEXT_TARGET = re.compile(r"tas\s+fram\s+av\s+(?:nämnden|nämnd/\s*styrelse|nämnd)|tas\s+fram\s+av", re.I)
_VALUE_TAIL = re.compile(
    r"(?:^|(?<=[\s\t]))("
    r"\+/-\s?\d+(?:[,.]\d+)?\s?%"
    r"|[-−]?\d{1,3}(?:\s\d{3})*(?:[,.]\d+)?\s?%"
    r"|[-−]?\d+(?:[,.]\d+)?"
    r"|[Tt]as\s+fram\s+av\s+(?:nämnden|nämnd/\s*styrelse)"
    r"|[Tt]as\s+fram\s+av"
    r")[\s\t]*$"
)
# The columns a flattened row fills first when it has fewer values than columns.
_PRIORITY = ["utfall", "årsmål", "kf_årsmål", "utfall_prev", "män", "kvinnor", "prognos"]
_ANALYSIS_START = re.compile(r"^(?:Analys|Kommentar)\b:?\s*", re.I)
_PLAN_PERIODS = {"år", "tertial", "halvår", "kvartal", "månad"}


@dataclass(frozen=True)
class TableRow:
    """A parsed indicator-table row (exposed for tests and the UI)."""

    label: str
    label_start: int
    cells: dict[str, tuple[str, int, int]]  # column -> (written, start, end) in Document.text
    period: str
    row_start: int
    row_end: int
    analysis: tuple[int, int] | None
    note: str = ""


def _parse_header(text: str, pos: int, continued: bool = False) -> tuple[list[str], dict[str, int], int]:
    """Columns of a header starting at ``pos``; returns (columns, years, end offset).

    ``continued``: the line goes on a header that wrapped ("… VB 2013" / "Årsmål KF:s årsmål Period").
    """
    cols: list[str] = []
    years: dict[str, int] = {}
    if continued:
        i = pos
    else:
        m = _HEAD_START.match(text, pos)
        assert m
        i = m.end()
    while True:
        ws = re.match(r"[ \t]*", text[i:])
        j = i + (ws.end() if ws else 0)
        for name, pattern in _COLS:
            cm = pattern.match(text, j)
            if cm:
                cols.append(name)
                if cm.lastindex and cm.group(1):
                    years[name] = int(cm.group(1))
                i = cm.end()
                break
        else:
            return cols, years, i


def parse_indicator_table(doc: Document, start: int, end: int) -> list[TableRow]:
    """Rows of the indicator tables inside doc.text[start:end] (one table block)."""
    text = doc.text
    rows: list[TableRow] = []
    cols: list[str] = []
    years: dict[str, int] = {}
    tabbed = False
    pending_label: list[tuple[int, int]] = []  # label pieces of a row wrapped onto lines
    analysis_for: int | None = None  # index into rows
    analysis_start: int | None = None

    def close_analysis(at: int) -> None:
        nonlocal analysis_for, analysis_start
        if analysis_for is not None and analysis_start is not None and at > analysis_start:
            r = rows[analysis_for]
            a0 = analysis_start
            rows[analysis_for] = replace(r, analysis=(a0, at))
        analysis_for = None
        analysis_start = None

    pos = start
    last_header = False
    prev_line: tuple[int, int] | None = None
    for line in text[start:end].split("\n"):
        ls, le = pos, pos + len(line)
        pos = le + 1
        body_start = ls
        is_head = bool(_HEAD_START.match(text, ls)) and "Startdatum" not in line
        continued = not is_head and last_header and any(p.match(text, ls) for _, p in _COLS)
        last_header = False
        if is_head or continued:
            hcols, hyears, hend = _parse_header(text, ls, continued)
            last_header = True
            if hcols and not cols:
                cols, years = hcols, hyears
            elif hcols and cols and hcols != cols and set(hcols) - set(cols):
                cols, years = hcols, hyears
            if hcols:
                tabbed = "\t" in line[: hend - ls]
                body_start = hend
                rest = text[hend:le].strip(" \t")
                if not rest:
                    continue
                if (tabbed or continued) and "\t" not in rest:
                    # A cell's tail wrapped past a repeated header ("nämnden Analys …").
                    last_header = False
                    am = re.search(r"\b(?:Analys|Kommentar)\b", rest)
                    if am and rows and not continued:
                        close_analysis(ls)
                        analysis_for = len(rows) - 1
                        analysis_start = hend + (len(text[hend:le]) - len(text[hend:le].lstrip(" \t"))) + am.start()
                    elif am and rows:
                        # "genomfördes (IoF) Analys …": the label's tail, then the analysis.
                        r = rows[-1]
                        tail = rest[: am.start()].strip()
                        if tail:
                            rows[-1] = replace(r, label=f"{r.label} {tail}")
                        close_analysis(ls)
                        analysis_for = len(rows) - 1
                        analysis_start = hend + (len(text[hend:le]) - len(text[hend:le].lstrip(" \t"))) + am.start()
                        close_analysis(ls)
                        analysis_for = len(rows) - 1
                        analysis_start = hend + (len(text[hend:le]) - len(text[hend:le].lstrip(" \t"))) + am.start()
                    continue
                body_start = le - len(text[hend:le].lstrip(" \t"))
        elif (
            re.match(r"^\s*(?:Aktivitet|Nämndens aktiviteter|Enhetens aktiviteter|Insats|Beloppen)\b", line)
            and "Indikator" not in line
        ):
            close_analysis(ls)
            cols = []
            continue
        if not cols:
            continue
        body = text[body_start:le]
        if not body.strip():
            continue
        # Analysis text belongs to the row above it.
        if _ANALYSIS_START.match(body.strip()):
            close_analysis(ls)
            if rows:
                analysis_for = len(rows) - 1
                analysis_start = body_start + len(body) - len(body.lstrip())
            continue
        if "period" in cols and cols[-1] == "period" and years.get("kf_årsmål") and "utfall" not in cols:
            # Plan tables ("Indikator Årsmål KF:s årsmål år 2025 Periodicitet"): rows may share a line.
            close_analysis(ls)
            for seg_start, seg_end in _split_plan_rows(text, body_start, le):
                row = _parse_row(doc, seg_start, seg_end, cols, years, tabbed=False, pending=[])
                if row:
                    rows.append(row)
            continue
        row = _parse_row(doc, body_start, le, cols, years, tabbed, pending_label)
        if row is not None and row.label == "" and prev_line is not None:
            # Values on their own line: the label is the line above (it ended with a full stop).
            if analysis_for is not None and analysis_start is not None and prev_line[0] >= analysis_start:
                close_analysis(prev_line[0])
            row = _parse_row(doc, body_start, le, cols, years, tabbed, [prev_line])
        prev_line = (body_start, le)
        if row is None or row.label == "":
            tail_m = re.match(r"^([a-zåäö(][^\t]{0,80}?)\s+(?:Analys|Kommentar)\b", body.strip())
            if tail_m and rows and (analysis_for is None or analysis_for == len(rows) - 1):
                # "genomfördes (IoF) Analys …": the label's tail wrapped past a repeated header.
                close_analysis(ls)
                r = rows[-1]
                rows[-1] = replace(r, label=f"{r.label} {tail_m.group(1)}")
                analysis_for = len(rows) - 1
                analysis_start = body_start + (len(body) - len(body.lstrip())) + tail_m.end(1) + 1
                continue
            if analysis_for is not None:
                continue  # analysis goes on
            if tabbed and rows and "\t" not in body:
                # The tail of the previous row's label ("… och\nkonsekvenser av detta …").
                r = rows[-1]
                rows[-1] = replace(r, label=f"{r.label} {body.strip()}")
                continue
            pending_label.append((body_start, le))
            continue
        close_analysis(ls)
        pending_label = []
        rows.append(row)
    close_analysis(end)
    return rows


def _split_plan_rows(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    s = start
    for m in re.finditer(r"(?<=\s)(År|Tertial|Halvår|Kvartal|Månad)\b", text[start:end]):
        e = start + m.end()
        out.append((s, e))
        s = e
        while s < end and text[s] in " \t":
            s += 1
    return out


def _raw_gap(doc: Document, clean_prev_end: int, clean_start: int) -> bool:
    """Did the source have an empty cell between two cleaned-text positions?

    Flattened tables lost their cell borders, but the PDF-to-text layout kept
    two or more spaces (or an indented value line) where a cell was empty.
    """
    if clean_prev_end <= 0 or clean_start <= clean_prev_end:
        return False
    a = doc.source_offset(clean_prev_end - 1) + 1
    b = doc.source_offset(clean_start)
    raw = doc.source_text[a:b]
    if "\n" in raw:
        return "  " in raw.rsplit("\n", 1)[1]
    return "  " in raw


def _parse_row(
    doc: Document,
    start: int,
    end: int,
    cols: list[str],
    years: dict[str, int],
    tabbed: bool,
    pending: list[tuple[int, int]],
) -> TableRow | None:
    text = doc.text
    line = text[start:end]
    value_cols = [c for c in cols if c != "period"]
    if tabbed and "\t" in line:
        return _parse_tab_row(doc, start, end, cols, value_cols)
    pm = _PERIOD_END.search(line)
    if not pm:
        return None
    period = pm.group(1)
    p_start = start + pm.start(1)
    # Peel values off the end, right to left.
    tokens: list[tuple[str, int, int]] = []
    cut = start + pm.start(1)
    while len(tokens) < len(value_cols):
        seg = text[start:cut]
        vm = _VALUE_TAIL.search(seg)
        if not vm:
            break
        tokens.insert(0, (vm.group(1), start + vm.start(1), start + vm.end(1)))
        cut = start + vm.start(1)
    label_end = cut
    label_text = text[start:label_end].strip()
    if not tokens and not label_text:
        return None
    if pending:
        label_text = " ".join([text[a:b].strip() for a, b in pending] + [label_text]).strip()
    if not label_text and tokens:
        return TableRow("", start, {}, period, start, end, None)
    if not label_text or not re.search(r"[A-Za-zÅÄÖåäö]{3}", label_text):
        return None
    label_start = pending[0][0] if pending else start
    # Empty cells from the raw layout.
    cells: list[tuple[str, int, int] | None] = []
    prev_end = start + len(text[start:label_end].rstrip())
    for tok in tokens:
        if _raw_gap(doc, prev_end, tok[1]):
            cells.append(None)
        cells.append(tok)
        prev_end = tok[2]
    if tokens and _raw_gap(doc, prev_end, p_start):
        cells.append(None)
    assigned, note = _assign(cells, value_cols)
    return TableRow(label_text, label_start, assigned, period, label_start, end, None, note)


def _parse_tab_row(doc: Document, start: int, end: int, cols: list[str], value_cols: list[str]) -> TableRow | None:
    text = doc.text
    parts: list[tuple[str, int, int]] = []
    pos = start
    for cell in text[start:end].split("\t"):
        lead = len(cell) - len(cell.lstrip())
        parts.append((cell.strip(), pos + lead, pos + lead + len(cell.strip())))
        pos += len(cell) + 1
    label, label_start, _ = parts[0]
    period = parts[-1][0] if len(parts) > 1 else ""
    if not label or not _PERIOD_END.search(" " + period):
        return None
    middle = parts[1:-1]
    note = ""
    if len(middle) == len(value_cols):
        assigned = {c: m for c, m in zip(value_cols, middle, strict=True) if m[0]}
    else:
        filled: list[tuple[str, int, int] | None] = [m for m in middle if m[0]]
        assigned, note = _assign(filled, value_cols, force_infer=True)
    return TableRow(label, label_start, assigned, period, start, end, None, note)


def _assign(
    cells: list[tuple[str, int, int] | None], value_cols: list[str], force_infer: bool = False
) -> tuple[dict[str, tuple[str, int, int]], str]:
    """Place a row's cells (None = known empty) in its value columns."""
    if len(cells) == len(value_cols) and not force_infer:
        return {c: v for c, v in zip(value_cols, cells, strict=True) if v is not None}, ""
    if len(cells) < len(value_cols) and cells and cells[0] is None and not force_infer:
        # An indented first value: the leading columns are empty, align to the right.
        offset = len(value_cols) - len(cells)
        return {value_cols[offset + i]: v for i, v in enumerate(cells) if v is not None}, ""
    values = [v for v in cells if v is not None]
    note = "kolumnplacering härledd (tabellen saknar kolumngränser)"
    out: dict[str, tuple[str, int, int]] = {}
    free = list(value_cols)
    text_targets = [v for v in values if _TEXT_TARGET.fullmatch(v[0].strip())]
    for v in text_targets:
        if "kf_årsmål" in free:
            out["kf_årsmål"] = v
            free.remove("kf_årsmål")
    values = [v for v in values if v not in text_targets]
    if len(values) >= 2 and "årsmål" in free and "kf_årsmål" in free:
        a, b = parse_quantity(values[-2][0]), parse_quantity(values[-1][0])
        if a and b and a.value == b.value:
            out["årsmål"], out["kf_årsmål"] = values[-2], values[-1]
            free.remove("årsmål")
            free.remove("kf_årsmål")
            values = values[:-2]
    chosen = [c for c in _PRIORITY if c in free][: len(values)]
    chosen.sort(key=value_cols.index)
    for c, v in zip(chosen, values, strict=False):
        out[c] = v
    return out, note


def _period_of_row(period: str, report_year: int | None, plan_year: int | None) -> int | None:
    m = re.search(r"(19|20)\d\d", period)
    if m:
        return int(m.group(0))
    return plan_year or report_year


def _table_facts(ctx: _Ctx) -> None:
    doc = ctx.doc
    for block in doc.blocks:
        if block.kind != "table":
            continue
        if re.search(r"Beloppen anges i\s*TKr", doc.text[block.start : block.end], re.I):
            _economy_table(ctx, block.start, block.end)
            continue
        for row in parse_indicator_table(doc, block.start, block.end):
            d = match_indicator(row.label, ctx.defs)
            plan_year = None
            year = _period_of_row(row.period, doc.meta.year, plan_year)
            if row.period.strip().lower() in _PLAN_PERIODS:
                year = doc.meta.year
            ctx_span = (row.row_start, row.row_end)
            for col, (written, s, e) in row.cells.items():
                q = parse_quantity(written)
                if q is None and not _TEXT_TARGET.fullmatch(written.strip()):
                    continue
                kind = {"utfall_prev": "utfall", "män": "utfall", "kvinnor": "utfall"}.get(col, col)
                scope = {"män": "män/pojkar", "kvinnor": "kvinnor/flickor"}.get(col)
                quoted = col == "utfall_prev"
                py = year
                if quoted:
                    py = _prev_year_of(doc, row, year)
                unit = q.unit if q else d.unit
                if q is not None and q.unit is None and d.unit and d.unit != "%":
                    unit = d.unit
                ctx.add(
                    d,
                    row.label,
                    kind,
                    q,
                    written,
                    s,
                    e,
                    period=_year_period(py),
                    quoted=quoted,
                    source="tabell",
                    context=ctx_span,
                    scope=scope,
                    note=row.note,
                    unit=unit,
                )
            if row.analysis:
                _analysis_facts(ctx, d, row, year)


def _prev_year_of(doc: Document, row: TableRow, year: int | None) -> int | None:
    header = doc.text[max(0, row.row_start - 3000) : row.row_start]
    years = re.findall(r"utfall\s+VB\s*(\d{4})", header)
    if years:
        return int(years[-1])
    return year - 1 if year else None


def _economy_table(ctx: _Ctx, start: int, end: int) -> None:
    doc = ctx.doc
    head = doc.text[start:end]
    ym = re.search(r"Utfall i bokslut\s*((?:19|20)\d\d)", head)
    year = int(ym.group(1)) if ym else doc.meta.year
    pos = start
    for line in head.split("\n"):
        ls = pos
        pos += len(line) + 1
        if "\t" not in line:
            continue
        label, _, cell = line.partition("\t")
        d = match_indicator(label, ctx.defs)
        if not d.patterns:
            d = IndicatorDef(d.key, label.strip(), (), "tkr")
        q = parse_quantity(cell)
        if q is None:
            continue
        s = ls + len(label) + 1 + (len(cell) - len(cell.lstrip()))
        ctx.add(
            d,
            label,
            "utfall",
            q,
            cell.strip(),
            s,
            s + len(cell.strip()),
            period=_year_period(year),
            quoted=False,
            source="tabell",
            context=(ls, ls + len(line)),
            unit="tkr",
        )


# --------------------------------------------------------------------------- periods in sentences

_MONTHS = {
    "januari": 1,
    "februari": 2,
    "mars": 3,
    "april": 4,
    "maj": 5,
    "juni": 6,
    "juli": 7,
    "augusti": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
}
_MONTH_RE = re.compile(r"\b(" + "|".join(_MONTHS) + r")(?:\s+((?:19|20)\d\d))?\b", re.I)
_ROLLING = re.compile(
    r"rullande\s+(?:12|tolv)\s+månader|rullande\s+12\s+månaders|beräknat\s+på\s+(?:12|tolv)\s+månader", re.I
)
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_PREV_YEAR = re.compile(r"föregående\s+år|förra\s+året|året\s+innan", re.I)
# A figure in a sentence like these is about something else than the row's indicator.
_COMPARATOR = re.compile(
    r"staden\s+som\s+helhet|i\s+staden\b|genomsnitt|snitt\s+är|förvaltningens\s+snitt|stadsdelsförvaltningen\s+i\s+stort"
    r"|hela\s+staden|motsvarande\s+siffra\s+för\s+staden",
    re.I,
)
_SUBGROUP = re.compile(r"^\s*(?:inom|där\s+har|varav|av\s+dessa)\b|\binom\s+[a-zåäö/]+\s+har\b", re.I)
_MONTHNAMES_SV = {v: k for k, v in _MONTHS.items()}


def _sentences(text: str, base: int) -> Iterable[tuple[int, int]]:
    pos = 0
    for m in re.finditer(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9])|\n", text):
        if m.start() > pos:
            yield base + pos, base + m.start()
        pos = m.end()
    if pos < len(text):
        yield base + pos, base + len(text)


def _period_for(
    sentence: str, q_rel_start: int, q_rel_end: int, prev_end: int, report_year: int | None
) -> tuple[tuple[str, int | None, str, int | None], bool, bool]:
    """(period, quoted, explicit) for a figure inside ``sentence``.

    Looks at the stretch since the previous figure, and at the clause just
    after the figure ("5,46 % beräknat på 12 månader").
    """
    before = sentence[prev_end:q_rel_start]
    after = re.split(r"[,;%]", sentence[q_rel_end:], maxsplit=1)[0][:60]
    whole_before = sentence[:q_rel_start]
    rolling = bool(_ROLLING.search(before) or re.match(r"\s*(?:beräknat|räknat)\s+på\s+(?:12|tolv)\s+månader", after))
    month_m = None
    for m in _MONTH_RE.finditer(whole_before):
        month_m = m
    year = report_year
    quoted = False
    explicit = False
    years_before = [int(y) for y in _YEAR.findall(before)]
    if years_before:
        year = years_before[-1]
        explicit = True
    elif _PREV_YEAR.search(before) or _PREV_YEAR.search(after):
        year = (report_year - 1) if report_year else None
        explicit = True
    elif month_m and month_m.group(2):
        year = int(month_m.group(2))
    if year is not None and report_year is not None and year < report_year:
        quoted = True
    month = _MONTHS[month_m.group(1).lower()] if month_m else None
    if rolling:
        label = f"rullande 12 mån ({_MONTHNAMES_SV[month][:3]} {year})" if month else f"rullande 12 mån ({year})"
        return (label, year, "rullande 12 mån", month), quoted, True
    if month_m and month_m.end() <= q_rel_start and (not years_before or month_m.start() >= prev_end):
        if month_m.start() >= prev_end or not re.search(r"\d", sentence[month_m.end() : q_rel_start]):
            return (f"{month_m.group(1).lower()} {year}", year, "månad", month), quoted, True
    return _year_period(year), quoted, explicit


# --------------------------------------------------------------------------- analysis under a row


def _analysis_facts(ctx: _Ctx, d: IndicatorDef, row: TableRow, year: int | None) -> None:
    doc = ctx.doc
    assert row.analysis
    a0, a1 = row.analysis
    row_unit = None
    for written, _, _ in row.cells.values():
        q = parse_quantity(written)
        if q:
            row_unit = q.unit
            break
    if row_unit is None and d.unit == "%":
        row_unit = "%"
    restated = False
    text = doc.text[a0:a1]
    # "6228=2,39": figures per sub-unit (cost centre).
    for m in re.finditer(r"(?:Enhet\s+)?(\d{4})\s*=\s*(\d+(?:,\d+)?)", text):
        q = parse_quantity(m.group(2))
        if q is None:
            continue
        s = a0 + m.start(2)
        ctx.add(
            d,
            row.label,
            "utfall",
            replace(q, unit=row_unit),
            m.group(2),
            s,
            s + len(m.group(2)),
            period=_year_period(year),
            quoted=False,
            source="text",
            context=(a0 + m.start(), a0 + m.end()),
            scope=f"enhet {m.group(1)}",
            unit=row_unit,
        )
    for s0, s1 in _sentences(text, a0):
        sentence = doc.text[s0:s1]
        prev_end = 0
        for q in find_quantities(sentence):
            rel_s, rel_e = q.start, q.end
            if q.unit != row_unit or (q.unit is None and "=" in sentence[max(0, rel_s - 1) : rel_s]):
                continue
            if q.unit is None and (q.low is not None or not re.search(r"\b(?:AMI|index)\b", sentence, re.I)):
                continue
            clause = sentence[prev_end:rel_e]
            period, quoted, _explicit = _period_for(sentence, rel_s, rel_e, prev_end, doc.meta.year)
            if _COMPARATOR.search(clause) or _COMPARATOR.search(sentence[rel_e : rel_e + 40].split(".")[0]):
                prev_end = rel_e
                continue
            if _SUBGROUP.search(clause) or re.search(r"\bdär\s+har\b|\binom\s+\w+(?:\s+\w+)?\s+har\b", clause):
                prev_end = rel_e
                continue
            if period[2] == "år" and not quoted:
                if restated:
                    prev_end = rel_e
                    continue
                restated = True
            ctx.add(
                d,
                row.label,
                "utfall",
                q,
                q.written,
                s0 + rel_s,
                s0 + rel_e,
                period=period,
                quoted=quoted,
                source="text",
                context=(s0, s1),
            )
            prev_end = rel_e


# --------------------------------------------------------------------------- prose


def _def(key: str, defs: Sequence[IndicatorDef]) -> IndicatorDef:
    for d in defs:
        if d.key == key:
            return d
    raise KeyError(key)


_TARGET_CUE = re.compile(
    r"\b(?:ska|skall)\s+(?:\w+\s+)?(?:minska|öka|uppgå|sjunka)\s+till|\b(?:minskar|ökar|sjunker)\s+till|\bmålet\s+är",
    re.I,
)


def _prose_facts(ctx: _Ctx) -> None:
    doc = ctx.doc
    defs = ctx.defs
    for block in doc.blocks:
        if block.kind != "paragraph":
            continue
        for s0, s1 in _sentences(doc.text[block.start : block.end], block.start):
            sentence = doc.text[s0:s1]
            _sick_leave_sentence(ctx, _def("sjukfranvaro", defs), sentence, s0, s1)
            _ami_sentence(ctx, _def("ami", defs), sentence, s0, s1)
            _result_sentence(ctx, _def("resultat", defs), sentence, s0, s1, block.start)
            _count_sentence(ctx, defs, sentence, s0, s1)


def _sick_leave_sentence(ctx: _Ctx, d: IndicatorDef, sentence: str, s0: int, s1: int) -> None:
    m = re.search(r"sjukfrånvaro(?!\w*\s+dag\s*1)", sentence, re.I)
    if not m:
        return
    prev_end = 0
    target = ctx.doc.meta.type == "verksamhetsplan" or bool(_TARGET_CUE.search(sentence))
    for q in find_quantities(sentence):
        if q.unit != "%":
            continue
        if q.start < m.start():
            prev_end = q.end
            continue
        period, quoted, _ = _period_for(sentence, q.start, q.end, prev_end, ctx.doc.meta.year)
        ctx.add(
            d,
            sentence[m.start() : m.end()],
            "årsmål" if target else "utfall",
            q,
            q.written,
            s0 + q.start,
            s0 + q.end,
            period=period,
            quoted=quoted,
            source="text",
            context=(s0, s1),
        )
        prev_end = q.end


def _ami_sentence(ctx: _Ctx, d: IndicatorDef, sentence: str, s0: int, s1: int) -> None:
    for m in re.finditer(
        r"(?:\bAMI|medskapandeindex)(?:\s+AMI)?\s+(?:på\s+|var\s+|blev\s+)?(\d{2,3})\b", sentence, re.I
    ):
        q = parse_quantity(m.group(1))
        if q is None:
            continue
        ctx.add(
            d,
            "AMI",
            "utfall",
            q,
            m.group(1),
            s0 + m.start(1),
            s0 + m.end(1),
            period=_year_period(ctx.doc.meta.year),
            quoted=False,
            source="text",
            context=(s0, s1),
        )


def _scope_of(ctx: _Ctx, sentence: str, block_start: int) -> str | None:
    m = re.search(r"\binom\s+(socialpsykiatri\w*|funktionsnedsättning\w*)", sentence, re.I)
    if m:
        return _scope_key(m.group(1))
    prev = None
    for b in ctx.doc.blocks:
        if b.start >= block_start:
            break
        prev = b
    if prev is not None and prev.kind == "heading" and prev.level < 0:
        return _scope_key(ctx.doc.text[prev.start : prev.end])
    first = re.match(
        r"^(Funktionsnedsättning|Socialpsykiatri)\s+[A-ZÅÄÖ]", ctx.doc.text[block_start : block_start + 40]
    )
    return _scope_key(first.group(1)) if first else None


def _scope_key(text: str) -> str:
    t = text.strip().lower()
    return (
        "socialpsykiatri" if t.startswith("socialpsyk") else "funktionsnedsättning" if t.startswith("funktionsn") else t
    )


def _result_sentence(ctx: _Ctx, d: IndicatorDef, sentence: str, s0: int, s1: int, block_start: int) -> None:
    for m in re.finditer(r"(underskott|överskott)\s+(?:\w+\s+){0,3}?(?:med|om|på)\s+", sentence, re.I):
        qs = [q for q in find_quantities(sentence[m.end() :]) if q.unit in ("mnkr", "tkr")]
        if not qs or qs[0].start > 2:
            continue
        q = qs[0]
        sign = -1 if m.group(1).lower() == "underskott" else 1
        q = replace(q, value=sign * q.value)
        a = s0 + m.end() + q.start
        ctx.add(
            d,
            m.group(1).lower(),
            "utfall",
            q,
            q.written,
            a,
            a + len(q.written),
            period=_year_period(ctx.doc.meta.year),
            quoted=False,
            source="text",
            context=(s0, s1),
            scope=_scope_of(ctx, sentence, block_start),
        )


_COUNT_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("antal_brukare", re.compile(r"antal(?:et)?\s+brukare\s+(?:är|var|uppgår\s+till)\s+(?P<q>[^.]{1,25})", re.I)),
    (
        "antal_brukare",
        re.compile(r"\b(?:enheten|vi)\s+har\s+(?P<q>(?:c:a|ca|cirka|drygt|omkring)\s+\d+\s+brukare)", re.I),
    ),
    (
        "antal_medarbetare",
        re.compile(r"(?P<q>(?:c:a|ca|cirka|drygt|omkring)\s+\d+\s+medarbetare)", re.I),
    ),
    ("antal_medarbetare", re.compile(r"(?P<q>mellan\s+\d+\s*-\s*\d+\s+personer)\s+engagerade", re.I)),
    ("antal_klagomal", re.compile(r"(?P<q>\d+)\s+dokumenterade\s+klagomål", re.I)),
    ("antal_klagomal", re.compile(r"klagomål\s+och\s+synpunkter\s+i\s+(?P<q>\w+)\s+ärenden", re.I)),
    ("antal_klagomal", re.compile(r"inte\s+inkommit\s+(?P<q>några)\s+klagomål", re.I)),
    ("kostnad_taxi", re.compile(r"taxiresor\s+som\s+uppgår\s+till\s+totalt\s+(?P<q>[\d ]+kronor)", re.I)),
    ("kostnad_taxi", re.compile(r"taxiresor.*?\((?P<q>[\d ]+kronor)\s+(?P<y>(?:19|20)\d\d)\)", re.I)),
]


def _count_sentence(ctx: _Ctx, defs: Sequence[IndicatorDef], sentence: str, s0: int, s1: int) -> None:
    for key, pattern in _COUNT_RULES:
        d = _def(key, defs)
        for m in pattern.finditer(sentence):
            raw = m.group("q")
            if raw.lower() == "några":
                q: Quantity | None = Quantity("inga", 0.0, d.unit)
            else:
                found = find_quantities(raw)
                if not found:
                    value = parse_number(raw)
                    q = Quantity(raw, value, d.unit) if value is not None else None
                else:
                    q = found[0]
                    raw = q.written
            if q is None:
                continue
            rel = m.start("q") + (m.group("q").find(raw) if raw in m.group("q") else 0)
            year = int(m.group("y")) if "y" in pattern.groupindex and m.group("y") else ctx.doc.meta.year
            quoted = bool(year and ctx.doc.meta.year and year < ctx.doc.meta.year)
            ctx.add(
                d,
                d.name.lower(),
                "utfall",
                replace(q, unit=d.unit),
                raw,
                s0 + rel,
                s0 + rel + len(raw),
                period=_year_period(year),
                quoted=quoted,
                source="text",
                context=(s0, s1),
                unit=d.unit,
            )


# --------------------------------------------------------------------------- public API


def extract_facts(docs: Iterable[Document], extra: Sequence[IndicatorDef] = ()) -> list[Fact]:
    """Every figure the reports state, from indicator tables, their analyses and prose."""
    defs = [*extra, *INDICATORS]
    facts: list[Fact] = []
    for doc in docs:
        ctx = _Ctx(doc, defs)
        _table_facts(ctx)
        _prose_facts(ctx)
        facts.extend(sorted(ctx.facts, key=lambda f: f.start))
    return facts


def known_indicators(facts: Iterable[Fact]) -> list[tuple[str, str, int]]:
    """(key, display name, number of facts) for every indicator with facts, by name."""
    counts: dict[str, tuple[str, int]] = {}
    for f in facts:
        name, n = counts.get(f.indicator, (f.indicator_name, 0))
        counts[f.indicator] = (name, n + 1)
    return sorted(((k, n, c) for k, (n, c) in counts.items()), key=lambda x: x[1].lower())


def find_indicator(facts: Sequence[Fact], query: str) -> str:
    """The indicator key a user means by ``query`` (key, name or a wording from a report)."""
    q = _fold(query)
    keys = {f.indicator for f in facts}
    if q in keys:
        return q
    for key, name, _ in known_indicators(facts):
        if _fold(name) == q:
            return key
    d = match_indicator(query)
    if d.key in keys:
        return d.key
    candidates = [k for k, name, _ in known_indicators(facts) if q in _fold(name) or q in k]
    if len(candidates) == 1:
        return candidates[0]
    known = "\n".join(f"  {name} ({key})" for key, name, _ in known_indicators(facts))
    if len(candidates) > 1:
        raise AssistantError(
            f"'{query}' kan betyda flera indikatorer: {', '.join(candidates)}. Skriv nyckeln. "
            f"Kända indikatorer:\n{known}"
        )
    raise AssistantError(f"Hittar ingen indikator '{query}'. Kända indikatorer:\n{known}")


@dataclass(frozen=True)
class SeriesPoint:
    """One value of an indicator for one period, with the fact it comes from."""

    year: int | None
    value: float | None
    kind: str
    fact: Fact

    def to_json(self) -> dict[str, Any]:
        return {"year": self.year, "value": self.value, "kind": self.kind, "fact": self.fact.to_json()}


def series(facts: Iterable[Fact], indicator: str, unit: str | None = None) -> list[SeriesPoint]:
    """All facts of one indicator, year by year (``unit`` filters on the reporting unit)."""
    chosen = [
        f
        for f in facts
        if f.indicator == indicator
        and (unit is None or (f.org_unit or "").lower() == unit.lower() or unit.lower() in (f.org_unit or "").lower())
    ]
    order = {"utfall": 0, "prognos": 1, "årsmål": 2, "kf_årsmål": 3}
    chosen.sort(
        key=lambda f: (
            f.period_year or 0,
            order.get(f.kind, 9),
            f.scope or "",
            f.period_type != "år",
            f.quoted,
            f.source != "tabell",
            f.report_id,
            f.start,
        )
    )
    points: list[SeriesPoint] = []
    seen: set[tuple[Any, ...]] = set()
    for f in chosen:
        # The same figure restated elsewhere in the same report is one point.
        key = (f.report_id, f.kind, f.scope, f.period, f.value, f.quoted)
        if key in seen:
            continue
        seen.add(key)
        points.append(SeriesPoint(f.period_year, f.value, f.kind, f))
    return points


def plot_series(points: Sequence[SeriesPoint], path: Path | str, title: str | None = None) -> Path:
    """A line chart of outcomes with targets beside them, written to ``path`` (PNG)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - matplotlib is a dependency here
        from ..errors import DependencyMissingError

        raise DependencyMissingError("matplotlib", purpose="diagram") from exc
    path = Path(path)
    if not points:
        raise AssistantError("Det finns inga värden att rita.")
    fig, ax = plt.subplots(figsize=(8, 4.5))
    styles = {
        "utfall": ("o-", "Utfall"),
        "årsmål": ("s--", "Årsmål"),
        "kf_årsmål": ("^:", "KF:s årsmål"),
        "prognos": ("d-.", "Prognos helår"),
    }
    units = {p.fact.unit for p in points if p.value is not None}
    for kind, (style, label) in styles.items():
        best: dict[int, float] = {}
        for p in points:
            if (
                p.kind == kind
                and p.value is not None
                and p.year
                and p.fact.scope is None
                and p.fact.period_type in ("år", "rullande 12 mån")
            ):
                best.setdefault(p.year, p.value)
        if best:
            xs = sorted(best)
            ax.plot(xs, [best[x] for x in xs], style, label=label)
            for x in xs:
                ax.annotate(
                    format_value(best[x]),
                    (x, best[x]),
                    textcoords="offset points",
                    xytext=(0, 6),
                    ha="center",
                    fontsize=8,
                )
    ax.set_xlabel("År")
    unit_label = ", ".join(sorted(u for u in units if u)) or "värde"
    ax.set_ylabel(f"Värde ({unit_label})")
    ax.set_title(title or points[0].fact.indicator_name)
    ax.grid(True, alpha=0.3)
    years = sorted({p.year for p in points if p.year})
    if years:
        ax.set_xticks(years)
    ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path

"""Indicator tables → rows: label, value cells by column, period, and the analysis under the row.

Tables that kept their tabs (VB 2018) map cell by cell. Tables flattened to
spaces need inference: the raw source tells where a cell was empty (two or more
spaces, or an indented value line), "tas fram av nämnden" is always the KF
target cell, two equal trailing values are the two targets, and any remaining
values fill the columns a report fills most often (outcome, target, KF target,
last year's outcome, …). A row placed by inference carries a ``note``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ...documents import Document
from ..figures import parse_quantity
from .periods import PREVIOUS_YEAR

__all__ = ["PLAN_PERIODS", "TableRow", "is_text_target", "parse_indicator_table"]

_HEAD_START = re.compile(
    r"(?:KF:?s\s+indikatorer|Nämndens\s+indikatorer|Enhetens\s+indikatorer|Indikator(?:er)?)(?=\s|\t|$)", re.I
)
_COLS: list[tuple[str, re.Pattern[str]]] = [
    ("utfall_prev", re.compile(r"Perio\s?dens\s+utfall\s+VB\s*(\d{4})", re.I)),
    # "Utfall föregående år": an outcome column with the previous-year words of a sentence.
    ("utfall_prev", re.compile(r"(?:Perio\s?dens\s+)?utfall\s+(?:" + PREVIOUS_YEAR.pattern + ")", re.I)),
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
_ANALYSIS_WORD = re.compile(r"\b(?:Analys|Kommentar)\b")
# "genomfördes (IoF) Analys …": the tail of a label that wrapped past a repeated header.
_LABEL_TAIL = re.compile(r"^([a-zåäö(][^\t]{0,80}?)\s+(?:Analys|Kommentar)\b")
# A table of activities (not indicators) ends the indicator table.
_OTHER_TABLE = re.compile(r"^\s*(?:Aktivitet|Nämndens aktiviteter|Enhetens aktiviteter|Insats|Beloppen)\b")
#: The period column of a plan says how often, not which year.
PLAN_PERIODS = {"år", "tertial", "halvår", "kvartal", "månad"}

Cell = tuple[str, int, int]  # (written, start, end) in Document.text


@dataclass(frozen=True)
class TableRow:
    """A parsed indicator-table row (exposed for tests and the UI)."""

    label: str
    label_start: int
    cells: dict[str, Cell]  # column -> (written, start, end) in Document.text
    period: str
    row_start: int
    row_end: int
    analysis: tuple[int, int] | None
    note: str = ""


def is_text_target(written: str) -> bool:
    """A target stated in words ("tas fram av nämnden"): a cell with no figure that still is a fact."""
    return bool(_TEXT_TARGET.fullmatch(written.strip()))


def parse_indicator_table(doc: Document, start: int, end: int) -> list[TableRow]:
    """Rows of the indicator tables inside doc.text[start:end] (one table block)."""
    return _TableParser(doc).parse(start, end)


class _TableParser:
    """One pass over a table block, line by line: headers, rows, wrapped labels and analyses."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.text = doc.text
        self.rows: list[TableRow] = []
        self.cols: list[str] = []
        self.years: dict[str, int] = {}
        self.tabbed = False
        self.pending: list[tuple[int, int]] = []  # label pieces of a row wrapped onto lines
        self.analysis_for: int | None = None  # index into rows
        self.analysis_start: int | None = None
        self.last_header = False
        self.prev_line: tuple[int, int] | None = None
        self.header_end = -1  # a header that wrapped over lines ends here

    def parse(self, start: int, end: int) -> list[TableRow]:
        pos = start
        for line in self.text[start:end].split("\n"):
            ls, le = pos, pos + len(line)
            pos = le + 1
            if le <= self.header_end:
                continue  # a wrapped header's middle line, read with the header
            if ls < self.header_end:
                rest = self.text[self.header_end : le]
                ls = le - len(rest.lstrip(" \t"))  # the first row, after the header's last line
                line = self.text[ls:le]
                if not line.strip():
                    continue
            self._line(line, ls, le)
        self._close_analysis(end)
        return self.rows

    # ------------------------------------------------------------------ analysis under a row
    def _close_analysis(self, at: int) -> None:
        if self.analysis_for is not None and self.analysis_start is not None and at > self.analysis_start:
            r = self.rows[self.analysis_for]
            self.rows[self.analysis_for] = replace(r, analysis=(self.analysis_start, at))
        self.analysis_for = None
        self.analysis_start = None

    def _open_analysis(self, close_at: int, start: int) -> None:
        """The analysis of the last row starts at ``start`` (an open one closes at ``close_at``)."""
        self._close_analysis(close_at)
        if self.rows:
            self.analysis_for = len(self.rows) - 1
            self.analysis_start = start

    def _extend_label(self, tail: str) -> None:
        r = self.rows[-1]
        self.rows[-1] = replace(r, label=f"{r.label} {tail}")

    # ------------------------------------------------------------------ lines
    def _line(self, line: str, ls: int, le: int) -> None:
        body_start = self._header(line, ls, le)
        if body_start is None or not self.cols:
            return
        body = self.text[body_start:le]
        if not body.strip():
            return
        if _ANALYSIS_START.match(body.strip()):
            # Analysis text belongs to the row above it.
            self._open_analysis(ls, body_start + len(body) - len(body.lstrip()))
            return
        cols, years = self.cols, self.years
        if "period" in cols and cols[-1] == "period" and years.get("kf_årsmål") and "utfall" not in cols:
            # Plan tables ("Indikator Årsmål KF:s årsmål år 2025 Periodicitet"): rows may share a line.
            self._close_analysis(ls)
            for seg_start, seg_end in _split_plan_rows(self.text, body_start, le):
                row = _parse_row(self.doc, seg_start, seg_end, cols, years, tabbed=False, pending=[])
                if row is not None:
                    self.rows.append(row)
            return
        self._body(body, body_start, ls, le)

    def _header(self, line: str, ls: int, le: int) -> int | None:
        """Where the line's row text starts after any header on it; None when nothing is left to read."""
        text = self.text
        is_head = bool(_HEAD_START.match(text, ls)) and "Startdatum" not in line
        continued = not is_head and self.last_header and any(p.match(text, ls) for _, p in _COLS)
        self.last_header = False
        if not (is_head or continued):
            if _OTHER_TABLE.match(line) and "Indikator" not in line:
                self._close_analysis(ls)
                self.cols = []
                return None
            return ls
        hcols, hyears, hend = _parse_header(text, ls, continued)
        self.last_header = True
        if hend > le:
            self.header_end = hend  # the header's cells went on over the next lines
        if hcols and (not self.cols or (hcols != self.cols and set(hcols) - set(self.cols))):
            self.cols, self.years = hcols, hyears
        if not hcols:
            return ls
        self.tabbed = "\t" in line[: hend - ls]
        rest = text[hend:le].strip(" \t")
        if not rest or hend > le:
            return None
        if (self.tabbed or continued) and "\t" not in rest:
            self._header_tail(rest, hend, ls, le, continued)
            return None
        return le - len(text[hend:le].lstrip(" \t"))

    def _header_tail(self, rest: str, hend: int, ls: int, le: int, continued: bool) -> None:
        """A cell's tail wrapped past a repeated header ("nämnden Analys …")."""
        self.last_header = False
        am = _ANALYSIS_WORD.search(rest)
        if not am or not self.rows:
            return
        if continued:
            # "genomfördes (IoF) Analys …": the label's tail, then the analysis.
            tail = rest[: am.start()].strip()
            if tail:
                self._extend_label(tail)
        after = self.text[hend:le]
        self._open_analysis(ls, hend + (len(after) - len(after.lstrip(" \t"))) + am.start())

    def _body(self, body: str, body_start: int, ls: int, le: int) -> None:
        doc, cols, years, tabbed = self.doc, self.cols, self.years, self.tabbed
        row = _parse_row(doc, body_start, le, cols, years, tabbed, self.pending)
        if row is not None and row.label == "" and self.prev_line is not None:
            # Values on their own line: the label is the line above (it ended with a full stop).
            prev = self.prev_line
            if self.analysis_for is not None and self.analysis_start is not None and prev[0] >= self.analysis_start:
                self._close_analysis(prev[0])
            row = _parse_row(doc, body_start, le, cols, years, tabbed, [prev])
        self.prev_line = (body_start, le)
        if row is None or row.label == "":
            self._not_a_row(body, body_start, ls, le)
            return
        self._close_analysis(ls)
        self.pending = []
        self.rows.append(row)

    def _not_a_row(self, body: str, body_start: int, ls: int, le: int) -> None:
        """A line without a row of its own: a label's tail, analysis text, or the start of a wrapped label."""
        tail_m = _LABEL_TAIL.match(body.strip())
        if tail_m and self.rows and (self.analysis_for is None or self.analysis_for == len(self.rows) - 1):
            # "genomfördes (IoF) Analys …": the label's tail wrapped past a repeated header.
            self._close_analysis(ls)
            self._extend_label(tail_m.group(1))
            self._open_analysis(ls, body_start + (len(body) - len(body.lstrip())) + tail_m.end(1) + 1)
            return
        if self.analysis_for is not None:
            return  # analysis goes on
        if self.tabbed and self.rows and "\t" not in body:
            # The tail of the previous row's label ("… och\nkonsekvenser av detta …").
            self._extend_label(body.strip())
            return
        self.pending.append((body_start, le))


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
        ws = re.match(r"[ \t]*(?:\n[ \t]*)?", text[i:])  # a cell may wrap onto the next line
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
    tokens, label_end = _peel_values(text, start, p_start, len(value_cols))
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
    cells = _cells_with_gaps(doc, start + len(text[start:label_end].rstrip()), tokens, p_start)
    assigned, note = _assign(cells, value_cols)
    return TableRow(label_text, label_start, assigned, period, label_start, end, None, note)


def _peel_values(text: str, start: int, cut: int, most: int) -> tuple[list[Cell], int]:
    """Values peeled off the end of ``text[start:cut]``, right to left (at most ``most``); and where the label ends."""
    tokens: list[Cell] = []
    while len(tokens) < most:
        seg = text[start:cut]
        vm = _VALUE_TAIL.search(seg)
        if not vm:
            break
        tokens.insert(0, (vm.group(1), start + vm.start(1), start + vm.end(1)))
        cut = start + vm.start(1)
    return tokens, cut


def _cells_with_gaps(doc: Document, label_end: int, tokens: list[Cell], period_start: int) -> list[Cell | None]:
    """The row's values with a None wherever the raw layout shows an empty cell."""
    cells: list[Cell | None] = []
    prev_end = label_end
    for tok in tokens:
        if _raw_gap(doc, prev_end, tok[1]):
            cells.append(None)
        cells.append(tok)
        prev_end = tok[2]
    if tokens and _raw_gap(doc, prev_end, period_start):
        cells.append(None)
    return cells


def _parse_tab_row(doc: Document, start: int, end: int, cols: list[str], value_cols: list[str]) -> TableRow | None:
    text = doc.text
    parts: list[Cell] = []
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
        filled: list[Cell | None] = [m for m in middle if m[0]]
        assigned, note = _assign(filled, value_cols, force_infer=True)
    return TableRow(label, label_start, assigned, period, start, end, None, note)


def _assign(cells: list[Cell | None], value_cols: list[str], force_infer: bool = False) -> tuple[dict[str, Cell], str]:
    """Place a row's cells (None = known empty) in its value columns."""
    if len(cells) == len(value_cols) and not force_infer:
        return {c: v for c, v in zip(value_cols, cells, strict=True) if v is not None}, ""
    if len(cells) < len(value_cols) and cells and cells[0] is None and not force_infer:
        # An indented first value: the leading columns are empty, align to the right.
        offset = len(value_cols) - len(cells)
        return {value_cols[offset + i]: v for i, v in enumerate(cells) if v is not None}, ""
    values = [v for v in cells if v is not None]
    note = "kolumnplacering härledd (tabellen saknar kolumngränser)"
    out: dict[str, Cell] = {}
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

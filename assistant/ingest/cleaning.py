"""From extracted report text to clean, structured text.

What happens here, in order:

1. the source is split into lines, each remembering its offset and page;
2. running page headers and footers ("SID 7 (12)", "Tjänsteutlåtande",
   "start.stockholm", "stockholm.se", a repeated title line, a table of
   contents) are dropped; "Sid N (M)" markers become page boundaries;
3. lines are classified: goal-hierarchy labels (KF:s inriktningsmål → KF:s mål
   för verksamhetsområdet → Nämndmål → Enhetsmål/Åtagande → Analys, Förväntat
   resultat …), report sections, fulfilment lines ("Uppfylls helt"), flattened
   table regions and prose;
4. hard-wrapped lines (also ones separated by blank lines, as some PDF
   extractors write them) are joined into paragraphs, words hyphenated across
   lines are rejoined, and table rows are rebuilt as one line each, the header
   row on a line of its own; a table ends where prose starts after a row.

DOCX files need no guessing for what they state: heading styles and tables
come from the loader, and every Word paragraph stays a paragraph.

The cleaned text is assembled from runs copied from the source plus a few
synthetic separators, so ``offset_map`` leads every character back to the file.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from ..documents import Block, RawDocument

__all__ = ["CleanResult", "clean", "heading_of"]

# --------------------------------------------------------------------------- noise

_PAGE_MARKER = re.compile(r"^\s*sid(?:a)?\s*(\d{1,3})\s*(?:\(|av\s)\s*(\d{1,3})\s*\)?\s*$", re.I)
_NOISE = [
    re.compile(r"^\s*tjänsteutlåtande\s*$", re.I),
    re.compile(r"^\s*(?:https?://)?(?:www\.|start\.)?stockholm(?:\.se)?/?\s*$", re.I),
    re.compile(r"^\s*dnr[:.]?\s*[\w\-./ ]{3,40}$", re.I),
    re.compile(r"^\s*-?\s*\d{1,3}\s*-?\s*$"),  # a bare page number (PDF footers)
    re.compile(r"^\s*sida\s+\d{1,3}\s*(?:av|\()\s*\d{1,3}\)?\s*$", re.I),
]
# A running header that names the report and the city's web address.
_RUNNING_HEADER = re.compile(r"(?:www\.|start\.)stockholm(?:\.se)?\s*$", re.I)
_TOC_TITLE = re.compile(r"^\s*innehåll(?:sförteckning)?\s*$", re.I)
_TOC_LINE = re.compile(r"^.{3,200}?(?:\t+|\.{3,}\s*|\s{2,})\d{1,3}\s*$")
_TAGS = re.compile(r"</?(?:i|b|u|em|strong|sup|sub|br)\s*/?>", re.I)

# --------------------------------------------------------------------------- structure

# (regex, level, canonical label). Level 0 = report section; 1-4 goal hierarchy.
_GOAL_LABELS: list[tuple[re.Pattern[str], int, str]] = [
    (re.compile(r"^KF:?s\s+inriktningsmål\s*(\d+)?\s*:?\s*(.*)$", re.I), 1, "KF:s inriktningsmål"),
    (re.compile(r"^KF:?s\s+mål\s+för\s+verksamhetsområdet\s*:?\s*(.*)$", re.I), 2, "KF:s mål"),
    (re.compile(r"^(?:Nämndmål|Nämndens\s+mål)\s*:\s*(.*)$", re.I), 3, "Nämndmål"),
    (re.compile(r"^Nämndmål\s*$", re.I), 3, "Nämndmål"),
    (re.compile(r"^(Enhetsmål|Åtagande)\s*:\s*(.*)$", re.I), 4, "Enhetsmål"),
    (re.compile(r"^(Enhetsmål|Åtagande)\s*$", re.I), 4, "Enhetsmål"),
]
LEAF_LABELS = {
    "analys": "Analys",
    "förväntat resultat": "Förväntat resultat",
    "beskrivning": "Beskrivning",
    "arbetssätt": "Arbetssätt",
    "uppföljning": "Uppföljning",
    "aktivitet": "Aktivitet",
    "aktiviteter": "Aktiviteter",
    "indikator": "Indikator",
    "indikatorer": "Indikatorer",
    "kommentar": "Kommentar",
}
LEAF_LEVEL = 5
SECTION_TITLES = [
    "Sammanfattande analys",
    "Uppföljning av Kommunfullmäktiges inriktningsmål",
    "Uppföljning av kommunfullmäktiges mål",
    "Enhetens uppföljning av Kommunfullmäktiges inriktningsmål",
    "Verksamhetens mål och åtaganden",
    "Uppföljning av ekonomi",
    "Uppföljning av driftbudget",
    "Analys av resultaträkning – Uppföljning av driftbudget",
    "Analys av resultaträkning - uppföljning av driftbudget",
    "Investeringar",
    "Medel för lokaländamål",
    "Övrigt",
    "Kvalitetsarbete",
    "Systematiskt kvalitetsarbete",
    "Synpunkter och klagomål",
    "Inledning",
    "Enhetens uppdrag",
    "Verksamhet",
    "Verksamhetsbeskrivning",
    "Organisation",
    "Organisationsbeskrivning",
    "Bilagor",
    "Ekonomi",
    "Budget",
    "Personal",
    "Medarbetare",
    "Kompetensutveckling",
    "Arbetsmiljö",
    "Jämställdhets- och mångfaldsplan",
    "Prioriterade utvecklingsområden",
    "Utvecklingsområden",
    "Redovisning av ekonomi",
    "Agenda 2030",
]
_SECTION_KEYS = {re.sub(r"\W+", " ", t.lower()).strip(): t for t in SECTION_TITLES}
_LONGEST_TITLE = max(len(t) for t in SECTION_TITLES) + 12  # room for a year and stray punctuation
_STATUS = re.compile(
    r"^[\s●•○◐■□\-—–]*(Uppfylls\s+(?:helt|delvis|inte|ej)|Uppfyllt|Delvis\s+uppfyllt|Ej\s+uppfyllt|Ingen)\s*$", re.I
)
# Lines that open a flattened table.
_TABLE_HEAD = re.compile(
    r"^\s*(?:Indikator(?:er)?\b|KF:?s\s+indikatorer\b|Nämndens\s+indikatorer\b|Enhetens\s+indikatorer\b"
    r"|Nämndens\s+aktiviteter\b|Enhetens\s+aktiviteter\b|Aktivitet\s+Startdatum\b"
    r"|Insats\b.*\b(?:dec|jan|jun)-\d\d\b|Beloppen\b|\s*Utfall\s+i\s+bokslut\b)",
    re.I,
)
_HEADER_WORDS = {
    "periodens",
    "utfall",
    "årsmål",
    "kf:s",
    "period",
    "vb",
    "prognos",
    "prognoss",
    "helår",
    "progno",
    "s",
    "startdatum",
    "slutdatum",
    "avvikelse",
    "män/",
    "pojkar",
    "kvinnor/",
    "flickor",
    "kvinn",
    "or/",
    "flicko",
    "r",
    "perio",
    "dens",
    "anges",
    "i",
    "tkr",
    "!",
    "tkr!",
    "indikator",
    "nämnden",
    "tas",
    "fram",
    "av",
}
_ENDS_SENTENCE = re.compile(r"[.!?:;]\s*[\"”»)]?\s*$")
_VALUE_END = re.compile(
    r"(?:\d\s*%|\b\d{4}-\d{2}-\d{2}|\bVB\s*\d{4}|\b(?:19|20)\d{2}|\d[\d ]*|tkr|mnkr|Avvikelse"
    r"|\b(?:År|Tertial|Halvår|Kvartal|Månad))\s*$",  # the last: a plan's "Periodicitet" column
    re.I,
)
# A line holding nothing but cell values: "2012-01-01 2012-12-31", "79 % 78 % 80 % 2014".
_VALUES_ONLY = re.compile(r"^[\d\s%,.+/\-–]+(?:\s*VB\s*\d{4})?\s*$")
# Numbered goals whose "KF:s inriktningsmål:" / "KF:s mål för verksamhetsområdet:" label
# the PDF extractor lost ("3. Stadens verksamheter är kostnadseffektiva", "3.1 Budgeten …").
_NUMBERED_MAIN = re.compile(r"^(\d{1,2})\.\s+[A-ZÅÄÖ]\w")
_NUMBERED_SUB = re.compile(r"^(\d{1,2})\.(\d{1,2})\.?\s+[A-ZÅÄÖ]\w")
_COMMENT_ROW = re.compile(r"^(?:Kommentar|Analys)\b", re.I)
_BULLET = re.compile(r"^\s*[•●○■□▪►\-–—]\s+|^\s*\d+[.)]\s+(?=[A-ZÅÄÖ])")
_LOWER_START = re.compile(r"^\s*[a-zåäöéü0-9(%,]")
_SMALL_WORDS = {"och", "eller", "samt", "till", "som", "respektive"}


@dataclass
class _Line:
    start: int  # offset in the source text of the stripped line
    end: int
    page: int | None
    text: str
    blank_before: bool = False
    kind: str = "text"  # text | heading | status | table
    level: int = -1
    label: str | None = None
    title: str | None = None
    header: bool = False  # a table's header row (or a wrapped piece of it)
    forced: bool = False  # kind given by the file's own structure (DOCX styles and tables)
    marker: int | None = None  # the page a "Sid N (M)" marker just before this line starts


@dataclass
class CleanResult:
    text: str
    blocks: tuple[Block, ...]
    offset_map: tuple[tuple[int, int, int], ...]
    page_spans: tuple[tuple[int, int, int, bool], ...]
    source_text: str
    page_count: int | None
    first_lines: list[str] = field(default_factory=list)  # kept for title detection


def heading_of(line: str) -> tuple[int, str, str] | None:
    """(level, canonical label, inline title) if ``line`` is a structural heading."""
    s = line.strip()
    for pattern, level, label in _GOAL_LABELS:
        m = pattern.match(s)
        if m:
            groups = [g for g in m.groups() if g is not None]
            inline = groups[-1].strip() if groups and not groups[-1].isdigit() else ""
            if level == 4 and m.group(1) and m.group(1).lower().startswith("åtagande"):
                label = "Åtagande"
            return level, label, inline
    if len(s) > _LONGEST_TITLE:
        return None  # a sentence, not a section title or leaf label
    key = s.rstrip(": ").lower()
    if key in LEAF_LABELS:
        return LEAF_LEVEL, LEAF_LABELS[key], ""
    norm = re.sub(r"\W+", " ", s.lower()).strip()
    if norm in _SECTION_KEYS and s[:1].isupper():
        return 0, _SECTION_KEYS[norm], ""
    # Plans date their sections: "Budget 2025", "Utvecklingsområden 2025".
    dated = re.fullmatch(r"(.+?)\s+((?:19|20)\d\d)", norm)
    if dated and dated.group(1) in _SECTION_KEYS and s[:1].isupper():
        return 0, f"{_SECTION_KEYS[dated.group(1)]} {dated.group(2)}", ""
    return None


def _looks_like_generic_heading(line: str, prev: _Line | None, nxt: str | None) -> bool:
    s = line.strip()
    if not (2 < len(s) <= 48) or not s[0].isupper():
        return False
    if len(s.split()) > 6 or _ENDS_SENTENCE.search(s) or s.endswith(","):
        return False
    if re.search(r"\d", s) or "\t" in s or _BULLET.match(s):
        return False
    if prev is not None and prev.kind == "text" and not _ENDS_SENTENCE.search(prev.text) and not prev.blank_before:
        return False
    return nxt is not None and bool(nxt.strip()) and nxt.strip()[0].isupper()


# --------------------------------------------------------------------------- builder


class _Builder:
    """Assembles cleaned text from source runs and synthetic separators."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.parts: list[str] = []
        self.length = 0
        self.runs: list[tuple[int, int, int]] = []

    def copy(self, start: int, end: int) -> None:
        """Copy source[start:end], dropping markup tags and folding space runs."""
        segment = self.source[start:end]
        pos = 0
        for m in _TAGS.finditer(segment):
            self._copy_folded(start + pos, start + m.start())
            pos = m.end()
        self._copy_folded(start + pos, end)

    def _copy_folded(self, start: int, end: int) -> None:
        segment = self.source[start:end]
        pos = 0
        for m in re.finditer(r" {2,}", segment):
            self._raw(start + pos, start + m.start())
            self.synthetic(" ")
            pos = m.end()
        self._raw(start + pos, end)

    def _raw(self, start: int, end: int) -> None:
        if end <= start:
            return
        self.runs.append((self.length, start, end - start))
        self.parts.append(self.source[start:end])
        self.length += end - start

    def synthetic(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def tail(self, n: int = 1) -> str:
        return "".join(self.parts[-4:])[-n:] if self.parts else ""

    def text(self) -> str:
        return "".join(self.parts)


# --------------------------------------------------------------------------- main


def clean(raw: RawDocument) -> CleanResult:
    source, lines, page_count = _split_lines(raw)
    lines = _drop_noise(lines)
    _classify(lines, raw)
    return _assemble(source, lines, page_count, raw.has_real_pages, raw.exact_paragraphs)


def _split_lines(raw: RawDocument) -> tuple[str, list[_Line], int | None]:
    """Lines of the whole source with offsets; a "Sid N (M)" marker of a text
    file is noted on the line after it (the first line of page N)."""
    source_parts: list[str] = []
    lines: list[_Line] = []
    pending_marker: int | None = None
    offset = 0
    page_count: int | None = len(raw.pages) if raw.has_real_pages else None
    # DOCX: paragraphs styled as headings and table rows are known, not guessed.
    forced_level = {(page, start): level for page, start, level in raw.headings}
    table_rows = {(page, start): end for page, start, end in raw.tables}
    table_end = -1
    for page_no, page_text in enumerate(raw.pages, start=1):
        if page_no > 1:
            source_parts.append("\n\f\n")
            offset += 3
        pos = 0
        blank = False
        for piece in page_text.split("\n"):
            stripped = piece.strip()
            lead = len(piece) - len(piece.lstrip())
            line_start = offset + pos + lead
            if not stripped:
                blank = True
            else:
                marker = _PAGE_MARKER.match(stripped)
                if marker:
                    # A PDF knows its pages; a text file learns them from these markers.
                    if not raw.has_real_pages:
                        pending_marker = int(marker.group(1))
                        page_count = max(page_count or 0, int(marker.group(2)))
                else:
                    line = _Line(
                        line_start,
                        line_start + len(stripped),
                        page_no if raw.has_real_pages else None,
                        stripped,
                        blank_before=blank,
                        marker=pending_marker,
                    )
                    pending_marker = None
                    key = (page_no - 1, pos)
                    if key in forced_level:
                        _force_heading(line, forced_level[key])
                    if key in table_rows:
                        table_end = table_rows[key]
                        line.label = "table-start"
                    if pos < table_end:
                        line.kind, line.forced = "table", True
                    lines.append(line)
                blank = False
            pos += len(piece) + 1
        source_parts.append(page_text)
        offset += len(page_text)
    return "".join(source_parts), lines, page_count


def _force_heading(line: _Line, depth: int) -> None:
    """A DOCX heading: its style says it is one; its words say what kind.

    "KF:s inriktningsmål …" or "Analys" keep their place in the goal hierarchy;
    other top-level headings (Title, Heading 1) are report sections, deeper
    ones sub-headings.
    """
    line.forced = True
    head = heading_of(line.text)
    if head is not None:
        line.kind, line.level, line.label, line.title = "heading", head[0], head[1], head[2] or None
        if head[0] == 0 or head[0] == LEAF_LEVEL:
            line.title = None
        return
    line.kind, line.label, line.title = "heading", None, line.text
    line.level = 0 if depth == 0 else -2


def _drop_noise(lines: list[_Line]) -> list[_Line]:
    keep: list[_Line] = []
    in_toc = False
    counts = Counter(line.text for line in lines)
    pages_with: dict[str, set[int]] = {}
    for line in lines:
        if line.page is not None:
            pages_with.setdefault(line.text, set()).add(line.page)
    n_pages = len({line.page for line in lines if line.page is not None}) or 1
    seen_title_like: set[str] = set()
    marker: int | None = None  # a page start noted on a dropped line moves to the next kept one

    def is_noise(text: str) -> bool:
        nonlocal in_toc
        if in_toc:
            if _TOC_LINE.match(text):
                return True
            in_toc = False
        if _TOC_TITLE.match(text):
            in_toc = True
            return True
        if any(p.match(text) for p in _NOISE):
            return True
        if _RUNNING_HEADER.search(text) and len(text) < 120:
            return True
        # A repeated report-title line ("Verksamhetsberättelse 2012 Assistansenheten"):
        # the first one stays as the title, the running-header copies go.
        if counts[text] >= 2 and re.match(r"^(verksamhetsberättelse|verksamhetsplan)\b", text, re.I):
            if text in seen_title_like:
                return True
            seen_title_like.add(text)
            return False
        # Any other line repeated on many PDF pages is a running header/footer.
        return n_pages >= 3 and len(pages_with.get(text, ())) >= max(3, n_pages // 2) and heading_of(text) is None

    for line in lines:
        if is_noise(line.text):
            marker = line.marker if line.marker is not None else marker
            continue
        if line.marker is None:
            line.marker = marker
        marker = None
        keep.append(line)
    return keep


def _classify(lines: list[_Line], raw: RawDocument) -> None:
    in_table = False
    header_open = False
    comment_open = False  # inside a "Kommentar:"/"Analys" cell of a table
    seen_structure = False  # no generic headings in the front matter (letterhead, addresses)
    goal_main: int | None = None  # number of the current KF:s inriktningsmål
    seen_sub_label = False
    for i, line in enumerate(lines):
        if line.forced:  # a DOCX heading or table row
            in_table = False
            if line.kind == "heading":
                seen_structure = True
            continue
        text = line.text
        prev = lines[i - 1] if i else None
        nxt = lines[i + 1].text if i + 1 < len(lines) else None
        after_label = (
            prev is not None
            and prev.kind == "heading"
            and ((1 <= prev.level <= 4 and not prev.title) or prev.level == LEAF_LEVEL)
        )
        head = heading_of(text)
        joined = None
        if head is None and i + 1 < len(lines):
            # Section titles wrapped over two lines ("Uppföljning av Kommunfullmäktiges / inriktningsmål").
            joined = heading_of(text + " " + lines[i + 1].text)
            if joined is not None and joined[0] == 0:
                head = joined
                lines[i + 1].kind = "heading-cont"
        if head is None and goal_main is not None and not after_label and len(text) < 160:
            main, sub = _NUMBERED_MAIN.match(text), _NUMBERED_SUB.match(text)
            if main and int(main.group(1)) == goal_main + 1:
                head = (1, "KF:s inriktningsmål", text)
            elif sub and seen_sub_label and int(sub.group(1)) == goal_main:
                head = (2, "KF:s mål", text)
        if _STATUS.match(text):
            line.kind = "status"
            in_table = False
            continue
        if head is not None and head[1] in ("Indikator", "Indikatorer") and not in_table:
            head = None  # a lone "Indikator" opens a flattened indicator table
        if in_table and head is not None and head[0] == LEAF_LEVEL:
            # "Analys"/"Kommentar" inside a flattened table: part of the table.
            line.kind = "table"
            if head[1] in ("Indikator", "Indikatorer"):  # the header repeated after a page break
                line.header = header_open = True
            else:
                comment_open = True
            continue
        if head is not None:
            seen_structure = True
            level, label, inline = head
            line.kind, line.level, line.label = "heading", level, label
            line.title = inline
            in_table = False
            if level == 1:
                number = re.search(r"\d{1,2}", f"{text} {nxt or ''}")
                goal_main = int(number.group(0)) if number else goal_main
            elif level == 2 and label == "KF:s mål":
                seen_sub_label = True
            continue
        if _TABLE_HEAD.match(text) or text.count("\t") >= 2:
            line.kind = "table"
            if not in_table:
                line.label = "table-start"
            in_table = True
            header_open = line.header = bool(_TABLE_HEAD.match(text))
            comment_open = bool(_COMMENT_ROW.match(text))
            continue
        if in_table and not header_open and not comment_open and prev is not None and _VALUE_END.search(prev.text):
            # After a complete row, a paragraph of prose ends the table (the
            # statistics tables of a Verksamhetsbeskrivning are followed by text).
            in_table = not _starts_prose(lines, i)
        if in_table:
            line.kind = "table"
            if header_open and all(
                tok.lower() in _HEADER_WORDS or re.fullmatch(r"(19|20)\d\d", tok) for tok in text.split()
            ):
                line.label = "table-header-cont"
                line.header = True
            else:
                header_open = False
                if _COMMENT_ROW.match(text):
                    comment_open = True
                elif _closes_row(text):
                    comment_open = False  # a new row's values close the comment before it
            continue
        if line.kind == "heading-cont":
            continue
        if seen_structure and not after_label and _looks_like_generic_heading(text, prev, nxt):
            line.kind, line.level, line.label, line.title = "heading", -2, None, text


def _closes_row(text: str) -> bool:
    """A line with a row's cell values ("16,7 % 10 % 75 % 2012", "… 5,5 % 5,8 % VB")."""
    if _VALUES_ONLY.match(text):
        return True
    cells = re.findall(r"\d+(?:,\d+)?\s*%|\b\d{4}-\d\d-\d\d\b", text)
    return len(cells) >= 2 and bool(_VALUE_END.search(text)) and not _ENDS_SENTENCE.search(text)


def _starts_prose(lines: list[_Line], i: int, window: int = 8) -> bool:
    """Does a paragraph of prose (rather than a table row) start at ``lines[i]``?

    A row's name may wrap over several lines but ends in cell values; prose
    ends a sentence first. A sentence followed by a values-only line is an
    activity row ("Chefer ska … . / 2014-01-01 2015-12-31").
    """
    if _LOWER_START.match(lines[i].text):
        return False  # the wrapped rest of a cell
    for k in range(i, min(len(lines), i + window)):
        text = lines[k].text
        if "\t" in text or heading_of(text) is not None or _STATUS.match(text) or _COMMENT_ROW.match(text):
            return False
        if _VALUE_END.search(text) and not _ENDS_SENTENCE.search(text):
            return False
        if _ENDS_SENTENCE.search(text):
            return not (k + 1 < len(lines) and _VALUES_ONLY.match(lines[k + 1].text))
    return False


def _assemble(
    source: str,
    lines: list[_Line],
    page_count: int | None,
    real_pages: bool,
    exact_paragraphs: bool = False,
) -> CleanResult:
    b = _Builder(source)
    blocks: list[Block] = []
    marker_at = {idx: line.marker for idx, line in enumerate(lines) if line.marker is not None}
    marker_offsets: list[tuple[int, int]] = []  # (clean offset, page) for text files
    line_pages: list[tuple[int, int]] = []  # (clean offset, page) for PDFs
    double_spaced = not exact_paragraphs and _is_double_spaced(lines)
    wrap = _wrap_width(lines)

    i = 0
    n = len(lines)

    def note_page(idx: int) -> None:
        if idx in marker_at:
            marker_offsets.append((b.length, marker_at[idx]))
        if real_pages and lines[idx].page is not None:
            if not line_pages or line_pages[-1][1] != lines[idx].page:
                line_pages.append((b.length, lines[idx].page))  # type: ignore[arg-type]

    def separate() -> None:
        if b.length:
            b.synthetic("\n\n")

    def join_to(prev_text: str, nxt: _Line) -> None:
        """Join a wrapped line: hyphenation kept or removed, else one space."""
        m = re.search(r"(\w+)-$", prev_text)
        if (m and not nxt.blank_before) or (m and double_spaced):
            word = m.group(1)
            first = nxt.text.split()[0] if nxt.text.split() else ""
            if first.lower() in _SMALL_WORDS:
                b.synthetic(" ")  # "stöd- och"
            elif word.isupper() or len(word) <= 2 or first[:1].isupper():
                pass  # "FOU-enhet", "e-handel", "Hägersten-Liljeholmen"
            else:
                _drop_trailing_hyphen(b)
        else:
            b.synthetic(" ")

    while i < n:
        line = lines[i]
        note_page(i)
        if line.kind == "heading-cont":
            i += 1
            continue
        if line.kind == "heading":
            separate()
            start = b.length
            b.copy(line.start, line.end)
            title_parts = [line.title] if line.title else []
            j = i + 1
            if i + 1 < n and lines[i + 1].kind == "heading-cont":
                note_page(i + 1)
                b.synthetic(" ")
                b.copy(lines[i + 1].start, lines[i + 1].end)
                j = i + 2
            if 1 <= line.level <= 4 and not (line.forced and line.title):
                # The goal's own text follows the label, wrapped over lines.
                prev_text = line.text
                while j < n and lines[j].kind == "text" and len(" ".join(title_parts)) < 300:
                    if not double_spaced and lines[j].blank_before and title_parts:
                        break
                    if title_parts and _ENDS_SENTENCE.search(prev_text) and not line.text.rstrip().endswith(":"):
                        break
                    note_page(j)
                    if title_parts:
                        join_to(prev_text, lines[j])
                    else:
                        b.synthetic(" ")
                    b.copy(lines[j].start, lines[j].end)
                    title_parts.append(lines[j].text)
                    prev_text = lines[j].text
                    j += 1
                    if _ENDS_SENTENCE.search(prev_text):
                        break
            title = " ".join(title_parts).strip()
            label = line.label
            if label is None:
                entry = title or line.text
            elif line.level == 0:
                entry = label
            elif label in ("KF:s inriktningsmål", "KF:s mål"):
                entry = f"{label} {title}".strip()
            elif line.level == LEAF_LEVEL:
                entry = label
            else:
                entry = f"{label}: {title}" if title else label
            blocks.append(Block("heading", start, b.length, line.level, label, _shorten(entry)))
            i = j
            continue
        if line.kind == "status":
            separate()
            start = b.length
            b.copy(line.start, line.end)
            blocks.append(Block("status", start, b.length))
            i += 1
            continue
        if line.kind == "table":
            separate()
            start = b.length
            j = i
            row_open = False
            prev_text = ""
            while j < n and lines[j].kind == "table":
                cur = lines[j]
                if j > i and cur.forced and cur.label == "table-start":
                    break  # the next DOCX table is a block of its own
                if j > i:
                    note_page(j)
                if j == i:
                    pass
                elif cur.forced:
                    b.synthetic("\n")  # a DOCX table row
                elif cur.label == "table-start" and j > i:
                    b.synthetic("\n")
                elif cur.label == "table-header-cont":
                    b.synthetic(" ")
                elif lines[j - 1].header and not cur.header:
                    b.synthetic("\n")  # the header row ends; the first data row starts
                elif (
                    ((row_open and not _ENDS_SENTENCE.search(prev_text)) or re.match(r"^[a-zåäöé]", cur.text))
                    and "\t" not in cur.text
                    and "\t" not in prev_text
                ):
                    join_to(prev_text, cur)
                elif prev_text.rstrip(": ").lower() in LEAF_LABELS:
                    b.synthetic(" ")  # "Kommentar: …" / "Analys …" on one line
                else:
                    b.synthetic("\n")
                b.copy(cur.start, cur.end)
                prev_text = cur.text
                row_open = not _VALUE_END.search(cur.text) or bool(re.search(r"\w-$", cur.text))
                j += 1
            blocks.append(Block("table", start, b.length))
            i = j
            continue
        # Prose: gather lines of one paragraph.
        separate()
        start = b.length
        b.copy(line.start, line.end)
        prev = line
        j = i + 1
        while j < n and lines[j].kind == "text":
            cur = lines[j]
            if exact_paragraphs and cur.blank_before:
                break
            if _continues(prev, cur, double_spaced, wrap):
                note_page(j)
                join_to(prev.text, cur)
                b.copy(cur.start, cur.end)
                prev = cur
                j += 1
            else:
                break
        blocks.append(Block("paragraph", start, b.length))
        i = j

    text = b.text()
    spans = _page_spans(len(text), marker_offsets, line_pages, page_count, real_pages)
    return CleanResult(
        text=text,
        blocks=tuple(blocks),
        offset_map=tuple(b.runs),
        page_spans=spans,
        source_text=source,
        page_count=page_count,
        first_lines=[line.text for line in lines[:40]],
    )


def _continues(prev: _Line, cur: _Line, double_spaced: bool, wrap: int) -> bool:
    """Does ``cur`` continue the paragraph that ``prev`` is in?"""
    if _BULLET.match(cur.text):
        return False
    if re.match(r"^[a-zåäöé]", cur.text) and not _ENDS_SENTENCE.search(prev.text):
        return True  # a lower-case continuation, even across a blank line or page break
    if cur.blank_before and not double_spaced:
        return False
    if prev.text.endswith(":") and cur.text[:1].isupper():
        return False
    if not _ENDS_SENTENCE.search(prev.text):
        return True
    if _LOWER_START.match(cur.text):
        return True
    # A sentence ended exactly at a full-width line: the paragraph likely goes on.
    return (len(prev.text) >= 0.85 * wrap and not double_spaced) or len(prev.text) >= 0.92 * wrap


def _is_double_spaced(lines: list[_Line]) -> bool:
    """Hard-wrapped lines with a blank line after each (a common PDF-to-text artefact).

    Text with one long line per paragraph also has blank lines everywhere, but
    there the blank lines are real paragraph breaks.
    """
    if len(lines) < 10:
        return False
    prose = sorted(len(line.text) for line in lines if line.kind == "text")
    if prose and prose[len(prose) // 2] > 120:
        return False
    return sum(1 for line in lines if line.blank_before) / len(lines) > 0.6


def _wrap_width(lines: list[_Line]) -> int:
    lengths = sorted(len(line.text) for line in lines if line.kind == "text" and len(line.text) > 30)
    if not lengths:
        return 90
    return max(40, lengths[int(len(lengths) * 0.8)])


def _drop_trailing_hyphen(b: _Builder) -> None:
    last = b.parts[-1]
    b.parts[-1] = last[:-1]
    b.length -= 1
    if b.runs:
        clean_start, src_start, length = b.runs[-1]
        if clean_start + length > b.length:
            b.runs[-1] = (clean_start, src_start, length - 1)


def _shorten(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _page_spans(
    length: int,
    markers: list[tuple[int, int]],
    line_pages: list[tuple[int, int]],
    page_count: int | None,
    real_pages: bool,
) -> tuple[tuple[int, int, int, bool], ...]:
    spans: list[tuple[int, int, int, bool]] = []
    if real_pages:
        for k, (start, page) in enumerate(line_pages):
            end = line_pages[k + 1][0] if k + 1 < len(line_pages) else length
            if end > start:
                spans.append((start, end, page, True))
        return tuple(spans)
    if not markers:
        return ()
    # Text extracted from a PDF keeps "Sid N (M)" headers at the top of page N.
    # Between two consecutive markers the page is exact; across gaps (a page
    # whose header was lost) and before the first marker it is interpolated.
    points = [(0, 1), *markers, (length, (page_count or markers[-1][1]) + 1)]
    spans = []
    for (a_off, a_page), (b_off, b_page) in itertools.pairwise(points):
        if b_off <= a_off:
            continue
        pages = max(1, b_page - a_page)
        exact = pages == 1 and (a_off, a_page) != (0, 1)
        step = (b_off - a_off) / pages
        for p in range(pages):
            s = int(a_off + p * step)
            e = int(a_off + (p + 1) * step) if p + 1 < pages else b_off
            if e > s:
                spans.append((s, e, a_page + p, exact))
    return tuple(spans)

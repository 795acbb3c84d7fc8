"""Cleaning the seed reports: page artefacts removed, wrapped lines and hyphenated
words joined, flattened tables rebuilt, and every character traceable to the file.

Each artefact test first checks that the artefact really is in a source file,
so that it cannot pass because the thing it looks for never existed.
"""

from __future__ import annotations

import re
from bisect import bisect_right

import pytest
from seeds import R2012, R2014, R2018, R2020, R2025

from assistant.documents import Chunk, Document, RawDocument
from assistant.ingest.cleaning import clean, heading_of
from assistant.ingest.cleaning.headings import SECTION_TITLES
from assistant.ingest.corpus import Corpus


def _doc(corpus: Corpus, report_id: str) -> Document:
    return corpus.by_id()[report_id]


def _clean_text(text: str) -> str:
    return clean(RawDocument(path="fragment.txt", pages=(text,), has_real_pages=False)).text


def _table_lines(doc: Document) -> list[str]:
    return [line for b in doc.blocks if b.kind == "table" for line in doc.block_text(b).split("\n")]


# --------------------------------------------------------------------------- page artefacts

# (artefact as a regex, report whose source has it)
ARTEFACTS = {
    "SID 7 (12)": (r"\bSID 7 \(12\)", R2012),
    "Sid 12 (15)": (r"\bSid 12 \(15\)", R2020),
    "Sid 13 (20)": (r"\bSid 13 \(20\)", R2014),
    "Tjänsteutlåtande": (r"Tjänsteutlåtande", R2020),
    "start.stockholm": (r"start\.stockholm", R2020),
    "lone stockholm.se": (r"(?m)^\s*stockholm\.se\s*$", R2014),
    "www.stockholm.se": (r"www\.stockholm\.se", R2012),
    "Dnr:": (r"Dnr:", R2014),
    "<i> tags": (r"</?i>", R2018),
    "table of contents title": (r"Innehållsförteckning", R2018),
}


@pytest.mark.parametrize("name", list(ARTEFACTS), ids=list(ARTEFACTS))
def test_page_artefact_is_in_no_chunk(name: str, seed_corpus: Corpus, seed_chunks: list[Chunk]) -> None:
    pattern, report_id = ARTEFACTS[name]
    assert re.search(pattern, _doc(seed_corpus, report_id).source_text), "the artefact is in the source"
    offenders = [c.chunk_id for c in seed_chunks if re.search(pattern, c.text)]
    assert offenders == []


def test_lone_stockholm_se_lines_are_gone_from_all_documents(seed_corpus: Corpus) -> None:
    for doc in seed_corpus.documents:
        assert not re.search(r"(?m)^\s*(?:www\.|start\.)?stockholm(?:\.se)?\s*$", doc.text), doc.meta.report_id


def test_repeated_title_line_is_dropped_but_the_title_kept(seed_corpus: Corpus) -> None:
    doc = _doc(seed_corpus, R2012)
    running = "Verksamhetsberättelse 2012 Assistansenheten  www.stockholm.se"
    assert running in doc.source_text
    assert "www.stockholm.se" not in doc.text
    assert doc.text.startswith("Verksamhetsberättelse 2012 Assistansenheten")
    assert doc.text.count("Verksamhetsberättelse 2012") == 1


def test_table_of_contents_lines_are_dropped(seed_corpus: Corpus) -> None:
    doc = _doc(seed_corpus, R2018)
    toc_lines = [
        "Sammanfattande analys\t3",
        "2.1 Energianvändningen är hållbar\t3",
        "4.2 Stockholms stad är en bra arbetsgivare med goda arbetsvillkor.....\t6",
        "Medel för lokaländamål.....\t13",
    ]
    for line in toc_lines:
        assert line in doc.source_text
        entry = line.split("\t")[0].rstrip(".")
        # The entry stays only where the report itself has it: once, as its heading.
        assert doc.text.count(entry) == 1, entry
        assert entry + "\t" not in doc.text
    assert "....." not in doc.text
    assert doc.text.index("Sammanfattande analys") < doc.text.index("Assistansenheten är det kommunala")


def test_html_tags_are_dropped_but_their_text_kept(seed_corpus: Corpus) -> None:
    doc = _doc(seed_corpus, R2018)
    assert "<i>Intäkter</i>" in doc.source_text
    assert "<i>" not in doc.text and "</i>" not in doc.text
    assert "\nIntäkter\n" in doc.text


# --------------------------------------------------------------------------- headings

HEADINGS = {
    # line -> (level, canonical label, inline title)
    "Sammanfattande analys": (0, "Sammanfattande analys", ""),
    "SYNPUNKTER OCH KLAGOMÅL": (0, "Synpunkter och klagomål", ""),
    "Budget 2025": (0, "Budget 2025", ""),  # plans date their sections
    # Two titles that read the same without punctuation: the later one in sections.toml is canonical.
    "Analys av resultaträkning – Uppföljning av driftbudget": (
        0,
        "Analys av resultaträkning - uppföljning av driftbudget",
        "",
    ),
    "Förväntat resultat:": (5, "Förväntat resultat", ""),
    "KF:s inriktningsmål 2: Ett hållbart Stockholm": (1, "KF:s inriktningsmål", "Ett hållbart Stockholm"),
    "Nämndmål: Alla har stöd": (3, "Nämndmål", "Alla har stöd"),
    "Åtagande: Vi ska ge stöd": (4, "Åtagande", "Vi ska ge stöd"),
}


@pytest.mark.parametrize("line", list(HEADINGS))
def test_heading_of_knows_sections_goals_and_leaf_labels(line: str) -> None:
    assert heading_of(line) == HEADINGS[line]


def test_heading_of_rejects_sentences_and_lower_case_titles() -> None:
    assert heading_of("sammanfattande analys") is None
    assert heading_of("Sammanfattande analys av allt som hänt under året och lite till som gör raden lång") is None
    assert heading_of("Enheten har haft ett bra år.") is None


def test_every_section_title_in_the_data_file_is_a_section_heading() -> None:
    assert len(SECTION_TITLES) > 20
    for title in SECTION_TITLES:
        head = heading_of(title)
        assert head is not None and head[0] == 0, title
        assert heading_of(f"{title} 2025") == (0, f"{head[1]} 2025", ""), title


# --------------------------------------------------------------------------- joining lines


WRAPPED = {
    # (report, a sentence hard-wrapped over several source lines)
    "2012 double-spaced": (
        R2012,
        "Assistansenheten är det kommunala alternativet som assistansutförare av biståndsbeslutade "
        "stöd- och serviceinsatser.",
    ),
    "2014 double-spaced": (
        R2014,
        "Ärendeantalet ökar ständigt inom grupperna funktionsnedsättning vuxna och barn.",
    ),
    "2020 single-spaced": (
        R2020,
        "Enhetens kontor finns på Spikskogatan 3, i Älvsjö Servicehus men den huvudsakliga verksamheten "
        "bedrivs i och/eller utgår ifrån brukarens hem.",
    ),
    "2025 single-spaced": (
        R2025,
        "Enheten för personligt stöd erbjuder ett personligt utformat stöd där brukarens självbestämmande, "
        "önskemål och behov står i centrum.",
    ),
}


@pytest.mark.parametrize("case", list(WRAPPED), ids=list(WRAPPED))
def test_hard_wrapped_sentence_is_whole_in_one_chunk(case: str, seed_corpus: Corpus, seed_chunks: list[Chunk]) -> None:
    report_id, sentence = WRAPPED[case]
    assert sentence not in _doc(seed_corpus, report_id).source_text, "wrapped in the source"
    assert any(sentence in c.text for c in seed_chunks if c.report_id == report_id)


HYPHENATED = {
    # (report, as written in the cleaned text, as the source breaks it)
    "place name": (R2020, "Hägersten-Liljeholmen sdf består", "Hägersten-\nLiljeholmen sdf"),
    "abbreviation": (R2014, "stadens FOU-enhet.", "FOU- \n\nenhet."),
    "one-letter prefix": (R2020, "serviceförvaltningens e-handelsfunktion.", "e-\nhandelsfunktion."),
    "upper-case prefix": (R2012, "i ILS-webben.", "ILS-\n\nwebben."),
}


@pytest.mark.parametrize("case", list(HYPHENATED), ids=list(HYPHENATED))
def test_hyphen_at_line_end_is_kept_where_it_belongs(case: str, seed_corpus: Corpus, seed_chunks: list[Chunk]) -> None:
    report_id, joined, broken = HYPHENATED[case]
    assert broken in _doc(seed_corpus, report_id).source_text
    assert any(joined in c.text for c in seed_chunks if c.report_id == report_id)


def test_line_break_hyphenation_of_a_lowercase_word_is_removed() -> None:
    text = (
        "Sammanfattande analys\n"
        "Enheten har under året genomfört ett omfattande utveck-\n"
        "lingsarbete kring genomförandeplaner och social doku-\n"
        "mentation. Personalen har erbjudits stöd-\n"
        "och serviceutbildning i Hägersten-\n"
        "Liljeholmen.\n"
    )
    cleaned = _clean_text(text)
    assert "omfattande utvecklingsarbete kring" in cleaned
    assert "social dokumentation." in cleaned
    assert "stöd- och serviceutbildning" in cleaned  # a hyphen before "och" is a word of its own
    assert "Hägersten-Liljeholmen." in cleaned


def test_paragraph_breaks_are_kept(seed_corpus: Corpus) -> None:
    doc = _doc(seed_corpus, R2012)
    # Two paragraphs of the summary: joined within, separated between.
    first = doc.text.index("Assistansenheten är det kommunala alternativet")
    second = doc.text.index("Assistansenheten har under 2012 utfört personlig assistans")
    assert doc.text[first:second].rstrip().endswith("(SoL).")
    assert doc.text[first:second].endswith("\n\n")


# --------------------------------------------------------------------------- tables


def test_indicator_row_of_2018_is_one_line_in_a_table(seed_corpus: Corpus) -> None:
    lines = _table_lines(_doc(seed_corpus, R2018))
    rows = [line for line in lines if line.startswith("Sjukfrånvaro") and "7,1 %" in line]
    assert len(rows) == 1
    assert rows[0].endswith("VB 2018")
    assert "5,7 %" in rows[0]  # last year's figure is in the same row


def test_indicator_row_of_2012_is_one_line_after_its_header(seed_corpus: Corpus) -> None:
    lines = _table_lines(_doc(seed_corpus, R2012))
    row = "Andel medarbetare på deltid som erbjuds heltid 16,7 % 10 % 75 % 2012"
    assert row in lines
    header = lines[lines.index(row) - 1]
    assert header == "KF:s indikatorer Periodens utfall Årsmål KF:s årsmål Period"
    assert "Chefer och ledare ställer tydliga krav på sina medarbetare 90,1 % 90 % 80 % 2012" in lines


def test_budget_table_of_2018_stays_in_one_chunk(seed_chunks: list[Chunk]) -> None:
    rows = [
        "Bidrag\t14 554",
        "Försäljning av verksamhet\t4 439",
        "Summa intäkter\t18 993",
        "Personalkostnader\t20 067",
        "Summa kostnader\t21 156",
        "Resultat netto\t-2 163",
    ]
    holders = [c for c in seed_chunks if c.report_id == R2018 and "Bidrag\t14 554" in c.text]
    assert len(holders) == 1
    chunk = holders[0]
    assert chunk.kind == "table"
    for row in rows:
        assert f"\n{row}\n" in f"\n{chunk.text}\n"


def test_statistics_table_ends_where_the_prose_starts(seed_corpus: Corpus) -> None:
    doc = _doc(seed_corpus, R2014)
    tables = [doc.block_text(b) for b in doc.blocks if b.kind == "table"]
    stats = next(t for t in tables if t.startswith("Insats funktionsnedsättning dec-14 dec-13 dec-12"))
    assert stats.split("\n")[1:] == [
        "Hemtjänst 108 118 106",
        "Boendestöd 70 58 43",
        "Personlig assistans 11 11 10",
        "Assistansersättning 82 79 69",
        "Grupp- och servicebostad 146 138 132",
        "Daglig verksamhet 227 215 209",
        "Avlösning 38 39 33",
    ]
    prose = next(b for b in doc.blocks if doc.block_text(b).startswith("Nybyggnationen av bostäder"))
    assert prose.kind == "paragraph"
    heading = next(b for b in doc.blocks if doc.block_text(b) == "Hjälp i hemmet och personlig assistans")
    assert heading.kind == "heading"


def test_activity_rows_stay_in_their_table(seed_corpus: Corpus) -> None:
    lines = _table_lines(_doc(seed_corpus, R2025))
    assert "Stadsdelsnämnden ska implementera ny chefsstruktur i organisationen. 2025-01-01 2025-12-31" in lines
    assert "Aktivt Medskapandeindex 83 År" in lines  # a plan's "Periodicitet" ends its row


# --------------------------------------------------------------------------- offsets and pages


def test_every_cleaned_character_comes_from_the_source(seed_corpus: Corpus) -> None:
    for doc in seed_corpus.documents:
        bad = [i for i, ch in enumerate(doc.text) if not ch.isspace() and doc.source_text[doc.source_offset(i)] != ch]
        assert bad == [], f"{doc.meta.report_id}: {len(bad)} characters point elsewhere"


def test_chunk_start_maps_to_the_same_word_in_the_source(seed_corpus: Corpus, seed_chunks: list[Chunk]) -> None:
    docs = seed_corpus.by_id()
    assert len(seed_chunks) > 150
    for chunk in seed_chunks:
        doc = docs[chunk.report_id]
        first_word = chunk.text.split()[0]
        source_at = doc.source_text[doc.source_offset(chunk.start) :]
        assert source_at.startswith(first_word), chunk.chunk_id
        last_word = chunk.text.split()[-1]
        source_end = doc.source_offset(chunk.end - 1) + 1
        assert doc.source_text[:source_end].endswith(last_word[-4:]), chunk.chunk_id


def _clean_offset_after(doc: Document, source_offset: int) -> int:
    """The first cleaned offset whose text comes from at or after ``source_offset``."""
    candidates = [clean_start for clean_start, src, _ in doc.offset_map if src >= source_offset]
    return min(candidates)


@pytest.mark.parametrize(
    ("report_id", "marker", "page"),
    [(R2012, "SID 7 (12)", 7), (R2020, "Sid 12 (15)", 12), (R2020, "Sid 14 (15)", 14), (R2014, "Sid 13 (20)", 13)],
)
def test_page_markers_become_page_boundaries(seed_corpus: Corpus, report_id: str, marker: str, page: int) -> None:
    doc = _doc(seed_corpus, report_id)
    at = _clean_offset_after(doc, doc.source_text.index(marker))
    assert doc.page_at(at) == page
    assert doc.page_at(at - 3) == page - 1


def test_pages_between_exact_markers_are_marked_exact(seed_corpus: Corpus) -> None:
    doc = _doc(seed_corpus, R2020)
    at = _clean_offset_after(doc, doc.source_text.index("Sid 14 (15)"))
    span = doc.page_spans[bisect_right([s[0] for s in doc.page_spans], at) - 1]
    assert span[2] == 14 and span[3] is True


@pytest.mark.parametrize(("report_id", "pages"), [(R2012, 12), (R2020, 15), (R2014, 20)])
def test_reports_with_page_markers_have_pages_everywhere(seed_corpus: Corpus, report_id: str, pages: int) -> None:
    doc = _doc(seed_corpus, report_id)
    assert doc.meta.pages == pages
    assert doc.page_at(0) == 1
    assert doc.page_at(len(doc.text) - 1) == pages
    assert all(doc.page_at(i) is not None for i in range(0, len(doc.text), 97))


@pytest.mark.parametrize("report_id", [R2018, R2025])
def test_reports_without_page_markers_have_no_pages(seed_corpus: Corpus, report_id: str) -> None:
    doc = _doc(seed_corpus, report_id)
    assert not re.search(r"(?im)^\s*sid(?:a)?\s*\d+\s*(?:\(|av\s)", doc.source_text)
    assert doc.meta.pages is None
    assert doc.page_spans == ()
    assert doc.page_at(100) is None

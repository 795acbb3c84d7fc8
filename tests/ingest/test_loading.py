"""Reading report files: the seed .txt files, other text encodings, real PDFs and
DOCX files built here from seed text, and files that cannot be read.

PDFs are written with fpdf2 (font: DejaVuSans, bundled with matplotlib, which
has å/ä/ö) and DOCX files with python-docx, so the loaders meet files made by
the same kind of software that makes real reports, not hand-made fakes.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from pathlib import Path

import pytest

from assistant.documents import Document
from assistant.errors import ReportLoadError, ScannedPdfError
from assistant.index.chunking import chunk_document
from assistant.ingest.corpus import Corpus, load_document
from assistant.ingest.loading import decode_text, load_raw, sniff_kind

SEED_2012 = "000_12869f676b65cbb2.txt"
SEED_2018 = "001_9c8cd3c33fffa320.txt"
SEED_2025 = "004_bd48fc4562325a5d.txt"
RUNNING_TITLE = "Verksamhetsberättelse 2018 Assistansenheten"
PDF_SECTIONS = ["Sammanfattande analys", "Kvalitetsarbete", "Medarbetare"]


def _seed_text(project_root: Path, name: str) -> str:
    return (project_root / "corpus" / name).read_text(encoding="utf-8")


def _words(text: str) -> str:
    return " ".join(text.split())


def _seed_paragraphs(project_root: Path, count: int) -> list[str]:
    """Long prose paragraphs of the 2018 seed (one line each in the .txt)."""
    text = _seed_text(project_root, SEED_2018)
    paragraphs = [p.strip() for p in text.split("\n\n") if len(p.strip()) > 200 and "\t" not in p]
    assert len(paragraphs) >= count
    return paragraphs[:count]


def _font() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


def _make_pdf(path: Path, pages: list[tuple[str, list[str]]]) -> None:
    """A PDF with a text layer: per page a section title and paragraphs, and on
    every page the running title as header and "Sid N (M)" as footer."""
    from fpdf import FPDF

    class Report(FPDF):
        def header(self) -> None:
            self.set_font("dejavu", size=9)
            self.cell(0, 8, RUNNING_TITLE, new_x="LMARGIN", new_y="NEXT")

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("dejavu", size=9)
            self.cell(0, 8, f"Sid {self.page_no()} ({{nb}})", align="C")

    pdf = Report()
    pdf.add_font("dejavu", fname=str(_font()))
    for title, paragraphs in pages:
        pdf.add_page()
        pdf.set_font("dejavu", size=14)
        pdf.cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("dejavu", size=11)
        for paragraph in paragraphs:
            pdf.multi_cell(0, 6, paragraph)
            pdf.ln(4)
    pdf.output(str(path))


@pytest.fixture(scope="module")
def pdf_pages(project_root: Path) -> list[tuple[str, list[str]]]:
    paragraphs = _seed_paragraphs(project_root, 6)
    return [(title, paragraphs[2 * i : 2 * i + 2]) for i, title in enumerate(PDF_SECTIONS)]


@pytest.fixture(scope="module")
def pdf_path(tmp_path_factory: pytest.TempPathFactory, pdf_pages: list[tuple[str, list[str]]]) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "vb_2018.pdf"
    _make_pdf(path, pdf_pages)
    return path


@pytest.fixture(scope="module")
def pdf_doc(pdf_path: Path) -> Document:
    return load_document(pdf_path, pdf_path.parent)


# --------------------------------------------------------------------------- text files


def test_seed_files_are_read_as_utf8_with_swedish_letters(project_root: Path) -> None:
    for path in sorted((project_root / "corpus").glob("*.txt")):
        raw = load_raw(path)
        assert raw.encoding == "utf-8", path.name
        assert not raw.has_real_pages and len(raw.pages) == 1
        assert raw.pages[0] == path.read_text(encoding="utf-8").replace("\r\n", "\n")
        assert re.search("[åäö]", raw.pages[0]), path.name


def test_cp1252_file_reads_like_the_utf8_seed(tmp_path: Path, project_root: Path, seed_corpus: Corpus) -> None:
    text = _seed_text(project_root, SEED_2012)
    path = tmp_path / SEED_2012
    path.write_bytes(text.replace("\n", "\r\n").encode("cp1252"))  # as Windows software saves it

    raw = load_raw(path)
    assert raw.encoding == "cp1252"
    assert raw.pages[0] == text
    doc = load_document(path, tmp_path)
    seed = seed_corpus.by_id()[path.stem]
    assert doc.text == seed.text
    assert "Assistansenheten är det kommunala alternativet" in doc.text
    assert (doc.meta.year, doc.meta.unit, doc.meta.type) == (2012, "Assistansenheten", "verksamhetsberättelse")


def test_latin1_file_keeps_swedish_letters(tmp_path: Path) -> None:
    text = "Enheten för personligt stöd i Älvsjö\nÅtagande: Vi åtar oss att höja kvalitén.\n"
    path = tmp_path / "latin1.txt"
    path.write_bytes(text.encode("latin-1"))
    decoded, encoding = decode_text(path.read_bytes(), path)
    assert decoded == text
    assert encoding in ("cp1252", "latin-1")


def test_utf8_bom_is_dropped(tmp_path: Path, project_root: Path) -> None:
    text = _seed_text(project_root, SEED_2025)
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert load_raw(path).pages[0] == text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom_reads_like_the_utf8_seed(
    codec: str, tmp_path: Path, project_root: Path, seed_corpus: Corpus
) -> None:
    """Windows' Notepad saves "Unicode" as UTF-16 with a byte-order mark: read, not rejected as binary."""
    text = _seed_text(project_root, SEED_2025)
    bom = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"
    path = tmp_path / f"{SEED_2025.removesuffix('.txt')}.txt"
    path.write_bytes(bom + text.replace("\n", "\r\n").encode(codec))
    assert sniff_kind(path.read_bytes()) == "text"
    raw = load_raw(path)
    assert raw.encoding == "utf-16"
    assert raw.pages[0] == text
    seed = seed_corpus.by_id()[path.stem]
    assert load_document(path, tmp_path).text == seed.text


def test_form_feeds_of_extracted_pdf_text_are_pages(tmp_path: Path) -> None:
    """Text copied or extracted from a PDF (pdftotext) keeps a form feed between pages: they are its pages."""
    topics = ["verksamheten", "resultatet", "medarbetarna", "ekonomin", "kvaliteten", "lokalerna"] * 3
    pages = [
        "Enheten för stöd\n\n"
        + "\n\n".join(f"Ett stycke om {topics[n * 5 + k]} ({k}) på sidan {n + 1}." for k in range(5))
        + f"\n\nSida {n + 1} av 3\n"
        for n in range(3)
    ]
    path = tmp_path / "utdrag.txt"
    path.write_text("\f".join(pages) + "\f", encoding="utf-8")
    raw = load_raw(path)
    assert raw.has_real_pages and len(raw.pages) == 3
    doc = load_document(path, tmp_path)
    assert doc.meta.pages == 3
    assert doc.page_at(doc.text.index("på sidan 2")) == 2
    # The running header and the page numbers went; every paragraph stayed.
    assert "Sida 2 av 3" not in doc.text and doc.text.count("Enheten för stöd") <= 1
    assert doc.text.count("Ett stycke om") == 15


def test_double_encoded_utf8_is_repaired(tmp_path: Path) -> None:
    text = "Enheten för personligt stöd i Hägersten-Älvsjö består av en enhetschef.\n"
    mojibake = text.encode("utf-8").decode("cp1252")  # "fÃ¶r", "stÃ¶d", "HÃ¤gersten"
    path = tmp_path / "mojibake.txt"
    path.write_text(mojibake, encoding="utf-8")
    raw = load_raw(path)
    assert raw.pages[0] == text
    assert raw.encoding.endswith("+repaired")


# --------------------------------------------------------------------------- PDF


def test_pdf_gives_text_per_page(pdf_path: Path, pdf_pages: list[tuple[str, list[str]]]) -> None:
    raw = load_raw(pdf_path)
    assert raw.has_real_pages
    assert len(raw.pages) == len(pdf_pages)
    for page_text, (title, paragraphs) in zip(raw.pages, pdf_pages, strict=True):
        flat = _words(page_text)
        assert title in flat
        for paragraph in paragraphs:
            assert _words(paragraph)[:60] in flat
        assert "å" in page_text or "ä" in page_text or "ö" in page_text


def test_pdf_metadata_pages_and_running_title(pdf_doc: Document) -> None:
    meta = pdf_doc.meta
    assert meta.pages == len(PDF_SECTIONS)
    assert (meta.year, meta.unit, meta.type) == (2018, "Assistansenheten", "verksamhetsberättelse")
    # The running header stays once, as the title, and is gone from every other page.
    assert pdf_doc.text.count(RUNNING_TITLE) == 1
    assert meta.title.startswith(RUNNING_TITLE)


def test_pdf_page_footers_are_removed(pdf_doc: Document) -> None:
    assert not re.search(r"\bSid\s+\d+\s*\(\d+\)", pdf_doc.text)
    for chunk in chunk_document(pdf_doc):
        assert "Sid " not in chunk.text


def test_pdf_chunks_keep_their_page_numbers(pdf_doc: Document, pdf_pages: list[tuple[str, list[str]]]) -> None:
    chunks = chunk_document(pdf_doc)
    flat_chunks = [(_words(c.text), c) for c in chunks]
    for page_no, (title, paragraphs) in enumerate(pdf_pages, start=1):
        for paragraph in paragraphs:
            # The paragraph was wrapped over several PDF lines; it is whole again.
            first_sentence = _words(paragraph).split(". ")[0]
            holders = [c for flat, c in flat_chunks if first_sentence in flat]
            assert holders, f"sidan {page_no}: {first_sentence[:60]}…"
            assert all(c.pages == (page_no,) for c in holders)
            offset = pdf_doc.text.index(paragraph.split()[0] + " " + paragraph.split()[1], holders[0].start)
            assert pdf_doc.page_at(offset) == page_no
        section_chunks = [c for c in chunks if c.heading_path and c.heading_path[0] == title]
        assert section_chunks and all(c.pages == (page_no,) for c in section_chunks)


def test_pdf_without_text_layer_is_a_scanned_pdf_error(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.set_fill_color(200, 200, 200)
        pdf.rect(20, 20, 170, 250, style="F")  # a page that is only a picture
    path = tmp_path / "inskannad.pdf"
    pdf.output(str(path))

    with pytest.raises(ScannedPdfError) as info:
        load_raw(path)
    message = str(info.value)
    assert "inskannad.pdf" in message
    assert "textlager" in message and "OCR" in message
    assert isinstance(info.value, ReportLoadError)


# --------------------------------------------------------------------------- DOCX


def _make_docx(path: Path, seed_2025: str) -> list[list[str]]:
    import docx

    sentences = [s.strip() for s in _words(seed_2025).split(". ") if len(s) > 60]
    rows = [
        ["Indikator", "Årsmål", "Periodicitet"],
        ["Aktivt Medskapandeindex", "83", "År"],
        ["Sjukfrånvaro", "8,5 %", "Tertial"],
    ]
    document = docx.Document()
    document.add_heading("Verksamhetsplan 2025 Enheten för personligt stöd", level=0)
    document.add_heading("Inledning", level=1)
    document.add_paragraph(sentences[0] + ".")
    document.add_paragraph(sentences[1] + ".")
    document.add_heading("Kompetens och bemanning", level=2)
    document.add_paragraph(sentences[2] + ".")
    document.add_heading("Budget", level=1)
    table = document.add_table(rows=len(rows), cols=3)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("Enheten arbetar för en budget i balans.")
    document.save(str(path))
    return rows


def test_docx_headings_and_table_are_kept_as_structure(tmp_path: Path, project_root: Path) -> None:
    path = tmp_path / "vp_2025.docx"
    rows = _make_docx(path, _seed_text(project_root, SEED_2025))

    raw = load_raw(path)
    assert len(raw.headings) == 4 and len(raw.tables) == 1

    doc = load_document(path, tmp_path)
    assert (doc.meta.year, doc.meta.type, doc.meta.unit) == (2025, "verksamhetsplan", "Enheten för personligt stöd")
    headings = [doc.block_text(b) for b in doc.blocks if b.kind == "heading"]
    assert headings == [
        "Verksamhetsplan 2025 Enheten för personligt stöd",
        "Inledning",
        "Kompetens och bemanning",
        "Budget",
    ]
    tables = [doc.block_text(b) for b in doc.blocks if b.kind == "table"]
    assert tables == ["\n".join("\t".join(row) for row in rows)]
    # Each Word paragraph is a paragraph of its own, never glued to the next.
    paragraphs = [doc.block_text(b) for b in doc.blocks if b.kind == "paragraph"]
    assert len(paragraphs) == 4 and paragraphs[-1] == "Enheten arbetar för en budget i balans."

    chunks = chunk_document(doc)
    paths = {c.section for c in chunks}
    assert "Inledning › Kompetens och bemanning" in paths
    table_chunk = next(c for c in chunks if "Aktivt Medskapandeindex\t83\tÅr" in c.text)
    assert table_chunk.kind == "table" and table_chunk.heading_path == ("Budget",)


# --------------------------------------------------------------------------- bad files


def _real_pdf_bytes(tmp_path: Path, project_root: Path) -> bytes:
    path = tmp_path / "whole.pdf"
    paragraphs = _seed_paragraphs(project_root, 2)
    _make_pdf(path, [("Sammanfattande analys", paragraphs)])
    return path.read_bytes()


def _real_docx_bytes(tmp_path: Path, project_root: Path) -> bytes:
    path = tmp_path / "whole.docx"
    _make_docx(path, _seed_text(project_root, SEED_2025))
    return path.read_bytes()


def _zip_without_word_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("anteckningar.txt", "inte ett Word-dokument")
    return buffer.getvalue()


BAD_FILES = {
    "empty": ("tom.txt", lambda tmp, root: b"", "tom"),
    "only-whitespace": ("blank.txt", lambda tmp, root: b"  \n\n\t\n", "tom"),
    "binary-named-txt": ("rapport.txt", lambda tmp, root: random.Random(7).randbytes(4096), "binärdata"),
    "truncated-pdf": ("avbruten.pdf", lambda tmp, root: _real_pdf_bytes(tmp, root)[:1500], "trasig"),
    "truncated-docx": ("avbruten.docx", lambda tmp, root: _real_docx_bytes(tmp, root)[:3000], "trasig"),
    "zip-but-not-docx": ("fel.docx", lambda tmp, root: _zip_without_word_document(), "Word-filen"),
    "text-named-pdf": ("text.pdf", lambda tmp, root: "Verksamhetsberättelse 2018".encode(), "innehåller text"),
    "pdf-named-docx": ("pdf.docx", lambda tmp, root: _real_pdf_bytes(tmp, root), "innehåller en PDF"),
    "unsupported-suffix": ("rapport.odt", lambda tmp, root: b"PK\x03\x04 odt", "stöds inte"),
    "old-word-format": ("rapport.doc", lambda tmp, root: b"\xd0\xcf\x11\xe0" + bytes(600), "stöds inte"),
}


@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
def test_bad_file_is_a_report_load_error_naming_file_and_reason(case: str, tmp_path: Path, project_root: Path) -> None:
    name, make, reason = BAD_FILES[case]
    path = tmp_path / name
    path.write_bytes(make(tmp_path, project_root))
    with pytest.raises(ReportLoadError) as info:
        load_raw(path)
    message = str(info.value)
    assert info.value.path == path
    assert message.startswith(f"Kunde inte läsa rapporten {name}: ")
    assert reason in message
    assert not isinstance(info.value, ScannedPdfError)


def test_sniff_kind_looks_at_content_not_name() -> None:
    assert sniff_kind(b"%PDF-1.7\n...") == "pdf"
    assert sniff_kind(b"PK\x03\x04...") == "docx"
    assert sniff_kind("Sammanfattande analys\nEnheten för personligt stöd".encode()) == "text"
    assert sniff_kind(b"\x00\x01\x02binary") == "binary"

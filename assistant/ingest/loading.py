"""Reading report files from disk: .txt, .pdf and .docx → :class:`RawDocument`.

Every failure is a :class:`ReportLoadError` naming the file and the reason, so
that one bad file never stops the rest of the corpus from loading. The limits
(``limits.py``) are checked before the work they bound: the file's size before
it is read, a Word file's unpacked size before it is unpacked, the text's
length before it is cleaned.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from ..documents import RawDocument
from ..errors import DependencyMissingError, ReportLoadError, ScannedPdfError
from .limits import IngestLimits, check_docx_archive, check_file_size, check_text_length, default_limits

__all__ = ["SUPPORTED_SUFFIXES", "load_raw", "sniff_kind"]

SUPPORTED_SUFFIXES = (".txt", ".pdf", ".docx")

# Characters that make up Swedish text; used to judge decodings.
_SWEDISH = set("åäöÅÄÖé")
# UTF-16 text starts with its byte-order mark (little- or big-endian), as Windows' Notepad writes it.
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Text extracted from a PDF (pdftotext, copy and paste) keeps a form feed between pages.
_FORM_FEED = "\f"
# Mojibake left by reading cp1252/latin-1 as UTF-8 or the reverse.
_MOJIBAKE = ("Ã¥", "Ã¤", "Ã¶", "Ã…", "Ã„", "Ã–", "\ufffd")


def sniff_kind(data: bytes) -> str:
    """The file's real kind from its first bytes: "pdf", "docx", "text" or "binary"."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if data.startswith(_UTF16_BOMS):
        return "text"
    sample = data[:4096]
    if b"\x00" in sample:
        return "binary"
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return "binary" if sample and controls / len(sample) > 0.02 else "text"


def load_raw(path: Path, limits: IngestLimits | None = None) -> RawDocument:
    """Read one report. Raises ReportLoadError with a reason a person can act on."""
    limits = limits or default_limits()
    try:
        check_file_size(path, path.stat().st_size, limits)
        data = path.read_bytes()
    except OSError as exc:
        raise ReportLoadError(path, f"filen gick inte att öppna ({exc.strerror or exc}).") from exc
    if not data.strip():
        raise ReportLoadError(path, "filen är tom. Lägg in rapporten på nytt.")
    suffix = path.suffix.lower()
    kind = sniff_kind(data)
    if suffix not in SUPPORTED_SUFFIXES:
        raise ReportLoadError(path, f"filtypen {suffix or '(ingen)'} stöds inte. Använd .txt, .pdf eller .docx.")
    expected = {".txt": "text", ".pdf": "pdf", ".docx": "docx"}[suffix]
    if kind != expected:
        found = {"binary": "binärdata", "text": "text", "pdf": "en PDF", "docx": "ett Word-dokument"}[kind]
        raise ReportLoadError(
            path,
            f"filen heter {suffix} men innehåller {found}. Kontrollera att det är rätt fil och filändelse.",
        )
    if kind == "pdf":
        raw = _load_pdf(path, data)
    elif kind == "docx":
        check_docx_archive(path, data, limits)
        raw = _load_docx(path, data)
    else:
        raw = _load_text(path, data)
    check_text_length(path, sum(len(p) for p in raw.pages), limits)
    return raw


def _load_text(path: Path, data: bytes) -> RawDocument:
    text, encoding = decode_text(data, path)
    if _FORM_FEED in text.strip(_FORM_FEED + "\n "):
        # Pages as the PDF had them: the form feeds tell where each one starts.
        pages = tuple(text.rstrip("\n" + _FORM_FEED).split(_FORM_FEED))
        return RawDocument(path=str(path), pages=pages, has_real_pages=True, encoding=encoding)
    return RawDocument(path=str(path), pages=(text,), has_real_pages=False, encoding=encoding)


def decode_text(data: bytes, path: Path) -> tuple[str, str]:
    """Decode a text file: UTF-16 with its BOM, UTF-8 (with or without BOM), else cp1252/latin-1.

    cp1252 is tried before latin-1 because Windows-written Swedish documents use
    its extra characters (– ” €); both map å/ä/ö identically.
    """
    if data.startswith(_UTF16_BOMS):
        try:
            return _normalise_newlines(data.decode("utf-16"), path), "utf-16"
        except UnicodeDecodeError:
            raise ReportLoadError(
                path, "filen ser ut som UTF-16 men går inte att avkoda. Spara den som UTF-8."
            ) from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        for encoding in ("cp1252", "latin-1"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:  # pragma: no cover - latin-1 decodes every byte
            raise ReportLoadError(path, "teckenkodningen gick inte att avgöra. Spara filen som UTF-8.") from None
    if any(m in text for m in _MOJIBAKE[:-1]):
        # Double-encoded UTF-8 (UTF-8 bytes once read as cp1252 and saved again).
        try:
            repaired = text.encode("cp1252").decode("utf-8")
            if sum(c in _SWEDISH for c in repaired) >= sum(c in _SWEDISH for c in text):
                text, encoding = repaired, encoding + "+repaired"
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return _normalise_newlines(text, path), encoding


def _normalise_newlines(text: str, path: Path) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ReportLoadError(path, "filen innehåller ingen text.")
    return text


def _load_pdf(path: Path, data: bytes) -> RawDocument:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as exc:  # pragma: no cover - pypdf is a core dependency
        raise DependencyMissingError("pypdf", purpose="att läsa PDF") from exc
    import io

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception:
                raise ReportLoadError(path, "PDF-filen är lösenordsskyddad. Spara en kopia utan lösenord.") from None
        pages = tuple((page.extract_text() or "") for page in reader.pages)
        properties = _pdf_properties(reader)
    except ReportLoadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ReportLoadError(path, f"PDF-filen är trasig eller ofullständig ({exc}). Exportera den på nytt.") from exc
    if not pages:
        raise ReportLoadError(path, "PDF-filen har inga sidor.")
    if sum(len(p.strip()) for p in pages) < 20 * len(pages) / 2 and not any(len(p.strip()) > 200 for p in pages):
        raise ScannedPdfError(path)
    pages = tuple(p.replace("\r\n", "\n").replace("\r", "\n") for p in pages)
    return RawDocument(path=str(path), pages=pages, has_real_pages=True, encoding="pdf", properties=properties)


def _pdf_properties(reader: Any) -> tuple[tuple[str, str], ...]:
    """The PDF's title and subject (its document information), where set."""
    try:
        info = reader.metadata or {}
    except Exception:  # a broken information dictionary is no reason to reject the report
        return ()
    out = []
    for key, name in (("/Title", "title"), ("/Subject", "subject")):
        value = " ".join(str(info.get(key) or "").split())
        if value:
            out.append((name, value))
    return tuple(out)


# Word's built-in style names → heading depth (0 = a report section).
_HEADING_STYLES = {"title": 0, "heading 1": 0, "heading 2": 1, "heading 3": 2, "heading 4": 3, "heading 5": 4}
_DEEPEST_HEADING = 4  # "Heading 6" and deeper


def _load_docx(path: Path, data: bytes) -> RawDocument:
    try:
        import docx
    except ImportError as exc:  # pragma: no cover - python-docx is a core dependency
        raise DependencyMissingError("python-docx", purpose="att läsa Word-dokument") from exc
    import io

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReportLoadError(path, f"Word-filen är trasig eller ofullständig ({exc}). Spara den på nytt.") from exc
    except MemoryError:  # told apart by the caller (an upload's memory limit), never a "broken file"
        raise
    except Exception as exc:
        raise ReportLoadError(path, f"Word-filen gick inte att läsa ({type(exc).__name__}: {exc}).") from exc
    body = _docx_body(document)
    text = "".join(body.parts)
    if not text.strip():
        raise ReportLoadError(path, "Word-dokumentet innehåller ingen text.")
    return RawDocument(
        path=str(path),
        pages=(text,),
        has_real_pages=False,
        headings=tuple(body.headings),
        encoding="docx",
        tables=tuple(body.tables),
        exact_paragraphs=True,
        properties=_docx_properties(document),
    )


def _docx_properties(document: Any) -> tuple[tuple[str, str], ...]:
    """The Word file's core properties title and subject, where set."""
    props = document.core_properties
    out = []
    for name in ("title", "subject"):
        value = " ".join(str(getattr(props, name, "") or "").split())
        if value:
            out.append((name, value))
    return tuple(out)


class _DocxText:
    """A Word body as text: a paragraph or a table (one row a line) per block, blank lines between,
    with the offsets of headings and tables."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.offset = 0
        self.headings: list[tuple[int, int, int]] = []  # (page index, offset, depth)
        self.tables: list[tuple[int, int, int]] = []  # (page index, start, end)

    def add_paragraph(self, text: str, depth: int | None) -> None:
        if depth is not None:
            self.headings.append((0, self.offset, depth))
        self._add(text)

    def add_table(self, rows: list[str]) -> None:
        text = "\n".join(rows)
        self.tables.append((0, self.offset, self.offset + len(text)))
        self._add(text)

    def _add(self, text: str) -> None:
        self.parts.append(text + "\n\n")
        self.offset += len(text) + 2


def _docx_body(document: Any) -> _DocxText:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    body = _DocxText()
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(child, document)
            text = para.text.strip()
            if text:
                body.add_paragraph(text, _heading_depth(para))
        elif tag == "tbl":
            rows = _table_rows(Table(child, document))
            if rows:
                body.add_table(rows)
    return body


def _heading_depth(para: Any) -> int | None:
    """The paragraph's heading depth from its style, None for body text."""
    style = (para.style.name if para.style is not None else "").lower()
    depth = _HEADING_STYLES.get(style)
    if depth is None and style.startswith("heading"):
        depth = _DEEPEST_HEADING
    return depth


def _table_rows(table: Any) -> list[str]:
    """The table's non-empty rows, cells separated by tabs."""
    rows = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            value = " ".join(cell.text.split())
            if not cells or cells[-1] != value:  # merged cells repeat their text
                cells.append(value)
        rows.append("\t".join(cells))
    return [row for row in rows if row.strip()]

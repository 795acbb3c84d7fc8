"""Two columns side by side in a text file (``pdftotext -layout`` of a two-column page) are read one
column after the other; single-column text and tables are left as they are."""

from __future__ import annotations

from pathlib import Path

from assistant.ingest.cleaning.columns import column_pieces
from assistant.ingest.corpus import load_document

LEFT = [
    "Enheten erbjuder daglig verksamhet",
    "för vuxna i stadsdelen och har fyra",
    "grupper med egna lokaler.",
    "",
    "Under våren öppnade vi ett nytt",
    "kafé som drivs av deltagarna.",
]
RIGHT = [
    "Sjukfrånvaron bland medarbetarna",
    "sjönk till 6,2 % under året från",
    "8,1 % året innan.",
    "",
    "Överskottet blev 640 tkr, främst",
    "tack vare fler deltagare.",
]


def _two_columns(gutter: int = 52) -> str:
    lines = ["Sammanfattande analys", ""]
    for left, right in zip(LEFT, RIGHT, strict=True):
        lines.append(left.ljust(gutter) + right if right else left)
    lines += ["", "", "Grupp            Deltagare       Handledare", "Ateljén                12                4"]
    return "\n".join(lines) + "\n"


def test_the_left_column_is_read_before_the_right() -> None:
    pieces = column_pieces(_two_columns())
    assert pieces is not None
    texts = [text for _, _, text, _ in pieces]
    assert texts[0] == "Sammanfattande analys"
    assert texts[1 : 1 + 5] == [line for line in LEFT if line]
    assert texts[6 : 6 + 5] == [line for line in RIGHT if line]
    # The table after the columns stays a table, row by row.
    assert texts[-2:] == ["Grupp            Deltagare       Handledare", "Ateljén                12                4"]
    # Each piece is the source's own text at its offset.
    page = _two_columns()
    assert all(page[start : start + len(text)] == text for _, start, text, _ in pieces)


def test_single_column_text_is_not_split() -> None:
    text = "\n".join(line for line in LEFT if line) + "\n\nGrupp        Deltagare\nAteljén      12\n"
    assert column_pieces(text) is None


def test_a_two_column_text_file_reads_as_whole_sentences(tmp_path: Path) -> None:
    page = "Verksamhetsberättelse 2022 Provenheten\n\n" + _two_columns()
    path = tmp_path / "utdrag.txt"
    path.write_text(page + "\f" + page.replace("2022", "2022 ") + "\f", encoding="utf-8")
    text = " ".join(load_document(path, tmp_path).text.split())
    assert "Sjukfrånvaron bland medarbetarna sjönk till 6,2 % under året från 8,1 % året innan." in text
    assert "Enheten erbjuder daglig verksamhet för vuxna i stadsdelen och har fyra grupper" in text

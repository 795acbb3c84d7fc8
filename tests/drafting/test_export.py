"""Markdown and DOCX export of drafts: headings kept, the file opens again, errors in Swedish."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from assistant.drafting import PLACEHOLDER_NOTE, Draft, DraftPart, Paragraph, Precedent, to_markdown, write_draft
from assistant.errors import AssistantError


def _draft(covered: bool = True) -> Draft:
    text = "Sjukfrånvaron uppgick till 16 %. Arbetsmiljöfrågor diskuteras på APT."
    prec = Precedent(
        n=1,
        report_id="r1",
        title="Verksamhetsberättelse 2020 – Enheten för personligt stöd",
        unit="Enheten för personligt stöd",
        district="Älvsjö",
        year=2020,
        type="verksamhetsberättelse",
        heading_path=(
            "Nämndmål: Älvsjö stadsdelsförvaltning är en attraktiv arbetsgivare",
            "Enhetsmål: God arbetsmiljö",
        ),
        pages=(14,),
        start=0,
        end=len(text),
        text=text,
        relevance=1.0,
        same_unit=True,
    )
    parts = (
        DraftPart("Förväntat resultat", (Paragraph(("Medarbetarna har en god arbetsmiljö.",), (1,), bullet=True),)),
        DraftPart("Analys", (Paragraph(("Sjukfrånvaron uppgick till [ANGE 2021] (2020: 16 %).",), (1,)),)),
    )
    return Draft(
        topic="arbetsmiljö",
        heading="Enhetsmål: God arbetsmiljö",
        unit="Enheten för personligt stöd",
        year=2021,
        type="verksamhetsberättelse",
        parts=parts if covered else (),
        precedents=(prec,) if covered else (),
        covered=covered,
        notice="" if covered else "Inga tidigare rapporter tar upp \u201darbetsmiljö\u201d.",
        status_line="Måluppfyllelse: [ANGE 2021] (2020: Uppfylls helt)" if covered else None,
    )


def test_markdown_keeps_headings_markers_and_sources() -> None:
    md = to_markdown(_draft())
    lines = md.splitlines()
    assert lines[0] == "# Utkast: Verksamhetsberättelse 2021, Enheten för personligt stöd"
    assert "## Enhetsmål: God arbetsmiljö" in lines
    assert lines.index("### Förväntat resultat") < lines.index("### Analys")
    assert "- Medarbetarna har en god arbetsmiljö. [1]" in lines
    assert "Sjukfrånvaron uppgick till [ANGE 2021] (2020: 16 %). [1]" in lines
    assert any(line.startswith("1. Verksamhetsberättelse 2020") and "s. 14" in line for line in lines)


def test_docx_opens_with_headings(tmp_path: Path) -> None:
    path = write_draft(_draft(), tmp_path / "utkast.docx")
    document = docx.Document(str(path))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        ("Heading 1", "Utkast: Verksamhetsberättelse 2021, Enheten för personligt stöd"),
        ("Heading 2", "Enhetsmål: God arbetsmiljö"),
        ("Heading 3", "Förväntat resultat"),
        ("Heading 3", "Analys"),
        ("Heading 2", "Källor"),
    ]
    texts = [p.text for p in document.paragraphs]
    assert "Sjukfrånvaron uppgick till [ANGE 2021] (2020: 16 %). [1]" in texts
    assert PLACEHOLDER_NOTE in texts
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets == ["Medarbetarna har en god arbetsmiljö. [1]"]
    assert not list(tmp_path.glob(".utkast.docx.*"))  # no temporary file left behind


def test_markdown_file_and_refusal(tmp_path: Path) -> None:
    path = write_draft(_draft(covered=False), tmp_path / "utkast.md")
    text = path.read_text(encoding="utf-8")
    assert "Inga tidigare rapporter tar upp" in text and "##" not in text


def test_unknown_suffix_and_missing_folder_are_swedish_errors(tmp_path: Path) -> None:
    with pytest.raises(AssistantError, match=r"\.docx eller \.md"):
        write_draft(_draft(), tmp_path / "utkast.pdf")
    with pytest.raises(AssistantError, match="finns inte"):
        write_draft(_draft(), tmp_path / "saknas" / "utkast.md")

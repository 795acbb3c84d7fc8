"""A draft as Markdown or as a Word document, headings kept, ready for the city's template.

Both formats hold the same things in the same order: the section heading, the
goal-fulfilment line (reports), each part (Förväntat resultat, Arbetssätt, …)
with its paragraphs and their citation markers, a note on the placeholders, and
the numbered sources.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import AssistantError, DependencyMissingError
from .compose import Draft

__all__ = ["PLACEHOLDER_NOTE", "to_docx", "to_markdown", "write_draft"]

PLACEHOLDER_NOTE = (
    "Utkastet är sammanställt ordagrant ur tidigare rapporter. [ANGE …] markerar uppgifter som gäller "
    "ett visst år (siffror, år, datum): fyll i dem för det nya året; värdena inom parentes är de tidigare. "
    "Siffrorna inom hakparentes, t.ex. [1], hänvisar till källorna."
)


def _title(d: Draft) -> str:
    kind = d.type.capitalize() if d.type else "Rapport"
    return f"Utkast: {kind} {d.year or ''}, {d.unit or 'enheten'}".replace("  ", " ")


def to_markdown(d: Draft) -> str:
    if not d.covered:
        return f"# Inget utkast\n\n{d.notice}\n"
    lines = [f"# {_title(d)}", "", f"## {d.heading}", ""]
    if d.status_line:
        lines += [d.status_line, ""]
    for part in d.parts:
        if part.heading:
            lines += [f"### {part.heading}", ""]
        for p in part.paragraphs:
            lines.append(f"- {p.text}" if p.bullet else p.text)
            lines.append("")
    lines += [f"*{PLACEHOLDER_NOTE}*", "", "## Källor", ""]
    for prec in d.cited:
        lines.append(f"{prec.n}. {prec.citation()}")
    if d.omitted:
        lines += ["", "## Utelämnade meningar", ""]
        for sentence, reason, n in d.omitted:
            lines.append(f"- »{sentence}« [{n}] – {reason}")
    return "\n".join(lines).rstrip() + "\n"


def to_docx(d: Draft, path: Path) -> Path:
    """Write ``d`` as a .docx (Word headings 1–3), atomically."""
    try:
        import docx
    except ImportError:
        raise DependencyMissingError("python-docx", purpose="att spara utkast som Word-fil") from None
    document = docx.Document()
    document.add_heading(_title(d) if d.covered else "Inget utkast", level=1)
    if not d.covered:
        document.add_paragraph(d.notice)
    else:
        document.add_heading(d.heading, level=2)
        if d.status_line:
            document.add_paragraph(d.status_line)
        for part in d.parts:
            if part.heading:
                document.add_heading(part.heading, level=3)
            for p in part.paragraphs:
                document.add_paragraph(p.text, style="List Bullet" if p.bullet else None)
        note = document.add_paragraph()
        note.add_run(PLACEHOLDER_NOTE).italic = True
        document.add_heading("Källor", level=2)
        for prec in d.cited:
            document.add_paragraph(f"[{prec.n}] {prec.citation()}")
    return _atomic_save(path, document.save)


def write_draft(d: Draft, path: str | Path) -> Path:
    """Save ``d`` as Markdown (.md) or Word (.docx), chosen by the file name."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".docx":
        return to_docx(d, target)
    if suffix in (".md", ".markdown", ".txt"):
        text = to_markdown(d)
        return _atomic_save(target, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    raise AssistantError(f"Kan inte spara som '{target.name}': välj en fil som slutar på .docx eller .md.")


def _atomic_save(target: Path, save) -> Path:  # type: ignore[no-untyped-def]
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise AssistantError(f"Mappen {folder} finns inte. Skapa den eller välj en annan plats för utkastet.")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
    os.close(fd)
    try:
        save(tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target

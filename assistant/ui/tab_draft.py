"""The "Skriv utkast" tab: pick a section from the unit's latest report (or type a topic), get a cited draft.

Everything from the reports reaches the page through ``html.escape``; the
downloads are written to a fresh temporary folder per draft, never into
``corpus/`` or ``index/``.
"""

from __future__ import annotations

import html
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..drafting import PLACEHOLDER, Draft, default_year, draft, outline
from ..errors import AssistantError

if TYPE_CHECKING:
    from ..api import Assistant

__all__ = ["build_draft_tab", "parse_year", "render_draft", "run_draft", "section_choices", "year_placeholder"]

ANY_UNIT = "Senaste källans enhet"
ANY_TYPE = "Som senaste källan"
YEAR_LABEL = "År (tomt = året efter enhetens senaste rapport)"


def year_placeholder(assistant: Assistant, unit: str | None, rtype: str | None) -> str:
    """What an empty year field means for this unit and type: "tomt = 2019"."""
    u = None if unit in (None, "", ANY_UNIT) else unit
    t = None if rtype in (None, "", ANY_TYPE) else rtype
    year = default_year(assistant, u, t) if u else None
    return f"tomt = {year}" if year else "tomt = året efter den senaste källan"


def parse_year(value: object) -> int | None:
    """The year field's text as a year; empty is None; anything else is an error that says what to write."""
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    if not text.isdigit() or not 1900 <= int(text) <= 2100:
        raise AssistantError(f"Året '{text}' är inte ett årtal. Skriv t.ex. 2026, eller lämna fältet tomt.")
    return int(text)


def section_choices(assistant: Assistant, unit: str | None, rtype: str | None) -> list[str]:
    """Headings of the unit's latest report of the type, indented by level, for the pick list."""
    try:
        _meta, items = outline(assistant, unit=unit or None, type=rtype or None)
    except AssistantError:
        return []
    return [item.title for item in items]


# Scoped to the HTML component by gradio (``css_template``); no "$" or "{{" here.
_CSS = """
.ra-placeholder { background: #ffe58a; color: inherit; padding: 0 2px; border-radius: 3px; }
.ra-other-unit { border-left: 3px solid #1d5fbf; padding-left: 8px; }
.ra-origin { font-size: .85em; font-style: italic; color: #1d5fbf; }
.ra-draft-year { font-size: .85em; color: var(--body-text-color-subdued); }
"""


def _mark_placeholders(escaped_sentence: str) -> str:
    return PLACEHOLDER.sub(lambda m: f'<mark class="ra-placeholder">{m.group(0)}</mark>', escaped_sentence)


def render_draft(d: Draft, notes: list[str] | None = None) -> str:
    """The draft as HTML: escaped text, placeholders highlighted, sources listed."""
    esc = html.escape
    out = ['<div class="ra-draft">']
    for note in notes or []:
        out.append(f'<p class="ra-note">{esc(note)}</p>')
    if not d.covered:
        out.append(f'<p class="ra-refusal">{esc(d.notice_for("ui"))}</p></div>')
        return "".join(out)
    kind = d.type.capitalize()
    title = f"Utkast: {kind} {d.year}, {d.unit or 'enheten'}"
    out.append(f'<h3 data-year="{esc(str(d.year))}">{esc(title)}</h3>')
    out.append(
        f'<p class="ra-draft-year">Året {esc(str(d.year))} är året efter enhetens senaste rapport av typen, '
        "om inget annat år har angetts; ändra det i fältet År och skriv utkastet igen.</p>"
    )
    out.append(f"<h4>{esc(d.heading)}</h4>")
    if d.status_line:
        out.append(f"<p>{_mark_placeholders(esc(d.status_line))}</p>")
    for part in d.parts:
        if part.heading:
            out.append(f"<h5>{esc(part.heading)}</h5>")
        for p in part.paragraphs:
            body = " ".join(_mark_placeholders(esc(s)) for s in p.sentences)
            markers = "".join(f'<sup class="ra-cite">[{n}]</sup>' for n in p.sources)
            origin = f'<span class="ra-origin">({esc(p.origin)})</span> ' if p.origin else ""
            tag = "li" if p.bullet else "p"
            cls = ' class="ra-other-unit"' if p.origin else ""
            out.append(f"<{tag}{cls}>{origin}{body} {markers}</{tag}>")
    out.append("<h5>Källor (egen enhet först, nyast först)</h5><ol>")
    cited = {p.n for p in d.cited}
    for prec in d.precedents:
        unused = "" if prec.n in cited else " <em>(inte använd i utkastet)</em>"
        out.append(f'<li value="{prec.n}">{esc(prec.citation())} – relevans {prec.relevance:.2f}{unused}</li>')
    out.append("</ol>")
    if d.omitted:
        out.append("<details><summary>Utelämnade meningar</summary><ul>")
        for sentence, reason, n in d.omitted:
            out.append(f"<li>»{esc(sentence)}« [{n}] – {esc(reason)}</li>")
        out.append("</ul></details>")
    out.append("</div>")
    return "".join(out)


def run_draft(
    assistant: Assistant, topic: str, unit: str | None, rtype: str | None, year: object
) -> tuple[str, list[str]]:
    """Draft, optionally rewrite, save .md and .docx; returns (HTML, file paths)."""
    from ..drafting import write_draft

    try:
        d = draft(
            assistant,
            topic,
            unit=None if unit in (None, "", ANY_UNIT) else unit,
            type=None if rtype in (None, "", ANY_TYPE) else rtype,
            year=parse_year(year),
        )
        notes: list[str] = []
        if d.covered and assistant.config.llm_base_url:
            from ..drafting import rewrite_draft
            from ..llm import ChatClient

            d, notes = rewrite_draft(d, ChatClient.from_config(assistant.config))
        if not d.covered:
            return render_draft(d, notes), []
        folder = Path(tempfile.mkdtemp(prefix="utkast-"))
        files = [str(write_draft(d, folder / f"utkast.{suffix}")) for suffix in ("docx", "md")]
        return render_draft(d, notes), files
    except AssistantError as exc:
        return f'<p class="ra-error">{html.escape(str(exc))}</p>', []


def build_draft_tab(assistant: Assistant) -> Any:
    import gradio as gr
    from gradio.context import get_render_context

    units = sorted({m.unit for m in assistant.reports() if m.unit})
    gr.Markdown(
        "Välj ett avsnitt ur enhetens senaste rapport eller skriv ett ämne. Utkastet byggs av meningar ur "
        "tidigare rapporter, med källa för varje stycke. **[ANGE …]** markerar uppgifter som ska fyllas i för "
        "det nya året."
    )
    with gr.Row():
        unit = gr.Dropdown([ANY_UNIT, *units], value=ANY_UNIT, label="Enhet", elem_id="ra-draft-unit")
        rtype = gr.Dropdown(
            [ANY_TYPE, "verksamhetsplan", "verksamhetsberättelse"],
            value=ANY_TYPE,
            label="Rapporttyp",
            elem_id="ra-draft-type",
        )
        year = gr.Textbox(
            value="",
            label=YEAR_LABEL,
            placeholder=year_placeholder(assistant, None, None),
            max_lines=1,
            elem_id="ra-draft-year",
        )
    section = gr.Dropdown(
        section_choices(assistant, None, None),
        value=None,
        label="Avsnitt ur senaste rapporten",
        allow_custom_value=False,
        elem_id="ra-draft-section",
    )
    topic = gr.Textbox(label="Ämne eller rubrik", placeholder="t.ex. Synpunkter och klagomål", elem_id="ra-draft-topic")
    button = gr.Button("Skriv utkast", variant="primary", elem_id="ra-draft-go")
    result = gr.HTML(css_template=_CSS, elem_id="ra-draft-result")
    files = gr.File(label="Ladda ner (Word och Markdown)", file_count="multiple")

    def refresh_sections(u: str, t: str) -> Any:
        choices = section_choices(assistant, None if u == ANY_UNIT else u, None if t == ANY_TYPE else t)
        return gr.update(choices=choices, value=None), gr.update(placeholder=year_placeholder(assistant, u, t))

    def refresh_units(u: str, t: str) -> Any:
        """After a change in the reports tab (an upload, a removal): the units there are now."""
        now = sorted({m.unit for m in assistant.reports() if m.unit})
        if u in now or u == ANY_UNIT:
            return gr.update(choices=[ANY_UNIT, *now]), gr.update(), gr.update()  # what was chosen stays
        return gr.update(choices=[ANY_UNIT, *now], value=ANY_UNIT), *refresh_sections(ANY_UNIT, t)

    tab = get_render_context()  # the tab this is built in: opening it reads the units anew
    if isinstance(tab, gr.Tab):
        tab.select(refresh_units, [unit, rtype], [unit, section, year], api_visibility="private")
    unit.change(refresh_sections, [unit, rtype], [section, year], api_visibility="private")
    rtype.change(refresh_sections, [unit, rtype], [section, year], api_visibility="private")
    # A new unit or type empties the pick list; what was typed in the topic stays (no update at all,
    # so that a late event cannot put back an older topic).
    section.change(lambda s: s if s else gr.update(), section, topic, api_visibility="private")
    button.click(
        lambda tp, u, t, y: run_draft(assistant, tp, u, t, y),
        [topic, unit, rtype, year],
        [result, files],
        api_visibility="private",
    )
    topic.submit(
        lambda tp, u, t, y: run_draft(assistant, tp, u, t, y),
        [topic, unit, rtype, year],
        [result, files],
        api_visibility="private",
    )
    return result

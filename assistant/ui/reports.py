"""The reports tab: the corpus as a table, upload, metadata correction, removal.

All changes go through :class:`assistant.api.Assistant` (validation, safe file
names, the manifest, incremental indexing); this module only collects the
input and shows the outcome in Swedish.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr

from ..documents import REPORT_TYPES, ReportMeta
from ..errors import AssistantError
from .render import esc, render_reports_table, render_status

if TYPE_CHECKING:
    from ..api import Assistant

__all__ = ["build_reports_tab", "metadata_changes", "report_choices", "upload_report"]

# Changes to the corpus run one at a time (questions meanwhile use the old index).
CORPUS_QUEUE = "corpus"


def report_choices(reports: list[ReportMeta]) -> list[tuple[str, str]]:
    return [(f"{r.title} ({r.year or 'år?'}, {r.unit or 'enhet?'})", r.report_id) for r in reports]


def metadata_changes(meta: ReportMeta, **wanted: Any) -> dict[str, Any]:
    """Only the fields the user actually changed; "" means "back to the detected value"."""
    changes: dict[str, Any] = {}
    for key, value in wanted.items():
        value = "" if value is None else str(value).strip()
        current = getattr(meta, key)
        current = "" if current is None else str(current)
        if value != current:
            changes[key] = value
    if changes.get("year"):
        try:
            year = int(changes["year"])
        except ValueError:
            raise AssistantError(f"Året ska vara ett årtal, t.ex. 2018 (fick '{changes['year']}').") from None
        if not 1900 <= year <= 2100:
            raise AssistantError(f"Året {year} är orimligt. Ange ett årtal mellan 1900 och 2100.")
        changes["year"] = year
    if changes.get("type") and changes["type"] not in REPORT_TYPES:
        raise AssistantError(f"Okänd rapporttyp '{changes['type']}'. Välj en av: {', '.join(REPORT_TYPES)}.")
    return changes


def upload_report(assistant: Assistant, path: str | Path, progress: Any = None) -> tuple[str, str]:
    """Add one uploaded file; returns (message, kind) for :func:`render_status`."""
    name = Path(path).name  # gradio keeps the uploaded file's own name as the last path part

    def report(message: str, fraction: float) -> None:
        if progress is not None:
            progress(max(0.0, min(1.0, fraction)), desc=message)

    try:
        meta = assistant.add_report(Path(path), filename=name, progress=report)
    except AssistantError as exc:
        return str(exc), "error"
    chunks = assistant.chunk_counts().get(meta.report_id, 0)
    return (
        f"{meta.title} är tillagd som {Path(meta.source).name} ({chunks} avsnitt) och går att söka i nu.",
        "ok",
    )


def build_reports_tab(assistant: Assistant) -> None:
    """Build the reports tab inside the current ``gr.Tab`` context."""

    def table() -> str:
        html = render_reports_table(assistant.reports(), assistant.chunk_counts())
        for error in assistant.load_errors:
            html += render_status(f"{error} Rapporten hoppas över.", "warn")
        return html

    def dropdown(selected: str | None = None) -> Any:
        choices = report_choices(assistant.reports())
        ids = [value for _, value in choices]
        return gr.update(choices=choices, value=selected if selected in ids else None)

    gr.Markdown("### Rapporterna i corpus/")
    table_html = gr.HTML(table(), elem_id="ra-reports-table")
    with gr.Row(equal_height=False):
        with gr.Column():
            gr.Markdown(
                "### Ladda upp en rapport\nPDF, Word (.docx) eller text (.txt). Filen kontrolleras, sparas i "
                f"corpus/ och indexeras; den går att söka i direkt efteråt. Högst {assistant.config.max_upload_mb} MB."
            )
            upload = gr.File(
                label="Rapportfil", file_types=[".pdf", ".docx", ".txt"], file_count="single", elem_id="ra-upload"
            )
            upload_btn = gr.Button("Ladda upp och indexera", variant="primary", elem_id="ra-upload-btn")
            upload_status = gr.HTML(elem_id="ra-upload-status")
        with gr.Column():
            gr.Markdown("### Rätta metadata\nÄndringar sparas i corpus/manifest.toml och indexet följer med.")
            pick = gr.Dropdown(
                choices=report_choices(assistant.reports()), label="Rapport", value=None, elem_id="ra-pick"
            )
            with gr.Row():
                title = gr.Textbox(label="Titel", elem_id="ra-meta-title", scale=3)
                year = gr.Textbox(label="År", elem_id="ra-meta-year", scale=1)
            with gr.Row():
                unit = gr.Textbox(label="Enhet", elem_id="ra-meta-unit")
                district = gr.Textbox(label="Stadsdel", elem_id="ra-meta-district")
                rtype = gr.Dropdown(choices=list(REPORT_TYPES), label="Typ", elem_id="ra-meta-type")
            gr.Markdown("Ett tömt fält återgår till det värde som upptäcktes i rapportens text.")
            with gr.Row():
                save_btn = gr.Button("Spara metadata", variant="primary", elem_id="ra-meta-save")
                remove_btn = gr.Button("Ta bort rapporten…", variant="stop", elem_id="ra-remove")
            with gr.Group(visible=False) as confirm_box:
                confirm_text = gr.HTML(elem_id="ra-confirm-text")
                with gr.Row():
                    yes_btn = gr.Button("Ja, ta bort", variant="stop", elem_id="ra-remove-yes")
                    no_btn = gr.Button("Avbryt", elem_id="ra-remove-no")
            meta_status = gr.HTML(elem_id="ra-meta-status")

    def on_upload(file: str | None, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:
        if not file:
            return render_status("Välj en fil först.", "warn"), gr.update(), gr.update(), gr.update()
        progress(0.0, desc="Kontrollerar filen…")
        message, kind = upload_report(assistant, file, progress)
        return render_status(message, kind), table(), dropdown(), None

    def on_pick(report_id: str | None) -> tuple[Any, ...]:
        if not report_id:
            return "", "", "", "", None, "", gr.update(visible=False)
        try:
            meta = assistant.document(report_id).meta
        except AssistantError as exc:
            return "", "", "", "", None, render_status(str(exc), "error"), gr.update(visible=False)
        return (
            meta.title,
            str(meta.year or ""),
            meta.unit or "",
            meta.district or "",
            meta.type,
            "",
            gr.update(visible=False),
        )

    def on_save(report_id: str | None, t: str, y: str, u: str, d: str, k: str | None) -> tuple[Any, ...]:
        if not report_id:
            return render_status("Välj en rapport först.", "warn"), gr.update(), gr.update()
        try:
            meta = assistant.document(report_id).meta
            changes = metadata_changes(meta, title=t, year=y, unit=u, district=d, type=k or "")
            if not changes:
                return render_status("Inget att spara: inga fält är ändrade.", "warn"), gr.update(), gr.update()
            meta = assistant.update_metadata(report_id, **changes)
        except AssistantError as exc:
            return render_status(str(exc), "error"), gr.update(), gr.update()
        names = ", ".join(changes)
        return (
            render_status(f"Sparat ({names}) för {meta.title}. Indexet är uppdaterat.", "ok"),
            table(),
            dropdown(report_id),
        )

    def on_remove(report_id: str | None) -> tuple[Any, ...]:
        if not report_id:
            return gr.update(visible=False), "", render_status("Välj en rapport först.", "warn")
        meta = assistant.document(report_id).meta
        text = (
            f'<div class="ra-status ra-warn">Vill du ta bort <strong>{esc(meta.title)}</strong> '
            f"({esc(meta.source)})? Filen flyttas till index/removed/ och rapporten försvinner ur sökningen.</div>"
        )
        return gr.update(visible=True), text, ""

    def on_confirm(report_id: str | None) -> tuple[Any, ...]:
        if not report_id:
            return gr.update(visible=False), render_status("Välj en rapport först.", "warn"), gr.update(), gr.update()
        try:
            title_text = assistant.document(report_id).meta.title
            assistant.remove_report(report_id)
        except (AssistantError, OSError) as exc:
            return gr.update(visible=False), render_status(str(exc), "error"), gr.update(), gr.update()
        return (
            gr.update(visible=False),
            render_status(f"{title_text} är borttagen ur corpus/ och indexet.", "ok"),
            table(),
            dropdown(),
        )

    upload_btn.click(
        on_upload,
        inputs=[upload],
        outputs=[upload_status, table_html, pick, upload],
        concurrency_limit=1,
        concurrency_id=CORPUS_QUEUE,
        api_visibility="private",
    )
    pick.change(on_pick, inputs=[pick], outputs=[title, year, unit, district, rtype, meta_status, confirm_box])
    save_btn.click(
        on_save,
        inputs=[pick, title, year, unit, district, rtype],
        outputs=[meta_status, table_html, pick],
        concurrency_limit=1,
        concurrency_id=CORPUS_QUEUE,
        api_visibility="private",
    )
    remove_btn.click(on_remove, inputs=[pick], outputs=[confirm_box, confirm_text, meta_status])
    no_btn.click(lambda: gr.update(visible=False), outputs=[confirm_box])
    yes_btn.click(
        on_confirm,
        inputs=[pick],
        outputs=[confirm_box, meta_status, table_html, pick],
        concurrency_limit=1,
        concurrency_id=CORPUS_QUEUE,
        api_visibility="private",
    )

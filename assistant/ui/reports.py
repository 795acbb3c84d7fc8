"""The reports tab: the corpus as a table, upload with a review of what was detected, metadata
correction, removal, and the original file of a report.

All changes go through :class:`assistant.api.Assistant` (validation, safe file
names, the manifest, incremental indexing); this module only collects the
input and shows the outcome in Swedish. The table and the report list are read
fresh whenever the page loads, the tab is opened, or the corpus changes.

An upload is read first (:func:`inspect_report`): when every detected field is
sure it is indexed at once; otherwise the detected values are shown, the
uncertain ones marked, and the report is indexed when the user confirms them
(corrections and confirmations go to corpus/manifest.toml).

The original file is served only from corpus/ (a copy handed to gradio for
download); a PDF's cited page is also shown as an image. A link
``?original=<report id>&sida=<n>`` (from a source card or the table) opens it.

Every handler that changes the corpus checks on the server that this session may
(``access.change_refusal``), whatever the page showed; a removal also needs its
confirmation asked in the same session. An uploaded file is moved out of
gradio's temporary folder (which gradio serves) as soon as the handler gets it,
kept under index/.uploads/ while it waits for confirmation, and deleted once it
is imported, refused or cancelled.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr

from ..documents import REPORT_TYPES, Document, ReportMeta
from ..errors import AssistantError, DependencyMissingError
from ..ingest.library import inspect_upload, original_file
from ..ingest.manifest import check_fields
from ..ingest.metadata import DETECTED_FIELDS, sure_confidence
from .access import change_refusal, read_only
from .render import FIELD_NAMES, esc, render_reports_table, render_status

if TYPE_CHECKING:
    from ..api import Assistant

__all__ = [
    "ReportsTab",
    "build_reports_tab",
    "confirmed_metadata",
    "discard_upload",
    "hold_upload",
    "inspect_report",
    "metadata_changes",
    "open_original",
    "report_choices",
    "uncertain_fields",
    "upload_report",
]

# What a detection source is called in the review ("titelraden, filnamnet").
SOURCE_NAMES = {
    "field": "ett fält (t.ex. Enhet:)",
    "title": "titelraden",
    "title_next": "titelsidan",
    "addressee": "mottagaren (Till)",
    "properties": "filens egenskaper",
    "file_name": "filnamnet",
    "text_repeated": "texten",
    "text_only": "bara texten",
    "administration": "förvaltningens namn i texten",
    "mention": "ett omnämnande i texten",
    "manifest": "manifestet",
}

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


def inspect_report(assistant: Assistant, path: str | Path) -> Document:
    """Read an uploaded file as the corpus would, without adding it: its detected metadata."""
    return inspect_upload(
        Path(path).read_bytes(),
        Path(path).name,  # gradio keeps the uploaded file's own name as the last path part
        assistant.config.corpus,
        assistant.config.root,
        max_mb=assistant.config.max_upload_mb,
        existing=assistant.corpus.documents,
        limits=assistant.config.ingest_limits,
    )


def _holding(assistant: Assistant) -> Path:
    return assistant.config.index / ".uploads"


def hold_upload(assistant: Assistant, path: str | Path) -> Path:
    """Move an uploaded file out of gradio's temporary folder (which gradio serves to anyone who knows
    the path) into a folder of its own under index/.uploads/, keeping its name; returns the new path."""
    source = Path(path)
    folder = _holding(assistant) / secrets.token_hex(8)
    folder.mkdir(parents=True)
    target = folder / source.name
    shutil.move(str(source), target)
    try:
        source.parent.rmdir()  # gradio's folder for this one upload, now empty
    except OSError:
        pass
    return target


def discard_upload(path: str | Path | None) -> None:
    """Delete a held upload (after it is imported, refused or cancelled)."""
    if not path:
        return
    held = Path(path)
    held.unlink(missing_ok=True)
    try:
        held.parent.rmdir()
    except OSError:
        pass


def uncertain_fields(meta: ReportMeta) -> list[str]:
    """The detected fields that need a person's eye: missing, or below the sure confidence."""
    sure = sure_confidence()
    return [k for k in DETECTED_FIELDS if getattr(meta, k) in (None, "") or meta.confidence.get(k, 0.0) < sure]


def confirmed_metadata(meta: ReportMeta, **wanted: Any) -> dict[str, Any]:
    """What to save with an upload: the fields the user changed, and the uncertain ones they confirmed."""
    changes = metadata_changes(meta, **wanted)
    for key in uncertain_fields(meta):
        value = wanted.get(key)
        if key not in changes and value not in (None, ""):
            changes[key] = int(value) if key == "year" else str(value).strip()
    return {k: v for k, v in changes.items() if v != ""}


def upload_report(
    assistant: Assistant, path: str | Path, progress: Any = None, *, metadata: dict[str, Any] | None = None
) -> tuple[str, str]:
    """Add one uploaded file; returns (message, kind) for :func:`render_status`."""
    name = Path(path).name  # gradio keeps the uploaded file's own name as the last path part

    def report(message: str, fraction: float) -> None:
        if progress is not None:
            progress(max(0.0, min(1.0, fraction)), desc=message)

    try:
        meta = assistant.add_report(Path(path), filename=name, progress=report, metadata=metadata)
    except AssistantError as exc:
        return str(exc), "error"
    chunks = assistant.chunk_counts().get(meta.report_id, 0)
    return (
        f"{meta.title} är tillagd som {Path(meta.source).name} ({chunks} avsnitt) och går att söka i nu.",
        "ok",
    )


@dataclass
class Original:
    """A report's original file, copied out of corpus/ for the browser, and a PDF page as an image."""

    file: str | None = None
    image: str | None = None
    message: str = ""
    kind: str = "ok"


def open_original(assistant: Assistant, report_id: str | None, page: Any = None) -> Original:
    """A copy of the report's own file (only ever from corpus/), and for a PDF ``page`` rendered."""
    if not report_id:
        return Original(message="Välj en rapport först.", kind="warn")
    try:
        meta = assistant.document(report_id).meta
        source = original_file(meta.source, assistant.config.corpus, assistant.config.root)
    except AssistantError as exc:
        return Original(message=str(exc), kind="error")
    folder = Path(tempfile.mkdtemp(prefix="ra-original-"))
    copy = folder / source.name
    shutil.copy2(source, copy)
    if source.suffix.lower() != ".pdf":
        return Original(str(copy), None, f"{meta.title}: originalfilen {source.name} kan laddas ned.")
    pages = meta.pages or 1
    try:
        number = min(max(int(page or 1), 1), pages)
    except (TypeError, ValueError):
        number = 1
    try:
        image = _render_pdf_page(source, number, folder / f"sida-{number}.png")
    except DependencyMissingError as exc:
        return Original(str(copy), None, f"Originalfilen kan laddas ned, men sidan kan inte visas: {exc}", "warn")
    return Original(str(copy), str(image), f"{meta.title}: sida {number} av {pages} ({source.name}).")


def _render_pdf_page(pdf: Path, number: int, out: Path) -> Path:
    try:
        import pypdfium2 as pdfium
    except ImportError as exc:
        raise DependencyMissingError("pypdfium2", purpose="att visa en sida ur en PDF") from exc
    doc = pdfium.PdfDocument(str(pdf))
    try:
        doc[number - 1].render(scale=1.4).to_pil().save(out)
    finally:
        doc.close()
    return out


@dataclass
class ReportsTab:
    """What the app wires to page load: ``on_load(request)`` refreshes the table and list and opens
    ``?original=…`` links; its outputs follow the tab switch the app adds in front."""

    on_load: Any
    load_outputs: list[Any] = field(default_factory=list)


def build_reports_tab(assistant: Assistant) -> ReportsTab:
    """Build the reports tab inside the current ``gr.Tab`` context."""

    def table() -> str:
        html = render_reports_table(assistant.reports(), assistant.chunk_counts())
        for error in assistant.load_errors:
            html += render_status(f"{error} Rapporten hoppas över.", "warn")
        for problem in assistant.manifest_problems:
            html += render_status(str(problem), "warn")
        return html

    def dropdown(selected: str | None = None) -> Any:
        choices = report_choices(assistant.reports())
        ids = [value for _, value in choices]
        return gr.update(choices=choices, value=selected if selected in ids else None)

    shutil.rmtree(_holding(assistant), ignore_errors=True)  # uploads held by a previous run can never be confirmed
    changes = not read_only(assistant.config)
    gr.Markdown("### Rapporterna i corpus/")
    if not changes:
        gr.HTML(render_status(change_refusal(assistant.config, None), "warn"), elem_id="ra-read-only")
    table_html = gr.HTML(table(), elem_id="ra-reports-table")
    pending = gr.State(None)  # the uploaded file waiting for the user's confirmation
    to_remove = gr.State(None)  # the report this session asked to remove, until it confirms
    with gr.Row(equal_height=False):
        with gr.Column():
            gr.Markdown(
                "### Ladda upp en rapport\nPDF, Word (.docx) eller text (.txt). Filen kontrolleras och det som "
                "upptäcks (enhet, stadsdel, år, typ) visas; är något osäkert får du bekräfta eller rätta det innan "
                f"rapporten sparas i corpus/ och indexeras. Högst {assistant.config.max_upload_mb} MB."
            )
            upload = gr.File(
                label="Rapportfil", file_types=[".pdf", ".docx", ".txt"], file_count="single", elem_id="ra-upload"
            )
            upload_btn = gr.Button(
                "Ladda upp och indexera", variant="primary", elem_id="ra-upload-btn", interactive=changes
            )
            upload_status = gr.HTML(elem_id="ra-upload-status")
            with gr.Group(visible=False, elem_id="ra-review") as review_box:
                review_text = gr.HTML(elem_id="ra-review-text")
                with gr.Row():
                    new_title = gr.Textbox(label="Titel", elem_id="ra-new-title", scale=3)
                    new_year = gr.Textbox(label="År", elem_id="ra-new-year", scale=1)
                with gr.Row():
                    new_unit = gr.Textbox(label="Enhet", elem_id="ra-new-unit")
                    new_district = gr.Textbox(label="Stadsdel", elem_id="ra-new-district")
                    new_type = gr.Dropdown(choices=list(REPORT_TYPES), label="Typ", elem_id="ra-new-type")
                with gr.Row():
                    confirm_upload = gr.Button("Bekräfta och indexera", variant="primary", elem_id="ra-upload-confirm")
                    cancel_upload = gr.Button("Avbryt", elem_id="ra-upload-cancel")
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
                save_btn = gr.Button("Spara metadata", variant="primary", elem_id="ra-meta-save", interactive=changes)
                remove_btn = gr.Button("Ta bort rapporten…", variant="stop", elem_id="ra-remove", interactive=changes)
            with gr.Group(visible=False) as confirm_box:
                confirm_text = gr.HTML(elem_id="ra-confirm-text")
                with gr.Row():
                    yes_btn = gr.Button("Ja, ta bort", variant="stop", elem_id="ra-remove-yes")
                    no_btn = gr.Button("Avbryt", elem_id="ra-remove-no")
            meta_status = gr.HTML(elem_id="ra-meta-status")
            gr.Markdown("### Originalfilen\nLadda ned rapportens egen fil; för en PDF visas också den valda sidan.")
            with gr.Row():
                orig_page = gr.Number(label="Sida (PDF)", value=1, precision=0, minimum=1, elem_id="ra-orig-page")
                orig_btn = gr.Button("Öppna originalet", elem_id="ra-orig-open")
            orig_status = gr.HTML(elem_id="ra-orig-status")
            orig_file = gr.File(label="Originalfil", interactive=False, elem_id="ra-orig-file")
            orig_image = gr.Image(label="Sidan", type="filepath", interactive=False, elem_id="ra-orig-image")

    review_fields = [new_title, new_year, new_unit, new_district, new_type]
    unchanged = (gr.update(), gr.update())  # the table and the report list
    hidden_review = (gr.update(visible=False), "", *([gr.update(value=None)] * len(review_fields)))

    def on_upload(file: str | None, request: gr.Request, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:
        if not file:
            return (
                render_status("Välj en fil först.", "warn"),
                gr.update(),
                gr.update(),
                gr.update(),
                None,
                *hidden_review,
            )
        held = hold_upload(assistant, file)  # never left where gradio serves it
        refused = change_refusal(assistant.config, request)
        if refused:
            discard_upload(held)
            return render_status(refused, "error"), gr.update(), gr.update(), None, None, *hidden_review
        progress(0.0, desc="Läser filen…")
        try:
            doc = inspect_report(assistant, held)
        except AssistantError as exc:
            discard_upload(held)
            return render_status(str(exc), "error"), gr.update(), gr.update(), None, None, *hidden_review
        meta = doc.meta
        doubtful = uncertain_fields(meta)
        if not doubtful:  # everything is sure: one click
            message, kind = upload_report(assistant, held, progress)
            discard_upload(held)
            status = render_status(f"{message} {_detected_line(meta)}", kind)
            return status, table(), dropdown(), None, None, *hidden_review
        review = (
            gr.update(visible=True),
            _render_review(meta, doubtful),
            gr.update(value=meta.title, label="Titel"),
            gr.update(value=str(meta.year or ""), label=_label("year", doubtful)),
            gr.update(value=meta.unit or "", label=_label("unit", doubtful)),
            gr.update(value=meta.district or "", label=_label("district", doubtful)),
            gr.update(value=meta.type, label=_label("type", doubtful)),
        )
        status = render_status(
            f"Kontrollera {', '.join(FIELD_NAMES[k] for k in doubtful)} och bekräfta, så indexeras rapporten.", "warn"
        )
        return status, gr.update(), gr.update(), None, {"file": str(held), "meta": meta}, *review

    def on_confirm_upload(
        state: dict[str, Any] | None,
        t: str,
        y: str,
        u: str,
        d: str,
        k: str | None,
        request: gr.Request,
        progress: gr.Progress = gr.Progress(),
    ) -> tuple[Any, ...]:
        if not state:
            return (
                render_status("Ladda upp en fil först.", "warn"),
                gr.update(),
                gr.update(),
                None,
                None,
                *hidden_review,
            )
        refused = change_refusal(assistant.config, request)
        if refused:
            discard_upload(state.get("file"))
            return render_status(refused, "error"), gr.update(), gr.update(), None, None, *hidden_review
        try:
            metadata = confirmed_metadata(state["meta"], title=t, year=y, unit=u, district=d, type=k or "")
            check_fields(Path(state["meta"].source).name, metadata, max_field_chars=assistant.config.max_field_chars)
        except AssistantError as exc:
            keep = [gr.update()] * 7
            return render_status(str(exc), "error"), gr.update(), gr.update(), state, gr.update(), *keep
        message, kind = upload_report(assistant, state["file"], progress, metadata=metadata)
        discard_upload(state["file"])
        if kind != "ok":
            return render_status(message, kind), gr.update(), gr.update(), None, None, *hidden_review
        return render_status(message, kind), table(), dropdown(), None, None, *hidden_review

    def on_cancel_upload(state: dict[str, Any] | None) -> tuple[Any, ...]:
        if state:
            discard_upload(state.get("file"))
        return render_status("Uppladdningen avbröts; ingenting sparades.", "warn"), None, None, *hidden_review

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

    def on_save(
        report_id: str | None, t: str, y: str, u: str, d: str, k: str | None, request: gr.Request
    ) -> tuple[Any, ...]:
        if not report_id:
            return render_status("Välj en rapport först.", "warn"), gr.update(), gr.update()
        refused = change_refusal(assistant.config, request)
        if refused:
            return render_status(refused, "error"), gr.update(), gr.update()
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

    def on_remove(report_id: str | None, request: gr.Request) -> tuple[Any, ...]:
        """Ask for the confirmation (remembered for this session only)."""
        if not report_id:
            return gr.update(visible=False), "", render_status("Välj en rapport först.", "warn"), None, *unchanged
        refused = change_refusal(assistant.config, request)
        if refused:
            return gr.update(visible=False), "", render_status(refused, "error"), None, *unchanged
        try:
            meta = assistant.document(report_id).meta
        except AssistantError:  # removed meanwhile, in another window or from the command line
            message = render_status(
                "Rapporten finns inte längre; den är redan borttagen (kanske i ett annat fönster). "
                "Listan är uppdaterad.",
                "warn",
            )
            return gr.update(visible=False), "", message, None, table(), dropdown()
        text = (
            f'<div class="ra-status ra-warn">Vill du ta bort <strong>{esc(meta.title)}</strong> '
            f"({esc(meta.source)})? Filen flyttas till index/removed/ och rapporten försvinner ur sökningen.</div>"
        )
        return gr.update(visible=True), text, "", report_id, *unchanged

    def on_confirm(report_id: str | None, asked: str | None, request: gr.Request) -> tuple[Any, ...]:
        if not report_id:
            return gr.update(visible=False), render_status("Välj en rapport först.", "warn"), None, *unchanged
        refused = change_refusal(assistant.config, request)
        if refused:
            return gr.update(visible=False), render_status(refused, "error"), None, *unchanged
        if asked != report_id:  # the confirmation belongs to what this session asked to remove
            message = "Klicka på Ta bort rapporten… och bekräfta med Ja, ta bort."
            return gr.update(visible=False), render_status(message, "warn"), None, *unchanged
        try:
            title_text = assistant.document(report_id).meta.title
        except AssistantError:
            title_text = report_id  # removed meanwhile: remove_report says so
        try:
            assistant.remove_report(report_id)
        except (AssistantError, OSError) as exc:
            return gr.update(visible=False), render_status(str(exc), "error"), None, table(), dropdown()
        return (
            gr.update(visible=False),
            render_status(f"{title_text} är borttagen ur corpus/ och indexet.", "ok"),
            None,
            table(),
            dropdown(),
        )

    upload_btn.click(
        on_upload,
        inputs=[upload],
        outputs=[upload_status, table_html, pick, upload, pending, review_box, review_text, *review_fields],
        concurrency_limit=1,
        concurrency_id=CORPUS_QUEUE,
        api_visibility="private",
    )
    confirm_upload.click(
        on_confirm_upload,
        inputs=[pending, *review_fields],
        outputs=[upload_status, table_html, pick, pending, upload, review_box, review_text, *review_fields],
        concurrency_limit=1,
        concurrency_id=CORPUS_QUEUE,
        api_visibility="private",
    )
    cancel_upload.click(
        on_cancel_upload,
        inputs=[pending],
        outputs=[upload_status, pending, upload, review_box, review_text, *review_fields],
        api_visibility="private",
    )

    def on_original(report_id: str | None, page: Any) -> tuple[Any, ...]:
        original = open_original(assistant, report_id, page)
        image = gr.update(value=original.image, visible=original.image is not None)
        return render_status(original.message, original.kind), original.file, image

    orig_btn.click(
        on_original,
        inputs=[pick, orig_page],
        outputs=[orig_status, orig_file, orig_image],
        api_visibility="private",
    )

    def on_load(request: gr.Request) -> tuple[Any, ...]:
        """Fresh table and list; a ``?original=<id>&sida=<n>`` link opens that report's original here
        (``sida``: gradio reads ``page`` itself)."""
        params = dict(request.query_params) if request is not None else {}
        report_id = params.get("original")
        if not report_id:
            return gr.update(), table(), dropdown(), gr.update(), gr.update(), gr.update(), gr.update()
        try:
            page = max(1, int(params.get("sida") or 1))
        except ValueError:
            page = 1
        status, file, image = on_original(report_id, page)
        return gr.update(selected="reports"), table(), dropdown(report_id), page, status, file, image

    pick.change(
        on_pick,
        inputs=[pick],
        outputs=[title, year, unit, district, rtype, meta_status, confirm_box],
        api_visibility="private",
    )
    save_btn.click(
        on_save,
        inputs=[pick, title, year, unit, district, rtype],
        outputs=[meta_status, table_html, pick],
        concurrency_limit=1,
        concurrency_id=CORPUS_QUEUE,
        api_visibility="private",
    )
    remove_btn.click(
        on_remove,
        inputs=[pick],
        outputs=[confirm_box, confirm_text, meta_status, to_remove, table_html, pick],
        api_visibility="private",
    )
    no_btn.click(lambda: (gr.update(visible=False), None), outputs=[confirm_box, to_remove], api_visibility="private")
    yes_btn.click(
        on_confirm,
        inputs=[pick, to_remove],
        outputs=[confirm_box, meta_status, to_remove, table_html, pick],
        concurrency_limit=1,
        concurrency_id=CORPUS_QUEUE,
        api_visibility="private",
    )
    return ReportsTab(on_load, [table_html, pick, orig_page, orig_status, orig_file, orig_image])


def _label(key: str, doubtful: list[str]) -> str:
    name = FIELD_NAMES[key].capitalize()
    return f"{name} – osäkert, kontrollera" if key in doubtful else name


def _render_review(meta: ReportMeta, doubtful: list[str]) -> str:
    """What was detected in the file, field by field: the value, sure or not, and from where."""
    rows = []
    for key in DETECTED_FIELDS:
        value = getattr(meta, key)
        sources = ", ".join(SOURCE_NAMES.get(s, s) for s in meta.evidence.get(key, ()))
        state = "osäkert" if key in doubtful else "säkert"
        cls = "ra-doubt" if key in doubtful else "ra-sure"
        shown = "hittades inte" if value in (None, "") else value
        rows.append(
            f'<tr class="{cls}" data-field="{key}"><th>{esc(FIELD_NAMES[key].capitalize())}</th>'
            f"<td>{esc(shown)}</td><td>{state}</td><td>{esc(sources or '–')}</td></tr>"
        )
    return (
        f'<div class="ra-status ra-warn">Det här upptäcktes i <strong>{esc(Path(meta.source).name)}</strong>. '
        "Kontrollera de osäkra fälten, rätta dem vid behov och bekräfta.</div>"
        '<table class="ra-table ra-review"><thead><tr><th>Fält</th><th>Upptäckt</th><th>Säkerhet</th>'
        "<th>Källa</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def _detected_line(meta: ReportMeta) -> str:
    parts = [f"{FIELD_NAMES[k]}: {getattr(meta, k)}" for k in DETECTED_FIELDS if getattr(meta, k)]
    return "Upptäckt: " + "; ".join(parts) + "."

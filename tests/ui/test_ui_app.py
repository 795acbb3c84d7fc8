"""The web app against the real corpus, model and index (in a temporary copy).

Handlers are called as the browser's events call them; the concurrency test
talks to the running app over HTTP with gradio_client, one session per thread.
The browser itself is exercised in ``tests/browser/test_e2e.py``.
"""

from __future__ import annotations

import shutil
import socket
import statistics
import sys
import time
import types
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.config import Config
from assistant.errors import AssistantError
from assistant.ingest.library import safe_filename
from assistant.ui import app as ui_app
from assistant.ui.chat import ask_turn, drop_filters, open_source
from assistant.ui.render import PASSAGE_ID, render_conversation, render_reports_table
from assistant.ui.reports import metadata_changes, upload_report

PROJECT = Path(__file__).resolve().parents[2]
QUESTION = "Vad var sjukfrånvaron för Assistansenheten 2018?"
ARTIFACTS = PROJECT / "tmp" / "artifacts"

pytestmark = pytest.mark.slow


def copy_project(target: Path) -> Path:
    """corpus/*.txt (+ manifest) and the built index/, so nothing here touches the real corpus."""
    (target / "corpus").mkdir(parents=True)
    for f in (PROJECT / "corpus").iterdir():
        if f.suffix in {".txt", ".pdf", ".docx", ".toml"}:
            shutil.copy2(f, target / "corpus" / f.name)
    if (PROJECT / "index").is_dir():
        shutil.copytree(PROJECT / "index", target / "index", ignore=shutil.ignore_patterns("removed", ".building-*"))
    return target


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = copy_project(tmp_path_factory.mktemp("ui-root"))
    return Assistant(Config(root=root))


@pytest.fixture()
def own_assistant(tmp_path: Path, assistant: Assistant) -> Assistant:
    """A private copy for tests that change the corpus (index copied from the shared one)."""
    root = copy_project(tmp_path / "root")
    shutil.rmtree(root / "index")
    shutil.copytree(assistant.config.index, root / "index")
    return Assistant(Config(root=root))


# ------------------------------------------------------------------ chat
def test_answer_cites_the_asked_year(assistant: Assistant) -> None:
    turn = ask_turn(assistant, QUESTION, {})
    assert turn.answer is not None and not turn.answer.abstained
    assert {c.year for c in turn.answer.citations} == {2018}
    html = render_conversation([turn])
    assert 'data-year="2018"' in html and "Assistansenheten" in html


def test_removing_an_inferred_filter_asks_again_without_it(assistant: Assistant) -> None:
    turn = ask_turn(assistant, QUESTION, {})
    assert turn.answer is not None
    assert turn.answer.inferred == {"year": 2018, "unit": "Assistansenheten"}
    no_year = drop_filters(assistant, turn, "year")
    assert no_year.answer is not None
    assert no_year.dropped == ("year",)
    assert no_year.answer.filters["year"] is None
    assert no_year.answer.filters["unit"] == "Assistansenheten"  # the other inferred filter stays
    html = render_conversation([turn, no_year])
    assert 'data-turn="1" data-key="unit"' in html  # ... and can still be removed
    assert "Sökt utan de tolkade filtren: år" in html
    none = drop_filters(assistant, turn, "*")
    assert none.answer is not None
    assert none.answer.filters == {"year": None, "unit": None, "type": None}


def test_explicit_filters_and_errors(assistant: Assistant) -> None:
    turn = ask_turn(assistant, "Vad var sjukfrånvaron?", {"year": [2014]})
    assert turn.answer is not None and {c.year for c in turn.answer.citations} == {2014}
    bad = ask_turn(assistant, "Vad var sjukfrånvaron?", {"unit": "Finns inte-enheten"})
    assert bad.answer is None and "Okänd enhet" in bad.error


def test_question_about_a_missing_year_abstains(assistant: Assistant) -> None:
    turn = ask_turn(assistant, "Vad var sjukfrånvaron för Assistansenheten 2031?", {})
    assert turn.answer is not None and turn.answer.abstained
    html = render_conversation([turn])
    assert "ra-abstained" in html and "Inget svar hittades" in html and "2031" in html


def test_source_viewer_opens_the_report_at_the_passage(assistant: Assistant) -> None:
    turn = ask_turn(assistant, QUESTION, {})
    assert turn.answer is not None
    c = turn.answer.citations[0]
    html = open_source(assistant, [turn], 0, c.n)
    assert html.count(f'id="{PASSAGE_ID}"') == 1
    doc = assistant.document(c.report_id)
    assert len(html) > len(doc.text)  # the whole report, not only the passage
    assert 'class="ra-doc-passage ra-doc-quote"' in html
    assert "Klicka på en källa" in open_source(assistant, [turn], 5, 1)  # unknown turn: placeholder


# ------------------------------------------------------------------ reports
def test_upload_is_searchable_and_duplicates_are_recognised(own_assistant: Assistant, tmp_path: Path) -> None:
    f = tmp_path / "fjaril.txt"
    f.write_text(
        "Verksamhetsberättelse 2023\n\nFjärilsenheten\n\nSammanfattande analys\n\n"
        "Fjärilsenheten genomförde 17 brandövningar under 2023, fler än något tidigare år.\n",
        encoding="utf-8",
    )
    message, kind = upload_report(own_assistant, f)
    assert kind == "ok", message
    assert (own_assistant.config.corpus / "fjaril.txt").exists()
    answer = own_assistant.ask("Hur många brandövningar genomförde Fjärilsenheten 2023?")
    assert "17 brandövningar" in answer.answer
    message, kind = upload_report(own_assistant, f)
    assert kind == "error" and "finns redan" in message


def test_upload_rejects_what_is_not_a_report(own_assistant: Assistant, tmp_path: Path) -> None:
    png = tmp_path / "bild.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    message, kind = upload_report(own_assistant, png)
    assert kind == "error" and "bild.txt" in message
    assert not (own_assistant.config.corpus / "bild.txt").exists()


@pytest.mark.parametrize(
    "name", ["../../x.txt", "..\\..\\x.txt", "/etc/passwd.txt", "corpus/../../../x.txt", "..", "<script>.txt"]
)
def test_uploaded_names_never_leave_the_corpus(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    safe = safe_filename(name, ".txt", folder)
    assert (folder / safe).resolve().parent == folder.resolve()
    assert "/" not in safe and "\\" not in safe and "<" not in safe


def test_upload_with_a_traversal_name_lands_in_corpus(own_assistant: Assistant, tmp_path: Path) -> None:
    f = tmp_path / "upload" / "rapport.txt"
    f.parent.mkdir()
    f.write_text("Verksamhetsberättelse 2022\n\nMånenheten\n\nMånenheten hade 3 möten 2022.\n", encoding="utf-8")
    meta = own_assistant.add_report(f, filename="../../x.txt")
    root = own_assistant.config.root
    assert (root / meta.source).resolve().parent == own_assistant.config.corpus
    assert not (root.parent / "x.txt").exists() and not (own_assistant.config.corpus.parent / "x.txt").exists()


def test_metadata_correction_is_saved_and_shown(own_assistant: Assistant) -> None:
    report = own_assistant.reports()[0]
    changes = metadata_changes(
        report,
        title=report.title,
        year=str(report.year),
        unit="Assistansenheten Nord",
        district=report.district or "",
        type=report.type,
    )
    assert changes == {"unit": "Assistansenheten Nord"}
    own_assistant.update_metadata(report.report_id, **changes)
    manifest = (own_assistant.config.corpus / "manifest.toml").read_text(encoding="utf-8")
    assert "Assistansenheten Nord" in manifest
    html = render_reports_table(own_assistant.reports(), own_assistant.chunk_counts())
    assert "Assistansenheten Nord" in html and "rättat: enhet" in html
    back = metadata_changes(own_assistant.document(report.report_id).meta, unit="")
    own_assistant.update_metadata(report.report_id, **back)
    assert own_assistant.document(report.report_id).meta.unit == report.unit


def test_metadata_changes_validate() -> None:
    from assistant.documents import ReportMeta

    meta = ReportMeta("r", "corpus/r.txt", "T", "U", None, 2018, "verksamhetsplan", None)
    assert metadata_changes(meta, title="T", year="2018", unit="U") == {}
    with pytest.raises(AssistantError, match="årtal"):
        metadata_changes(meta, year="tjugo")
    with pytest.raises(AssistantError, match="Okänd rapporttyp"):
        metadata_changes(meta, type="roman")


def test_remove_report(own_assistant: Assistant) -> None:
    report = own_assistant.reports()[0]
    own_assistant.remove_report(report.report_id)
    assert report.report_id not in {r.report_id for r in own_assistant.reports()}
    assert report.report_id not in own_assistant.chunk_counts()
    assert list((own_assistant.config.index / "removed").iterdir())


# ------------------------------------------------------------------ app
def test_optional_tabs_are_added_only_when_their_modules_import(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("assistant_test_fake_tab")
    module.build_fake_tab = lambda assistant: None  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "assistant_test_fake_tab", module)
    monkeypatch.setattr(
        ui_app,
        "OPTIONAL_TABS",
        (
            ("Finns", ("assistant.ui.no_such_tab", "assistant_test_fake_tab"), "build_fake_tab"),
            ("Saknas", ("assistant.ui.no_such_tab",), "build_x"),
        ),
    )
    assert [label for label, _ in ui_app.optional_tabs()] == ["Finns"]


def test_app_builds_with_swedish_tabs(assistant: Assistant) -> None:
    demo = ui_app.build_app(assistant)
    labels = [getattr(b, "label", None) for b in demo.blocks.values() if type(b).__name__ == "Tab"]
    assert labels[0] == "Fråga" and labels[-1] == "Rapporter"
    assert set(labels[1:-1]) == {label for label, _ in ui_app.optional_tabs()}


def test_launch_options_bind_locally_and_need_both_login_values(tmp_path: Path) -> None:
    opts = ui_app.launch_options(Config(root=tmp_path))
    assert opts["server_name"] == "127.0.0.1" and opts["auth"] is None and opts["share"] is False
    assert "allowed_paths" not in opts
    opts = ui_app.launch_options(Config(root=tmp_path, auth_user="anna", auth_password="hemligt", port=8123))
    assert opts["auth"] == ("anna", "hemligt") and opts["server_port"] == 8123
    with pytest.raises(AssistantError, match="RAPPORT_PASSWORD"):
        ui_app.launch_options(Config(root=tmp_path, auth_user="anna"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


CONCURRENT = [
    ("Vad var sjukfrånvaron för Assistansenheten 2018?", 2018),
    ("Vad var sjukfrånvaron för Assistansenheten 2012?", 2012),
    ("Vad var sjukfrånvaron för Beställarenheten funktionsnedsättning 2014?", 2014),
    ("Vad var sjukfrånvaron för Enheten för personligt stöd 2020?", 2020),
    ("Hur många synpunkter och klagomål fick Enheten för personligt stöd 2020?", 2020),
    ("Hur arbetade Beställarenheten funktionsnedsättning med internkontroll 2014?", 2014),
    ("Vad visade brukarundersökningen för Assistansenheten 2018?", 2018),
    ("Vilka utvecklingsområden har Enheten för personligt stöd för 2025?", 2025),
    ("Hur blev det ekonomiska resultatet för Assistansenheten 2012?", 2012),
    ("Vad var sjukfrånvaron 2014?", 2014),
]


def test_ten_questions_at_once_are_all_answered_correctly(assistant: Assistant) -> None:
    from gradio_http import GradioSession

    port = _free_port()
    demo, url = ui_app.launch(assistant, prevent_thread_lock=True, port=port)

    def ask(session: GradioSession, question: str) -> str:
        result = session.call("ra-ask", {"ra-question": question})  # as the page asks: its own events
        assert result.success, result.error
        return str(result.output[2])

    try:
        expected = {q: assistant.ask(q).as_text() for q, _ in CONCURRENT}

        def one(item: tuple[str, int]) -> tuple[str, int, str, float]:
            question, year = item
            session = GradioSession(url)
            try:
                t0 = time.perf_counter()
                return question, year, ask(session, question), time.perf_counter() - t0
            finally:
                session.close()

        # Baseline in the same process: the same ten questions one after the other, each in a new session.
        started = time.perf_counter()
        for question, _ in CONCURRENT:
            session = GradioSession(url)
            ask(session, question)
            session.close()
        sequential = time.perf_counter() - started
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=len(CONCURRENT)) as pool:
            results = list(pool.map(one, CONCURRENT))
        wall = time.perf_counter() - started
    finally:
        demo.close()
    for question, year, text, _ in results:
        assert text == expected[question], question  # the same answer as asked alone, not another's
        sources = [line for line in text.splitlines() if line.startswith("[")]
        assert sources and all(f", {year}, " in line for line in sources), (question, sources)
    latencies = sorted(r[3] for r in results)
    report = (
        f"10 samtidiga frågor (egen session var): total {wall:.2f} s, per fråga median "
        f"{statistics.median(latencies):.2f} s, max {latencies[-1]:.2f} s; "
        f"samma 10 i följd i en session: {sequential:.2f} s"
    )
    print(report)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "concurrency.txt").write_text(report + "\n", encoding="utf-8")


def test_every_example_question_shown_is_one_the_assistant_answers(assistant: Assistant) -> None:
    import html
    import re

    from gradio_http import GradioSession

    demo, url = ui_app.launch(assistant, prevent_thread_lock=True, port=_free_port())
    try:
        session = GradioSession(url)
        [examples] = [c for c in session.config["components"] if c.get("props", {}).get("elem_id") == "ra-examples"]
        session.close()
    finally:
        demo.close()
    questions = [html.unescape(q) for q in re.findall(r'data-q="([^"]+)"', str(examples["props"]["value"]))]
    assert len(questions) >= 4
    for question in questions:
        assert not assistant.ask(question).abstained, question


def test_the_draft_tab_lists_a_unit_uploaded_after_the_page_was_built(own_assistant: Assistant, tmp_path: Path) -> None:
    from gradio_http import GradioSession
    from hostile import REPORT_TEXT

    demo, url = ui_app.launch(own_assistant, prevent_thread_lock=True, port=_free_port())
    try:
        report = tmp_path / "Provenheten 2023.txt"
        report.write_text(REPORT_TEXT, encoding="utf-8")
        own_assistant.add_report(report, metadata={"unit": "Provenheten", "year": 2023})  # e.g. in another session
        session = GradioSession(url)
        unit_id = session.component_id("ra-draft-unit")
        # the event of opening the draft tab: a "select" whose outputs include its unit list
        [opened] = [
            d
            for d in session.config["dependencies"]
            if unit_id in d["outputs"] and [t[1] for t in d["targets"]] == ["select"]
        ]
        props = {int(c["id"]): c.get("props", {}) for c in session.config["components"]}
        result = session.call_fn(int(opened["id"]), [props[i].get("value") for i in opened["inputs"]])
        session.close()
    finally:
        demo.close()
    assert result.success, result.error
    update = result.output[0]
    assert "Provenheten" in [choice[0] if isinstance(choice, list) else choice for choice in update["choices"]]

"""A bounded load test: sessions asking at the same time on 127.0.0.1 while a report is uploaded
and indexed through the page. Correctness is the test: every answer is the one the question gets
alone (before the upload or after it, as the index is swapped in between), and the uploaded report
is answered from afterwards. Latency is measured by scripts/bench_load.py, not asserted here.
"""

from __future__ import annotations

import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from gradio_http import GradioSession, served
from hostile import REPORT_TEXT

from assistant.api import Assistant
from assistant.config import Config
from assistant.index.embeddings import Embedder

pytestmark = pytest.mark.slow

SESSIONS = 6
QUESTIONS = [
    "Vad var sjukfrånvaron för Assistansenheten 2018?",
    "Vad var sjukfrånvaron för Beställarenheten funktionsnedsättning 2014?",
    "Hur många synpunkter och klagomål fick Enheten för personligt stöd 2020?",
    "Vad visade brukarundersökningen för Assistansenheten 2018?",
    "Hur blev det ekonomiska resultatet för Assistansenheten 2012?",
    "Vilka utvecklingsområden har Enheten för personligt stöd för 2025?",
]
NEW_REPORT_QUESTION = "Hur många brandövningar genomförde Provenheten 2023?"
REVIEW = {
    "ra-new-title": "Verksamhetsberättelse 2023 för Provenheten",
    "ra-new-year": "2023",
    "ra-new-unit": "Provenheten",
    "ra-new-district": "Älvsjö",
    "ra-new-type": "verksamhetsberättelse",
}


def _upload(url: str, path: Path) -> str:
    """The report uploaded and confirmed through the page; the status text shown."""
    session = GradioSession(url)
    try:
        first = session.call("ra-upload-btn", {"ra-upload": session.upload(path)})
        assert first.success, first.error
        done = session.call("ra-upload-confirm", REVIEW) if "Kontrollera" in str(first.output[0]) else first
        assert done.success, done.error
        return str(done.output[0])
    finally:
        session.close()


def test_sessions_answer_correctly_while_a_report_is_indexed(
    copy_built_root: Path, embedder: Embedder, tmp_path: Path
) -> None:
    assistant = Assistant(Config(root=copy_built_root), embedder=embedder)
    before = {q: assistant.ask(q).as_text() for q in QUESTIONS}
    report = tmp_path / "Provenheten 2023.txt"
    report.write_text(REPORT_TEXT, encoding="utf-8")
    answers: list[tuple[str, str, float]] = []
    lock = threading.Lock()
    with served(assistant) as url:

        def one_session(offset: int) -> None:
            session = GradioSession(url)
            try:
                for i in range(len(QUESTIONS)):
                    question = QUESTIONS[(offset + i) % len(QUESTIONS)]
                    started = time.perf_counter()
                    result = session.call("ra-ask", {"ra-question": question})
                    assert result.success, result.error
                    with lock:
                        answers.append((question, str(result.output[2]), time.perf_counter() - started))
            finally:
                session.close()

        with ThreadPoolExecutor(max_workers=SESSIONS + 1) as pool:
            uploaded = pool.submit(_upload, url, report)
            sessions = [pool.submit(one_session, n) for n in range(SESSIONS)]
            status = uploaded.result()
            for future in sessions:
                future.result()
        after_upload = GradioSession(url)
        new = after_upload.call("ra-ask", {"ra-question": NEW_REPORT_QUESTION})
        after_upload.close()
    assert "går att söka i nu" in status, status
    after = {q: assistant.ask(q).as_text() for q in QUESTIONS}
    assert len(answers) == SESSIONS * len(QUESTIONS)
    for question, text, _ in answers:
        # the answer the question gets alone, from the index before the upload or after it; never another's
        assert text in (before[question], after[question]), question
    assert "Provenheten" in str(new.output[2]) and "tolv brandövningar" in str(new.output[2])
    latencies = sorted(seconds for _, _, seconds in answers)
    print(
        f"{len(answers)} svar i {SESSIONS} samtidiga sessioner under en uppladdning, alla rätt; "
        f"median {statistics.median(latencies):.2f} s, max {latencies[-1]:.2f} s (mätning: scripts/bench_load.py)"
    )

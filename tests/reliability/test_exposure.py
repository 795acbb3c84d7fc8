"""Issue 15, break 4: exposure. Before: with login on, the page served before login embedded the
years, unit names and report ids; failed logins were not limited; `--host 0.0.0.0` without login
started without a word; endpoints meant for the page could be called over raw HTTP (a report was
deleted that way); uploaded files stayed in gradio's folder, served to anyone with the path.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from gradio_http import GradioSession, free_port, served
from hostile import REPORT_TEXT
from seeds import R2012

from assistant.api import Assistant
from assistant.config import Config
from assistant.index.embeddings import Embedder

pytestmark = pytest.mark.slow

USER, PASSWORD = "handläggare", "ett långt lösenord"


def _serve(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAPPORT_")}
    return subprocess.run(
        [sys.executable, "-m", "assistant", "--root", str(root), "--corpus", str(root / "finns-inte"), "serve",
         "--port", str(free_port()), *args],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip


def test_the_page_before_login_names_no_report(built_root: Path, embedder: Embedder) -> None:
    config = Config(root=built_root, auth_user=USER, auth_password=PASSWORD)
    assistant = Assistant(config, build="never", embedder=embedder)
    with served(assistant) as url:
        session = GradioSession(url)
        page = session.get("/").text
        config_status = session.get("/config").status_code
        joined = session.call_fn(0, [])  # any event, without the login cookie
        session.close()
    assert "auth_required" in page
    assert config_status == 401 and joined.status == 401
    for meta in assistant.reports():
        assert meta.report_id not in page
        assert meta.unit is None or meta.unit not in page
    for year in {m.year for m in assistant.reports()}:
        assert str(year) not in page


def test_failed_logins_are_throttled(built_root: Path, embedder: Embedder) -> None:
    env = {
        "RAPPORT_USER": USER,
        "RAPPORT_PASSWORD": PASSWORD,
        "RAPPORT_LOGIN_ATTEMPTS": "3",
        "RAPPORT_LOGIN_LOCKOUT": "2",
    }
    config = Config.from_sources({"root": built_root}, env=env)
    assistant = Assistant(config, build="never", embedder=embedder)
    with served(assistant) as url:
        session = GradioSession(url)
        assert [session.login(USER, f"fel-{i}").status_code for i in range(3)] == [400, 400, 400]
        locked = session.login(USER, PASSWORD)  # the right password, too soon
        time.sleep(2.5)
        after_wait = session.login(USER, PASSWORD)
        session.close()
    assert locked.status_code == 429 and "Försök igen om" in locked.json()["detail"]
    assert after_wait.status_code == 200


def test_serving_on_another_address_without_login_is_refused(tmp_path: Path) -> None:
    refused = _serve(tmp_path, "--host", "0.0.0.0")
    assert refused.returncode == 1
    assert "0.0.0.0 utan inloggning" in refused.stderr and "--allow-anonymous" in refused.stderr
    allowed = _serve(tmp_path, "--host", "0.0.0.0", "--allow-anonymous")
    assert allowed.stderr.startswith("Varning: appen lyssnar på 0.0.0.0 utan inloggning")


def test_an_anonymous_server_on_another_address_takes_no_changes(
    copy_built_root: Path, embedder: Embedder, tmp_path: Path
) -> None:
    config = Config.from_sources(
        {"root": copy_built_root}, env={"RAPPORT_HOST": "0.0.0.0", "RAPPORT_ALLOW_ANONYMOUS": "1"}
    )
    assistant = Assistant(config, build="never", embedder=embedder)
    upload = tmp_path / "Provenheten 2023.txt"
    upload.write_text(REPORT_TEXT, encoding="utf-8")
    before = sorted(p.name for p in config.corpus.iterdir())
    with served(assistant) as url:
        session = GradioSession(url)
        asked = session.call("ra-ask", {"ra-question": "Vad var sjukfrånvaron för Assistansenheten 2018?"})
        removal = [session.call("ra-remove", {"ra-pick": R2012}), session.call("ra-remove-yes", {"ra-pick": R2012})]
        uploaded = session.call("ra-upload-btn", {"ra-upload": session.upload(upload)})
        saved = session.call("ra-meta-save", {"ra-pick": R2012, "ra-meta-title": "Ändrad"})
        session.close()
    assert asked.success and "Assistansenheten" in asked.output[1]  # reading works
    for result in (*removal, uploaded, saved):
        assert result.success and "kan inte ändras här" in str(result.output), result
    assert sorted(p.name for p in config.corpus.iterdir()) == before
    assert R2012 in {r.report_id for r in assistant.reports()}


def test_removal_is_refused_without_its_confirmation_in_the_same_session(
    copy_built_root: Path, embedder: Embedder
) -> None:
    assistant = Assistant(Config(root=copy_built_root), build="never", embedder=embedder)
    with served(assistant) as url:
        session = GradioSession(url)
        raw = session.call("ra-remove-yes", {"ra-pick": R2012})  # "Ja, ta bort" without "Ta bort rapporten…"
        by_name = session.client.post(f"{url}/gradio_api/call/on_confirm", json={"data": [R2012, R2012]})
        session.close()
    assert raw.success and "bekräfta" in str(raw.output)
    assert by_name.status_code == 404  # events are not callable by name over the direct-call API
    assert (copy_built_root / "corpus" / f"{R2012}.txt").exists()
    assert R2012 in {r.report_id for r in assistant.reports()}


def test_an_uploaded_file_is_deleted_after_import_and_not_served(
    copy_built_root: Path, embedder: Embedder, tmp_path: Path
) -> None:
    assistant = Assistant(Config(root=copy_built_root), embedder=embedder)
    upload = tmp_path / "Provenheten 2023.txt"
    upload.write_text(REPORT_TEXT, encoding="utf-8")
    with served(assistant) as url:
        session = GradioSession(url)
        data = session.upload(upload)
        uploaded = Path(data["path"])
        assert uploaded.exists() and session.get(f"gradio_api/file={uploaded}").status_code == 200
        review = session.call("ra-upload-btn", {"ra-upload": data})
        held_after_review = uploaded.exists(), session.get(f"gradio_api/file={uploaded}").status_code
        confirmed = session.call("ra-upload-confirm", {"ra-new-district": "Älvsjö", "ra-new-year": "2023",
                                                       "ra-new-unit": "Provenheten", "ra-new-title": "VB 2023",
                                                       "ra-new-type": "verksamhetsberättelse"})  # fmt: skip
        served_after = session.get(f"gradio_api/file={uploaded}").status_code
        session.close()
    assert review.success and confirmed.success, (review.error, confirmed.error)
    assert "går att söka i nu" in str(confirmed.output), confirmed.output
    assert held_after_review[0] is False and held_after_review[1] in (403, 404)
    assert served_after in (403, 404)
    assert not (copy_built_root / "index" / ".uploads").exists() or not any(
        (copy_built_root / "index" / ".uploads").rglob("*.txt")
    )

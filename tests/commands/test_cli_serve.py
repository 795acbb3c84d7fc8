"""``python -m assistant serve`` on a fresh project: the web interface answers before the index exists
(assistant/commands/serve.py). A real server process, real HTTP, the real model."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from seeds import R2012, R2014, R2018

pytestmark = pytest.mark.slow

PROJECT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_answers_at_once_and_builds_the_index_in_the_background(tmp_path: Path) -> None:
    from gradio_client import Client

    root = tmp_path / "root"
    (root / "corpus").mkdir(parents=True)
    for report in (R2012, R2018, R2014):  # enough text that the build takes far longer than the start
        shutil.copy2(PROJECT / "corpus" / f"{report}.txt", root / "corpus")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAPPORT_")}
    started = time.monotonic()
    server = subprocess.Popen(
        [sys.executable, "-m", "assistant", "--root", str(root), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=PROJECT,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(server.stdout.readline, "")), daemon=True)  # type: ignore[union-attr]
    reader.start()
    url = f"http://127.0.0.1:{port}/"
    try:
        while True:
            assert server.poll() is None, "".join(lines)
            assert time.monotonic() - started < 60, "no HTTP answer within 60 s:\n" + "".join(lines)
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                time.sleep(0.2)
        assert not (root / "index" / "CURRENT").exists()  # the page is up; the index is not
        client = Client(url, verbose=False)
        reply = client.predict("Vad var sjukfrånvaron 2018?", [], "Alla enheter", "Alla typer", [], api_name="/ask")
        assert "Sökindexet byggs fortfarande" in reply[1] and "av 3 rapporter klara" in reply[1]
        assert any("Sökindexet byggs i bakgrunden" in line for line in lines)

        deadline = time.monotonic() + 900
        while not any("Sökindexet är klart: 3 rapporter på " in line for line in lines):
            assert server.poll() is None and time.monotonic() < deadline, "".join(lines)
            time.sleep(0.5)
        assert (root / "index" / "CURRENT").exists()
        assert any(" rapporter klara, " in line and "textavsnitt inbäddade" in line for line in lines)
        reply = client.predict(
            "Vad var sjukfrånvaron för Assistansenheten 2018?", [], "Alla enheter", "Alla typer", [], api_name="/ask"
        )
        assert "7,1 %" in reply[1] and not reply[1].startswith("Fel")
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        finally:
            if server.poll() is None:
                server.kill()

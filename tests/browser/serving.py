"""What the browser tests share: Chromium's flags, and the app run as ``python -m assistant serve``
on a free port over a project root of the test's own, until it answers HTTP."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from processes import wait_until_up

PROJECT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT / "tmp" / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT = 900  # seconds; a first start may have to build the index

__all__ = [
    "ARTIFACTS",
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "PROJECT",
    "chromium_context",
    "copy_project",
    "free_port",
    "serve_app",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def copy_project(root: Path) -> None:
    """The checkout's corpus/ (reports and corpus-side .toml files) and index/ copied into ``root``."""
    (root / "corpus").mkdir(parents=True)
    for f in (PROJECT / "corpus").iterdir():
        if f.suffix in {".txt", ".pdf", ".docx", ".toml"}:
            shutil.copy2(f, root / "corpus" / f.name)
    if (PROJECT / "index").is_dir():
        shutil.copytree(PROJECT / "index", root / "index", ignore=shutil.ignore_patterns("removed", ".building-*"))


@contextmanager
def serve_app(
    root: Path,
    log_name: str,
    env: Mapping[str, str] | None = None,
    *,
    drop: tuple[str, ...] = (),
    start_timeout: float = START_TIMEOUT,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """The app over ``root`` on a free port, as (url, process), once ``GET /`` answers 200; stopped
    afterwards. ``env`` is added to this process's environment, from which login and host settings
    and the variables starting with any of ``drop`` are removed; the server's output goes to
    ``tmp/artifacts/<log_name>``. Not answering within ``start_timeout`` seconds is an error."""
    port = free_port()
    base = {k: v for k, v in os.environ.items() if k not in {"RAPPORT_USER", "RAPPORT_PASSWORD", "RAPPORT_HOST"}}
    base = {k: v for k, v in base.items() if not any(k.startswith(p) for p in drop)}
    base.update(
        RAPPORT_ROOT=str(root),
        GRADIO_TEMP_DIR=str(root / "gradio-tmp"),
        GRADIO_ANALYTICS_ENABLED="False",
        PYTHONUNBUFFERED="1",
    )
    base.update(env or {})
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with (ARTIFACTS / log_name).open("w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "assistant", "serve", "--port", str(port)],
            cwd=PROJECT,
            env=base,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(proc, url + "/", ARTIFACTS / log_name, start_timeout)
            yield url, proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextmanager
def chromium_context(p: Any, **options: Any) -> Iterator[Any]:
    """Debian's Chromium with a fresh profile, headless, in Swedish, closed and its profile removed
    afterwards (``p``: sync_playwright()'s object; ``options`` as for launch_persistent_context)."""
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    context = p.chromium.launch_persistent_context(
        profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, locale="sv-SE", **options
    )
    try:
        yield context
    finally:
        context.close()
        shutil.rmtree(profile, ignore_errors=True)

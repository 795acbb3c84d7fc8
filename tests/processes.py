"""Waiting for a server a test started as its own process."""

from __future__ import annotations

import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

__all__ = ["wait_until_up"]


def wait_until_up(proc: subprocess.Popen[bytes], url: str, log: Path, timeout: float, name: str = "servern") -> None:
    """Until ``url`` answers 200; a RuntimeError naming the log when the process ends or time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} avslutades (kod {proc.returncode}), se {log}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{name} svarade inte inom {timeout:.0f} s")
        time.sleep(0.5)

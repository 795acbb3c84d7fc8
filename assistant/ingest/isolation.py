"""Reading an untrusted file in a child process with a memory limit and a time limit.

An uploaded file is parsed by pypdf, python-docx and lxml before anyone has seen it. The static
limits (``limits.py``) refuse what is too large on its face; what is left — a PDF whose streams
inflate, a document that is slow to take apart — is read here, in a fresh Python process whose
address space is capped (``RLIMIT_AS``) and which is killed after ``parse_timeout`` seconds. The
server's own memory never holds more than the finished :class:`Document`.

The child is this module run as ``python -m assistant.ingest.isolation``: it sets its own limit
first (never ``preexec_fn``, which is unsafe in a threaded server), reads the request as JSON on
stdin and writes the pickled Document, or the reason it could not be read, on stdout.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..documents import Document
from ..errors import ReportLoadError, ReportTooLargeError
from .limits import IngestLimits

__all__ = ["load_document_isolated"]

_MB = 1024 * 1024


def load_document_isolated(path: Path, root: Path, limits: IngestLimits, *, file_name: str | None = None) -> Document:
    """:func:`assistant.ingest.corpus.load_document` of ``path`` in a child process under ``limits``;
    the same errors, plus one for a file that needs more memory or time than allowed."""
    request = {"path": str(path), "root": str(root), "file_name": file_name, "limits": asdict(limits)}
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MALLOC_ARENA_MAX": "2"}
    package_parent = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH", "")) if p)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "assistant.ingest.isolation"],
            input=json.dumps(request).encode(),
            capture_output=True,
            timeout=limits.parse_timeout,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ReportTooLargeError(
            path,
            f"det tog mer än {limits.parse_timeout:.0f} s att läsa filen, så den lades inte till. "
            "Spara den på nytt (t.ex. som PDF med text eller som .docx), eller höj gränsen med RAPPORT_PARSE_TIMEOUT.",
        ) from None
    memory = f"{limits.parse_memory_bytes // _MB} MB"
    if done.returncode != 0 or not done.stdout:
        if b"MemoryError" in done.stderr:
            raise ReportTooLargeError(path, _memory_reason(memory))
        raise ReportLoadError(
            path,
            f"filen gick inte att läsa (läsningen avbröts, slutkod {done.returncode}). "
            "Kontrollera att det är en hel PDF-, Word- eller textfil.",
        )
    kind, value = pickle.loads(done.stdout)
    if kind == "document":
        assert isinstance(value, Document)
        return value
    if kind == "too_large":
        raise ReportTooLargeError(path, value)
    if kind == "memory":
        raise ReportTooLargeError(path, _memory_reason(memory))
    raise ReportLoadError(path, value)


def _memory_reason(memory: str) -> str:
    return (
        f"filen kräver mer än {memory} minne för att läsas, så den lades inte till. Den kan vara skadlig; "
        "spara den på nytt, eller höj gränsen med RAPPORT_PARSE_MEMORY_MB."
    )


def _child() -> None:
    import resource

    request = json.loads(sys.stdin.buffer.read())
    limits = IngestLimits(**request["limits"])
    resource.setrlimit(resource.RLIMIT_AS, (limits.parse_memory_bytes, limits.parse_memory_bytes))
    result: tuple[str, Any]
    try:
        from .corpus import load_document

        doc = load_document(Path(request["path"]), Path(request["root"]), file_name=request["file_name"], limits=limits)
        result = ("document", doc)
    except ReportTooLargeError as exc:
        result = ("too_large", exc.reason)
    except ReportLoadError as exc:
        result = ("error", exc.reason)
    except MemoryError:
        result = ("memory", "")
    sys.stdout.buffer.write(pickle.dumps(result))


if __name__ == "__main__":
    _child()

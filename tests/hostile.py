"""Hostile and careless inputs, made on the fly (never committed): a Word zip bomb, an oversized
text file, a question of 100 000 characters. Shared by tests/reliability/ and scripts/bench_hardening.py.
"""

from __future__ import annotations

import io
import subprocess
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "REPORT_TEXT",
    "Measured",
    "long_question",
    "long_report",
    "run_measured",
    "write_big_text",
    "write_docx",
    "write_docx_bomb",
]

# A small report of the genre: enough text for the corpus to accept it, its metadata in its title line.
REPORT_TEXT = """Verksamhetsberättelse 2023 för Provenheten

Sammanfattande analys

Provenheten är en liten enhet i Älvsjö som startade under året. Under 2023 genomförde Provenheten
tolv brandövningar och två brukarundersökningar.

Sjukfrånvaro

Sjukfrånvaron i Provenheten var 4,2 procent.
"""


def long_report(sections: int) -> str:
    """The small report with ``sections`` more sections of sentences no other report has (so that
    indexing it embeds every one of them)."""
    parts = [REPORT_TEXT]
    for n in range(1, sections + 1):
        parts.append(
            f"\nUppföljning av insats {n}\n\nUnder 2023 genomförde Provenheten insats nummer {n} med {n * 3} "
            f"deltagare och {n + 7} träffar. Insats {n} kostade {n * 11} tkr och utvärderades i november med "
            f"{60 + n % 40} procent nöjda deltagare.\n"
        )
    return "".join(parts)


def write_docx(path: Path, text: str = REPORT_TEXT) -> Path:
    """A real Word file with ``text``, one paragraph a line."""
    path.write_bytes(_docx_bytes(text))
    return path


def _docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        if line.strip():
            document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def write_docx_bomb(path: Path, unpacked_mb: int) -> Path:
    """A valid .docx whose document.xml unpacks to about ``unpacked_mb`` MB of paragraphs, packed a
    thousand times smaller (the zip's entry sizes say so truthfully)."""
    source = io.BytesIO(_docx_bytes(REPORT_TEXT))
    paragraph = "<w:p><w:r><w:t>" + "Sjukfrånvaro " * 75 + "</w:t></w:r></w:p>"
    block = (paragraph * (1_000_000 // len(paragraph.encode()))).encode()
    with (
        zipfile.ZipFile(source) as zin,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout,
    ):
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename != "word/document.xml":
                zout.writestr(item, data)
                continue
            head, tail = data.decode("utf-8").split("<w:body>", 1)
            with zout.open("word/document.xml", "w", force_zip64=True) as fh:
                fh.write((head + "<w:body>").encode())
                for _ in range(unpacked_mb):
                    fh.write(block)
                fh.write(tail.encode())
    return path


def write_big_text(path: Path, megabytes: int) -> Path:
    """A text report of ``megabytes`` MB: the small report's sections over and over."""
    unit = REPORT_TEXT.encode("utf-8")
    with path.open("wb") as fh:
        fh.write(unit)
        body = REPORT_TEXT.split("\n", 2)[2].encode("utf-8")
        for _ in range(megabytes * 1024 * 1024 // len(body)):
            fh.write(body)
    return path


def long_question(characters: int = 100_000) -> str:
    """A question pasted together with a long document: ``characters`` characters."""
    seed = "Vad var sjukfrånvaron för Assistansenheten 2018 och hur har den utvecklats? "
    return (seed * (characters // len(seed) + 1))[:characters]


@dataclass
class Measured:
    returncode: int
    stdout: str
    stderr: str
    peak_mb: float  # the child's own peak resident memory (VmHWM)
    seconds: float
    timed_out: bool = False


# Runs a module as ``python -m`` does (or a piece of code, ``-c``) and, at exit, writes the process's
# own peak resident memory (VmHWM, which starts afresh at exec, unlike ru_maxrss, which keeps the
# forking parent's). The current directory comes first on sys.path, as with ``-m``.
_MEASURE = """
import atexit, os, runpy, sys
def _peak(path=sys.argv[1]):
    with open("/proc/self/status") as f, open(path, "w") as out:
        out.write(next(line.split()[1] for line in f if line.startswith("VmHWM:")))
atexit.register(_peak)
kind, target = sys.argv[2], sys.argv[3]
sys.argv = [target, *sys.argv[4:]]
sys.path.insert(0, os.getcwd())
if kind == "module":
    runpy.run_module(target, run_name="__main__", alter_sys=True)
else:
    exec(compile(target, "<measured>", "exec"), {"__name__": "__main__"})
"""


def run_measured(
    python: str, module: str, args: list[str], *, timeout: float, env: dict[str, str] | None = None,
    cwd: Path | None = None, code: bool = False,
) -> Measured:  # fmt: skip
    """Run ``python -m module args…`` (``code=True``: ``module`` is Python source, run with ``args`` as
    its sys.argv[1:]) and measure that process's peak memory and wall time; killed after ``timeout``
    seconds (``timed_out``, peak then unknown: 0)."""
    with tempfile.TemporaryDirectory() as folder:
        peak_file = Path(folder) / "peak"
        started = time.perf_counter()
        try:
            done = subprocess.run(
                [python, "-c", _MEASURE, str(peak_file), "code" if code else "module", module, *args],
                capture_output=True, timeout=timeout, env=env, cwd=cwd, check=False,
            )  # fmt: skip
        except subprocess.TimeoutExpired as exc:
            out = (exc.stdout or b"").decode("utf-8", "replace")
            err = (exc.stderr or b"").decode("utf-8", "replace")
            return Measured(-9, out, err, 0.0, time.perf_counter() - started, timed_out=True)
        seconds = time.perf_counter() - started
        peak = int(peak_file.read_text()) / 1024 if peak_file.exists() else 0.0
        return Measured(
            done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"),
            peak, seconds,
        )  # fmt: skip

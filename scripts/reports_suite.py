"""Run a command on the seed corpus plus the generalisation suite (eval/reports/).

    python scripts/reports_suite.py eval [--format pdf|docx|txt] [eval's own flags]
    python scripts/reports_suite.py check [--json]
    python scripts/reports_suite.py corpus --json
    python scripts/reports_suite.py ask "Vad ska Blåklinten göra 2023?"

A temporary project root is made with ``corpus/`` = the seeds (and their data
files such as ``events.toml``) + the suite's built files in one format; for
``eval`` the questions' ``file`` (the source's stem) is rewritten to the built
file's name. The index is kept in ``index/reports-suite-<format>/`` of this
checkout (ignored by git), so a second run embeds nothing new.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "eval" / "reports"
FORMATS = ("pdf", "docx", "txt")


def built_names(fmt: str) -> dict[str, Path]:
    """Source stem → the built file in ``fmt`` (the PDF where that format was not built)."""
    out: dict[str, Path] = {}
    for src in sorted((SUITE / "src").glob("*.md")):
        front = tomllib.loads(src.read_text(encoding="utf-8").split("+++")[1])
        name = front.get("file_name") or front["stem"]
        chosen = fmt if fmt in front["formats"] else "pdf"
        out[front["stem"]] = SUITE / "built" / f"{name}.{chosen}"
    return out


def make_root(fmt: str, tmp: Path, with_seeds: bool = True) -> dict[str, Path]:
    corpus = tmp / "corpus"
    corpus.mkdir(parents=True)
    if with_seeds:
        for path in (ROOT / "corpus").iterdir():
            if path.is_file() and path.name != "manifest.toml":
                shutil.copy2(path, corpus / path.name)
    names = built_names(fmt)
    for path in names.values():
        shutil.copy2(path, corpus / path.name)
    return names


def mapped_questions(names: dict[str, Path], out: Path, questions: Path = SUITE / "questions.jsonl") -> Path:
    with questions.open(encoding="utf-8") as fh, out.open("w", encoding="utf-8") as dst:
        for line in fh:
            if not line.strip():
                continue
            fact = json.loads(line)
            for expected in fact.get("expected", []):
                expected["file"] = names[Path(expected["file"]).stem].name
            dst.write(json.dumps(fact, ensure_ascii=False) + "\n")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", help="ett kommando för python -m assistant (eval, check, corpus, ask …)")
    parser.add_argument("--format", choices=FORMATS, default="pdf", help="svitens filformat (standard pdf)")
    parser.add_argument("--suite-only", action="store_true", help="bara svitens rapporter, utan fröna")
    parser.add_argument(
        "--questions",
        type=Path,
        default=SUITE / "questions.jsonl",
        help="frågorna för eval (standard eval/reports/questions.jsonl; 'file' är källans stam)",
    )
    args, rest = parser.parse_known_args(argv)
    sys.path.insert(0, str(ROOT))
    from assistant.cli import main as cli_main

    index_dir = ROOT / "index" / f"reports-suite-{args.format}{'-only' if args.suite_only else ''}"
    with tempfile.TemporaryDirectory(prefix="reports-suite-") as tmp_name:
        tmp = Path(tmp_name)
        names = make_root(args.format, tmp, with_seeds=not args.suite_only)
        extra: list[str] = []
        if args.command == "eval" and "--set" not in rest:
            extra = ["--set", str(mapped_questions(names, tmp / "questions.jsonl", args.questions))]
        return cli_main(["--root", str(tmp), "--index-dir", str(index_dir), args.command, *extra, *rest])


if __name__ == "__main__":
    sys.exit(main())

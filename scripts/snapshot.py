#!/usr/bin/env python
"""Record what the assistant says, and show exactly what a change altered.

    python scripts/snapshot.py record [--out FILE]      # before a change
    python scripts/snapshot.py compare [--out FILE]     # after it: lists every changed answer
    python scripts/snapshot.py compare --baseline A --out B --quiet

Recorded through the command line (``python -m assistant …``), so the script
works whatever the package's inner layout:

* ``ask - --json`` for every question in ``eval/*.jsonl`` (and, for
  conversation sets, every turn on its own): the answer text, whether it
  abstained, and each citation's report id, section, page and quote span;
* ``check --json``, ``compare sjukfrånvaro --json`` and ``draft --json`` for
  three topics.

Timings are left out (they differ run to run); everything else is compared
exactly. Exit status of ``compare``: 0 identical, 1 something changed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / ".artifacts" / "snapshot.json"
DRAFT_TOPICS = ("Synpunkter och klagomål", "Sjukfrånvaro", "Kompetensutveckling")


def _questions() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for path in sorted((ROOT / "eval").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            if "turns" in item:
                for n, turn in enumerate(item["turns"]):
                    out.append((f"{path.stem}:{item['id']}.{n}", turn["question"]))
            else:
                out.append((f"{path.stem}:{item['id']}", item["question"]))
    return out


def _run(args: list[str], stdin: str | None = None) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if proc.returncode not in (0, 1):
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"python -m assistant {' '.join(args)} failed ({proc.returncode})")
    return proc.stdout


def _answer_record(data: dict[str, Any]) -> dict[str, Any]:
    if "error" in data:
        return {"error": data["error"]}
    return {
        "answer": data["answer"],
        "abstained": data["abstained"],
        "filters": data["filters"],
        "citations": [
            [c["report_id"], c["section"], c["page"], c["quote_start"], c["quote_end"]] for c in data["citations"]
        ],
    }


def _strip_timings(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_timings(v) for k, v in value.items() if k not in ("timings_ms", "elapsed_ms", "seconds")}
    if isinstance(value, list):
        return [_strip_timings(v) for v in value]
    return value


def record() -> dict[str, Any]:
    questions = _questions()
    lines = _run(["ask", "-", "--json"], "\n".join(q for _, q in questions) + "\n").splitlines()
    if len(lines) != len(questions):
        raise SystemExit(f"expected {len(questions)} answers, got {len(lines)}")
    answers = {key: _answer_record(json.loads(line)) for (key, _), line in zip(questions, lines, strict=True)}
    snap: dict[str, Any] = {"ask": answers}
    snap["check"] = _strip_timings(json.loads(_run(["check", "--json"])))
    snap["compare"] = _strip_timings(json.loads(_run(["compare", "sjukfrånvaro", "--json"])))
    snap["draft"] = {t: _strip_timings(json.loads(_run(["draft", t, "--json", "--no-llm"]))) for t in DRAFT_TOPICS}
    return snap


def compare(old: dict[str, Any], new: dict[str, Any], quiet: bool = False) -> int:
    changed = 0
    old_ask, new_ask = old.get("ask", {}), new.get("ask", {})
    for key in sorted(set(old_ask) | set(new_ask)):
        a, b = old_ask.get(key), new_ask.get(key)
        if a == b:
            continue
        changed += 1
        if quiet:
            continue
        print(f"~ {key}")
        if a is None or b is None:
            print("    (only in " + ("new" if a is None else "old") + " snapshot)")
            continue
        for field in ("abstained", "answer", "filters", "citations"):
            if a.get(field) != b.get(field):
                print(f"    {field}:\n      före:  {a.get(field)}\n      efter: {b.get(field)}")
    for part in ("check", "compare", "draft"):
        if old.get(part) != new.get(part):
            changed += 1
            print(f"~ {part} differs")
    total = len(set(old_ask) | set(new_ask))
    print(f"{changed} ändrade av {total} svar + check/compare/draft")
    return 1 if changed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=("record", "compare"))
    parser.add_argument("--out", type=Path, default=None, help="file to write (record) or the new snapshot (compare)")
    parser.add_argument("--baseline", type=Path, default=DEFAULT_OUT, help="the recorded snapshot to compare with")
    parser.add_argument("--quiet", action="store_true", help="only the count of changes")
    args = parser.parse_args()
    if args.action == "record":
        out = args.out or DEFAULT_OUT
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(record(), ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"snapshot written to {out}")
        return 0
    old = json.loads(args.baseline.read_text(encoding="utf-8"))
    new = json.loads(args.out.read_text(encoding="utf-8")) if args.out and args.out.exists() else record()
    if args.out and not args.out.exists():
        args.out.write_text(json.dumps(new, ensure_ascii=False, indent=1), encoding="utf-8")
    return compare(old, new, args.quiet)


if __name__ == "__main__":
    sys.exit(main())

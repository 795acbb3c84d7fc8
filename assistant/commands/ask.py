"""``ask``: a question in, a short answer with cited passages out."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
import time
from typing import Any

from ..answer.model import Answer
from ..config import Config
from ..documents import REPORT_TYPES
from ..errors import AssistantError
from . import add_model_option, warn_about


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("question", metavar="FRÅGA", help="frågan; '-' läser en fråga per rad från standard in")
    parser.add_argument(
        "--conversation",
        action="store_true",
        help="med '-': raderna är ett samtal, och en följdfråga tar det den utelämnar från de tidigare",
    )
    parser.add_argument(
        "--no-llm",
        action="store_true",
        help="svara med ordagranna citat även när en språkmodell är inställd (RAPPORT_LLM_BASE_URL)",
    )
    parser.add_argument("--k", type=int, default=None, help="antal avsnitt att hämta (standard 5)")
    parser.add_argument("--year", type=int, default=None, help="begränsa till ett år")
    parser.add_argument("--unit", default=None, help="begränsa till en enhet")
    parser.add_argument("--type", default=None, choices=REPORT_TYPES, help="begränsa till en rapporttyp")
    parser.add_argument("--json", action="store_true", help="skriv ut svaret som JSON")
    add_model_option(parser)


def run(args: argparse.Namespace, config: Config) -> int:
    from ..api import Assistant  # imported here: only ask needs the model and the index

    # A missing or stale index is built first; without a terminal (no progress bar) say so in lines.
    assistant = Assistant(config, progress=None if sys.stderr.isatty() else _BuildLines())
    warn_about(assistant.load_errors, assistant.manifest_problems)
    options: dict[str, Any] = {"k": args.k, "year": args.year, "unit": args.unit, "type": args.type}
    if args.no_llm:
        options["generate"] = False
    if args.conversation and args.question != "-":
        raise AssistantError("--conversation läser samtalet från standard in: skriv 'ask - --conversation'.")
    if args.question != "-":
        answer = assistant.ask(args.question, **options)
        _emit(answer, args.json)
        return 0
    status = 0
    history: list[Answer] = []
    for line in sys.stdin:
        question = line.strip()
        if not question:
            continue
        try:
            answer = assistant.ask(question, history=history if args.conversation else None, **options)
            history.append(answer)
        except AssistantError as exc:
            status = 1
            if args.json:
                print(json.dumps({"question": question, "error": str(exc)}, ensure_ascii=False), flush=True)
            else:
                print(f"Fel: {exc}", file=sys.stderr)
            continue
        _emit(answer, args.json, compact=True)
    return status


def _emit(answer: Answer, as_json: bool, compact: bool = False) -> None:
    if as_json:
        text = json.dumps(answer.to_json(), ensure_ascii=False, indent=None if compact else 2)
        print(text, flush=True)
        return
    print(render(answer), flush=True)


def render(answer: Answer) -> str:
    """The answer for a person reading a terminal."""
    out = []
    if answer.abstained:
        out.append("⚠ " + answer.answer)
    else:
        if answer.mode == "generated":
            out.append("Genererat svar, kontrollerat mot källorna:")
        out.append(textwrap.fill(answer.answer, width=100))
        if answer.notice:
            out.append("OBS: " + answer.notice)
    if answer.model_notice:
        out.append("Språkmodellen: " + answer.model_notice)
    applied = {k: v for k, v in answer.filters.items() if v}
    if applied:
        out.append("Filter: " + ", ".join(f"{k}={v}" for k, v in applied.items()))
    if answer.carried:
        out.append("Från samtalet: " + "; ".join(c.label for c in answer.carried))
    if answer.mode == "generated" and answer.sentences:
        out.append("Ordagranna citat:")
        out += [textwrap.fill(f"»{' '.join(s.split())}« [{n}]", width=100, initial_indent="  ", subsequent_indent="  ")
                for s, n in answer.sentences]  # fmt: skip
    out.append("")
    out.append("Närmaste avsnitt – inget svar:" if answer.abstained else "Källor:")
    for c in answer.citations:
        page = f", s. {c.page}" if c.page else ""
        out.append(f"[{c.n}] {c.title} – {c.unit}, {c.year}, {c.type}{page}")
        out.append(f"    {c.section}")
        if c.quote_start is not None and c.quote_end is not None:
            quote = " ".join(c.text[c.quote_start : c.quote_end].split())
            out.append(textwrap.fill(f"»{quote}«", width=100, initial_indent="    ", subsequent_indent="    "))
        else:
            snippet = " ".join(c.text.split())[:300]
            out.append(
                textwrap.fill(
                    snippet + ("…" if len(c.text) > 300 else ""),
                    width=100,
                    initial_indent="    ",
                    subsequent_indent="    ",
                )
            )
    out.append(f"({answer.timings_ms['total']:.0f} ms)")
    return "\n".join(out)


class _BuildLines:
    """Progress of an index build as lines on stderr, at most one every few seconds (a pipe, a log)."""

    def __init__(self, every: float = 5.0) -> None:
        self._every = every
        self._last = -every
        self._said = ""

    def __call__(self, message: str, fraction: float) -> None:
        now = time.monotonic()
        if message == self._said or (now - self._last < self._every and fraction < 1.0):
            return
        if not self._said:
            print("Sökindexet byggs eller uppdateras innan frågan besvaras …", file=sys.stderr, flush=True)
        self._said, self._last = message, now
        print(f"  {message}", file=sys.stderr, flush=True)

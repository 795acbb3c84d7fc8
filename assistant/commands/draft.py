"""``draft``: a first draft of a section, assembled from earlier reports, with sources."""

from __future__ import annotations

import argparse
import sys
import textwrap

from ..config import Config
from ..documents import REPORT_TYPES
from . import add_model_option, print_json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "topic", metavar="ÄMNE", help="rubrik ur en rapport eller fritt ämne, t.ex. 'Synpunkter och klagomål'"
    )
    parser.add_argument("--unit", default=None, help="enheten utkastet skrivs för (standard: den senaste källans)")
    parser.add_argument(
        "--year", type=int, default=None, help="året utkastet gäller (standard: året efter senaste källan)"
    )
    parser.add_argument("--type", default=None, choices=REPORT_TYPES, help="rapporttyp utkastet skrivs för")
    parser.add_argument("--json", action="store_true", help="skriv ut utkastet och källorna som JSON")
    parser.add_argument("--out", default=None, metavar="FIL", help="spara utkastet som .docx eller .md")
    parser.add_argument(
        "--no-llm", action="store_true", help="skriv inte om med språkmodell även om RAPPORT_LLM_* är satta"
    )
    add_model_option(parser)


def run(args: argparse.Namespace, config: Config) -> int:
    from ..api import Assistant
    from ..drafting import draft, write_draft

    assistant = Assistant(config)
    for error in assistant.load_errors:
        print(f"Varning: {error} Rapporten hoppas över.", file=sys.stderr)
    result = draft(assistant, args.topic, unit=args.unit, year=args.year, type=args.type)
    if result.covered and not args.no_llm and config.llm_base_url:
        from ..drafting import rewrite_draft
        from ..llm import ChatClient

        client = ChatClient.from_config(config)
        result, notes = rewrite_draft(result, client)
        for note in notes:
            print(f"Obs: {note}", file=sys.stderr)
    if args.out:
        path = write_draft(result, args.out)
        print(f"Utkastet sparades i {path}.", file=sys.stderr)
    if args.json:
        data = result.to_json()
        data["notice"] = result.notice_for("cli")
        print_json(data)
    elif result.covered:
        print(render(result))
    else:
        print(f"# Inget utkast\n\n{result.notice_for('cli')}")
    return 0


def render(d) -> str:  # type: ignore[no-untyped-def]
    """The draft in the terminal: Markdown text, then every precedent with its score."""
    from ..drafting import to_markdown

    out = [to_markdown(d).rstrip(), "", "Tidigare avsnitt som utkastet bygger på (egen enhet först, nyast först):"]
    for p in d.precedents:
        mark = "" if any(p.n == c.n for c in d.cited) else " (inte använd)"
        out.append(f"[{p.n}] {p.citation()}  relevans {p.relevance:.2f}{mark}")
        snippet = " ".join(p.text.split())[:220]
        out.append(textwrap.fill(snippet + "…", width=100, initial_indent="    ", subsequent_indent="    "))
    return "\n".join(out)

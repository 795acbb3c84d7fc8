"""``serve``: start the web interface (chat, reports; drafting and comparison when available)."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import threading
import time
from typing import TYPE_CHECKING

from ..config import Config
from ..errors import AssistantError
from . import add_model_option, warn_about

if TYPE_CHECKING:
    from ..api import Assistant


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=None, help="adress att lyssna på (standard 127.0.0.1, env RAPPORT_HOST)")
    parser.add_argument("--port", type=int, default=None, help="port (standard 7860, env RAPPORT_PORT)")
    parser.add_argument(
        "--allow-anonymous",
        action="store_true",
        default=None,
        help="lyssna på en annan adress än 127.0.0.1 utan inloggning (skrivskyddat; env RAPPORT_ALLOW_ANONYMOUS)",
    )
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
    from ..index.encode_pool import cancel_all
    from ..ui.access import exposure_warning
    from ..ui.app import launch, launch_options

    flags = (("host", args.host), ("port", args.port), ("allow_anonymous", args.allow_anonymous))
    config = dataclasses.replace(config, **{k: v for k, v in flags if v is not None})
    launch_options(config)  # check the login settings and the address before the slow part
    warning = exposure_warning(config)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    print("Läser rapporterna och sökindexet …", file=sys.stderr, flush=True)
    # The server starts at once; a missing or stale index is built in the background meanwhile.
    assistant = Assistant(config, build="background")
    warn_about(assistant.load_errors, assistant.manifest_problems)
    if assistant.repaired:
        print(f"Varning: {assistant.repaired} Det byggs om från de sparade vektorerna.", file=sys.stderr)
    if assistant.build_status.running:
        meanwhile = (
            "frågor besvaras från det förra indexet tills det nya är klart"
            if assistant.ready
            else "frågor kan ställas när det är klart"
        )
        print(
            f"Sökindexet byggs i bakgrunden; webbgränssnittet kan användas redan nu ({meanwhile}).",
            file=sys.stderr,
            flush=True,
        )
        threading.Thread(target=_report_build, args=(assistant,), name="build-printer", daemon=True).start()
    login = " (med inloggning)" if config.auth_user else ""
    print(f"Rapportassistenten körs på http://{config.host}:{config.port}{login}. Avsluta med Ctrl+C.", flush=True)
    try:
        launch(assistant)
    finally:
        cancel_all()  # a build still running stops with the server (the previous index stays in place)
    return 0


def _report_build(assistant: Assistant, every: float = 0.5) -> None:
    """The background build's progress on stderr: a line per finished report, and the total time."""
    status = assistant.build_status
    shown = (-1, "")
    while True:
        running, progress, error = status.snapshot()
        if progress is not None and (progress.reports_done, progress.stage) != shown:
            shown = (progress.reports_done, progress.stage)
            if progress.stage != "klart":
                print(f"  {progress.describe()}", file=sys.stderr, flush=True)
        if not running:
            break
        time.sleep(every)
    if error:
        print(f"Fel: sökindexet kunde inte byggas: {error}", file=sys.stderr, flush=True)
    elif progress is not None:
        print(f"  {progress.describe()} Frågor besvaras nu från det nya indexet.", file=sys.stderr, flush=True)

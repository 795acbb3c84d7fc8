"""The web app: tabs assembled into one gradio Blocks, and how it is launched.

Each tab is built by a function ``build_<name>_tab(assistant)`` in its own
module under ``assistant/ui/``. The chat and reports tabs are always there;
the drafting and year-comparison tabs are added when their modules (and the
backend modules they use) can be imported, so a build without them still
starts.

What the server exposes: gradio's own assets and the files it hands out
(copies in gradio's temporary folder, deleted after an hour). ``corpus/`` and
``index/`` are *not* in ``allowed_paths``; reports reach the browser only as
escaped text, and an original file only as a copy the reports tab hands out
when asked for it. An uploaded file is moved out of gradio's folder at once
and deleted after it is imported or refused (``reports.py``). No event is
listed in the API description, so the page served before login carries no
report metadata; ``guard.py`` throttles failed logins and closes the routes
the page never uses; ``access.py`` says who may listen and who may change.
See docs/security.md.
"""

from __future__ import annotations

import importlib
import logging
import os
from typing import TYPE_CHECKING, Any

from ..config import Config
from ..errors import ConfigError
from .access import exposure_warning

if TYPE_CHECKING:
    import gradio as gr

    from ..api import Assistant

__all__ = ["OPTIONAL_TABS", "build_app", "launch", "launch_options", "optional_tabs"]

log = logging.getLogger(__name__)

# (tab label, candidate modules, builder function). Written by other parts of
# the project; both naming conventions (``tab_draft.py`` and ``draft.py``) are found.
OPTIONAL_TABS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("Skriv utkast", ("assistant.ui.tab_draft", "assistant.ui.draft"), "build_draft_tab"),
    ("Jämför år", ("assistant.ui.tab_compare", "assistant.ui.compare"), "build_compare_tab"),
)

TITLE = "Rapportassistenten"
_DELETE_CACHE = (600, 3600)  # (every, older than) seconds


def optional_tabs() -> list[tuple[str, Any]]:
    """The optional tabs whose modules import, as (label, builder)."""
    found = []
    for label, module_names, func in OPTIONAL_TABS:
        for module_name in module_names:
            try:
                module = importlib.import_module(module_name)
            except ImportError as exc:  # the module, or a backend module it needs, is not there (yet)
                log.info("Fliken '%s' hittades inte i %s (%s).", label, module_name, exc)
                continue
            builder = getattr(module, func, None)
            if callable(builder):
                found.append((label, builder))
                break
    return found


def build_app(assistant: Assistant) -> gr.Blocks:
    import gradio as gr

    from .build_status import build_status_line
    from .chat import build_chat_tab
    from .reports import build_reports_tab

    # Copies gradio hands out (originals, drafts, charts) are deleted after an hour.
    with gr.Blocks(title=TITLE, analytics_enabled=False, delete_cache=_DELETE_CACHE) as demo:
        with gr.Column(elem_id="ra-header"):
            gr.Markdown(
                f"# {TITLE}\nFrågor över stadsdelsförvaltningarnas verksamhetsberättelser och verksamhetsplaner. "
                "Varje svar visar de ställen i rapporterna det bygger på, ordagrant och med källa."
            )
            status_line = gr.Column()  # filled below, once the chat tab's refresh exists
        with gr.Tabs() as tabs:
            with gr.Tab("Fråga", id="chat") as chat_tab:
                chat = build_chat_tab(assistant)
            for label, builder in optional_tabs():
                with gr.Tab(label):
                    builder(assistant)
            with gr.Tab("Rapporter", id="reports") as reports_tab:
                reports = build_reports_tab(assistant)
        # The corpus may have changed in the reports tab (or in another session).
        chat_tab.select(chat.refresh, outputs=chat.refresh_outputs, api_visibility="private")
        demo.load(chat.refresh, outputs=chat.refresh_outputs, api_visibility="private")
        # The reports tab is read fresh on every page load and when it is opened; a link
        # "?original=<report>&sida=<n>" (from a source card or the table) opens that original there.
        report_outputs = [tabs, *reports.load_outputs]
        demo.load(reports.on_load, outputs=report_outputs, api_visibility="private")
        reports_tab.select(reports.on_load, outputs=report_outputs, api_visibility="private")
        with status_line:
            _, status_refresh, status_outputs = build_status_line(assistant, chat.refresh, chat.refresh_outputs)
        # A page opened while the index builds shows the progress (and restarts the timer).
        demo.load(status_refresh, outputs=status_outputs, api_visibility="private", show_progress="hidden")
    # Questions are read-only and thread-safe: answer several at once.
    demo.queue(default_concurrency_limit=16)
    return demo


def launch_options(config: Config) -> dict[str, Any]:
    """Keyword arguments for ``Blocks.launch`` from the configuration; a ConfigError for login settings
    that do not go together, or a non-loopback address without login (``access.exposure_warning``)."""
    from starlette.middleware import Middleware

    from .guard import LoginThrottle, RequestGuard
    from .style import CSS

    if bool(config.auth_user) != bool(config.auth_password):
        raise ConfigError("Inloggning kräver både RAPPORT_USER och RAPPORT_PASSWORD (eller ingen av dem).")
    exposure_warning(config)
    auth = (config.auth_user, config.auth_password) if config.auth_user and config.auth_password else None
    throttle = LoginThrottle(config.login_attempts, config.login_lockout)
    return {
        "server_name": config.host,
        "server_port": config.port,
        "auth": auth,
        "auth_message": "Logga in för att använda Rapportassistenten." if auth else None,
        "share": False,
        "max_file_size": f"{config.max_upload_mb}mb",
        "ssr_mode": False,
        "mcp_server": False,
        "footer_links": ["settings"],
        "css": CSS,
        "show_error": False,
        "quiet": True,
        "app_kwargs": {"middleware": [Middleware(RequestGuard, throttle=throttle)]},
    }


def launch(
    assistant: Assistant, *, prevent_thread_lock: bool = False, port: int | None = None
) -> tuple[gr.Blocks, str]:
    """Start the server (``port`` overrides the configured one); returns the app and its local URL."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    options = launch_options(assistant.config)
    if port is not None:
        options["server_port"] = port
    demo = build_app(assistant)
    _, url, _ = demo.launch(prevent_thread_lock=prevent_thread_lock, **options)
    return demo, url

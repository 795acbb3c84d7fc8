"""Talking to a running gradio app the way its page does, over raw HTTP: the page's config names
every event by the element it is on, and an event is run by joining the queue and reading its
server-sent events. Used to call events the way an attacker (or a second browser) would, without
gradio_client's manners (it refuses private endpoints).
"""

from __future__ import annotations

import json
import secrets
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

__all__ = ["EventResult", "GradioSession", "free_port", "served"]

API = "gradio_api"


@dataclass
class EventResult:
    success: bool
    output: list[Any] = field(default_factory=list)
    error: str = ""
    status: int = 200  # HTTP status of joining the queue


class GradioSession:
    """One browser session (its own session hash, cookies) on the app at ``url``."""

    def __init__(self, url: str, *, cookies: httpx.Cookies | None = None) -> None:
        self.url = url.rstrip("/")
        self.client = httpx.Client(timeout=600, cookies=cookies)
        self.session_hash = secrets.token_hex(6)
        self._config: dict[str, Any] | None = None

    def close(self) -> None:
        self.client.close()

    def login(self, username: str, password: str) -> httpx.Response:
        return self.client.post(f"{self.url}/login", data={"username": username, "password": password})

    @property
    def config(self) -> dict[str, Any]:
        if self._config is None:
            response = self.client.get(f"{self.url}/config")
            response.raise_for_status()
            self._config = response.json()
        return self._config

    def component_id(self, elem_id: str) -> int:
        for component in self.config["components"]:
            if component.get("props", {}).get("elem_id") == elem_id:
                return int(component["id"])
        raise KeyError(elem_id)

    def event(self, elem_id: str, trigger: str = "click") -> dict[str, Any]:
        target = self.component_id(elem_id)
        for dependency in self.config["dependencies"]:
            if [target, trigger] in [list(t) for t in dependency["targets"]]:
                return dict(dependency)
        raise KeyError((elem_id, trigger))

    def call(self, elem_id: str, values: dict[str, Any] | None = None, trigger: str = "click") -> EventResult:
        """Run the event ``trigger`` of the element ``elem_id``, its inputs given by their elem_id;
        inputs not given are sent with the value the page starts with (a gr.State's value the server
        holds itself, whatever is sent)."""
        dependency = self.event(elem_id, trigger)
        values = values or {}
        props = {int(c["id"]): c.get("props", {}) for c in self.config["components"]}
        data = [
            values[props[i]["elem_id"]] if props[i].get("elem_id") in values else props[i].get("value")
            for i in dependency["inputs"]
        ]
        return self.call_fn(int(dependency["id"]), data, trigger_id=self.component_id(elem_id))

    def call_fn(self, fn_index: int, data: list[Any], *, trigger_id: int | None = None) -> EventResult:
        body = {
            "data": data,
            "fn_index": fn_index,
            "session_hash": self.session_hash,
            "event_data": None,
            "trigger_id": trigger_id,
        }
        joined = self.client.post(f"{self.url}/{API}/queue/join", json=body)
        if joined.status_code != 200:
            return EventResult(False, error=joined.text, status=joined.status_code)
        with self.client.stream(
            "GET", f"{self.url}/{API}/queue/data", params={"session_hash": self.session_hash}
        ) as stream:
            for line in stream.iter_lines():
                if not line.startswith("data:"):
                    continue
                message = json.loads(line[5:])
                if message.get("msg") == "process_completed":
                    output = message.get("output") or {}
                    if message.get("success"):
                        return EventResult(True, list(output.get("data") or []))
                    return EventResult(False, error=str(output.get("error") or output))
        return EventResult(False, error="strömmen tog slut utan svar")

    def upload(self, path: Path) -> dict[str, Any]:
        """The file uploaded as the page uploads it; the FileData an event takes."""
        with path.open("rb") as fh:
            response = self.client.post(f"{self.url}/{API}/upload", files={"files": (path.name, fh)})
        response.raise_for_status()
        server_path = response.json()[0]
        return {"path": server_path, "orig_name": path.name, "meta": {"_type": "gradio.FileData"}}

    def get(self, path: str) -> httpx.Response:
        return self.client.get(f"{self.url}/{path.lstrip('/')}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(assistant: Any) -> Iterator[str]:
    """The app of ``assistant`` running in this process on 127.0.0.1 (whatever address its config
    names, so that a server configured for another address is tested without listening on it),
    launched with the options ``serve`` uses; yields its URL."""
    from assistant.ui.app import build_app, launch_options

    options = launch_options(assistant.config)
    options.update(server_name="127.0.0.1", server_port=free_port())
    demo = build_app(assistant)
    _, url, _ = demo.launch(prevent_thread_lock=True, **options)
    try:
        yield url
    finally:
        demo.close()

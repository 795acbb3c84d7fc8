"""An ASGI middleware in front of gradio's own app: failed-login throttling, and gradio routes the
page never uses answered with 404.

- **Logins**: after ``attempts`` failed logins in a row from one address, that address must wait
  ``lockout`` seconds before the next attempt is even checked (HTTP 429), and the wait doubles with
  every further failure (up to 64 times the first); a successful login clears the count. The
  address is the client's as uvicorn sees it, which behind a local reverse proxy is the proxy's
  ``X-Forwarded-For`` (uvicorn trusts it from 127.0.0.1).
- **Routes**: the direct-call API (``/gradio_api/run|api|call/…``; the page itself and gradio_client
  use the queue), the OpenAPI description, gradio's monitoring, run history, MCP, streaming, proxy and
  editing routes are closed, so an endpoint meant for the page cannot be called by its name.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

__all__ = ["BLOCKED_ROUTES", "LoginThrottle", "RequestGuard"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

# Path prefixes (after the app's root path) that the page never requests.
BLOCKED_ROUTES = (
    "/gradio_api/run/",
    "/gradio_api/api/",
    "/gradio_api/call/",
    "/gradio_api/openapi.json",
    "/gradio_api/runs",
    "/gradio_api/run-history",
    "/gradio_api/mcp",
    "/gradio_api/stream/",
    "/gradio_api/proxy=",
    "/gradio_api/process_recording",
    "/gradio_api/vibe-edit",
    "/gradio_api/undo-vibe-edit",
    "/gradio_api/vibe-code",
    "/gradio_api/deep_link",
    "/gradio_api/dev/",
    "/monitoring",
)
_MAX_DOUBLINGS = 6


@dataclass
class _Failures:
    count: int = 0
    until: float = 0.0  # monotonic time before which no attempt is checked


class LoginThrottle:
    """Failed logins per address; thread-safe."""

    def __init__(self, attempts: int, lockout: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.attempts = attempts
        self.lockout = lockout
        self.clock = clock
        self._failures: dict[str, _Failures] = {}
        self._lock = threading.Lock()

    def wait(self, address: str) -> float:
        """Seconds ``address`` must still wait before its next attempt is checked (0: go ahead)."""
        with self._lock:
            entry = self._failures.get(address)
            return max(0.0, entry.until - self.clock()) if entry else 0.0

    def record(self, address: str, *, success: bool) -> None:
        with self._lock:
            if success:
                self._failures.pop(address, None)
                return
            entry = self._failures.setdefault(address, _Failures())
            entry.count += 1
            if entry.count >= self.attempts:
                doublings = min(entry.count - self.attempts, _MAX_DOUBLINGS)
                entry.until = self.clock() + self.lockout * 2**doublings
            if len(self._failures) > 10_000:  # many addresses: forget those no longer waiting
                now = self.clock()
                for key in [k for k, v in self._failures.items() if v.until < now and k != address]:
                    del self._failures[key]


class RequestGuard:
    """The middleware (``Blocks.launch(app_kwargs={"middleware": [...]})``)."""

    def __init__(self, app: App, *, throttle: LoginThrottle) -> None:
        self.app = app
        self.throttle = throttle

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        root = str(scope.get("root_path", "") or "")
        if root and path.startswith(root):
            path = path[len(root) :] or "/"
        if any(path.startswith(prefix) for prefix in BLOCKED_ROUTES):
            await _respond(send, 404, {"detail": "Finns inte."})
            return
        if scope.get("method") == "POST" and path.rstrip("/") == "/login":
            await self._login(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _login(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client") or ("okänd", 0)
        address = str(client[0])
        wait = self.throttle.wait(address)
        if wait > 0:
            message = f"För många misslyckade inloggningar. Försök igen om {int(wait) + 1} sekunder."
            await _respond(send, 429, {"detail": message}, {"retry-after": str(int(wait) + 1)})
            return
        status: list[int] = []

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(int(message["status"]))
            await send(message)

        await self.app(scope, receive, sending)
        if status:
            self.throttle.record(address, success=status[0] == 200)


async def _respond(send: Send, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
    payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
    raw = [(b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(payload)).encode())]
    raw += [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": payload})

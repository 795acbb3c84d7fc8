"""An OpenAI-compatible chat client, standard library only — one client for drafting and the chat.

Any OpenAI-compatible chat endpoint works (llama.cpp server, Ollama, vLLM,
hosted services): ``POST {RAPPORT_LLM_BASE_URL}/chat/completions`` with
``RAPPORT_LLM_MODEL`` and, if set, ``RAPPORT_LLM_API_KEY`` as a bearer token.
:meth:`ChatClient.complete` waits for the whole answer; :meth:`ChatClient.stream`
asks for server-sent events (``"stream": true``) and yields the text as it
comes (a server that answers with plain JSON instead is read as one piece).

``timeout`` bounds the whole answer, not only each read: a server that
trickles or stalls mid-answer is cut off at the deadline. Connecting gets at
most ``connect_timeout`` of it, so an endpoint that is configured but down is
noticed at once.

Every failure is an :class:`LlmError` (a child of ``AssistantError``) with a
message in Swedish and a ``kind`` — ``"unreachable"``, ``"timeout"``,
``"http"`` or ``"protocol"`` — so a caller can fall back to what it had and say why.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..config import Config
from ..errors import AssistantError, ConfigError

__all__ = ["ChatClient", "LlmError"]


class LlmError(AssistantError):
    """The chat endpoint could not be reached or answered something unusable."""

    def __init__(self, message: str, kind: str = "protocol") -> None:
        super().__init__(message)
        self.kind = kind  # "unreachable", "timeout", "http" or "protocol"


@dataclass(frozen=True)
class ChatClient:
    base_url: str
    model: str
    api_key: str | None = None
    timeout: float = 60.0
    connect_timeout: float = 5.0

    @classmethod
    def from_config(cls, config: Config, timeout: float | None = None, connect_timeout: float = 5.0) -> ChatClient:
        if not config.llm_base_url or not config.llm_model:
            raise ConfigError(
                "Språkmodellen är inte inställd: sätt RAPPORT_LLM_BASE_URL och RAPPORT_LLM_MODEL "
                "(t.ex. http://127.0.0.1:8080/v1 och modellens namn)."
            )
        wait = timeout if timeout is not None else (config.llm_timeout or 60.0)
        return cls(config.llm_base_url.rstrip("/"), config.llm_model, config.llm_api_key, wait, connect_timeout)

    # ------------------------------------------------------------------ requests
    def complete(
        self,
        messages: list[dict[str, str]],
        temperature: float = 0.2,
        *,
        max_tokens: int | None = None,
        timeout: float | None = None,
    ) -> str:
        """The text of the first choice for ``messages`` (``[{"role": …, "content": …}, …]``)."""
        wait = timeout or self.timeout
        deadline = time.monotonic() + wait
        conn, response = self._post(messages, temperature, max_tokens, stream=False, deadline=deadline, wait=wait)
        try:
            data = self._json(self._read_all(conn, response, deadline, wait))
        finally:
            conn.close()
        return _content(data)

    def stream(
        self,
        messages: list[dict[str, str]],
        temperature: float = 0.2,
        *,
        max_tokens: int | None = None,
        timeout: float | None = None,
    ) -> Iterator[str]:
        """The first choice's text in pieces, as the server sends them (server-sent events)."""
        wait = timeout or self.timeout
        deadline = time.monotonic() + wait
        conn, response = self._post(messages, temperature, max_tokens, stream=True, deadline=deadline, wait=wait)
        try:
            if "text/event-stream" not in (response.getheader("Content-Type") or ""):
                yield _content(self._json(self._read_all(conn, response, deadline, wait)))
                return
            got = False
            for data in self._events(conn, response, deadline, wait):
                piece = _delta(data)
                if piece:
                    got = True
                    yield piece
            if not got:
                raise LlmError("Språkmodellen svarade med en tom text.", "protocol")
        finally:
            conn.close()

    # ------------------------------------------------------------------ plumbing
    def _post(
        self,
        messages: list[dict[str, str]],
        temperature: float,
        max_tokens: int | None,
        *,
        stream: bool,
        deadline: float,
        wait: float,
    ) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
        payload: dict[str, Any] = {"model": self.model, "messages": messages, "temperature": temperature}
        if max_tokens:
            payload["max_tokens"] = max_tokens
        if stream:
            payload["stream"] = True
        body = json.dumps(payload).encode("utf-8")
        headers = {"Content-Type": "application/json", "Accept": "text/event-stream" if stream else "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        url = urllib.parse.urlsplit(f"{self.base_url}/chat/completions")
        if url.scheme not in ("http", "https") or not url.hostname:
            raise LlmError(f"RAPPORT_LLM_BASE_URL ska börja med http:// eller https:// (fick '{self.base_url}').")
        kind = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
        conn = kind(url.hostname, url.port, timeout=max(0.05, min(self.connect_timeout, _left(deadline))))
        path = url.path + (f"?{url.query}" if url.query else "")
        try:
            conn.connect()
            assert conn.sock is not None
            conn.sock.settimeout(max(0.05, _left(deadline)))
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
        except TimeoutError:
            conn.close()
            raise self._timeout(wait) from None
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            raise LlmError(f"Kunde inte nå språkmodellen på {self.base_url}: {exc}.", "unreachable") from None
        if response.status >= 400:
            conn.close()
            raise LlmError(f"Språkmodellen svarade med fel {response.status} ({self.base_url}).", "http")
        return conn, response

    def _read_all(
        self, conn: http.client.HTTPConnection, response: http.client.HTTPResponse, deadline: float, wait: float
    ) -> bytes:
        chunks: list[bytes] = []
        try:
            while True:
                _arm(conn, deadline)
                piece = response.read1(65536) if hasattr(response, "read1") else response.read(65536)
                if not piece:
                    return b"".join(chunks)
                chunks.append(piece)
                if _left(deadline) <= 0:
                    raise self._timeout(wait)
        except TimeoutError:
            raise self._timeout(wait) from None
        except (OSError, http.client.HTTPException) as exc:
            raise LlmError(f"Svaret från språkmodellen bröts: {exc}.", "unreachable") from None

    def _events(
        self, conn: http.client.HTTPConnection, response: http.client.HTTPResponse, deadline: float, wait: float
    ) -> Iterator[Any]:
        """The JSON payloads of ``data:`` lines until ``[DONE]`` or the end of the stream."""
        try:
            while True:
                _arm(conn, deadline)
                line = response.readline()
                if not line:
                    return
                if _left(deadline) <= 0:
                    raise self._timeout(wait)
                text = line.decode("utf-8", errors="replace").strip()
                if not text.startswith("data:"):
                    continue  # blank separators, comments (": keep-alive"), "event:" lines
                data = text[5:].strip()
                if data == "[DONE]":
                    return
                yield self._json(data.encode("utf-8"))
        except TimeoutError:
            raise self._timeout(wait) from None
        except (OSError, http.client.HTTPException) as exc:
            raise LlmError(f"Svaret från språkmodellen bröts: {exc}.", "unreachable") from None

    def _json(self, raw: bytes) -> Any:
        try:
            return json.loads(raw.decode("utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise LlmError(f"Språkmodellen på {self.base_url} svarade inte med JSON.", "protocol") from None

    def _timeout(self, wait: float) -> LlmError:
        return LlmError(
            f"Kunde inte nå språkmodellen på {self.base_url} i tid: den svarade inte inom {wait:g} s.", "timeout"
        )


def _left(deadline: float) -> float:
    return deadline - time.monotonic()


def _arm(conn: http.client.HTTPConnection, deadline: float) -> None:
    """Let the next read wait at most until the deadline."""
    left = _left(deadline)
    if left <= 0:
        raise TimeoutError
    if conn.sock is not None:
        conn.sock.settimeout(left)


def _content(data: Any) -> str:
    try:
        content = data["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise LlmError("Språkmodellens svar saknar choices[0].message.content.", "protocol") from None
    if not isinstance(content, str) or not content.strip():
        raise LlmError("Språkmodellen svarade med en tom text.", "protocol")
    return content.strip()


def _delta(data: Any) -> str:
    """The text of one streamed chunk (``choices[0].delta.content``), '' for role or finish chunks."""
    try:
        choice = data["choices"][0]
    except (KeyError, IndexError, TypeError):
        if isinstance(data, dict) and "error" in data:
            raise LlmError(f"Språkmodellen avbröt svaret: {data['error']}.", "http") from None
        return ""
    piece = (choice.get("delta") or {}).get("content") if isinstance(choice, dict) else None
    return piece if isinstance(piece, str) else ""

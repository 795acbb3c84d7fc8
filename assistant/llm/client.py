"""An OpenAI-compatible chat client, standard library only.

Any OpenAI-compatible chat endpoint works (llama.cpp server, Ollama, vLLM,
hosted services): ``POST {RAPPORT_LLM_BASE_URL}/chat/completions`` with
``RAPPORT_LLM_MODEL`` and, if set, ``RAPPORT_LLM_API_KEY`` as a bearer token.

Every failure (unreachable, timeout, HTTP error, an answer that is not JSON or
has no text) is an :class:`LlmError` (a child of ``AssistantError``) with a
message in Swedish, so a caller can fall back to what it had.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from ..config import Config
from ..errors import AssistantError, ConfigError

__all__ = ["ChatClient", "LlmError"]


class LlmError(AssistantError):
    """The chat endpoint could not be reached or answered something unusable."""


@dataclass(frozen=True)
class ChatClient:
    base_url: str
    model: str
    api_key: str | None = None
    timeout: float = 60.0

    @classmethod
    def from_config(cls, config: Config, timeout: float = 60.0) -> ChatClient:
        if not config.llm_base_url or not config.llm_model:
            raise ConfigError(
                "Språkmodellen är inte inställd: sätt RAPPORT_LLM_BASE_URL och RAPPORT_LLM_MODEL "
                "(t.ex. http://127.0.0.1:8080/v1 och modellens namn)."
            )
        return cls(config.llm_base_url.rstrip("/"), config.llm_model, config.llm_api_key, timeout)

    def complete(self, messages: list[dict[str, str]], temperature: float = 0.2) -> str:
        """The text of the first choice for ``messages`` (``[{"role": …, "content": …}, …]``)."""
        body = json.dumps({"model": self.model, "messages": messages, "temperature": temperature}).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(f"{self.base_url}/chat/completions", data=body, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                data: Any = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise LlmError(f"Språkmodellen svarade med fel {exc.code} ({self.base_url}).") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise LlmError(f"Kunde inte nå språkmodellen på {self.base_url}: {reason}.") from None
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise LlmError(f"Språkmodellen på {self.base_url} svarade inte med JSON.") from None
        try:
            content = data["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError):
            raise LlmError("Språkmodellens svar saknar choices[0].message.content.") from None
        if not isinstance(content, str) or not content.strip():
            raise LlmError("Språkmodellen svarade med en tom text.")
        return content.strip()

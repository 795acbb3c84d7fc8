"""Optional language model: rewrite a draft for flow, without letting it invent anything.

Any OpenAI-compatible chat endpoint works (llama.cpp server, Ollama, vLLM,
hosted services): ``POST {RAPPORT_LLM_BASE_URL}/chat/completions`` with
``RAPPORT_LLM_MODEL`` and, if set, ``RAPPORT_LLM_API_KEY`` as a bearer token.
Only the standard library is used.

What the rewrite may not do, checked per paragraph after every answer:

* drop or alter a citation marker ``[n]`` or a placeholder ``[ANGE …] (…)``, or
  add one that was not there → the whole paragraph stays extractive;
* write a figure that stands in no precedent → that sentence is rejected and
  the extractive sentence closest to it is kept in its place.

An endpoint that fails, times out or answers nonsense leaves the draft
extractive, with a note saying so.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from ..config import Config
from ..errors import AssistantError, ConfigError
from ..index.lexical import analyze
from ..index.sentences import split_sentences
from .compose import PLACEHOLDER, Draft, DraftPart, Paragraph, with_paragraphs

__all__ = ["SYSTEM_PROMPT", "ChatClient", "LlmError", "rewrite_draft", "unsupported_figures"]

SYSTEM_PROMPT = (
    "Du redigerar utkast till verksamhetsberättelser och verksamhetsplaner i Stockholms stad. "
    "Skriv om stycket så att det flyter bättre på svenska, utan att lägga till fakta. "
    "Behåll varje hakparentes exakt som den står, både källhänvisningar som [1] och platshållare som "
    "[ANGE 2026] (2020: 16 %) med parentesen efter. Skriv inga nya siffror, årtal eller namn. "
    "Svara bara med det omskrivna stycket."
)

_MARKER = re.compile(r"\[\d+\]")
_NUMBER = re.compile(r"\d+(?:[  .,]\d+)*")


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


def unsupported_figures(sentence: str, sources: list[str]) -> list[str]:
    """Figures in ``sentence`` (outside placeholders) that stand verbatim in none of ``sources``."""
    bare = PLACEHOLDER.sub(" ", _MARKER.sub(" ", sentence))
    missing = []
    for m in _NUMBER.finditer(bare):
        exact = re.compile(rf"(?<![\d,.]){re.escape(m.group(0))}(?![\d]|[,.]\d)")
        if not any(exact.search(s) for s in sources):
            missing.append(m.group(0))
    return missing


def rewrite_draft(d: Draft, client: ChatClient) -> tuple[Draft, list[str]]:
    """The draft with each paragraph rewritten where the rewrite passes the checks; notes in Swedish."""
    sources = [p.text for p in d.precedents]
    notes: list[str] = []
    parts = []
    changed = False
    for part in d.parts:
        paragraphs = []
        for para in part.paragraphs:
            try:
                answer = client.complete(
                    [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": para.text}]
                )
            except LlmError as exc:
                notes.append(f"{exc} Utkastet behålls som det sammanställdes ur rapporterna.")
                return d, notes
            new, note = _checked(para, answer, sources)
            if note:
                notes.append(note)
            changed = changed or new is not para
            paragraphs.append(new)
        parts.append(DraftPart(part.heading, tuple(paragraphs)))
    return with_paragraphs(d, tuple(parts), rewritten=changed), notes


def _protected(text: str) -> list[str]:
    return sorted(_MARKER.findall(PLACEHOLDER.sub(" ", text)) + PLACEHOLDER.findall(text))


def _checked(para: Paragraph, answer: str, sources: list[str]) -> tuple[Paragraph, str]:
    original = para.text
    if _protected(answer) != _protected(original):
        return (
            para,
            "Ett omskrivet stycke tappade eller ändrade en källhänvisning eller platshållare; originalet behålls.",
        )
    body = _MARKER.sub("", answer).strip()
    extractive = list(para.sentences)
    kept: list[str] = []
    rejected = 0
    for s, e in split_sentences(_join_lines(body)):
        sentence = body_sentence = _join_lines(body)[s:e]
        if unsupported_figures(body_sentence, sources):
            rejected += 1
            sentence = _closest(body_sentence, extractive)
        if sentence not in kept:
            kept.append(sentence)
    new = Paragraph(tuple(kept), para.sources, para.bullet)
    if _protected(new.text) != _protected(original):
        return para, "Ett omskrivet stycke kunde inte kontrolleras mot källorna; originalet behålls."
    note = (
        f"{rejected} omskriven mening med en siffra som inte finns i källorna ersattes av originalet."
        if rejected
        else ""
    )
    return new, note


def _join_lines(text: str) -> str:
    return " ".join(text.split())


def _closest(sentence: str, candidates: list[str]) -> str:
    stems = set(analyze(sentence))

    def overlap(c: str) -> float:
        other = set(analyze(c))
        return len(stems & other) / (len(stems | other) or 1)

    return max(candidates, key=overlap)

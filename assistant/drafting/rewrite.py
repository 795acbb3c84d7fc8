"""Optional language model: rewrite a draft for flow, without letting it invent anything.

The model is reached through :class:`assistant.llm.ChatClient` (any
OpenAI-compatible chat endpoint).

What the rewrite may not do, checked per paragraph after every answer:

* drop or alter a citation marker ``[n]`` or a placeholder ``[ANGE …] (…)``, or
  add one that was not there → the whole paragraph stays extractive;
* write a figure that stands in no precedent → that sentence is rejected and
  the extractive sentence closest to it is kept in its place.

An endpoint that fails, times out or answers nonsense leaves the draft
extractive, with a note saying so.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..index.lexical import analyze
from ..index.sentences import split_sentences
from ..llm import ChatClient, LlmError
from .compose import Draft, DraftPart, Paragraph, with_paragraphs
from .placeholders import PLACEHOLDER

__all__ = ["SYSTEM_PROMPT", "rewrite_draft", "unsupported_figures"]

SYSTEM_PROMPT = (
    "Du redigerar utkast till verksamhetsberättelser och verksamhetsplaner i Stockholms stad. "
    "Skriv om stycket så att det flyter bättre på svenska, utan att lägga till fakta. "
    "Behåll varje hakparentes exakt som den står, både källhänvisningar som [1] och platshållare som "
    "[ANGE 2026] (2020: 16 %) med parentesen efter. Skriv inga nya siffror, årtal eller namn. "
    "Svara bara med det omskrivna stycket."
)

_MARKER = re.compile(r"\[\d+\]")
_NUMBER = re.compile(r"\d+(?:[  .,]\d+)*")


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
                    [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": para.body}]
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
    original = para.body
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
    new = replace(para, sentences=tuple(kept))
    if _protected(new.body) != _protected(original):
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

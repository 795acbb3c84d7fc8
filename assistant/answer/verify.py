"""Checking a language model's answer against the passages it was given, sentence by sentence.

A sentence is kept only when

* it cites at least one passage (``[n]``) and every passage it cites exists;
* it is in Swedish;
* every figure, date, month and name in it occurs in the passages it cites (their text and the
  report, unit, year and section they were sent with), as written (a space between thousands aside);
* most of its other words do too (``min_support`` in ``assistant/data/chat.toml``; the words an
  answer uses to say where something stands — "enligt rapporten", "procent" — need no support).

Report text that addresses a model ("ignorera tidigare instruktioner …",
``assistant/data/sv/generated.toml``) is never sent and supports nothing. What
is dropped is returned with the reason, in Swedish, so the UI can say so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..index.lexical import analyze
from ..index.sentences import split_sentences
from ..lang.months import MONTH_NAMES
from ..query.language import language_of
from ..resources import data_toml

__all__ = ["Passage", "Verified", "clean_passage", "split_cited", "verify"]

_MARKERS = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_MARKER_RUN = r"(?:\s*\[\d+(?:\s*[,;]\s*\d+)*\])+"
_NUMBER = re.compile(r"\d+(?:[  .,]\d+)*")
_WORD = re.compile(r"[\wåäöÅÄÖéü-]+")
_CAPITALISED = re.compile(r"(?<=[\wåäö,:;)]\s)[A-ZÅÄÖ][\wåäöÅÄÖéü-]+")


@dataclass(frozen=True)
class Passage:
    """A passage as sent to the model: its number, text and the metadata it was labelled with."""

    n: int
    text: str
    label: str = ""  # report, unit, year, section


@dataclass(frozen=True)
class Verified:
    kept: tuple[tuple[str, tuple[int, ...]], ...]  # (sentence without markers, the passages it cites)
    dropped: tuple[tuple[str, str], ...]  # (sentence, why, in Swedish)

    @property
    def text(self) -> str:
        return " ".join(f"{s} {''.join(f'[{n}]' for n in cites)}" for s, cites in self.kept)


@lru_cache(maxsize=1)
def _words() -> dict[str, object]:
    return data_toml("sv/generated.toml")


@lru_cache(maxsize=1)
def _instructions() -> re.Pattern[str]:
    patterns = _words()["instructions"]
    assert isinstance(patterns, list)
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I)


@lru_cache(maxsize=1)
def _reporting() -> frozenset[str]:
    return frozenset(analyze(str(_words()["reporting"]), keep_stopwords=True))


def clean_passage(text: str) -> str:
    """The passage without sentences that address a model (kept out of the prompt and of the support)."""
    out, pos = [], 0
    for s, e in split_sentences(text):
        if _instructions().search(text[s:e]):
            out.append(text[pos:s].rstrip(" "))
            pos = e
            while pos < len(text) and text[pos] == " ":
                pos += 1
    if not out:
        return text
    return " ".join(p for p in [*out, text[pos:]] if p).strip()


def split_cited(text: str) -> list[tuple[str, tuple[int, ...]]]:
    """The answer's sentences, each without its markers and with the passage numbers it cites."""
    flat = " ".join(text.replace("\u00a0", " ").split())
    # "… 7,1 %. [1] Nästa" → "… 7,1 % [1]. Nästa": a marker belongs to the sentence before it
    flat = re.sub(rf"([.!?])({_MARKER_RUN})", r"\2\1", flat)
    # "… 7,1 % [1] Nästa" (no full stop): the marker ends the sentence
    flat = re.sub(rf"({_MARKER_RUN})\s+(?=[A-ZÅÄÖ])", r"\1. ", flat)
    out = []
    for s, e in split_sentences(flat):
        sentence = flat[s:e]
        cites = tuple(dict.fromkeys(int(n) for m in _MARKERS.finditer(sentence) for n in re.split(r"[,;]", m.group(1))))
        plain = " ".join(_MARKERS.sub(" ", sentence).split())
        plain = re.sub(r"\s+([.!?,;:])", r"\1", plain)
        if plain.strip(" .!?"):
            out.append((plain, cites))
    return out


def verify(answer: str, passages: list[Passage], *, min_support: float) -> Verified:
    by_n = {p.n: p for p in passages}
    kept: list[tuple[str, tuple[int, ...]]] = []
    dropped: list[tuple[str, str]] = []
    for sentence, cites in split_cited(answer):
        why = _problem(sentence, cites, by_n, min_support)
        if why:
            dropped.append((sentence, why))
        else:
            kept.append((sentence, cites))
    return Verified(tuple(kept), tuple(dropped))


def _problem(sentence: str, cites: tuple[int, ...], by_n: dict[int, Passage], min_support: float) -> str:
    """Why ``sentence`` may not stand in the answer, or ''."""
    if not cites:
        return "meningen hänvisar inte till någon källa"
    missing = [n for n in cites if n not in by_n]
    if missing:
        return f"meningen hänvisar till [{missing[0]}], men bara {len(by_n)} utdrag skickades"
    if language_of(sentence) != "sv":
        return "meningen är inte på svenska"
    support = " ".join(" ".join(by_n[n].text.split()) + " " + by_n[n].label for n in cites)
    support = clean_passage(support)
    flat_support = support.replace("\u00a0", " ")
    for m in _NUMBER.finditer(sentence):
        if not _figure_in(m.group(0), flat_support):
            return f"siffran {m.group(0)} står inte i källan"
    low = support.lower()
    for month in MONTH_NAMES:
        if re.search(rf"\b{month}\b", sentence, re.I) and month not in low:
            return f"månaden {month} står inte i källan"
    support_stems = set(analyze(support, keep_stopwords=True))
    for name in _CAPITALISED.findall(sentence):
        if not set(analyze(name)) <= support_stems:
            return f"namnet {name} står inte i källan"
    words = [t for t in analyze(sentence) if not t[0].isdigit() and t not in _reporting()]
    if words:
        share = sum(t in support_stems or _part_of(t, support_stems) for t in words) / len(words)
        if share < min_support:
            return "meningen säger annat än källan"
    return ""


def _figure_in(figure: str, text: str) -> bool:
    """``figure`` stands in ``text`` as a whole number ("7,1" not in "17,1" or "7,15"); thousands may be
    written with or without a space ("42 653" = "42653")."""
    figure = figure.rstrip(".,")
    variants = {figure, re.sub(r"(?<=\d)[  ](?=\d{3}\b)", "", figure)}
    spaced = re.sub(r"(?<=\d)(?=(?:\d{3})+\b)", " ", figure) if figure.isdigit() and len(figure) > 4 else figure
    variants.add(spaced)
    for v in variants:
        body = r"\s?".join(re.escape(part) for part in v.split(" "))
        if re.search(rf"(?<![\d,.]){body}(?![\d]|[,.]\d)", text):
            return True
    return False


def _part_of(stem: str, stems: set[str]) -> bool:
    """A word of the answer that is part of a compound of the passage ("frånvaro" in "sjukfrånvaro")."""
    return len(stem) >= 5 and any(len(s) > len(stem) and (s.endswith(stem) or s.startswith(stem)) for s in stems)

"""Whether a question can be asked at all, checked before any work is done on it.

A question is refused, with a Swedish :class:`QuestionError` that says what to do, when it is
empty, longer than ``Config.max_question_chars`` (a pasted document would otherwise be taken
apart, embedded and searched while other people's questions wait), or has no letter in it
("???", "1=1"): there is nothing in it to search for, and any passage found would be chance.
"""

from __future__ import annotations

from ..errors import QuestionError

__all__ = ["admit", "shown_question"]

_EXAMPLE = "t.ex. 'Vad var sjukfrånvaron 2018?'"
_SHOWN = 200  # characters of a refused question shown back to the person who asked it


def admit(question: str | None, max_chars: int) -> str:
    """The question with its whitespace normalised, or a QuestionError saying why it is refused."""
    raw = question or ""
    if len(raw) > 2 * max_chars:  # normalising a pasted book costs time too: refuse it unread
        raise _too_long(len(raw), max_chars)
    text = " ".join(raw.split())
    if not text:
        raise QuestionError(f"Frågan är tom. Skriv en fråga, {_EXAMPLE}.")
    if len(text) > max_chars:
        raise _too_long(len(text), max_chars)
    if not any(c.isalpha() for c in text):
        raise QuestionError(
            f"Frågan »{shown_question(text)}« innehåller inga ord att söka efter. Skriv frågan med ord, {_EXAMPLE}."
        )
    return text


def shown_question(question: str) -> str:
    """A question as it is shown back: at most a couple of hundred characters."""
    text = " ".join(question[: 4 * _SHOWN].split())
    return text if len(text) <= _SHOWN else text[:_SHOWN].rstrip() + " …"


def _too_long(length: int, max_chars: int) -> QuestionError:
    return QuestionError(
        f"Frågan är {length:,} tecken lång; högst {max_chars:,} tecken går att fråga med. ".replace(",", " ")
        + f"Korta frågan till det du vill veta, {_EXAMPLE} (gränsen ändras med RAPPORT_MAX_QUESTION_CHARS)."
    )

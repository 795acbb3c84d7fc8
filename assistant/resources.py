"""Rules as data: word lists, tables and tuning shipped in ``assistant/data/``.

Every file is read once (cached) through :func:`data_toml` or
:func:`data_words`; the modules that use a list say which file it comes from.
Knowledge about particular reports never goes here: it belongs next to the
corpus (``corpus/*.toml``).

    data_toml("sv/sections.toml")      -> dict
    data_words("sv/stopwords.txt")     -> tuple of words, one per line, '#' starts a comment
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from .errors import AssistantError

__all__ = ["data_text", "data_toml", "data_words"]


def data_text(name: str) -> str:
    """The text of ``assistant/data/<name>``."""
    try:
        return resources.files("assistant").joinpath("data", *name.split("/")).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AssistantError(
            f"Datafilen assistant/data/{name} saknas i installationen. Installera om paketet."
        ) from None


@cache
def data_toml(name: str) -> dict[str, Any]:
    """``assistant/data/<name>`` parsed as TOML (cached; treat the result as read-only)."""
    try:
        return tomllib.loads(data_text(name))
    except tomllib.TOMLDecodeError as exc:
        raise AssistantError(f"Datafilen assistant/data/{name} är inte giltig TOML: {exc}.") from exc


@cache
def data_words(name: str) -> tuple[str, ...]:
    """The non-empty lines of ``assistant/data/<name>``, without ``#`` comments, in file order."""
    out = []
    for line in data_text(name).splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            out.append(word)
    return tuple(out)

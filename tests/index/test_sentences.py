"""Sentence splitting: where a quoted answer sentence starts and ends."""

from __future__ import annotations

from assistant.index.sentences import split_sentences


def test_abbreviations_do_not_end_a_sentence() -> None:
    text = "Alla möten avslutas senast kl. 16:00, APT planeras så. Det kostade ca. 200 kr. Det blev 5 st. Slut."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Alla möten avslutas senast kl. 16:00, APT planeras så.",
        "Det kostade ca. 200 kr.",
        "Det blev 5 st.",
        "Slut.",
    ]

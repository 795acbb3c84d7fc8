"""DraftingTuning: keyword-only, frozen, today's values as defaults, round-trips and rejects unknown keys."""

from __future__ import annotations

import dataclasses

import pytest

from assistant.drafting import DraftingTuning, relevance
from assistant.errors import ConfigError


def test_defaults_are_the_measured_values() -> None:
    t = DraftingTuning()
    assert t.relevance_threshold == 0.5  # docs/drafting.md: "Gränsen 0,50 valdes på uppmätta värden"
    assert (t.max_sentences_per_precedent, t.max_sentences_per_part) == (4, 12)  # "högst 4 per källa och 12 per del"
    assert t.near_duplicate == 0.6  # "till minst 60 % desamma"


def test_keyword_only_and_frozen() -> None:
    with pytest.raises(TypeError):
        DraftingTuning(0.7)  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        DraftingTuning().relevance_threshold = 0.7  # type: ignore[misc]


def test_round_trip_and_unknown_key() -> None:
    t = DraftingTuning(relevance_threshold=0.7, max_sentences_per_part=3)
    assert DraftingTuning.from_dict(t.to_dict()) == t
    with pytest.raises(ConfigError, match="relevans_grans"):
        DraftingTuning.from_dict({"relevans_grans": 0.7})


def test_relevance_uses_the_tuning() -> None:
    assert relevance(1.0, 0.0, 0.82) == 1.0
    assert relevance(0.0, 1.0, 0.82) == pytest.approx(0.65)
    assert relevance(0.0, 1.0, 0.82, DraftingTuning(text_weight=0.5)) == pytest.approx(0.5)
    assert relevance(0.0, 0.0, 1.0, DraftingTuning(dense_weight=0.0)) == 0.0

"""One Tuning object, from assistant/data/tuning.toml, passed in and overridable (assistant/tuning.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.config import Config
from assistant.errors import ConfigError
from assistant.tuning import Tuning


def test_the_shipped_file_is_complete_and_typed() -> None:
    t = Tuning.default()
    assert t.fusion.k == 30 and isinstance(t.fusion.k, int)
    assert isinstance(t.abstention.answer_type, bool)
    assert Tuning.from_dict(t.to_dict()) == t  # round trip


def test_overrides_replace_only_what_they_name() -> None:
    t = Tuning.default().merged({"fusion": {"dense": 1.3}, "answer": {"max_sentences": 1}})
    assert t.fusion.dense == 1.3 and t.answer.max_sentences == 1
    assert t.fusion.lexical == Tuning.default().fusion.lexical
    assert t.sentences == Tuning.default().sentences


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"fusion": {"densee": 1.0}}, "densee"),
        ({"fuson": {"dense": 1.0}}, "fuson"),
        ({"fusion": {"k": 2.5}}, "k"),
        ({"abstention": {"answer_type": "ja"}}, "answer_type"),
        ({"fusion": 3}, "fusion"),
    ],
)
def test_a_wrong_key_or_value_is_an_error_naming_it(overrides: dict, named: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ConfigError, match=named):
        Tuning.default().merged(overrides)


def test_a_partial_file_overrides_the_shipped_values(tmp_path: Path) -> None:
    path = tmp_path / "min.toml"
    path.write_text("[sentences]\nmargin = 0.05\n", encoding="utf-8")
    assert Tuning.load(path).sentences.margin == 0.05
    path.write_text("[sentences\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"min\.toml"):
        Tuning.load(path)


def test_config_reads_a_tuning_file_from_the_environment(tmp_path: Path) -> None:
    config = Config.from_sources(env={"RAPPORT_TUNING": str(tmp_path / "t.toml"), "RAPPORT_ROOT": str(tmp_path)})
    assert config.tuning_file == tmp_path / "t.toml"


@pytest.mark.slow
def test_tuning_can_be_changed_for_one_question(assistant: Assistant) -> None:
    question = "Hur hög var sjukfrånvaron på assistansenheten 2018?"
    usual = assistant.ask(question)
    one = assistant.ask(question, tuning=assistant.tuning.merged({"answer": {"max_sentences": 1}}))
    assert len(usual.sentences) > 1  # otherwise the test shows nothing
    assert len(one.sentences) == 1
    assert assistant.ask(question).answer == usual.answer  # the override was for that question only

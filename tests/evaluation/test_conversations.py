"""Conversation sets and the follow-up measure (assistant/evaluation/conversations.py), on hand-made cases."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from assistant.evaluation.conversations import (
    is_conversation_set,
    load_conversations,
    run_conversations,
    summarise_conversations,
)

EXPECTED_2018 = {"unit": "A", "year": 2018, "type": "verksamhetsberättelse", "file": "r2018.txt", "section": None,
                 "answers": ["7,1 %"], "value": 7.1}  # fmt: skip
EXPECTED_2012 = {**EXPECTED_2018, "year": 2012, "file": "r2012.txt", "answers": ["8,30 %"], "value": 8.3}
CONVERSATION = {
    "id": "c1",
    "kind": "year_change",
    "turns": [
        {"question": "Hur hög var sjukfrånvaron 2012?", "answerable": True, "expected": [EXPECTED_2012]},
        {"question": "Och 2018 då?", "answerable": True, "expected": [EXPECTED_2018]},
        {"question": "Och 2016?", "answerable": False, "expected": []},
    ],
}


@dataclass
class FakeAnswer:
    answer: str
    abstained: bool = False
    retrieved: tuple[Any, ...] = ()
    citations: tuple[Any, ...] = ()
    carried: tuple[Any, ...] = field(default_factory=tuple)


def write(tmp_path: Path, *items: dict[str, Any]) -> Path:
    path = tmp_path / "samtal.jsonl"
    path.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n", encoding="utf-8")
    return path


def test_a_conversation_set_is_told_from_a_fact_set(tmp_path: Path) -> None:
    path = write(tmp_path, CONVERSATION)
    assert is_conversation_set(path)
    (case,) = load_conversations(path)
    assert (case.id, case.kind, len(case.turns)) == ("c1", "year_change", 3)
    assert case.turns[1].id == "c1.1" and case.turns[1].expected[0].report_id == "r2018"
    facts = tmp_path / "fakta.jsonl"
    facts.write_text(json.dumps({"id": "q1", "kind": "figure", "question": "?", "answerable": False, "expected": []}))
    assert not is_conversation_set(facts)


def test_a_conversation_needs_two_turns(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="rad 1: ogiltigt samtal"):
        load_conversations(write(tmp_path, {**CONVERSATION, "turns": CONVERSATION["turns"][:1]}))


def test_the_follow_up_turns_are_measured_with_the_history_each_turn_had(tmp_path: Path) -> None:
    (case,) = load_conversations(write(tmp_path, CONVERSATION))
    seen: list[int | None] = []

    def ask(question: str, history: list[Any] | None) -> tuple[Any, tuple[str, ...], str]:
        seen.append(None if history is None else len(history))
        if question.startswith("Och 2018"):
            return FakeAnswer("Sjukfrånvaro 7,1 % [1]"), ("unit",), "extractive"
        if question.startswith("Och 2016"):
            return FakeAnswer("Jag hittar inget.", abstained=False), (), "extractive"  # should have abstained
        return FakeAnswer("8,30 %"), (), "extractive"

    summary = summarise_conversations(run_conversations([case], ask))
    assert seen == [0, 1, 2]
    assert summary["followup_turns"] == 2 and summary["followup_correct"] == 0.5
    assert summary["first_turn_correct"] == 1.0
    assert [f["id"] for f in summary["failures"]] == ["c1.2"]
    assert summary["failures"][0]["previous"] == ["Hur hög var sjukfrånvaron 2012?", "Och 2018 då?"]
    seen.clear()
    run_conversations([case], ask, alone=True)
    assert seen == [None, None, None]


@pytest.mark.slow
def test_eval_runs_a_conversation_set_and_through_the_model(built_root: Path, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from fake_chat_server import running_servers

    sample = tmp_path / "samtal.jsonl"
    lines = (Path(__file__).resolve().parents[2] / "eval" / "followups.jsonl").read_text(encoding="utf-8").splitlines()
    sample.write_text("\n".join(lines[:4]) + "\n", encoding="utf-8")
    env = {**os.environ, "RAPPORT_ROOT": str(built_root)}
    for key in ("RAPPORT_LLM_BASE_URL", "RAPPORT_LLM_MODEL"):
        env.pop(key, None)

    def run(*args: str, extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "assistant", "eval", "--set", str(sample), "--json", *args],
            capture_output=True, text=True, env={**env, **(extra or {})}, timeout=600,
        )  # fmt: skip

    offline = run()
    assert offline.returncode == 0, offline.stderr
    data = json.loads(offline.stdout)
    assert data["conversations"] == 4 and data["system"]["followup_turns"] == 5
    assert data["alone"]["followup_correct"] <= data["system"]["followup_correct"]
    refused = run("--llm")
    assert refused.returncode == 1 and "eval --llm behöver en språkmodell" in refused.stderr
    with running_servers(("behave",)) as urls:
        through = run(
            "--llm", "--no-baseline", extra={"RAPPORT_LLM_BASE_URL": urls["behave"], "RAPPORT_LLM_MODEL": "m"}
        )
    assert through.returncode == 0, through.stderr
    result = json.loads(through.stdout)
    assert result["llm"] and result["system"]["modes"].get("generated", 0) >= 1

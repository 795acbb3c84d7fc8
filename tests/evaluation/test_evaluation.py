"""The evaluation metrics on tiny hand-made cases with known values (assistant/evaluation.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.evaluation.facts import Expected, KnownFact, load_facts
from assistant.evaluation.metrics import (
    RankedPassage,
    abstention_metrics,
    answer_correct,
    contains_answer,
    hit_at_k,
    percentile,
    reciprocal_rank,
)
from assistant.evaluation.runner import Outcome, summarise

E2018 = Expected(report_id="r2018", unit="Assistansenheten", year=2018, answers=("7,1 %",))
E2012 = Expected(report_id="r2012", unit="Assistansenheten", year=2012, answers=("8,30 %", "8,3 %"))

NOISE = RankedPassage("r2014", "Sjukfrånvaron var 5,46 %.")
RIGHT_2018 = RankedPassage("r2018", "Sjukfrånvaro 7,1 % tas fram av VB 2018")
WRONG_REPORT = RankedPassage("r2020", "Sjukfrånvaro 7,1 % i en annan rapport")  # right string, wrong report
RIGHT_REPORT_NO_ANSWER = RankedPassage("r2018", "Sjukfrånvaron följs upp varje månad.")
RIGHT_2012 = RankedPassage("r2012", "rullande 12 månaders period på 8,30 %.")


# ------------------------------------------------------------------ hit@k and MRR
def test_relevant_at_rank_three() -> None:
    ranked = [NOISE, WRONG_REPORT, RIGHT_2018, NOISE, NOISE]
    assert not hit_at_k(ranked, [E2018], 1)
    assert not hit_at_k(ranked, [E2018], 2)
    assert hit_at_k(ranked, [E2018], 3)
    assert hit_at_k(ranked, [E2018], 5)
    assert reciprocal_rank(ranked, [E2018]) == pytest.approx(1 / 3)


def test_relevant_at_rank_one() -> None:
    ranked = [RIGHT_2018, NOISE]
    assert hit_at_k(ranked, [E2018], 1)
    assert reciprocal_rank(ranked, [E2018]) == 1.0


def test_a_passage_needs_both_the_report_and_the_answer() -> None:
    ranked = [WRONG_REPORT, RIGHT_REPORT_NO_ANSWER]
    assert not hit_at_k(ranked, [E2018], 10)
    assert reciprocal_rank(ranked, [E2018]) == 0.0


def test_reciprocal_rank_stops_at_k() -> None:
    ranked = [NOISE] * 10 + [RIGHT_2018]
    assert reciprocal_rank(ranked, [E2018], k=10) == 0.0
    assert reciprocal_rank(ranked, [E2018], k=11) == pytest.approx(1 / 11)
    assert not hit_at_k(ranked, [E2018], 10)


def test_across_years_every_expected_report_is_required() -> None:
    ranked = [RIGHT_2018, NOISE, NOISE, RIGHT_2012]
    both = [E2018, E2012]
    assert not hit_at_k(ranked, both, 1)
    assert not hit_at_k(ranked, both, 3)
    assert hit_at_k(ranked, both, 4)
    # MRR looks at the first relevant passage for any expected report.
    assert reciprocal_rank(ranked, both) == 1.0


def test_no_expected_report_is_never_a_hit() -> None:
    assert not hit_at_k([RIGHT_2018], [], 5)
    assert reciprocal_rank([RIGHT_2018], []) == 0.0
    assert not hit_at_k([], [E2018], 5)


# ------------------------------------------------------------------ answers
@pytest.mark.parametrize(
    ("text", "answers", "expected"),
    [
        ("Sjukfrånvaron var 7,1% under året", ["7,1 %"], True),
        ("Sjukfrånvaron var 7,1 % under året", ["7,1%"], True),
        ("Sjukfrånvaron var 7,1\u00a0% under året", ["7,1 %"], True),
        ("BOKSLUTET VISAR ETT UNDERSKOTT MED 4,77   MNKR", ["underskott med 4,77 mnkr"], True),
        ("underskott med 4,77\nmnkr", ["underskott med 4,77 mnkr"], True),
        ("Sjukfrånvaron var 7,1 %", ["7,2 %"], False),
        ("Sjukfrånvaron var 17,1 %", ["7,1 %"], False),  # a number matches whole numbers only
        ("Sjukfrånvaron var 7,15 %", ["7,1"], False),
        ("underskott med 14,77 mnkr", ["4,77 mnkr"], False),
        ("ca 240 medarbetare.", ["240"], True),
        ("(7,1 %)", ["7,1 %"], True),
        ("åren 2012, 2014", ["2012"], True),
        ("Sjukfrånvaron var 7,1 %", ["", "  "], False),  # empty accepted strings never match
        ("något", ["annat", "något"], True),
    ],
)
def test_contains_answer(text: str, answers: list[str], expected: bool) -> None:
    assert contains_answer(text, answers) is expected


def test_answer_correct_needs_every_expected_report() -> None:
    assert answer_correct("2018: Sjukfrånvaro 7,1 % [1]", [E2018])
    assert not answer_correct("2018: Sjukfrånvaro 7,1 % [1]", [E2018, E2012])
    assert answer_correct("2012: 8,3% [1] 2018: 7,1% [2]", [E2018, E2012])
    assert not answer_correct("Jag hittar inget om det i rapporterna.", [E2018])
    assert not answer_correct("7,1 %", [])


# ------------------------------------------------------------------ abstention
def test_abstention_metrics_on_a_small_table() -> None:
    # (answerable, abstained)
    table = [
        (False, True),  # correct abstention
        (False, True),  # correct abstention
        (False, False),  # answered what is not there
        (True, True),  # false abstention
        (True, False),
        (True, False),
        (True, False),
    ]
    m = abstention_metrics(table)
    assert m["precision"] == pytest.approx(2 / 3)
    assert m["recall"] == pytest.approx(2 / 3)
    assert m["false_abstention"] == pytest.approx(1 / 4)


def test_abstention_metrics_edge_cases() -> None:
    assert abstention_metrics([(True, False)]) == {"precision": 1.0, "recall": 1.0, "false_abstention": 0.0}
    assert abstention_metrics([(False, False)])["recall"] == 0.0
    assert abstention_metrics([(True, True)])["precision"] == 0.0
    assert abstention_metrics([(True, True)])["false_abstention"] == 1.0


# ------------------------------------------------------------------ percentile
def test_percentile() -> None:
    values = [5.0, 1.0, 4.0, 2.0, 3.0]
    assert percentile(values, 0.0) == 1.0
    assert percentile(values, 0.5) == 3.0
    assert percentile(values, 1.0) == 5.0
    assert percentile(list(map(float, range(1, 101))), 0.95) == 95.0
    assert percentile([], 0.95) == 0.0
    assert percentile([7.0], 0.95) == 7.0


# ------------------------------------------------------------------ summary and facts file
def _fact(fid: str, kind: str, answerable: bool, expected: tuple[Expected, ...]) -> KnownFact:
    return KnownFact(fid, kind, "sv", f"fråga {fid}", answerable, expected)


def test_summarise_combines_the_metrics_and_lists_failures() -> None:
    good = Outcome(_fact("a", "siffra", True, (E2018,)), [RIGHT_2018], "Sjukfrånvaro 7,1 % [1]", False, "r2018", 10.0)
    third = Outcome(
        _fact("b", "siffra", True, (E2018,)), [NOISE, NOISE, RIGHT_2018], "Något annat [1]", False, "r2014", 30.0
    )
    refused = Outcome(_fact("c", "saknas", False, ()), [NOISE], "Jag hittar inget", True, "r2014", 20.0)
    s = summarise([good, third, refused])
    o = s["overall"]
    assert o["n"] == 3
    assert o["hit@1"] == 0.5 and o["hit@5"] == 1.0
    assert o["mrr@10"] == pytest.approx((1 + 1 / 3) / 2)
    assert o["answer_accuracy"] == 0.5
    assert o["routing_accuracy"] == 0.5
    assert o["abstain_recall"] == 1.0 and o["abstain_false_abstention"] == 0.0
    assert o["latency_ms_median"] == 20.0
    assert set(s["per_kind"]) == {"siffra", "saknas"}
    assert s["per_kind"]["siffra"]["hit@1"] == 0.5
    assert [f["id"] for f in s["failures"]] == ["b"]


def test_load_facts(tmp_path: Path) -> None:
    record = {
        "id": "f1",
        "kind": "siffra",
        "question": "Vad var sjukfrånvaron 2018?",
        "answerable": True,
        "expected": [{"file": "corpus/001_x.txt", "unit": "Assistansenheten", "year": 2018, "answers": ["7,1 %"]}],
    }
    path = tmp_path / "facts.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n\n", encoding="utf-8")
    (fact,) = load_facts(path)
    assert fact.lang == "sv" and fact.answerable
    assert fact.expected[0].report_id == "001_x" and fact.expected[0].answers == ("7,1 %",)

    path.write_text('{"id": "f2", "question": "?"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="rad 1"):
        load_facts(path)

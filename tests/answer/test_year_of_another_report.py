"""A unit without a report for the asked year, in a corpus that has the year for other units: the
unit's later reports may tell about it — the next year's plan is written during the year, a later
report quotes it — and an earlier report never does (it has plans for the year, not what came of
them). Before, every such question was refused ("Det finns ingen sådan rapport")."""

from __future__ import annotations

import pytest

from assistant.api import Assistant
from assistant.config import Config
from assistant.index.embeddings import Embedder

pytestmark = pytest.mark.slow

REPORTS = {
    "vp2024.txt": (
        "Verksamhetsplan 2024 för Provenheten\n\nVerksamhetens förutsättningar\n\n"
        "Boendet har 60 lägenheter fördelade på fyra avdelningar. Sjukfrånvaron uppgick till 8,7 % under "
        "januari till augusti 2023.\n\nMål för 2024\n\nSjukfrånvaron ska minska till 7,5 %.\n",
        {"unit": "Provenheten", "year": 2024, "type": "verksamhetsplan"},
    ),
    "vb2021.txt": (
        "Verksamhetsberättelse 2021 för Provenheten\n\nSammanfattning\n\nSjukfrånvaron var 9,1 % under 2021.\n\n"
        "Inför 2022\n\nSjukfrånvaron ska sänkas till under 8 % under 2022.\n",
        {"unit": "Provenheten", "year": 2021, "type": "verksamhetsberättelse"},
    ),
    "annan2022.txt": (
        "Verksamhetsberättelse 2022 för Annan enhet\n\nSammanfattning\n\nSjukfrånvaron var 5,2 % under 2022.\n",
        {"unit": "Annan enhet", "year": 2022, "type": "verksamhetsberättelse"},
    ),
    "annan2023.txt": (
        "Verksamhetsberättelse 2023 för Annan enhet\n\nSammanfattning\n\nSjukfrånvaron var 4,9 % under 2023.\n",
        {"unit": "Annan enhet", "year": 2023, "type": "verksamhetsberättelse"},
    ),
}


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Assistant:
    root = tmp_path_factory.mktemp("other-year")
    (root / "corpus").mkdir()
    manifest = []
    for name, (text, meta) in REPORTS.items():
        (root / "corpus" / name).write_text(text, encoding="utf-8")
        fields = "".join(f'{k} = "{v}"\n' if isinstance(v, str) else f"{k} = {v}\n" for k, v in meta.items())
        manifest.append(f'["{name}"]\n{fields}')
    (root / "corpus" / "manifest.toml").write_text("\n".join(manifest), encoding="utf-8")
    return Assistant(Config(root=root), embedder=embedder)


def test_the_next_years_plan_answers_for_the_year_it_was_written_in(assistant: Assistant) -> None:
    answer = assistant.ask("Hur många lägenheter hade Provenheten 2023?")
    assert not answer.abstained, answer.notice
    assert "60 lägenheter" in answer.answer
    assert answer.citations[0].year == 2024 and answer.citations[0].unit == "Provenheten"
    assert "Det finns ingen rapport för 2023 från Provenheten" in answer.notice and "inför" in answer.notice


def test_a_later_report_that_names_the_year_answers_for_it(assistant: Assistant) -> None:
    answer = assistant.ask("Hur hög var sjukfrånvaron för Provenheten 2023?")
    assert not answer.abstained, answer.notice
    assert "8,7 %" in answer.answer and "som nämner 2023" in answer.notice


def test_an_earlier_reports_plans_are_no_answer_for_the_year(assistant: Assistant) -> None:
    answer = assistant.ask("Hur hög var sjukfrånvaron för Provenheten 2022?")
    assert answer.abstained and "Det finns ingen sådan rapport" in answer.notice

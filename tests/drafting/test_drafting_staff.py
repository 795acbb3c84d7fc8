"""Drafting as staff meet it (issue 17): the year, other units' sentences, one placeholder form, tense and kind."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.config import Config
from assistant.drafting import PLACEHOLDER, Precedent, default_year, draft, to_markdown
from assistant.drafting.placeholders import placeholders

pytestmark = pytest.mark.slow

ONE_FORM = re.compile(r"\[ANGE (\d{4})\] \(\d{4}: [^()]+?(?:, \d{4}: [^()]+?)*\)")


@pytest.fixture(scope="session")
def assistant(project_root: Path) -> Iterator[Assistant]:
    yield Assistant(Config(root=project_root))


def _precedent(year: int, text: str, type: str = "verksamhetsberättelse", n: int = 1) -> Precedent:
    return Precedent(
        n, f"r{n}", "Rapport", "Enheten", None, year, type, ("Avsnitt",), (), 0, len(text), text, 1.0, True
    )


def _sentences(d) -> list[str]:  # type: ignore[no-untyped-def]
    return [s for part in d.parts for p in part.paragraphs for s in p.sentences]


# ------------------------------------------------------------------ the year
def test_title_year_follows_the_units_latest_source_of_the_type(assistant: Assistant) -> None:
    d = draft(assistant, "Synpunkter och klagomål", unit="Assistansenheten")
    assert d.year == 2019  # its latest report is 2018, whatever other units wrote later
    assert to_markdown(d).startswith("# Utkast: Verksamhetsberättelse 2019, Assistansenheten")
    assert default_year(assistant, "Enheten för personligt stöd", "verksamhetsplan") == 2026
    assert default_year(assistant, "Enheten för personligt stöd", "verksamhetsberättelse") == 2021
    assert default_year(assistant, "Assistansenheten", "verksamhetsplan") == 2019  # no plan: its latest report
    assert draft(assistant, "Synpunkter och klagomål", unit="Assistansenheten", year=2030).year == 2030


# ------------------------------------------------------------------ other units
def test_other_units_sentences_are_marked_and_their_specifics_left_out(assistant: Assistant) -> None:
    d = draft(assistant, "Synpunkter och klagomål", unit="Assistansenheten")
    by_n = {p.n: p for p in d.precedents}
    others = [p for part in d.parts for p in part.paragraphs if by_n[p.sources[0]].unit != "Assistansenheten"]
    assert others, "the draft has paragraphs from other units"
    for para in others:
        src = by_n[para.sources[0]]
        assert para.origin == f"från {src.unit} {src.year}"
        assert para.origin in para.text
    own = [p for part in d.parts for p in part.paragraphs if by_n[p.sources[0]].unit == "Assistansenheten"]
    assert own and all(p.origin is None for p in own)
    # "Under 2014 har 13 dokumenterade klagomål inkommit …" is Beställarenheten's own count: left out, with the reason.
    assert not any("dokumenterade klagomål" in s for s in _sentences(d))
    left = [(s, r) for s, r, _ in d.omitted if "dokumenterade klagomål" in s]
    assert left and "Beställarenheten funktionsnedsättning" in left[0][1]
    # Asked for, they come back, marked.
    kept = draft(assistant, "Synpunkter och klagomål", unit="Assistansenheten", other_unit_specifics=True)
    assert any("dokumenterade klagomål" in s for s in _sentences(kept))


# ------------------------------------------------------------------ one placeholder form
def test_one_placeholder_form_in_a_sentence() -> None:
    prec = _precedent(2021, "Under 2021 inkom fyra klagomål.")
    out, _ = placeholders("Under 2021 inkom fyra klagomål.", prec, [prec], 2026)
    assert out == "Under [ANGE 2026] (2021: 2021) inkom [ANGE 2026] (2021: fyra) klagomål."
    out, _ = placeholders("I december 2018 var det 2.1 dagar.", _precedent(2018, ""), [], 2019)
    assert "tidigare" not in out and "ÅR" not in out and "DATUM" not in out
    assert len(PLACEHOLDER.findall(out)) == len(ONE_FORM.findall(out)) == 2


def test_every_placeholder_of_real_drafts_has_the_one_form(assistant: Assistant) -> None:
    for topic, unit in (
        ("Synpunkter och klagomål", "Beställarenheten funktionsnedsättning"),
        ("budget i balans", None),
    ):
        d = draft(assistant, topic, unit=unit)
        found = [m for s in _sentences(d) for m in PLACEHOLDER.findall(s)]
        assert found
        for m in found:
            form = ONE_FORM.fullmatch(m)
            assert form and int(form.group(1)) == d.year, m


# ------------------------------------------------------------------ tense and kind
def test_outcome_becomes_target_in_a_plan_and_outcome_to_fill_in_a_report() -> None:
    prec = _precedent(2020, "Sjukfrånvaron har sjunkit.")
    plan, _ = placeholders("Sjukfrånvaron har sjunkit.", prec, [prec], 2026, target_type="verksamhetsplan")
    assert plan == "Sjukfrånvaron ska [ANGE 2026] (2020: har sjunkit)."
    report, _ = placeholders("Sjukfrånvaron har sjunkit.", prec, [prec], 2021, target_type="verksamhetsberättelse")
    assert report == "Sjukfrånvaron [ANGE 2021] (2020: har sjunkit)."
    both, _ = placeholders("Antalet har varken ökat eller sjunkit under året.", prec, [prec], 2021)
    assert both == "Antalet [ANGE 2021] (2020: har varken ökat eller sjunkit) under året."
    # An adjective is no outcome.
    same, _ = placeholders("Ökade personalkostnader gav ett underskott.", prec, [prec], 2021)
    assert same == "Ökade personalkostnader gav ett underskott."


def test_no_past_outcome_offered_as_text_in_a_plan(assistant: Assistant) -> None:
    d = draft(assistant, "sjukfrånvaro och arbetsmiljö", type="verksamhetsplan")
    text = PLACEHOLDER.sub(" ", "\n".join(_sentences(d)))
    assert not re.search(r"\bhar (?:\w+ )?(?:sjunkit|ökat|minskat)\b", text), text
    assert any("ska [ANGE 2026] (2020: har sjunkit)" in s for s in _sentences(d))


# ------------------------------------------------------------------ messages
def test_refusal_speaks_of_where_it_is_read(assistant: Assistant) -> None:
    from assistant.ui.tab_draft import run_draft

    d = draft(assistant, "snöröjning av gator")
    assert "python -m assistant" not in d.notice
    assert "python -m assistant outline" in d.notice_for("cli")
    page, files = run_draft(assistant, "snöröjning av gator", None, None, None)
    assert not files and "python -m" not in page and "Avsnitt ur senaste rapporten" in page

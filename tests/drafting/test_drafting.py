"""Drafting on the real corpus: precedents, citations, placeholders, the time rule, refusal, outline."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.config import Config
from assistant.drafting import PLACEHOLDER, Draft, DraftingTuning, draft, find_precedents, outline, report_sections
from assistant.errors import AssistantError
from assistant.facts.figures import find_quantities

pytestmark = pytest.mark.slow

_VALUES = re.compile(r"\(([^()]*)\)$")


@pytest.fixture(scope="session")
def assistant(project_root: Path) -> Iterator[Assistant]:
    yield Assistant(Config(root=project_root))


def _check_figures(d: Draft) -> list[str]:
    """Every figure is a placeholder, or stands verbatim in a precedent the paragraph cites."""
    problems = []
    by_n = {p.n: p for p in d.precedents}
    by_year = {p.year: p for p in d.precedents}
    for part in d.parts:
        for para in part.paragraphs:
            cited = [by_n[n].text for n in para.sources]
            for sentence in para.sentences:
                for m in PLACEHOLDER.finditer(sentence):
                    values = _VALUES.search(m.group(0))
                    for item in values.group(1).split(", ") if values else []:
                        year, _, written = item.partition(": ")
                        if year == "tidigare":
                            continue
                        source = by_year.get(int(year))
                        if source is None or written not in source.text or source.n not in para.sources:
                            problems.append(f"{written!r} ({year}) not in cited precedent: {sentence}")
                bare = PLACEHOLDER.sub(" ", sentence)
                for q in find_quantities(bare):
                    problems.append(f"figure {q.written!r} not a placeholder: {sentence}")
                for digits in re.findall(r"\d+", bare):
                    if not any(digits in text for text in cited):
                        problems.append(f"digits {digits!r} in no cited precedent: {sentence}")
    return problems


def test_section_in_several_years_cites_them_all(assistant: Assistant) -> None:
    d = draft(assistant, "Synpunkter och klagomål", unit="Assistansenheten")
    assert d.covered
    years = {p.year for p in d.cited}
    # The heading stands in 2012 and 2014; 2018, 2020 and 2025 treat the topic in other sections.
    assert {2012, 2014} <= years
    assert len(years) >= 4
    assert {p.year for p in d.precedents} == years


def test_precedents_same_unit_first_then_newest(assistant: Assistant) -> None:
    d = draft(assistant, "Synpunkter och klagomål", unit="Assistansenheten")
    flags = [p.same_unit for p in d.precedents]
    assert flags == sorted(flags, reverse=True)
    for same in (True, False):
        years = [p.year or 0 for p in d.precedents if p.same_unit is same]
        assert years == sorted(years, reverse=True)
    assert all(p.title and p.heading_path for p in d.precedents)


def test_sick_leave_goal_follows_plan_structure_and_cites_earlier_years(assistant: Assistant) -> None:
    d = draft(assistant, "sjukfrånvaro och arbetsmiljö", type="verksamhetsplan")
    assert d.year == 2026 and d.type == "verksamhetsplan"
    assert [p.heading for p in d.parts] == ["Förväntat resultat", "Arbetssätt", "Uppföljning"]
    assert len({p.year for p in d.cited}) >= 3


def test_report_draft_has_analysis_and_status(assistant: Assistant) -> None:
    d = draft(assistant, "Enhetsmål: Enhetens medarbetare erbjuds en god arbetsmiljö", type="verksamhetsberättelse")
    assert "Analys" in [p.heading for p in d.parts]
    assert d.status_line and d.status_line.startswith(f"Måluppfyllelse: [ANGE {d.year}]")


def test_every_paragraph_cites_and_every_figure_is_placeholder_or_cited(assistant: Assistant) -> None:
    topics = {"Synpunkter och klagomål", "Sammanfattande analys", "sjukfrånvaro och arbetsmiljö"}
    for doc in assistant.corpus.documents:
        for section in report_sections(doc):
            if re.match(r"(Enhetsmål|Åtagande)", section.title):
                topics.add(section.title)
    assert len(topics) > 30
    problems = []
    drafted = 0
    for topic in sorted(topics):
        for unit in (None, "Beställarenheten funktionsnedsättning"):
            d = draft(assistant, topic, unit=unit)
            if not d.covered:
                continue
            drafted += 1
            for part in d.parts:
                for para in part.paragraphs:
                    assert para.sources and para.text.endswith("]"), para
            problems += [f"{topic}: {p}" for p in _check_figures(d)]
            body = d.body_text()
            assert not re.search(r"covid|pandemi", body, re.I), topic
            if unit:
                # Another unit's own name never stands in a draft for this unit.
                for other in ("Assistansenheten", "Enheten för personligt stöd"):
                    assert other.lower() not in body.lower(), (topic, other)
    assert drafted > 30
    assert not problems, "\n".join(problems[:20])


def test_no_sentence_repeated(assistant: Assistant) -> None:
    for topic in ("Synpunkter och klagomål", "sjukfrånvaro och arbetsmiljö", "brukarnas delaktighet"):
        d = draft(assistant, topic)
        sentences = [s for part in d.parts for p in part.paragraphs for s in p.sentences]
        assert len(sentences) == len(set(sentences))


def test_year_specific_facts_become_placeholders(assistant: Assistant) -> None:
    own = draft(assistant, "Synpunkter och klagomål", unit="Beställarenheten funktionsnedsättning", year=2027)
    body = own.body_text()
    assert "[ANGE 2027] (2014: 13)" in body  # "13 dokumenterade klagomål"
    assert "Under [ANGE 2027] (2014: 2014) har" in body  # "Under 2014 har …"
    d = draft(assistant, "Synpunkter och klagomål", unit="Assistansenheten", year=2027)
    reasons = " ".join(r for _, r, _ in d.omitted)
    assert "covid" in reasons  # "… information om Covdi-19 …" (2020) is left out
    assert "utfall för 2018" in reasons  # "Det har inte inkommit några klagomål under året."


def test_other_units_name_replaced(assistant: Assistant) -> None:
    d = draft(assistant, "Enhetsmål: Enheten erbjuder ett personligt utformat stöd", unit="Assistansenheten")
    assert d.unit == "Assistansenheten"
    assert "enheten för personligt stöd" not in d.body_text().lower()


@pytest.mark.parametrize("topic", ["snöröjning av gator", "parkeringsavgifter i innerstaden", "förskolans läroplan"])
def test_uncovered_topic_is_refused(assistant: Assistant, topic: str) -> None:
    d = draft(assistant, topic)
    assert not d.covered and not d.parts and not d.precedents
    assert d.notice.startswith("Inga tidigare rapporter tar upp")


def test_unknown_unit_lists_known_units(assistant: Assistant) -> None:
    with pytest.raises(AssistantError, match="Enheter som finns: Assistansenheten"):
        draft(assistant, "Synpunkter och klagomål", unit="Snöenheten")


def test_outline_lists_the_2025_plan_goals(assistant: Assistant) -> None:
    meta, items = outline(assistant, type="verksamhetsplan")
    assert meta.year == 2025 and meta.type == "verksamhetsplan"
    titles = [i.title for i in items]
    doc = assistant.document(meta.report_id)
    goals = [b.title for b in doc.blocks if b.kind == "heading" and 1 <= b.level <= 4]
    assert goals and all(g in titles for g in goals)
    goal = next(i for i in items if i.title.startswith("Enhetsmål: Förbättrad arbetsmiljö"))
    assert goal.parts == ("Förväntat resultat", "Arbetssätt", "Uppföljning")
    assert [i.level for i in items if i.title.startswith("KF:s inriktningsmål")] == [1, 1, 1]


def test_outline_unknown_type_for_unit(assistant: Assistant) -> None:
    with pytest.raises(AssistantError, match="Det finns ingen verksamhetsplan för Assistansenheten"):
        outline(assistant, unit="Assistansenheten", type="verksamhetsplan")


def test_tuning_is_passed_in(assistant: Assistant) -> None:
    strict = DraftingTuning(relevance_threshold=5.0)
    assert find_precedents(assistant, "Synpunkter och klagomål", tuning=strict)[0] == []
    refused = draft(assistant, "Synpunkter och klagomål", tuning=strict)
    assert not refused.covered and "gränsen är 5.00" in refused.notice
    short = draft(assistant, "Synpunkter och klagomål", tuning=DraftingTuning(max_sentences_per_part=1))
    assert short.covered
    assert all(sum(len(p.sentences) for p in part.paragraphs) == 1 for part in short.parts)
    assert draft(assistant, "Synpunkter och klagomål") == draft(
        assistant, "Synpunkter och klagomål", tuning=DraftingTuning()
    )

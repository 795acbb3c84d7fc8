"""Follow-up questions resolved against the previous turn (assistant/query/followup.py), on the real catalog."""

from __future__ import annotations

import pytest

from assistant.ingest.corpus import Corpus
from assistant.query.catalog import ReportCatalog
from assistant.query.followup import Carried, Resolution, TurnContext, read_cues, resolve, subject_words
from assistant.query.intent import AnswerKind, understand

UNIT = "Assistansenheten"
BUF = "Beställarenheten funktionsnedsättning"
EPS = "Enheten för personligt stöd"


@pytest.fixture(scope="module")
def catalog(seed_corpus: Corpus) -> ReportCatalog:
    return ReportCatalog.from_reports([d.meta for d in seed_corpus.documents])


def conversation(catalog: ReportCatalog, *questions: str) -> list[Resolution]:
    out: list[Resolution] = []
    previous: TurnContext | None = None
    for i, q in enumerate(questions):
        r = resolve(understand(q, catalog), previous, catalog, index=i)
        out.append(r)
        previous = r.context
    return out


def carried(r: Resolution) -> dict[str, object]:
    return {c.field: c.value for c in r.carried}


# ------------------------------------------------------------------ cues
@pytest.mark.parametrize(
    ("question", "relative"),
    [
        ("Och året innan?", -1),
        ("Hur var det året efter?", 1),
        ("Och sex år senare?", 6),
        ("Och 2 år tidigare?", -2),
        ("Vad sa föregående år?", -1),
        ("Och följande år?", 1),
        ("Gjordes det något samma år?", 0),
        ("Vilken utbildning fick de det året?", 0),
        ("And the year before?", -1),
        ("Och 2018?", None),
        ("Hur såg det ut under året?", None),
    ],
)
def test_relative_years_are_read(question: str, relative: int | None) -> None:
    assert read_cues(question).relative == relative


def test_pronouns_pointing_back_are_told_from_determiners() -> None:
    assert read_cues("Hur många lägenheter har den?").anaphor
    assert read_cues("Hur stor andel av dem var kvinnor?").anaphor
    assert read_cues("Hur stor del av hennes tjänst säljs?").anaphor
    assert not read_cues("Vad stod i den senaste verksamhetsberättelsen?").anaphor
    assert not read_cues("Hur många av de enskilda ökade sin förmåga?").anaphor


def test_a_fresh_start_and_a_continuation() -> None:
    assert read_cues("En annan sak: hur många brukare fanns 2025?").fresh
    assert read_cues("Helt annan fråga – vad kostade taxiresorna?").fresh
    assert read_cues("Och hur gick det för socialpsykiatrin?").continues
    assert not read_cues("Hur gick det för socialpsykiatrin?").continues


def test_the_subject_is_what_is_left_of_the_question(catalog: ReportCatalog) -> None:
    def words(q: str) -> list[str]:
        return subject_words(understand(q, catalog), catalog)

    assert words("Hur hög var sjukfrånvaron på Assistansenheten 2012?") == ["sjukfrånvaron"]
    assert words("Och 2018 då?") == []
    assert words("Hur såg det ut året innan?") == []
    assert words("Vad var årsmålet?") == []  # a target *of* something: no subject of its own
    assert words("Varför då?") == []
    assert words("Och vad säger verksamhetsplanen?") == []
    assert words("Och hur gick det för socialpsykiatrin?") == ["socialpsykiatrin"]


# ------------------------------------------------------------------ years
def test_a_new_year_keeps_unit_and_subject(catalog: ReportCatalog) -> None:
    first, second = conversation(catalog, "Hur hög var sjukfrånvaron på Assistansenheten 2012?", "Och 2018 då?")
    assert not first.carried
    assert second.intent.years == (2018,) and second.intent.unit == UNIT
    assert carried(second) == {"unit": UNIT, "subject": "sjukfrånvaron"}
    assert "sjukfrånvaron" in second.intent.text and "sjukfrånvaron" in second.intent.content
    # what the first question asked for (a figure, a measure) goes with the subject
    assert second.intent.asks(AnswerKind.MEASURE)


def test_a_relative_year_counts_from_the_previous_year(catalog: ReportCatalog) -> None:
    _, later = conversation(catalog, "Hur många medarbetare hade Assistansenheten 2012?", "Och sex år senare?")
    assert later.intent.years == (2018,)
    year = next(c for c in later.carried if c.field == "year")
    assert (year.value, year.how, year.base) == (2018, "relative", 2012)
    assert year.label == "år: 2018 (räknat från 2012 i förra frågan)"
    assert "senare" not in later.intent.content  # the cue is where to look, not what to look for


def test_a_relative_year_without_a_report_is_missing_not_another_year(catalog: ReportCatalog) -> None:
    _, before = conversation(catalog, "Vad var sjukfrånvaron för Assistansenheten 2018?", "Och året innan?")
    assert before.intent.years == () and before.intent.missing_years == (2017,)
    assert before.intent.unit == UNIT


def test_a_relative_year_counts_from_the_year_the_previous_answer_quoted(catalog: ReportCatalog) -> None:
    first = resolve(
        understand("Vad var sjukfrånvaron för Beställarenheten funktionsnedsättning?", catalog), None, catalog
    )
    answered = first.context.with_answer_years((2014,))
    later = resolve(understand("Och året innan?", catalog), answered, catalog, index=1)
    assert later.intent.missing_years == (2013,)


def test_a_question_that_names_its_own_year_and_unit_starts_fresh_on_them(catalog: ReportCatalog) -> None:
    _, second = conversation(
        catalog,
        "Hur stor andel ekologiska livsmedel hade Beställarenheten funktionsnedsättning 2014?",
        "Och Enheten för personligt stöd 2020?",
    )
    assert (second.intent.years, second.intent.unit) == ((2020,), EPS)
    assert carried(second) == {"subject": "ekologiska livsmedel"}


# ------------------------------------------------------------------ units and types
def test_another_unit_drops_a_year_it_has_no_report_for(catalog: ReportCatalog) -> None:
    _, second = conversation(
        catalog,
        "Vad var nämndens budgetföljsamhet enligt Assistansenhetens verksamhetsberättelse 2018?",
        "Och i beställarenhetens?",
    )
    assert second.intent.unit == BUF and second.intent.years == ()
    assert [c.field for c in second.dropped] == ["year"]
    assert "year" not in carried(second) and "year" not in second.intent.inferred


def test_the_plan_is_found_when_the_carried_year_has_none(catalog: ReportCatalog) -> None:
    _, plan = conversation(
        catalog, "Hur hög var sjukfrånvaron på Enheten för personligt stöd 2020?", "Vad står det om den i planen?"
    )
    assert (plan.intent.unit, plan.intent.type, plan.intent.years) == (EPS, "verksamhetsplan", ())
    assert carried(plan) == {"unit": EPS, "subject": "sjukfrånvaron"}


def test_a_unit_without_that_report_type_is_kept_so_the_refusal_can_say_so(catalog: ReportCatalog) -> None:
    _, plan = conversation(
        catalog,
        "Vad säger Assistansenhetens verksamhetsberättelse 2018 om korttidsfrånvaron?",
        "Och i deras verksamhetsplan?",
    )
    assert plan.intent.unit == UNIT and plan.intent.type == "verksamhetsplan"
    assert not any(r.unit == UNIT and r.type == "verksamhetsplan" for r in catalog.reports)


def test_a_fresh_start_takes_nothing(catalog: ReportCatalog) -> None:
    _, fresh = conversation(
        catalog,
        "Vad kostade kontaktcentrum beställarenheten inom funktionsnedsättning 2014?",
        "Något helt annat: vilket system för lönehantering ska enheten börja använda?",
    )
    assert fresh.carried == () and fresh.intent.unit is None and fresh.intent.years == ()


# ------------------------------------------------------------------ the subject
def test_a_subject_of_its_own_replaces_the_previous_one(catalog: ReportCatalog) -> None:
    _, second = conversation(
        catalog,
        "Vad blev Assistansenhetens resultat netto 2018?",
        "Vilken kompetensutveckling fick medarbetarna det året?",
    )
    assert carried(second) == {"year": 2018, "unit": UNIT}
    assert second.beside == () and "netto" not in second.intent.text


def test_a_pronoun_searches_the_previous_subject_beside_its_own(catalog: ReportCatalog) -> None:
    _, second = conversation(
        catalog,
        "Vilken ny servicebostad öppnade under 2014 enligt beställarenhetens verksamhetsberättelse?",
        "Hur många lägenheter har den?",
    )
    assert second.intent.text == "Hur många lägenheter har den?"
    ((text, weight),) = second.beside
    assert "servicebostad" in text and 0 < weight < 1
    assert {"year", "unit", "type", "subject"} == set(carried(second))


def test_what_was_said_earlier_is_traced_to_its_turn(catalog: ReportCatalog) -> None:
    turns = conversation(
        catalog,
        "Var hade Enheten för personligt stöd sitt kontor 2020?",
        "Vilka insatser utförde de?",
        "hur många brukare var knutna till enheten?",
    )
    third = turns[2]
    assert {c.field: c.turn for c in third.carried if c.field in ("year", "unit")} == {"year": 0, "unit": 0}


def test_carried_values_render_for_json_and_chips() -> None:
    c = Carried("year", [2012, 2018], 1)
    assert c.label == "år: 2012, 2018 (från förra frågan)"
    assert c.to_json() == {
        "field": "year",
        "value": [2012, 2018],
        "from_turn": 1,
        "how": "carried",
        "base": None,
        "label": c.label,
    }


def test_they_with_a_subject_of_its_own_points_at_the_unit_not_the_previous_subject(catalog: ReportCatalog) -> None:
    _, second = conversation(
        catalog,
        "Var hade Enheten för personligt stöd sitt kontor 2020?",
        "Vilka insatser utförde de?",  # "de": the unit's people; the office is not what is asked about
    )
    assert set(carried(second)) == {"year", "unit"} and second.beside == ()
    # a singular pronoun may point at a person of the previous subject: that subject is searched beside
    _, third = conversation(
        catalog,
        "Hur många stödsamtal hade beställarenhetens anhörigkonsulent 2014?",
        "Hur stor del av hennes tjänst säljs till Skärholmen och Älvsjö?",
    )
    assert "subject" in carried(third) and "anhörigkonsulent" in third.beside[0][0]
    assert read_cues("Hur många av dem var nöjda?").collective is False  # a part of what was asked about

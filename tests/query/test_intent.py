"""Question understanding on the seed corpus's catalogue (assistant/query.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest.corpus import Corpus
from assistant.query.catalog import ReportCatalog
from assistant.query.intent import understand
from assistant.query.routing import load_year_events

ASSIST = "Assistansenheten"
BEST = "Beställarenheten funktionsnedsättning"
STOD = "Enheten för personligt stöd"


@pytest.fixture(scope="module")
def catalog(seed_corpus: Corpus) -> ReportCatalog:
    return ReportCatalog.from_reports([d.meta for d in seed_corpus.documents])


def test_catalog_lists_what_the_corpus_holds(catalog: ReportCatalog) -> None:
    assert catalog.years == [2012, 2014, 2018, 2020, 2025]
    assert catalog.units == [ASSIST, BEST, STOD]
    assert catalog.types == ["verksamhetsberättelse", "verksamhetsplan"]


@pytest.mark.parametrize(
    ("question", "years"),
    [
        ("Vad var sjukfrånvaron 2018?", (2018,)),
        ("Hur gick det år 2014?", (2014,)),
        ("Vad stod i VB 2020?", (2020,)),
        ("Vad var sjukfrånvaron i VB12?", (2012,)),
        ("Vad står i VP 25 om mål?", (2025,)),
        ("Vilka mål har planen för 2025?", (2025,)),
        ("Hur förändrades sjukfrånvaron mellan 2012 och 2018?", (2012, 2014, 2018)),
        ("Vad var sjukfrånvaron?", ()),
        ("Hur sorterade man avfall 2012 och 2018?", (2012, 2018)),  # two years, not a range
    ],
)
def test_years_in_many_spellings(catalog: ReportCatalog, question: str, years: tuple[int, ...]) -> None:
    intent = understand(question, catalog)
    assert intent.years == years
    assert intent.missing_years == ()


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        ("Vad var sjukfrånvaron för Assistansenheten 2018?", ASSIST),
        ("sjukfrånvaro assistansenheten", ASSIST),
        ("Hur många brukare har beställarenheten?", BEST),
        ("Vad gör personligt stöd för brukarna?", STOD),
        ("Vad gör Enheten för personligt stöd?", STOD),
        ("Hur hög var sjukfrånvaron?", None),
    ],
)
def test_units_by_name_or_distinctive_part(catalog: ReportCatalog, question: str, unit: str | None) -> None:
    intent = understand(question, catalog)
    assert intent.unit == unit
    assert intent.missing_unit is None


def test_report_type_from_the_question(catalog: ReportCatalog) -> None:
    assert understand("Vilka mål har planen för 2025?", catalog).type == "verksamhetsplan"
    assert understand("sjukfrånvaro assistansenheten VB 2018", catalog).type == "verksamhetsberättelse"
    assert understand("Vad var sjukfrånvaron 2018?", catalog).type is None
    # other names for an annual report; as routing words they leave the question's content
    for question in (
        "Vad stod i 2018 års redogörelse om sjukfrånvaro?",
        "Vad säger årsrapporten 2018 om sjukfrånvaro?",
    ):
        intent = understand(question, catalog)
        assert intent.type == "verksamhetsberättelse"
        assert "redogörelse" not in intent.content and "årsrapport" not in intent.content


def test_year_not_in_the_corpus_is_missing_not_a_filter(catalog: ReportCatalog) -> None:
    intent = understand("Vad var sjukfrånvaron 2016?", catalog)
    assert intent.years == ()
    assert intent.missing_years == (2016,)
    assert "year" not in intent.inferred


def test_unit_not_in_the_corpus_is_named(catalog: ReportCatalog) -> None:
    intent = understand("Hur hög var sjukfrånvaron på Förskolan Solrosen?", catalog)
    assert intent.unit is None
    assert intent.missing_unit == "Förskolan Solrosen"
    assert understand("Hur gick det för Fritidsenheten?", catalog).missing_unit == "Fritidsenheten"


@pytest.mark.parametrize(
    ("question", "years", "unit"),
    [
        ("Vad stod i den senaste verksamhetsberättelsen om sjukfrånvaro?", (2020,), None),
        ("Vad var assistansenhetens budgetresultat i den senaste rapporten?", (2018,), ASSIST),
        ("Hur många brukare hade assistansenheten enligt den äldsta rapporten?", (2012,), ASSIST),
        ("What did the latest annual report say about sick leave?", (2020,), None),
        ("Vad var sjukfrånvaron under pandemiåret?", (2020,), None),
        ("Vilken sjukfrånvaro hade enheten under covid-året?", (2020,), None),
        ("Vad var sjukfrånvaron på enheten i Älvsjö 2020?", (2020,), STOD),  # the only unit from Älvsjö
        ("Vad gjorde enheten i Hägersten-Liljeholmen 2014?", (2014,), None),  # two units are from there
        ("Sjukfrånvaron har de senaste åren minskat, hur ser det ut?", (), None),  # a trend, not a year
    ],
)
def test_year_and_unit_named_another_way(
    catalog: ReportCatalog, project_root: Path, question: str, years: tuple[int, ...], unit: str | None
) -> None:
    # Years named by an event ("pandemiåret") come from the corpus's own corpus/events.toml.
    intent = understand(question, catalog, load_year_events(project_root / "corpus"))
    assert intent.years == years
    assert intent.unit == unit
    if years:  # the words that named the year or unit only route the question
        for routing_word in ("senaste", "äldsta", "pandemiåret", "covid", "Älvsjö"):
            assert routing_word not in intent.content


@pytest.mark.parametrize(
    ("question", "district"),
    [
        ("Vad var sjukfrånvaron på beställarenheten för funktionsnedsättning i Skärholmen 2014?", "Skärholmen"),
        ("Hur gick det för Brommas beställarenhet 2014?", "Bromma"),
        ("Hur många brukare hade Farstas egen assistansverksamhet 2018?", "Farsta"),
        ("What was the sick leave in Farsta in 2018?", "Farsta"),
        # districts the reports come from, whole or in part, are no refusal
        ("Vad var sjukfrånvaron i Älvsjö 2020?", None),
        ("Hur många brukare hade assistansenheten i Hägersten-Liljeholmen 2018?", None),
        ("Vilka mål har enheten i Hägersten-Älvsjö för 2025?", None),
        # a district mentioned, not the place asked about
        ("Hur många stödsamtal hade anhörigkonsulenten med anhöriga från alla tre stadsdelar 2014?", None),
    ],
)
def test_a_district_no_report_comes_from_is_missing(
    catalog: ReportCatalog, question: str, district: str | None
) -> None:
    assert understand(question, catalog).missing_district == district


def test_generic_unit_words_are_not_a_missing_unit(catalog: ReportCatalog) -> None:
    assert understand("Hur hög var sjukfrånvaron inom enheten?", catalog).missing_unit is None


@pytest.mark.parametrize(
    "question",
    ["Hur har sjukfrånvaron utvecklats?", "Hur har budgeten förändrats över tid?", "sick leave over the years"],
)
def test_trend_questions(catalog: ReportCatalog, question: str) -> None:
    assert understand(question, catalog).trend


def test_several_years_or_units_make_a_trend(catalog: ReportCatalog) -> None:
    assert understand("Sjukfrånvaron 2012 och 2018", catalog).trend
    assert not understand("Vad var sjukfrånvaron 2018?", catalog).trend


def test_inferred_filters_and_content_query(catalog: ReportCatalog) -> None:
    intent = understand("Vad var sjukfrånvaron för Assistansenheten 2018?", catalog)
    assert intent.inferred == {"year": 2018, "unit": ASSIST}
    assert intent.year == 2018
    # The routing words are gone from the content query, the topic stays.
    assert "2018" not in intent.content and "assistansenheten" not in intent.content.lower()
    assert "sjukfrånvaron" in intent.content


def test_content_never_becomes_empty(catalog: ReportCatalog) -> None:
    intent = understand("Assistansenheten 2018", catalog)
    assert intent.content == "Assistansenheten 2018"


def test_words_ending_in_enhet_are_not_always_units(catalog: ReportCatalog) -> None:
    intent = understand("Hur många lägenheter har servicebostaden som öppnade 2014?", catalog)
    assert intent.missing_unit is None
    assert understand("Hur många brukare hade hemtjänstenheten 2014?", catalog).missing_unit == "hemtjänstenheten"


@pytest.mark.parametrize(
    ("question", "outcome"),
    [
        ("Hur hög blev sjukfrånvaron 2025?", True),
        ("Vad uppgick budgeten till 2014?", True),
        ("Vilket utfall hade sjukfrånvaron i december 2018?", True),
        ("What was the actual sick leave in 2025?", True),
        ("Vilket mål för sjukfrånvaron har planen för 2025?", False),
        ("Hur många brukare har enheten?", False),
    ],
)
def test_questions_about_how_it_turned_out(catalog: ReportCatalog, question: str, outcome: bool) -> None:
    assert understand(question, catalog).outcome is outcome


def test_a_type_word_does_not_filter_a_question_over_several_years(catalog: ReportCatalog) -> None:
    intent = understand("Vad står det 2020 och i planen för 2025 om rekrytering?", catalog)
    assert intent.years == (2020, 2025) and intent.type is None
    assert understand("Vad står det i planen för 2025 om rekrytering?", catalog).type == "verksamhetsplan"


def test_another_name_for_a_known_unit_is_not_missing(catalog: ReportCatalog) -> None:
    intent = understand("Sedan när har biståndsenheten för funktionsnedsättning haft en svarstelefon?", catalog)
    assert intent.missing_unit is None
    assert understand("Hur många brukare hade hemtjänstenheten 2014?", catalog).missing_unit == "hemtjänstenheten"


def test_event_years_are_corpus_knowledge_not_code(catalog: ReportCatalog, tmp_path: Path) -> None:
    """Without the corpus's events file "pandemiåret" names no year; with one, any event can."""
    assert understand("Vad var sjukfrånvaron under pandemiåret?", catalog).years == ()
    (tmp_path / "events.toml").write_text('[[year]]\nyear = 2014\nnames = ["omorganisationsåret"]\n', "utf-8")
    events = load_year_events(tmp_path)
    intent = understand("Hur många brukare fanns under omorganisationsåret?", catalog, events)
    assert intent.years == (2014,) and "omorganisationsåret" not in intent.content


def test_a_broken_events_file_is_a_clear_error(tmp_path: Path) -> None:
    from assistant.errors import AssistantError

    (tmp_path / "events.toml").write_text("[[year]]\nnames = 3\n", "utf-8")
    with pytest.raises(AssistantError, match=r"events\.toml"):
        load_year_events(tmp_path)


def test_the_question_is_understood_once(catalog: ReportCatalog) -> None:
    intent = understand("Hur många klagomål kom in till beställarenheten 2014?", catalog)
    assert intent.text.startswith("Hur många klagomål") and intent.lang == "sv"
    assert intent.year == 2014 and intent.unit == BEST
    assert intent.reading.count_asked and intent.kinds
    assert understand("How many complaints did the unit receive in 2014?", catalog).lang == "en"
    dropped = intent.without_routing()
    assert dropped.years == () and dropped.unit is None and dropped.reading == intent.reading


def test_a_units_own_name_word_alone_names_it() -> None:
    """A capitalised word only one unit's name has ("Blåklinten") names it; a district word in a name
    ("Södermalm") places it but does not name it; a first word only one unit starts with names it."""
    from assistant.documents import ReportMeta

    metas = [
        ReportMeta("a", "a", "t", "Daglig verksamhet Blåklinten", "Rinkeby-Kista", 2022, "verksamhetsberättelse", 1),
        ReportMeta("b", "b", "t", "Boendestödet Södermalm", "Södermalm", 2020, "verksamhetsplan", 1),
        ReportMeta("c", "c", "t", "Enheten för personligt stöd", "Hägersten-Älvsjö", 2021, "verksamhetsberättelse", 1),
    ]
    catalog = ReportCatalog.from_reports(metas)
    assert understand("Vad ska Blåklinten göra under 2023?", catalog).unit == "Daglig verksamhet Blåklinten"
    assert understand("Vad planerar boendestödet för 2020?", catalog).unit == "Boendestödet Södermalm"
    assert ("södermalm",) not in {a.stems for a in catalog.aliases}  # a place alone, not the unit's name
    assert understand("Vad gjorde enheten 2021?", catalog).unit is None  # "enheten" names no unit


def _meta(unit: str, district: str, year: int = 2021):  # type: ignore[no-untyped-def]
    from assistant.documents import ReportMeta

    return ReportMeta(
        report_id=unit, source=f"{unit}.txt", title=unit, unit=unit, year=year, type="verksamhetsberättelse",
        district=district, pages=None,
    )  # fmt: skip


def test_a_place_of_a_merged_district_and_a_unit_named_after_it() -> None:
    catalog = ReportCatalog.from_reports(
        [
            _meta("Vård- och omsorgsboendet Lövsångaren", "Hässelby-Vällingby"),
            _meta("Hemtjänsten Liljeholmen", "Hägersten-Liljeholmen"),
            _meta("Beställarenheten", "Hägersten-Liljeholmen"),
        ]
    )
    # "Vällingby" is one of the places "Hässelby-Vällingby" is named after
    assert understand("Hur hög var beläggningen på boendet i Vällingby?", catalog).unit == (
        "Vård- och omsorgsboendet Lövsångaren"
    )
    # two units in the district, one named after the place (and the unit's name misspelt)
    assert understand("Hur många avvikelser fick hemtjänstn i Liljeholmen?", catalog).unit == "Hemtjänsten Liljeholmen"
    # a place of a district no report comes from is still no refusal to guess
    assert understand("Hur många brukare har enheten i Tensta?", catalog).missing_district == "Tensta"


def test_a_unit_named_by_a_name_only_its_reports_use() -> None:
    both = frozenset({"Vård- och omsorgsboendet Lövsångaren", "Hemtjänsten Liljeholmen"})
    units_by_name = {
        "lövsångarbacken": frozenset({"Vård- och omsorgsboendet Lövsångaren"}),
        "stockholm": both,
        "förskolan": frozenset({"Hemtjänsten Liljeholmen"}),  # a report's "… besöker Förskolan Kotten"
    }
    catalog = ReportCatalog.from_reports(
        [_meta("Vård- och omsorgsboendet Lövsångaren", "Hässelby-Vällingby"), _meta("Hemtjänsten Liljeholmen", "")],
        lambda name: units_by_name.get(name.lower(), frozenset()),
    )
    # the address of one unit, written in its report: that unit
    named = understand("Hur många lägenheter har boendet på Lövsångarbacken?", catalog)
    assert named.unit == "Vård- och omsorgsboendet Lövsångaren" and named.missing_unit is None
    # a name no report uses is still a unit that is not there
    assert understand("Hur många bor på boendet på Solbacken?", catalog).missing_unit == "boendet på Solbacken"
    # the kind of unit the mention starts with is no name of one
    assert understand("Hur hög var sjukfrånvaron på Förskolan Solrosen?", catalog).missing_unit == "Förskolan Solrosen"

"""Answers on the real corpus: phrasings, filters, abstention, trends, the JSON contract (assistant/answer.py)."""

from __future__ import annotations

import dataclasses
import re

import pytest
from seeds import CITATION_KEYS, R2012, R2014, R2018, R2020, R2025, TOP_KEYS

from assistant.answer.abstention import missing_answer
from assistant.answer.abstention import should_abstain as _should_abstain
from assistant.answer.compose import Composition, _same_text, compose
from assistant.answer.model import ABSTAIN_TEXT, Answer, Citation, Evidence, Sentence
from assistant.api import Assistant
from assistant.errors import AssistantError
from assistant.index.lexical import analyze
from assistant.query.catalog import ReportCatalog
from assistant.query.intent import QueryIntent, understand
from assistant.query.kinds import answer_kinds
from assistant.tuning import Abstention, Tuning

DEFAULT = Tuning.default().abstention


def rule(**changes: object) -> Abstention:
    """The shipped abstention thresholds with some changed."""
    return dataclasses.replace(DEFAULT, **changes)  # type: ignore[arg-type]


def should_abstain(ev: Evidence, a: Abstention = DEFAULT) -> bool:
    return _should_abstain(ev, a)


def intent_of(question: str) -> QueryIntent:
    """The question understood without a corpus (what it asks for; no routing)."""
    return understand(question, ReportCatalog(()))


YEARS = "2012, 2014, 2018, 2020, 2025"
UNITS = ("Assistansenheten", "Beställarenheten funktionsnedsättning", "Enheten för personligt stöd")
MARKER = re.compile(r"\[(\d+)\]")


def quoted(c: Citation) -> str:
    assert c.quote_start is not None and c.quote_end is not None
    return " ".join(c.text[c.quote_start : c.quote_end].split())


def assert_well_formed(ans: Answer) -> None:
    """Every marker points at a citation, and every quote is verbatim in its passage and in the answer
    (a quoted table row may instead stand as its values rendered for a person, ``Answer.leads``)."""
    numbers = [c.n for c in ans.citations]
    assert numbers == list(range(1, len(numbers) + 1))
    assert {int(n) for n in MARKER.findall(ans.answer)} == set(numbers)
    assert 1 <= len(ans.sentences) <= 6
    assert len(ans.leads) == len(ans.sentences) and ans.lead == ans.leads[0]
    for i, (sentence, n) in enumerate(ans.sentences):
        citation = ans.citations[n - 1]
        assert sentence in citation.text
        if ans.leads[i]:
            assert f"{ans.leads[i]} [{n}]" in ans.answer
        else:
            assert " ".join(sentence.split()) in ans.answer
    rendered = {n for (_, n), lead in zip(ans.sentences, ans.leads, strict=True) if lead}
    for c in ans.citations:
        assert quoted(c) in ans.answer or c.n in rendered


# ------------------------------------------------------------------ the right report in several phrasings


@pytest.mark.slow
@pytest.mark.parametrize(
    "question",
    [
        "Vad var sjukfrånvaron för Assistansenheten 2018?",
        "sjukfrånvaro assistansenheten VB 2018",
        "Hur hög var sjukfrånvaron år 2018?",
    ],
)
def test_sick_leave_2018_in_several_phrasings(assistant: Assistant, question: str) -> None:
    ans = assistant.ask(question)
    assert not ans.abstained
    assert ans.citations[0].report_id == R2018
    assert "7,1 %" in ans.answer
    assert all(c.year == 2018 for c in ans.citations)
    assert_well_formed(ans)


@pytest.mark.slow
@pytest.mark.parametrize(
    "question",
    ["Hur stort underskott visade bokslutet 2012?", "Hur stor förlust gjorde assistansenheten 2012?"],
)
def test_deficit_2012(assistant: Assistant, question: str) -> None:
    ans = assistant.ask(question)
    assert not ans.abstained
    assert R2012 in [c.report_id for c in ans.citations][:2]
    assert "4,77 mnkr" in ans.answer
    assert_well_formed(ans)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "reports"),
    [
        ("Vilka mål har planen för 2025?", {R2025}),
        ("Vad står i verksamhetsplanen 2025 om brukarnas inflytande?", {R2025}),
        ("Hur hög var sjukfrånvaron på beställarenheten?", {R2014}),
        ("Hur många brukare har beställarenheten?", {R2014}),
        ("Vad gör enheten för personligt stöd?", {R2020, R2025}),
        ("Hur hög var sjukfrånvaron inom personligt stöd?", {R2020, R2025}),
        ("Vad var sjukfrånvaron i VB12?", {R2012}),
    ],
)
def test_year_unit_and_type_route_to_the_right_reports(assistant: Assistant, question: str, reports: set[str]) -> None:
    ans = assistant.ask(question)
    assert not ans.abstained
    assert {c.report_id for c in ans.citations} <= reports
    assert_well_formed(ans)


# ------------------------------------------------------------------ explicit and inferred filters
@pytest.mark.slow
@pytest.mark.parametrize(
    ("options", "reports"),
    [
        ({"year": 2012}, {R2012}),
        ({"year": [2014, 2020]}, {R2014, R2020}),
        ({"unit": "beställarenheten"}, {R2014}),
        ({"unit": "Enheten för personligt stöd"}, {R2020, R2025}),
        ({"type": "verksamhetsplan"}, {R2025}),
        ({"unit": "Enheten för personligt stöd", "type": "verksamhetsberättelse"}, {R2020}),
    ],
)
def test_explicit_filters_restrict_the_citations(
    assistant: Assistant, options: dict[str, object], reports: set[str]
) -> None:
    ans = assistant.ask("Hur hög var sjukfrånvaron?", **options)  # type: ignore[arg-type]
    assert not ans.abstained
    assert ans.citations and {c.report_id for c in ans.citations} <= reports
    assert ans.filters["year"] == (options["year"] if isinstance(options.get("year"), int) else None)
    assert ans.filters["type"] == options.get("type")


@pytest.mark.slow
def test_explicit_unit_is_resolved_to_its_full_name(assistant: Assistant) -> None:
    ans = assistant.ask("Hur hög var sjukfrånvaron?", unit="beställarenheten")
    assert ans.filters["unit"] == "Beställarenheten funktionsnedsättning"


@pytest.mark.slow
def test_explicit_filter_wins_over_the_question(assistant: Assistant) -> None:
    ans = assistant.ask("Vad var sjukfrånvaron 2018?", year=2012)
    assert {c.year for c in ans.citations} == {2012}
    assert ans.filters["year"] == 2012


@pytest.mark.slow
def test_inferred_filters_are_reported_and_can_be_switched_off(assistant: Assistant) -> None:
    ans = assistant.ask("Vad var sjukfrånvaron för Assistansenheten 2018?")
    assert ans.inferred == {"year": 2018, "unit": "Assistansenheten"}
    assert ans.filters == {"year": 2018, "unit": "Assistansenheten", "type": None}
    free = assistant.ask("Vad var sjukfrånvaron för Assistansenheten 2018?", infer=False, k=10)
    assert free.filters == {"year": None, "unit": None, "type": None}
    assert free.inferred == {}
    # Without the filters the other years' passages compete again.
    assert {c.year for c in free.retrieved} - {2018}


@pytest.mark.slow
def test_unknown_unit_or_type_option_is_an_error(assistant: Assistant) -> None:
    with pytest.raises(AssistantError, match="Okänd enhet 'Solrosen'") as err:
        assistant.ask("Hur hög var sjukfrånvaron?", unit="Solrosen")
    assert all(u in str(err.value) for u in UNITS)
    with pytest.raises(AssistantError, match="Okänd rapporttyp"):
        assistant.ask("Hur hög var sjukfrånvaron?", type="årsrapport")
    with pytest.raises(AssistantError, match="tom"):
        assistant.ask("   ")


# ------------------------------------------------------------------ not in the corpus
def assert_abstains(ans: Answer) -> None:
    assert ans.abstained
    assert ans.answer.startswith(ABSTAIN_TEXT)
    assert ans.sentences == ()
    assert 1 <= len(ans.citations) <= 3  # the nearest passages, marked as not an answer
    assert all(c.quote_start is None and c.quote_end is None for c in ans.citations)
    assert not MARKER.search(ans.answer)


@pytest.mark.slow
@pytest.mark.parametrize("question", ["Vad var sjukfrånvaron 2016?", "Hur stort var underskottet år 2016?"])
def test_year_not_in_the_corpus_abstains_and_names_the_years(assistant: Assistant, question: str) -> None:
    ans = assistant.ask(question)
    assert_abstains(ans)
    assert "2016" in ans.notice and YEARS in ans.notice
    assert ans.notice in ans.answer


@pytest.mark.slow
def test_explicit_year_not_in_the_corpus_abstains_and_names_the_years(assistant: Assistant) -> None:
    ans = assistant.ask("Hur hög var sjukfrånvaron?", year=2016)
    assert_abstains(ans)
    assert "2016" in ans.notice and YEARS in ans.notice


@pytest.mark.slow
@pytest.mark.parametrize("options", [{"unit": "Assistansenheten"}, {"type": "verksamhetsberättelse"}])
def test_missing_year_abstains_also_with_other_options(assistant: Assistant, options: dict[str, str]) -> None:
    ans = assistant.ask("Vad var sjukfrånvaron 2016?", **options)  # type: ignore[arg-type]
    assert_abstains(ans)
    assert "2016" in ans.notice and YEARS in ans.notice


@pytest.mark.slow
def test_unit_not_in_the_corpus_abstains_and_names_the_units(assistant: Assistant) -> None:
    ans = assistant.ask("Hur hög var sjukfrånvaron på Förskolan Solrosen?")
    assert_abstains(ans)
    assert "Förskolan Solrosen" in ans.notice
    assert all(u in ans.notice for u in UNITS)


@pytest.mark.slow
def test_unit_and_year_that_never_meet_abstain(assistant: Assistant) -> None:
    ans = assistant.ask("Vad var sjukfrånvaron 2018 för beställarenheten?")
    assert_abstains(ans)
    assert "2014" in ans.notice  # the years the unit has


@pytest.mark.slow
@pytest.mark.parametrize(
    "question",
    [
        "Hur mycket kostar parkeringsavgiften?",
        "Hur många elefanter finns på månen?",
        "Vilken färg har taket på stadshuset?",
    ],
)
def test_absent_topic_abstains(assistant: Assistant, question: str) -> None:
    ans = assistant.ask(question)
    assert_abstains(ans)
    assert ans.answer == ABSTAIN_TEXT
    assert ans.evidence is not None and ans.evidence.unknown


# ------------------------------------------------------------------ across years
@pytest.mark.slow
def test_trend_question_gives_one_passage_per_year_in_order(assistant: Assistant) -> None:
    ans = assistant.ask("Hur har sjukfrånvaron utvecklats?")
    assert not ans.abstained
    years = [c.year for c in ans.citations]
    assert years == sorted(years)  # years in order
    assert {2012, 2014, 2018, 2020} <= set(years)
    sentence_years = [ans.citations[n - 1].year for _, n in ans.sentences]
    assert sentence_years == sorted(sentence_years)
    assert max(sentence_years.count(y) for y in set(sentence_years)) <= 2  # at most two quotes a year
    for y in set(years):  # each year's quotes are introduced once by the year
        assert ans.answer.count(f"{y}: ") == 1
    assert "7,1 %" in ans.answer and "5,46 %" in ans.answer
    assert_well_formed(ans)


@pytest.mark.slow
def test_trend_within_one_unit(assistant: Assistant) -> None:
    ans = assistant.ask("Hur har sjukfrånvaron förändrats för assistansenheten?")
    years = [c.year for c in ans.citations]
    assert years == sorted(years) and set(years) == {2012, 2018}


# ------------------------------------------------------------------ the JSON contract


@pytest.mark.slow
def test_to_json_has_exactly_the_documented_keys(assistant: Assistant) -> None:
    data = assistant.ask("Hur stort underskott visade bokslutet 2012?").to_json()
    assert set(data) == TOP_KEYS  # the documented keys (tests/seeds.py), extended by the chat, never fewer
    assert set(data["filters"]) == {"year", "unit", "type"}
    assert set(data["timings_ms"]) == {"retrieve", "total"}
    assert data["timings_ms"]["total"] >= data["timings_ms"]["retrieve"] > 0
    assert data["citations"]
    for c in data["citations"]:
        assert set(c) == CITATION_KEYS
        assert isinstance(c["n"], int) and isinstance(c["score"], float)
        assert c["source"] == f"corpus/{c['report_id']}.txt"
        assert c["page"] is None or isinstance(c["page"], int)
        quote = " ".join(c["text"][c["quote_start"] : c["quote_end"]].split())
        assert quote in data["answer"]
    assert "Bokslutet visar ett underskott med 4,77 mnkr." in data["answer"]


@pytest.mark.slow
def test_abstention_json_has_null_spans(assistant: Assistant) -> None:
    data = assistant.ask("Hur mycket kostar parkeringsavgiften?").to_json()
    assert data["abstained"] is True
    assert all(c["quote_start"] is None and c["quote_end"] is None for c in data["citations"])


@pytest.mark.slow
def test_as_text_lists_the_sources(assistant: Assistant) -> None:
    text = assistant.ask("Hur stort underskott visade bokslutet 2012?").as_text()
    assert text.startswith("Bokslutet visar ett underskott med 4,77 mnkr. [1]")
    assert "Källor:" in text and "[1] Verksamhetsberättelse 2012" in text


@pytest.mark.slow
def test_compose_without_hits_abstains(assistant: Assistant) -> None:
    scores = assistant.retriever.score_all(QueryIntent(text="x"))
    assert compose(QueryIntent(text="x"), [], assistant.index, scores, Tuning.default()) == Composition([], True, None)


# ------------------------------------------------------------------ the abstention rule
def _evidence(**kw: object) -> Evidence:
    base: dict[str, object] = dict(
        sentence_sim=0.8, coverage=0.5, dense=0.8, unknown=(), wants_number=False, number_sim=0.0
    )
    base.update(kw)
    return Evidence(**base)  # type: ignore[arg-type]


def test_should_abstain_on_an_unknown_word_and_a_distant_sentence() -> None:
    assert should_abstain(_evidence(unknown=("elefant",), sentence_sim=0.80))
    assert not should_abstain(_evidence(unknown=("elefant",), sentence_sim=0.90))  # close enough anyway
    assert not should_abstain(_evidence(unknown=(), sentence_sim=0.10))  # the other rules are off by default


def test_should_abstain_rules_can_be_switched_on() -> None:
    switched = rule(unknown_sim=0.0, sentence_sim=0.8, coverage=0.3)
    assert should_abstain(_evidence(sentence_sim=0.7, coverage=0.2), switched)
    assert not should_abstain(_evidence(sentence_sim=0.7, coverage=0.4), switched)
    assert not should_abstain(_evidence(unknown=("x",), sentence_sim=0.1, coverage=0.9), switched)
    numbers = rule(unknown_sim=0.0, number_sim=0.85)
    assert should_abstain(_evidence(wants_number=True, number_sim=0.8), numbers)
    assert not should_abstain(_evidence(wants_number=False, number_sim=0.8), numbers)


# ------------------------------------------------------------------ the kind of answer asked for
_TERMS = {"ipad": (1.0, 5.0), "inköp": (1.0, 3.0), "taxires": (1.0, 5.0), "medarb": (1.0, 1.0)}


@pytest.mark.parametrize(
    ("question", "sentences", "missing"),
    [
        # an amount of money: a figure next to the most specific word of the question
        ("Vad kostade iPad-inköpet 2018?", ["iPad har beställts och ska stödja kommunikation."], "belopp"),
        ("Vad kostade iPad-inköpet 2018?", ["Summa kostnader 21 156", "iPad har beställts."], "belopp"),
        ("Vad kostade iPad-inköpet 2018?", ["En iPad för 4 990 kronor har köpts in."], ""),
        ("Vad kostade medarbetarnas taxiresor?", ["Kostnader för taxiresor uppgår till 42 653 kronor."], ""),
        ("Vad avgör hur mycket pengar enheten får?", ["Ersättningen beror på antalet timmar."], ""),
        ("Vad kommer iPad-inköpet att kosta?", ["Enheten ska köpa in en iPad."], "belopp"),
        # the value of a named measure
        ("Vilket AMI fick enheten 2020?", ["Aktivt medskapandeindex (AMI) har ökat."], "värde"),
        ("Vilket AMI fick enheten 2020?", ["Enheten fick AMI 80 (78)."], ""),
        ("Vilket AMI fick enheten 2020?", ["Familjer 2020: 80 st."], "värde"),  # "ami" inside a word is not AMI
        ("Hur hög var sjukfrånvaron 2018?", ["Sjukfrånvaro 7,1 % 5,7 %"], ""),
        ("Hur hög var sjukfrånvaron 2018?", ["Sjukfrånvaron ska minska under 2018."], "värde"),  # a year is no value
        ("Ur vilket system hämtades sjukfrånvaron?", ["Uppgifterna hämtas ur Infoview."], ""),  # not a value
        # a person's name
        ("Vad heter enhetschefen?", ["Enheten leds av en enhetschef och två biträdande."], "namn"),
        ("Vem är handläggare för rapporten?", ["Handläggare Roger Blomqvist Telefon: 508"], ""),
        ("Vad heter träfflokalen?", ["Kravatten är en träfflokal."], ""),  # a place, not a person: no judgement
        # why/how questions are not judged
        ("Varför ökade kostnaderna för taxiresor?", ["Fler vårdplaneringar."], ""),
    ],
)
def test_missing_answer_kind(question: str, sentences: list[str], missing: str) -> None:
    stems = set(analyze(question))
    terms = {t: v for t, v in _TERMS.items() if t in stems}  # as the retriever gives them: the question's own
    assert missing_answer(intent_of(question), sentences, terms) == missing


@pytest.mark.parametrize(
    ("question", "counted"),
    [
        ("Hur många genomförandeplaner hade assistansenheten 2012?", "genomförandeplaner"),
        ("How many staff did the unit have?", "medarbetare"),  # the report word for it
        ("Hur många procent var nöjda?", None),
        ("Hur många gånger träffades gruppen?", None),
        ("Hur många av brukarna var nöjda?", None),  # a share of a group
        ("Hur många på enheten gick utbildningen?", None),
        ("Hur många beräknades ha minskat sitt behov?", None),  # a verb
        ("How many support conversations were held?", None),  # an English word the thesaurus does not know
    ],
)
def test_what_a_count_question_asks_to_be_counted(question: str, counted: str | None) -> None:
    found = answer_kinds(question).count_asked
    if counted is None:
        assert found == set()
    else:
        assert analyze(counted)[0] in found


def test_a_count_question_without_a_count_of_the_thing_is_missing_a_number() -> None:
    terms = {t: (1.0, 1.0) for t in analyze("genomförandeplaner assistansenheten")}
    question = "Hur många genomförandeplaner hade assistansenheten upprättat 2012?"
    counted = ["Vid utgången av året fanns 14 genomförandeplaner."]
    other = ["Arbetet med genomförandeplaner pågår.", "Vid utgången av året var det 22 anställda."]
    assert missing_answer(intent_of(question), counted, terms) == ""
    assert missing_answer(intent_of(question), other, terms) == "antal"
    assert missing_answer(intent_of(question), other, terms, per_year=True) == ""  # across years: no judgement


def test_a_missing_kind_of_answer_abstains_unless_switched_off() -> None:
    assert should_abstain(_evidence(missing="belopp"))
    assert not should_abstain(_evidence(missing="belopp"), rule(answer_type=False))


def test_short_unknown_words_need_a_distant_sentence() -> None:
    # a paraphrase brings everyday words the reports never use ("bjuds"); only a poor match abstains
    assert not should_abstain(_evidence(unknown=("bjud",), sentence_sim=0.85))
    assert should_abstain(_evidence(unknown=("bjud",), sentence_sim=0.80))
    assert not should_abstain(_evidence(unknown=("bjud",), sentence_sim=0.80), rule(unknown_short_sim=0))
    assert should_abstain(_evidence(unknown=("parkeringsavgift",), sentence_sim=0.85))
    # a name the reports never use is specific however short ("DigiJag")
    assert should_abstain(_evidence(unknown=("digijag",), unknown_names=("digijag",), sentence_sim=0.85))
    assert not should_abstain(_evidence(unknown=("digijag",), unknown_names=("digijag",), sentence_sim=0.90))


@pytest.mark.slow
def test_topic_without_the_asked_amount_abstains_with_a_reason(assistant: Assistant) -> None:
    ans = assistant.ask("Vad kostade iPad-inköpet för assistansenheten 2018?")
    assert_abstains(ans)
    assert "belopp" in ans.notice


@pytest.mark.slow
def test_count_question_without_a_count_abstains_with_a_reason(assistant: Assistant) -> None:
    # the 2012 report says managers made safety rounds, never how many
    ans = assistant.ask("Hur många skyddsronder gjorde assistansenheten 2012?")
    assert_abstains(ans)
    assert "antal" in ans.notice
    # a count that is there is answered, in Swedish or English
    for question in (
        "Hur många brukare hade assistansenheten 2012?",
        "How many clients did the assistance unit have in 2012?",
    ):
        counted = assistant.ask(question)
        assert not counted.abstained and "c:a 60" in counted.answer


@pytest.mark.slow
def test_no_topic_claimed_for_words_the_reports_never_use(assistant: Assistant) -> None:
    ans = assistant.ask("Hur många elefanter finns på månen?")
    assert_abstains(ans)
    assert ans.notice == ""


@pytest.mark.slow
def test_outcome_asked_of_a_plan_year_abstains(assistant: Assistant) -> None:
    ans = assistant.ask("Hur hög blev sjukfrånvaron på personligt stöd under 2025?")
    assert_abstains(ans)
    assert "verksamhetsplan" in ans.notice and "utfall" in ans.notice.lower()
    # the plan's targets are still answered
    target = assistant.ask("Vilket mål för den totala sjukfrånvaron har personligt stöd i planen för 2025?")
    assert not target.abstained and "8,5 %" in target.answer


@pytest.mark.slow
def test_year_without_a_report_answered_from_a_report_that_quotes_it(assistant: Assistant) -> None:
    ans = assistant.ask("Vad var sjukfrånvaron på beställarenheten 2013?")
    assert not ans.abstained
    assert "3,75 %" in ans.answer and "2013" in ans.answer
    assert "ingen rapport för 2013" in ans.notice
    assert ans.citations[0].year == 2014
    assert_well_formed(ans)
    # a year no report mentions together with the subject is still refused
    assert_abstains(assistant.ask("Hur stort överskott hade beställarenheten funktionsnedsättning 2015?"))
    assert_abstains(assistant.ask("Vad var sjukfrånvaron på assistansenheten 2016?"))


@pytest.mark.slow
def test_a_district_without_a_report_is_refused_with_the_districts_we_have(assistant: Assistant) -> None:
    ans = assistant.ask("Vad var sjukfrånvaron på beställarenheten för funktionsnedsättning i Skärholmen 2014?")
    assert_abstains(ans)
    assert "ingen rapport från Skärholmen" in ans.notice and "Hägersten-Liljeholmen" in ans.notice


@pytest.mark.slow
def test_an_english_question_with_few_function_words_is_still_english(assistant: Assistant) -> None:
    # English words the corpus never uses ("according", "expected") are no reason to abstain
    ans = assistant.ask(
        "According to Assistansenheten's 2012 report, which staff are expected to help when a client "
        "wants to make a complaint?"
    )
    assert not ans.abstained
    assert ans.citations[0].year == 2012


@pytest.mark.slow
def test_verb_forms_in_the_thesaurus_count_as_known_words(assistant: Assistant) -> None:
    ans = assistant.ask("Hur mycket pengar förlorade assistansenheten 2012?")
    assert not ans.abstained
    assert ans.evidence is not None and not ans.evidence.unknown  # "förlorade" is a known word


def test_what_a_count_question_counts() -> None:
    assert "apt" in answer_kinds("Hur många APT genomförde Assistansenheten under 2012?").counted  # an acronym
    assert answer_kinds("Hur många av brukarna var nöjda?").counted == set(analyze("brukarna"))  # not "av"


@pytest.mark.slow
def test_a_table_label_brings_its_value_from_the_next_line(assistant: Assistant) -> None:
    # In the flattened indicator table the label and its values are separate lines.
    ans = assistant.ask(
        "Hur stor andel upplever att stadens inre och utemiljö är tillgänglig och användbar, "
        "enligt assistansenheten 2018?"
    )
    assert not ans.abstained
    assert "tillgänglig och användbar" in ans.answer and "80 %" in ans.answer
    assert_well_formed(ans)
    # a label whose next line is only the reporting period ("2018-01-01 2018-12-31") does not bring it
    period = assistant.ask("Hur många timavlönade fanns på assistansenheten 2018?")
    assert "2018-01-01 2018-12-31" not in period.answer
    # the same in English: "what share" asks for a figure too
    en = assistant.ask(
        "What share of people with disabilities found the city's indoor and outdoor environment "
        "accessible and usable, according to the assistance unit in 2018?"
    )
    assert not en.abstained and "80 %" in en.answer


def test_a_sentence_repeated_with_a_lead_in_is_quoted_once() -> None:
    a = Sentence(0, 0, 90, "Sjukfrånvaron för november 2012 visar 13,25 % med ett utfall för en rullande period.", 1)
    b = Sentence(
        1, 0, 99, "Kommentar: Sjukfrånvaron för november 2012 visar 13,25 % med ett utfall för en rullande period.", 1
    )
    assert _same_text(a, b) and _same_text(b, a)
    assert not _same_text(a, Sentence(1, 0, 12, "Sjukfrånvaro", 1))  # a short word inside is no repeat
    c = Sentence(0, 0, 99, "Detta har gett en ökad medvetenhet inom enheten och arbetet med planer tog fart.", 1)
    d = Sentence(1, 0, 99, "Detta har även gett en ökad medvetenhet inom enheten och arbetet med planer tog fart.", 1)
    assert _same_text(c, d)
    e = Sentence(1, 0, 99, "Arbetet med genomförandeplaner och dokumentation har inte kommit igång under året.", 1)
    assert not _same_text(c, e)


@pytest.mark.slow
def test_across_years_the_subject_decides_not_the_named_unit_and_years(assistant: Assistant) -> None:
    # Sentences that merely repeat "assistansenheten … 2012" must not win over ones on the subject.
    ans = assistant.ask("Hur gick arbetet med genomförandeplanerna på assistansenheten 2012 respektive 2018?")
    assert not ans.abstained
    by_year: dict[int | None, list[str]] = {}
    for sentence, n in ans.sentences:
        by_year.setdefault(ans.citations[n - 1].year, []).append(sentence)
    assert set(by_year) == {2012, 2018}
    assert all("genomförandeplan" in by_year[y][0] for y in (2012, 2018))

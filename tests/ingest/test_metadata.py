"""Detecting year, unit, type, district and title from a report's own text.

The five seed reports are checked as they are and with every title line
removed (so that the year must come from the body), and hand-made fragments
put the year scoring against the mentions that used to fool it: the year
before, meetings the following January, Agenda 2030, programme periods and
the "Periodens utfall VB <year before>" column of indicator tables.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.documents import RawDocument
from assistant.ingest.cleaning import clean
from assistant.ingest.corpus import Corpus
from assistant.ingest.loading import load_raw
from assistant.ingest.metadata import KNOWN_DISTRICTS, detect_metadata, detect_title, normalise_unit

# report id -> (year, unit, type)
SEEDS = {
    "000_12869f676b65cbb2": (2012, "Assistansenheten", "verksamhetsberättelse"),
    "001_9c8cd3c33fffa320": (2018, "Assistansenheten", "verksamhetsberättelse"),
    "002_643e35bcf02e80f7": (2020, "Enheten för personligt stöd", "verksamhetsberättelse"),
    "003_0ccf60bf8091811b": (2014, "Beställarenheten funktionsnedsättning", "verksamhetsberättelse"),
    "004_bd48fc4562325a5d": (2025, "Enheten för personligt stöd", "verksamhetsplan"),
}
DISTRICTS = {
    "001_9c8cd3c33fffa320": "Hägersten-Liljeholmen",
    "002_643e35bcf02e80f7": "Älvsjö",
    "003_0ccf60bf8091811b": "Hägersten-Liljeholmen",
    "004_bd48fc4562325a5d": "Hägersten-Älvsjö",
}


def _detect(text: str):  # type: ignore[no-untyped-def]
    cleaned = clean(RawDocument(path="fragment.txt", pages=(text,), has_real_pages=False))
    return detect_metadata(cleaned.text, cleaned.first_lines)


@pytest.mark.parametrize("report_id", list(SEEDS))
def test_seed_metadata_is_detected(seed_corpus: Corpus, report_id: str) -> None:
    meta = seed_corpus.by_id()[report_id].meta
    assert (meta.year, meta.unit, meta.type) == SEEDS[report_id]
    assert meta.district == DISTRICTS.get(report_id)
    assert set(meta.origin.values()) == {"detected"}


@pytest.mark.parametrize("report_id", list(SEEDS))
def test_seed_metadata_without_any_title_line(project_root: Path, report_id: str) -> None:
    """With every line naming the report type removed, the body alone decides."""
    raw = load_raw(project_root / "corpus" / f"{report_id}.txt")
    body = "\n".join(
        line for line in raw.pages[0].split("\n") if not re.search(r"verksamhets(?:berättelse|plan)", line, re.I)
    )
    detected = _detect(body)
    assert (detected.year, detected.unit, detected.type) == SEEDS[report_id]


def test_seed_titles(seed_corpus: Corpus) -> None:
    titles = {d.meta.report_id: d.meta.title for d in seed_corpus.documents}
    assert titles["001_9c8cd3c33fffa320"] == "Verksamhetsberättelse VB 2018 för Assistansenheten"
    assert titles["000_12869f676b65cbb2"] == "Verksamhetsberättelse 2012 – Assistansenheten"
    assert titles["004_bd48fc4562325a5d"] == "Verksamhetsplan 2025 – Enheten för personligt stöd"


YEAR_FRAGMENTS = {
    "meeting the following January": (
        "Sammanfattande analys\n"
        "Enheten har under 2012 arbetat med genomförandeplaner.\n"
        "Enheten behandlade verksamhetsberättelsen på arbetsplatsträff (APT) 2013-01-28.\n"
        "APT 2013-01-28 och uppföljning 2013-02-04, 2013-02-11.\n",
        2012,
    ),
    "comparison with the year before": (
        "Sjukfrånvaron har minskat jämfört med 2013. Föregående år 2013 var den högre.\n"
        "Sedan 2013 har enheten arbetat med friskvård. Inför 2015 planeras mer.\n"
        "Under 2014 har enheten haft 38 stödsamtal.\n",
        2014,
    ),
    "Agenda 2030 and programmes": (
        "Agenda 2030\n"
        "Enhetens arbete ska bidra till målen i Agenda 2030 och Miljöprogram 2030.\n"
        "Stockholms vision 2040. Agenda 2030 Agenda 2030.\n"
        "Under 2025 kommer enheten att införa Medvind.\n",
        2025,
    ),
    "programme period": (
        "Förvaltningen arbetar med Program för tillgänglighet 2019–2022 och planen 2019-2022.\n"
        "Aktivitet Startdatum Slutdatum\n"
        "Förvaltningen ska arbeta med programmet. 2019-01-01 2022-12-31\n"
        "Enhetens fokusområden under 2020: genomförandeplaner.\n",
        2020,
    ),
    "indicator table with last year's column": (
        "Indikator Periodens utfall Periodens utfall VB 2017 Årsmål Period\n"
        "Sjukfrånvaro 7,1 % 5,7 % VB 2018\n"
        "Andel nöjda 91 % 93 % 2018\n",
        2018,
    ),
    "last year's column in the first lines": (
        "Periodens utfall VB 2017\n"
        "Sjukfrånvaro 7,1 % 5,7 % VB 2018\n"
        "Enheten har under 2018 arbetat med sjukfrånvaron jämfört med 2017.\n",
        2018,
    ),
    "activity over the whole year": (
        "Aktivitet Startdatum Slutdatum\n"
        "Alla enheter ska göra en handlingsplan. 2018-01-01 2018-12-31\n"
        "Nyrekrytering ska övervägas. 2014-01-01 2018-12-31\n",
        2018,
    ),
}


@pytest.mark.parametrize("case", list(YEAR_FRAGMENTS), ids=list(YEAR_FRAGMENTS))
def test_year_is_not_fooled_by_other_years(case: str) -> None:
    text, year = YEAR_FRAGMENTS[case]
    assert _detect(text).year == year


def test_title_year_wins_over_the_body() -> None:
    text = "Verksamhetsplan för 2026\nEnheten för personligt stöd\nUnder 2025 har enheten förberett planen.\n"
    detected = _detect(text)
    assert (detected.year, detected.type) == (2026, "verksamhetsplan")


def test_no_year_at_all_is_none() -> None:
    assert _detect("Enheten för personligt stöd arbetar med genomförandeplaner.\n").year is None


def test_type_from_structure_when_there_is_no_title() -> None:
    report = "Enhetsmål:\nBrukarna är nöjda.\nUppfylls helt\nAnalys\nBrukarna är nöjda med insatsen.\n"
    plan = "Enhetsmål:\nBrukarna är nöjda.\nArbetssätt\nVi ska fråga brukarna.\nUppföljning\nBrukarenkät.\n"
    assert _detect(report).type == "verksamhetsberättelse"
    assert _detect(plan).type == "verksamhetsplan"
    assert _detect("Anteckningar från ett möte om lokaler.\n").type == "annat"


def test_unit_prefers_the_qualified_name() -> None:
    text = (
        "Beställarenheten funktionsnedsättning fattar beslut om stödinsatser.\n"
        "Beställarenheten funktionsnedsättning är organisatoriskt underställd avdelningschefen.\n"
        "Beställarenheten har många klienter.\n"
    )
    assert _detect(text).unit == "Beställarenheten funktionsnedsättning"


def test_district_ignores_partner_administrations() -> None:
    text = (
        "Förvaltningen gör, tillsammans med Skärholmens och Älvsjö stadsdelsförvaltningar en översyn.\n"
        "Hägersten-Liljeholmen är ett stadsdelsområde där ingen behöver vara rädd för våld.\n"
        "Hägersten-Liljeholmens stadsdelsnämnd beslutar.\n"
    )
    assert _detect(text).district == "Hägersten-Liljeholmen"


def test_a_tie_between_districts_goes_to_the_one_listed_first() -> None:
    assert KNOWN_DISTRICTS.index("Farsta") < KNOWN_DISTRICTS.index("Bromma")
    assert _detect("Enheten ligger i Bromma. Förr låg den i Farsta.\n").district == "Farsta"
    assert _detect("Enheten ligger i Farsta. Förr låg den i Bromma.\n").district == "Farsta"


def test_a_district_is_matched_whole() -> None:
    assert _detect("Hägersten-Älvsjö stadsdelsförvaltning. Älvsjö är en del.\n").district == "Hägersten-Älvsjö"
    assert _detect("Hässelby-Vällingbys stadsdelsförvaltning har.\n").district == "Hässelby-Vällingby"


def test_a_month_before_a_year_points_at_the_report_year() -> None:
    # "oktober 2014" counts twice, "2013" once; without the month the two tie and the first mention wins.
    assert _detect("Resultatet 2013 var sämre. Resultatet 2014 var bra.\n").year == 2013
    assert _detect("Resultatet 2013 var sämre. Resultatet oktober 2014 var bra.\n").year == 2014


def test_detect_title_keeps_a_found_title_and_builds_a_missing_one() -> None:
    assert detect_title(["Verksamhetsplan 2025"], "verksamhetsplan", 2025, "Enheten för personligt stöd") == (
        "Verksamhetsplan 2025 – Enheten för personligt stöd"
    )
    assert detect_title(["Sammanfattande analys"], "verksamhetsberättelse", 2014, "Beställarenheten") == (
        "Verksamhetsberättelse 2014 – Beställarenheten"
    )
    assert detect_title([], "annat", None, None) == "Rapport"


def test_normalise_unit() -> None:
    assert normalise_unit("enheten  för personligt\nstöd") == "Enheten för personligt stöd"

"""A small domain thesaurus: everyday and English words → the reports' own terms.

Staff ask "hur många anställda", the reports say "medarbetare"; they ask about
"förlust", the reports say "underskott"; they paste English questions about
"sick leave". The lexical index only sees the reports' words, so a question
term found here is expanded with the report terms (at a lower weight than the
question's own words). The dense model handles the rest of the paraphrasing.

The table is plain data so that it can be extended; keys and values are
written as ordinary words and stemmed on use, so one inflection per word is enough
("turlistor" also serves "turlista", "turlistorna"). Keep entries general report
vocabulary — never phrases tuned to particular questions.
"""

from __future__ import annotations

from functools import lru_cache

from .lexical import analyze

__all__ = ["SYNONYMS", "expansions", "has_expansion"]

SYNONYMS: dict[str, list[str]] = {
    # people
    "anställda": ["medarbetare", "personal"],
    "anställd": ["medarbetare"],
    "personal": ["medarbetare"],
    "personalen": ["medarbetare"],
    "arbetstagare": ["medarbetare"],
    "kunder": ["brukare"],
    "kund": ["brukare"],
    "klienter": ["brukare", "klienter"],
    "användare": ["brukare"],
    "chef": ["enhetschef"],
    "ledning": ["enhetschef", "biträdande"],
    "ledningen": ["enhetschef", "biträdande"],
    # money
    "förlust": ["underskott", "resultat"],
    "förlora": ["underskott", "resultat"],
    "förlorade": ["underskott", "resultat"],
    "förlorat": ["underskott", "resultat"],
    "minus": ["underskott", "resultat"],
    "back": ["underskott", "resultat"],
    "vinst": ["överskott"],
    "plus": ["överskott"],
    "pengar": ["budget", "ekonomi", "kostnader"],
    "ekonomi": ["budget", "ekonomiska"],
    "löner": ["personalkostnader", "lönekostnader"],
    "lön": ["personalkostnader"],
    "utgifter": ["kostnader"],
    "inkomster": ["intäkter"],
    # health and work
    "sjuk": ["sjukfrånvaro"],
    "sjukdom": ["sjukfrånvaro"],
    "sjukskrivning": ["sjukfrånvaro"],
    "sjukskrivna": ["sjukfrånvaro", "långtidssjuka"],
    "frånvaro": ["sjukfrånvaro"],
    "trivsel": ["arbetsmiljö", "medarbetarenkät"],
    "möten": ["APT", "arbetsplatsträff"],
    "personalmöten": ["APT", "arbetsplatsträff"],
    "handledning": ["handledning", "metodutveckling"],
    "vägledning": ["handledning"],
    "utbildning": ["kompetensutveckling", "utbildningar"],
    "klagomål": ["klagomål", "synpunkter"],
    "klagat": ["klagomål"],
    "nöjda": ["brukarundersökning", "nöjdhet"],
    "enkät": ["brukarundersökning", "medarbetarenkät"],
    # everyday words for work, care and the workplace → the words municipal reports use
    "folk": ["medarbetare", "personal"],
    "kollegor": ["medarbetare"],
    "arbetskamrater": ["medarbetare"],
    "anställa": ["rekrytering", "nyanställning"],
    "nyanställa": ["rekrytering", "nyanställning"],
    "familj": ["anhöriga"],
    "släktingar": ["anhöriga"],
    "närstående": ["anhöriga"],
    "prylar": ["hjälpmedel", "teknik"],
    "teknik": ["hjälpmedel", "välfärdsteknik", "digital"],
    "datorer": ["dator", "IT"],
    "nätet": ["webbplats", "hemsida", "internet"],
    "internet": ["webbplats", "hemsida"],
    "sopor": ["avfall", "sopsortering", "källsortering"],
    "skräp": ["avfall"],
    "återvinning": ["källsortering", "sopsortering"],
    "sortera": ["källsortera", "sopsortera"],
    "turlistor": ["schema", "scheman", "schemaläggning"],
    "arbetstider": ["schema", "arbetstid"],
    "arbetspass": ["pass", "schema"],
    "vila": ["dygnsvila", "veckovila"],
    "ledighet": ["semester", "dygnsvila", "veckovila"],
    "kurs": ["utbildning", "kompetensutveckling"],
    "kurser": ["utbildningar", "kompetensutveckling"],
    "kontroll": ["internkontroll", "uppföljning", "granskning"],
    "kontrollera": ["internkontroll", "uppföljning", "granskning"],
    "risker": ["riskbedömning", "risk"],
    "rasism": ["diskriminering"],
    "jämlikhet": ["jämställdhet", "likabehandling"],
    "hemma": ["hem", "hemmet"],
    "resa": ["resor", "tjänsteresor"],
    "buss": ["kollektivt", "kollektivtrafik"],
    "klimat": ["klimatpåverkan", "miljö"],
    "fritid": ["aktiviteter", "fritidsaktiviteter"],
    "corona": ["covid", "pandemi"],
    "coronaviruset": ["covid", "pandemi"],
    "virus": ["covid", "smitta"],
    "munskydd": ["skyddsutrustning"],
    "mat": ["livsmedel", "måltider"],
    "brister": ["avvikelse", "avvikelser"],
    "missförhållanden": ["lex Sarah", "avvikelse"],
    "kritik": ["klagomål", "synpunkter"],
    "klaga": ["klagomål", "synpunkter"],
    "handleda": ["handledning", "handledare", "coach"],
    "mammor": ["föräldrar"],
    "pappor": ["föräldrar"],
    "söner": ["barn"],
    "döttrar": ["barn"],
    "myndiga": ["vuxna"],
    "besvär": ["ohälsa", "problem"],
    "psykiska": ["psykiatri", "socialpsykiatri", "psykisk"],
    "psykiatriska": ["socialpsykiatri", "psykiatri"],
    # other names for the reports, their years and events
    "redogörelse": ["verksamhetsberättelse"],
    "årsrapport": ["verksamhetsberättelse"],
    "verksamhetsåret": ["året", "verksamhetsberättelse"],
    "bokslutsåret": ["bokslut"],
    "kalenderåret": ["året"],
    "sammanslagningen": ["sammangåendet", "sammanslagning"],
    "sammanslagna": ["sammangåendet"],
    "handikapp": ["funktionsnedsättning"],
    # Abbreviations the reports use, both ways ("APT" is an arbetsplatsträff)
    "arbetsplatsträff": ["APT"],
    "apt": ["arbetsplatsträff"],
    "motiverande": ["MI"],
    "mi": ["motiverande samtal"],
    "försäkringskassan": ["FK"],
    "fk": ["Försäkringskassan"],
    "visstidsanställning": ["AVA"],
    "visstidsanställda": ["AVA"],
    "ava": ["visstidsanställning"],
    "kommunfullmäktige": ["KF"],
    "kf": ["kommunfullmäktige"],
    # English
    "sick": ["sjukfrånvaro"],
    "leave": ["frånvaro"],
    "absence": ["frånvaro"],
    "staff": ["medarbetare", "personal"],
    "employees": ["medarbetare"],
    "employee": ["medarbetare"],
    "workers": ["medarbetare"],
    "clients": ["brukare"],
    "client": ["brukare"],
    "users": ["brukare"],
    "deficit": ["underskott", "resultat"],
    "surplus": ["överskott"],
    "loss": ["underskott", "resultat"],
    "spend": ["kostnader"],
    "spent": ["kostnader"],
    "located": ["finns", "kontor"],
    "budget": ["budget"],
    "costs": ["kostnader"],
    "cost": ["kostnader", "kostade"],
    "complaints": ["klagomål"],
    "complaint": ["klagomål"],
    "survey": ["undersökning", "enkät"],
    "satisfied": ["nöjda"],
    "unit": ["enheten"],
    "manager": ["enhetschef"],
    "managers": ["enhetschef", "chefer"],
    "meetings": ["möten", "APT"],
    "meeting": ["möte", "APT"],
    "training": ["utbildning", "kompetensutveckling"],
    "office": ["kontor"],
    "plan": ["genomförandeplan", "plan"],
    "implementation": ["genomförande"],
    "schedule": ["schema", "scheman"],
    "scheduling": ["schema", "scheman"],
    "payroll": ["lön"],
    "women": ["kvinnor"],
    "men": ["män"],
    "share": ["andel"],
    "percentage": ["andel", "procent"],
    "days": ["dagar"],
    "taxi": ["taxi"],
    "trips": ["resor"],
    "organic": ["ekologiska"],
    "food": ["livsmedel"],
    "environment": ["miljö"],
    "violence": ["våld"],
    "pandemic": ["pandemi", "covid"],
    "children": ["barn"],
    "families": ["familjer"],
    "housing": ["boende", "bostad"],
    "goal": ["mål"],
    "goals": ["mål"],
    "target": ["årsmål", "mål", "minskar", "ökar"],
    "result": ["resultat", "utfall"],
    "outcome": ["utfall"],
    "employment": ["anställning", "heltid"],
    "full-time": ["heltid"],
    "part-time": ["deltid"],
}


@lru_cache(maxsize=1)
def _stemmed() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for word, targets in SYNONYMS.items():
        keys = analyze(word, keep_stopwords=True)
        if not keys:
            continue
        stems = tuple(dict.fromkeys(t for target in targets for t in analyze(target, keep_stopwords=True)))
        table[keys[0]] = tuple(dict.fromkeys(table.get(keys[0], ()) + stems))
    return table


def expansions(question: str) -> list[str]:
    """Report-vocabulary stems for the question's everyday/English words."""
    table = _stemmed()
    out: list[str] = []
    for term in analyze(question, keep_stopwords=True):
        for target in table.get(term, ()):
            if target != term and target not in out:
                out.append(target)
    return out


def has_expansion(stem: str) -> bool:
    """Does the thesaurus map this (already stemmed) question term to report vocabulary?"""
    return bool(_stemmed().get(stem))

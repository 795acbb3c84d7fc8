"""The kind of answer a question asks for: a figure, a date, a count, an amount, a measure's value,
a person, a reason, a list.

Read once from the question (:func:`answer_kinds`); the answer stage takes the
result from :class:`~assistant.query.intent.QueryIntent` and never re-reads
the question. A question may ask for several kinds at once ("Hur många
klagomål kom in 2014?" wants a figure *and* a count of complaints).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from ..index.lexical import analyze
from ..index.lexical.thesaurus import expansions
from ..resources import data_toml

__all__ = ["AnswerKind", "KindReading", "answer_kinds", "word_stems"]


class AnswerKind(StrEnum):
    """What a question asks for (a question may ask for several)."""

    FIGURE = "figure"  # a number: "Hur hög …", "Vad var …", "andelen …"
    DATE = "date"  # "När …", "vilket datum", "vilken period"
    COUNT = "count"  # "Hur många X": a count of a thing
    AMOUNT = "amount"  # money: "Vad kostade …", "… i mnkr"
    MEASURE = "measure"  # the value of a named measure: "Vilket AMI …", "Hur hög var sjukfrånvaron …"
    PERSON = "person"  # a person in a role: "Vad heter enhetschefen …"
    REASON = "reason"  # "Varför …", "vad hände", "orsaken": the reason often follows the matching sentence
    EXPLAIN = "explain"  # why/how a thing is done: never judged by the kind of answer it lacks
    LIST = "list"  # "Vilka …", "vad ingår": a lead-in needs the items after it
    QUANTITY = (
        "quantity"  # asks explicitly for an amount of something: "Hur många/mycket/stor …", "andelen", "how many"
    )
    SUMMARY = "summary"  # an open question whose answer is several things: "Sammanfatta …", "Vad gjorde X för att …"
    # The question tells something first and asks about it after: "En boende fick medicinen två gånger.
    # Vad har enheten ändrat?" The told part finds the passage; the answer is what the report says next.
    FOLLOWING = "following"


# "Hur hög …", "andelen …", "Vad var …": a figure is wanted.
_NUMBER_Q = re.compile(
    r"\b(hur\s+(?:många|mycket|hög|höga|stor|stort|stora|låg)|andel(?:en)?|procent|antal(?:et)?|belopp|"
    r"siffr\w*|resultat\w*|utfall\w*|vad\s+var|vad\s+blev|how\s+(?:many|much|high)|what\s+was|percent\w*|"
    r"rate|number|share|proportion|how\s+(?:large|big))\b",
    re.I,
)
# Explicitly a quantity (not "Vad var syftet …", which _NUMBER_Q also takes for a figure question).
_QUANTITY_Q = re.compile(
    r"\b(hur\s+(?:många|mycket|stor|stort|stora|hög|högt|höga|låg|lågt|låga|lång|långt)|andel(?:en)?|procent\w*|"
    r"antal(?:et)?|belopp\w*|how\s+(?:many|much|high|large|big|long)|percent\w*|share|proportion)\b",
    re.I,
)
_DATE_Q = re.compile(r"\b(när|vilket\s+datum|datum|vilken\s+period|under\s+vilken\s+tid|when|date)\b", re.I)
# Lenient: the thing after "hur många"/"antalet" (a word or two may come between); only a bonus.
_COUNT_Q = re.compile(
    r"\b(?:hur\s+många|antal(?:et)?|how\s+many|number\s+of)\s+(?:\w+\s+){0,2}?(\w{4,}|(?-i:[A-ZÅÄÖ]{2,})\b)", re.I
)
# Strict: "Hur många X …" where X is the thing counted (declining for want of a count uses this).
_ASKED_COUNT = re.compile(r"\b(?:hur\s+många|how\s+many)\s+([\wåäöÅÄÖ-]+)", re.I)
# "hur många synpunkter och klagomål": the things counted, joined by a conjunction.
_ALSO_COUNTED = re.compile(r"\s*(?:,|och|eller|and|or)\s+([\wåäöÅÄÖ-]+)", re.I)
_VERB_ENDING = re.compile(r"(?:ades|des|tes|ade)$")  # "hur många anställdes": a verb, not a thing
# The amount is what the question asks for (not "Vad avgör hur mycket pengar …").
_MONEY_Q = re.compile(
    r"^\W*(?:och\s+)?(?:vad\s+kosta\w*|hur\s+mycket\s+(?:kosta\w*|pengar)|vad\s+.*\bkosta(?:r|de|t)?\W*$|"
    r"(?:vad|hur\s+(?:stor|hög)\w*)\s+(?:var|blev|är)\s+(?:\w+\s+)?\w*kostnad\w*|"
    r"how\s+much\s+(?:did|does|do|money|was|were)|what\s+(?:did|was|were)\s+(?:\w+\s+){0,3}?cost)|"
    r"\bi\s+(?:mnkr|tkr|kronor)\W*$",
    re.I,
)
_MEASURE_WORDS = r"(AMI|NMI|\w*index\w*|sjukfrånvaro\w*|nöjdhet\w*|sick\s+leave)"
# The value of the measure is what is asked: "Vilket AMI …", "Hur hög var sjukfrånvaron …".
_MEASURE_Q = re.compile(
    r"\b(?:vilk(?:et|en)\s+(?:värde|nivå|utfall|resultat|siffra)\b.*?|vilk(?:et|en)\s+|"
    r"(?:hur\s+hög\w*|vad)\s+(?:var|blev|är)\s+(?:\w+\s+)?|(?:what|how\s+high)\s+(?:was|is)\s+(?:the\s+)?)"
    + _MEASURE_WORDS
    + r"\b",
    re.I,
)
_PERSON_Q = re.compile(
    r"\b(?:vad\s+heter|vem\s+(?:är|var|leder|ledde)|who\s+(?:is|was|leads|led)|name\s+of)\s+(?:\w+\s+){0,2}?"
    r"(\w*(?:chef|ledare|konsulent|samordnare|handläggare|ordförande|sekreterare|ansvarig|direktör|"
    r"manager|head|coordinator|director|chair))\w*\b",
    re.I,
)
_EXPLAIN_Q = re.compile(r"\b(varför|why|hur\s+(?:ska|har|påverka\w*|arbetar)|på\s+vilket\s+sätt)\b", re.I)
_REASON_Q = re.compile(
    r"\b("
    + "|".join(
        re.escape(w.rstrip("*")).replace(r"\ ", r"\s+") + (r"\w*" if w.endswith("*") else "")
        for w in data_toml("sv/question_words.toml")["reason"]
    )
    + r")\b",
    re.I,
)
_LIST_Q = re.compile(r"\b(vilka|vad\s+ingår|lista|which)\b", re.I)
# Open questions: an imperative ("Sammanfatta", "Beskriv"), what someone did/does/plans/says ("Vad gjorde X för
# att …", "Vad säger planen om …"), how someone works or handled something, a plural "vilka …". Their answer is
# several sentences of a section, not one fact.
_SUMMARY_Q = re.compile(
    r"^\W*(?:sammanfatta|beskriv|redogör|berätta|lista|ge\s+en\s+(?:sammanfattning|översikt)|summari[sz]e|describe)\b|"
    r"\bvad\s+(?:gjorde|gör|görs|gjordes|planerar|planerade|planeras|säger|sade|sa|skriver|framgår|tar\s+(?:\w+\s+){0,4}?upp|"
    r"har\s+(?:\w+\s+){0,4}?(?:gjort|gjorts)|ska\s+(?:\w+\s+){0,4}?göra)\b|"
    r"\bhur\s+(?:arbetar|arbetade|jobbar|jobbade|hanterade|hanterar|hanterades|har\s+(?:\w+\s+){0,4}?(?:arbetat|hanterat)|"
    r"ska\s+(?:\w+\s+){0,4}?(?:arbeta|hantera))\b|"
    r"\bvilka\s+\w+|\bwhat\s+(?:did|does|do|will)\s+(?:\w+\s+){1,5}?(?:do|plan|say|report)\b|"
    r"\bhow\s+(?:did|does|do|will)\s+(?:\w+\s+){1,5}?(?:work|handle|deal)\b",
    re.I,
)
# A question asking for one specific value is never a summary, however it opens.
_SPECIFIC = frozenset({"figure", "date", "count", "amount", "measure", "person", "quantity"})

_PATTERNS = (
    (AnswerKind.FIGURE, _NUMBER_Q),
    (AnswerKind.DATE, _DATE_Q),
    (AnswerKind.QUANTITY, _QUANTITY_Q),
    (AnswerKind.AMOUNT, _MONEY_Q),
    (AnswerKind.PERSON, _PERSON_Q),
    (AnswerKind.EXPLAIN, _EXPLAIN_Q),
    (AnswerKind.REASON, _REASON_Q),
    (AnswerKind.LIST, _LIST_Q),
)


@dataclass(frozen=True)
class KindReading:
    """The kinds of answer a question asks for, and what it counts or measures."""

    kinds: frozenset[AnswerKind] = frozenset()
    counted: frozenset[str] = frozenset()  # stems of what "hur många/antalet X" counts (lenient: a bonus)
    count_asked: frozenset[str] = frozenset()  # stems of the thing a strict "Hur många X" counts
    measure: frozenset[str] = frozenset()  # stems of the measure whose value is asked ("sjukfrånvaro", "ami")


@lru_cache(maxsize=1)
def _not_counted() -> frozenset[str]:
    return frozenset(data_toml("sv/question_words.toml")["not_counted"].split())


def word_stems(word: str) -> set[str]:
    """A question word's stems and the report words the thesaurus offers for it."""
    return {*analyze(word), *expansions(word)}


def answer_kinds(question: str) -> KindReading:
    kinds = {kind for kind, pattern in _PATTERNS if pattern.search(question)}
    measure_match = _MEASURE_Q.search(question)
    measure = word_stems(measure_match.group(1)) if measure_match else set()
    if measure_match:
        kinds.add(AnswerKind.MEASURE)
    count_asked = _count_asked(question)
    if count_asked:
        kinds.add(AnswerKind.COUNT)
    if _SUMMARY_Q.search(question) and not {k.value for k in kinds} & _SPECIFIC:
        kinds.add(AnswerKind.SUMMARY)
    if _tells_first(question):
        kinds.add(AnswerKind.FOLLOWING)
    counted = _COUNT_Q.search(question)
    return KindReading(
        kinds=frozenset(kinds),
        counted=frozenset(word_stems(counted.group(1)) if counted else ()),
        count_asked=frozenset(count_asked),
        measure=frozenset(measure),
    )


_TOLD = re.compile(r"[.!]\s+(?=\S)")


def _tells_first(question: str) -> bool:
    """A statement before the question: a full sentence (3+ words) ending in "." or "!",
    followed by the asking sentence."""
    parts = _TOLD.split(question.strip())
    return len(parts) > 1 and len(parts[0].split()) >= 3 and question.rstrip().endswith("?")


def _count_asked(question: str) -> set[str]:
    """Stems of the thing a "hur många X" question counts, or an empty set when no count of a thing is asked."""
    m = _ASKED_COUNT.search(question)
    if not m:
        return set()
    word = m.group(1)
    low = word.lower()
    if low in _not_counted() or _VERB_ENDING.search(low) or len(low) < 3:
        return set()
    words = [word]
    pos = m.end()
    while (more := _ALSO_COUNTED.match(question, pos)) and len(words) < 3:
        words.append(more.group(1))
        pos = more.end()
    if m.group(0).lower().startswith("how"):
        # English: the report words for the thing, if the thesaurus knows it ("staff" → "medarbetare")
        return {t for w in words for t in expansions(w)}
    return {t for w in words if not _VERB_ENDING.search(w.lower()) for t in word_stems(w)}

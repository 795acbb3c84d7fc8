"""The assistant as a Python object: the one entry point for the CLI, the UI and scripts.

    from assistant import Assistant
    a = Assistant()                      # loads corpus, model and index (builds it if missing)
    ans = a.ask("Vad var sjukfrånvaron för Assistansenheten 2018?")
    print(ans.answer); print(ans.to_json())

``ask`` reads as the pipeline: the question is understood once (``query``),
refused if it asks for a year, unit or district the corpus lacks
(``answer.refusal``), passages are retrieved within its filters
(``retrieval``), sentences chosen or the answer withheld (``answer.compose``)
and cited (``answer.citations``).

Loading happens once; ``ask`` is thread-safe (the embedder serialises model
calls, the rest only reads). Adding, removing or correcting a report swaps in
a new index atomically under a lock, so questions asked meanwhile are answered
from the previous one. With ``build="background"`` (the web interface) the
assistant is usable at once: a missing or stale index is built in a thread
(progress in ``build_status``) while questions are answered from the previous
index, or get a message that the index is not ready yet.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .answer.abstention import missing_notice
from .answer.citations import build_answer
from .answer.compose import compose
from .answer.figures import FactIndex
from .answer.generate import Generator
from .answer.model import Answer
from .answer.refusal import only_year_missing, quoted_year_notice, refusal
from .config import Config
from .conversation import previous_turn, with_turn
from .documents import REPORT_TYPES, Document, ReportMeta
from .errors import AssistantError, IndexMissingError, ManifestError, ReportLoadError
from .index.doc_cache import load_corpus_cached
from .index.embeddings import Embedder, load_embedder
from .index.progress import BuildStatus, StepCallback, format_duration
from .index.store import IndexStore, Progress, SearchIndex, skipped_reports
from .ingest.corpus import Corpus
from .ingest.library import edit_manifest, remove_report_file, store_upload
from .query.admission import admit
from .query.catalog import NameUnits, ReportCatalog
from .query.followup import resolve
from .query.intent import AnswerKind, QueryIntent, understand
from .query.routing import YearEvent, load_year_events
from .retrieval.beside import score_beside
from .retrieval.filters import Filters
from .retrieval.fusion import Hit, Retriever, Scores
from .tuning import Tuning

__all__ = ["Assistant"]

log = logging.getLogger(__name__)

# A figure asked for: a quoted table row gets its values rendered for a person.
_FIGURE_KINDS = frozenset({AnswerKind.FIGURE, AnswerKind.MEASURE, AnswerKind.QUANTITY})


def _understood(question: str, catalog: ReportCatalog, events: tuple[YearEvent, ...], max_chars: int) -> QueryIntent:
    return understand(admit(question, max_chars), catalog, events)


def _without_skipped(corpus: Corpus, index: SearchIndex) -> Corpus:
    """The corpus as the index holds it: reports left out of the index (too many passages) are named
    among the errors, not offered as filters or documents."""
    skipped = skipped_reports(index)
    if not skipped:
        return corpus
    left_out = set(index.manifest["skipped"])
    return replace(
        corpus,
        documents=[d for d in corpus.documents if d.meta.report_id not in left_out],
        errors=[*corpus.errors, *skipped],
    )


@dataclass(frozen=True)
class _Plan:
    """A question's filters and strategy, from what it says and the explicit options."""

    intent: QueryIntent
    filters: Filters
    shown: dict[str, Any]  # the filters as the answer reports them
    explicit_year: bool
    per_year: bool


class Assistant:
    def __init__(
        self,
        config: Config | None = None,
        *,
        build: str = "auto",
        progress: Progress | None = None,
        embedder: Embedder | None = None,
    ) -> None:
        self.config = config or Config.from_sources()
        self.tuning = Tuning.load(self.config.tuning_file)
        self.embedder = embedder or load_embedder(self.config.model)
        self.store = IndexStore(self.config, self.embedder)
        self._lock = threading.RLock()
        self._build_lock = threading.Lock()  # one build at a time (background, upload, edit)
        self._build = "auto" if build == "background" else build
        self._repair = build == "background"  # the server repairs a damaged index; a command reports it
        self.repaired = ""  # in the background: why the index on disk is being rebuilt (Swedish), if damaged
        self.build_status = BuildStatus()
        self._generator = Generator.from_config(self.config)
        self.corpus: Corpus
        self._index: SearchIndex | None = None
        self._retriever: Retriever | None = None
        self.catalog: ReportCatalog
        self.events: tuple[YearEvent, ...] = ()
        self._facts: tuple[Corpus, FactIndex] | None = None
        if build == "background":
            self._start_in_background()
        else:
            self._load(progress)

    # ------------------------------------------------------------------ state
    def _load(self, progress: Progress | None = None, on_step: StepCallback | None = None) -> None:
        corpus = load_corpus_cached(self.config)
        if not self._build_lock.acquire(blocking=False):
            if progress:
                progress("Väntar på att sökindexet som byggs blir klart …", 0.0)
            self._build_lock.acquire()
        try:
            index = self.store.load(corpus, build=self._build, progress=progress, on_step=on_step, repair=self._repair)
            self._set(corpus, index)  # still under the build lock: a later build's index is never overwritten
        finally:
            self._build_lock.release()

    def _set(self, corpus: Corpus, index: SearchIndex | None) -> None:
        events = load_year_events(self.config.corpus)
        if index is not None:
            corpus = _without_skipped(corpus, index)
        with self._lock:
            self.corpus = corpus
            if index is not None:
                self._index = index
                self._retriever = Retriever(index, self.embedder, self.tuning)
            names = NameUnits(self._index.chunks) if self._index is not None else None
            self.catalog = ReportCatalog.from_reports([d.meta for d in corpus.documents], names)
            self.events = events
            self._docs = corpus.by_id()

    def _start_in_background(self) -> None:
        """Answer from the index on disk (even a stale one) at once; build a fresh one in a thread."""
        corpus = load_corpus_cached(self.config)
        self._set(corpus, self.store.open_previous())
        status = self.store.status(corpus)
        if self._index is not None and status.fresh:
            return
        if status.corrupt or (status.fresh and self._index is None):  # damaged: what open_previous found
            self.repaired = status.damage if status.corrupt else self.store.damage()
        self.build_status.start()
        threading.Thread(target=self._build_in_background, name="index-build", daemon=True).start()

    def _build_in_background(self) -> None:
        error = ""
        try:
            self._load(on_step=self.build_status.update)
        except AssistantError as exc:
            error = str(exc)
        except Exception as exc:  # the server keeps answering from the previous index
            log.exception("Bygget av sökindexet misslyckades")
            error = f"Bygget av sökindexet misslyckades ({type(exc).__name__}: {exc})."
        self.build_status.finish(error)

    @property
    def ready(self) -> bool:
        """Whether questions can be answered (an index is loaded; a newer one may be building)."""
        with self._lock:
            return self._index is not None

    @property
    def index(self) -> SearchIndex:
        return self._ready()[0]

    @property
    def retriever(self) -> Retriever:
        return self._ready()[1]

    def _ready(self) -> tuple[SearchIndex, Retriever]:
        with self._lock:
            index, retriever = self._index, self._retriever
        if index is None or retriever is None:
            raise IndexMissingError(self._not_ready_message())
        return index, retriever

    def _not_ready_message(self) -> str:
        running, progress, error = self.build_status.snapshot()
        if error:
            return f"Sökindexet kunde inte byggas: {error}"
        if running and progress is not None:
            eta = f", ca {format_duration(progress.eta_s)} kvar" if progress.eta_s is not None else ""
            done = f"{progress.reports_done} av {progress.reports_total} rapporter klara{eta}"
            return f"Sökindexet byggs fortfarande ({done}). Frågan kan ställas när det är klart."
        if running:
            return "Sökindexet byggs fortfarande. Frågan kan ställas när det är klart."
        return "Det finns inget sökindex ännu. Bygg det med: python -m assistant index"

    def reload(self, progress: Progress | None = None) -> None:
        """Re-read the corpus and bring the index up to date (incrementally)."""
        self._load(progress)

    @property
    def llm_configured(self) -> bool:
        """Is a language model configured (``RAPPORT_LLM_BASE_URL`` and ``RAPPORT_LLM_MODEL``)?"""
        return self._generator.configured

    @property
    def load_errors(self) -> list[ReportLoadError]:
        return list(self.corpus.errors)

    @property
    def manifest_problems(self) -> list[ManifestError]:
        """Wrong entries of corpus/manifest.toml (not used; every correct field is)."""
        return list(self.corpus.manifest_problems)

    def reports(self) -> list[ReportMeta]:
        return [d.meta for d in sorted(self.corpus.documents, key=lambda d: (d.meta.year or 0, d.meta.report_id))]

    def document(self, report_id: str) -> Document:
        try:
            return self._docs[report_id]
        except KeyError:
            raise AssistantError(f"Rapporten '{report_id}' finns inte.") from None

    def chunk_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        with self._lock:
            index = self._index
        for c in index.chunks if index is not None else ():
            counts[c.report_id] = counts.get(c.report_id, 0) + 1
        return counts

    # ------------------------------------------------------------------ ask
    def ask(
        self,
        question: str,
        *,
        k: int | None = None,
        year: int | list[int] | None = None,
        unit: str | None = None,
        type: str | None = None,
        infer: bool = True,
        tuning: Tuning | None = None,
        history: Sequence[Answer] | None = None,
        generate: bool | None = None,
        on_text: Callable[[str], None] | None = None,
    ) -> Answer:
        """Answer ``question``; ``infer=False`` ignores the year/unit/type read from the question;
        ``tuning`` replaces the configured parameters for this question.

        ``history``: the earlier answers of the conversation (a list, or a ``Conversation``); what
        the question leaves out is taken from them (``assistant.query.followup``). ``generate``:
        answer with the configured language model (default: when one is configured), checked against
        the passages (``assistant.answer.generate``); ``on_text`` receives its checked text as it grows.
        """
        with self._lock:
            catalog, events = self.catalog, self.events
        understood = _understood(question, catalog, events, self.config.max_question_chars)
        turn = resolve(understood, previous_turn(history), catalog, index=len(history or ()))
        options: dict[str, Any] = {"k": k, "year": year, "unit": unit, "type": type, "infer": infer, "tuning": tuning}

        def ask(intent: QueryIntent, beside: Sequence[tuple[str, float]]) -> Answer:
            return with_turn(self._ask(question, intent=intent, beside=beside, **options), question, turn)

        if self._generator.wanted(generate):
            return self._generator.answer(
                question, turn, history, ask=ask, understand=lambda text: understand(text, catalog, events),
                unknown=self._unknown_words, on_text=on_text,
            )  # fmt: skip
        return ask(turn.intent, turn.beside)

    def _unknown_words(self, intent: QueryIntent) -> list[str]:
        """Words of the question the reports never use (a colloquial question the model may reword)."""
        return [] if intent.lang != "sv" else self.retriever.index.bm25.unknown_terms(intent.content)

    def _ask(
        self,
        question: str,
        *,
        k: int | None = None,
        year: int | list[int] | None = None,
        unit: str | None = None,
        type: str | None = None,
        infer: bool = True,
        tuning: Tuning | None = None,
        intent: QueryIntent | None = None,
        beside: Sequence[tuple[str, float]] = (),
    ) -> Answer:
        """The extractive answer; ``intent``: the question already understood (a follow-up resolved),
        ``beside``: other (text, weight) queries it is searched with."""
        started = time.perf_counter()
        with self._lock:
            retriever, catalog, events = self.retriever, self.catalog, self.events
        tuning = tuning or self.tuning
        k = k or self.config.k
        plan = self._plan(question, catalog, events, year=year, unit=unit, type=type, infer=infer, intent=intent)
        intent, filters = plan.intent, plan.filters
        refused = refusal(intent, filters, catalog, explicit_year=plan.explicit_year)
        # Across years the question names the years (and often the unit) it compares; every year's
        # sentences are already filtered to it, so only the subject (the content query) should decide
        # among them: its vector is encoded with the question's, in one batch.
        by_subject = plan.per_year and bool(intent.content) and intent.content != intent.text
        scores = score_beside(retriever, intent, beside, embed_content=by_subject, lexical=tuning.lexical)
        retrieved_at = time.perf_counter()
        if refused and only_year_missing(intent, explicit_year=plan.explicit_year):
            # No report for the year — but a later report may quote it ("motsvarande siffra 2013 var 3,75 %").
            quoted = self._quoted_year(plan, retriever, scores, tuning, k, started, retrieved_at)
            if quoted is not None:
                return quoted
        elif refused and self._unit_lacks_year(plan, catalog):
            # The unit has no report for the year, but its other reports may tell: the next year's
            # report quotes it, and a plan for the next year is written during it.
            years = plan.filters.years
            quoted = self._quoted_year(plan, retriever, scores, tuning, k, started, retrieved_at, years=years)
            if quoted is not None:
                return quoted
        if refused:
            nearest = retriever.search(Filters(), scores, k=3, weights=tuning.fusion)
            return build_answer(
                intent.text, [], nearest, abstained=True, filters=plan.shown, started=started,
                retrieved_at=retrieved_at, notice=refused, inferred=intent.inferred, ranked=[],
            )  # fmt: skip

        ranked = retriever.search(filters, scores, k=max(k, 10), weights=tuning.fusion)
        if plan.per_year:
            hits = retriever.search_per_year(filters, scores, k, tuning.answer.passages_per_year, tuning.fusion)
            # The ranking a reader sees: each year's best passage first, then the rest.
            chosen = {h.position for h in hits}
            ranked = hits + [h for h in ranked if h.position not in chosen]
        else:
            hits = ranked[:k]
        retrieved_at = time.perf_counter()
        unknown = [] if intent.lang == "en" else retriever.index.bm25.unknown_terms(intent.content)
        sentence_scores = scores.by_subject()
        result = compose(
            intent, hits, retriever.index, sentence_scores, tuning, unknown=unknown, per_year=plan.per_year
        )
        notice = missing_notice(result.evidence, tuning.abstention) if result.abstain and result.evidence else ""
        if result.hits is not None:  # a summary quotes whole sections: its passages lead the ranking
            hits = result.hits
            ranked = hits + [h for h in ranked if h.position not in {x.position for x in hits}]
        leads: dict[int, str] = {}
        if not result.abstain and result.sentences:
            # Every quoted table row is rendered readably (each year's, across years); the row is cited.
            facts = self.facts()
            for i, sent in enumerate(result.sentences):
                if rendered := facts.lead(sent, hits[sent.chunk_index].chunk):
                    leads[i] = rendered
        if plan.per_year and not result.abstain:
            # The passages quoted for each year lead the ranking a reader (or the evaluation) sees.
            quoted_hits = [hits[s.chunk_index] for s in result.sentences]
            ranked = quoted_hits + [h for h in ranked if h not in quoted_hits]
        return build_answer(
            intent.text,
            [] if result.abstain else result.sentences,
            hits[:3] if result.abstain else hits,
            abstained=result.abstain,
            filters=plan.shown,
            started=started,
            retrieved_at=retrieved_at,
            notice=notice,
            inferred=intent.inferred,
            ranked=ranked,
            evidence=result.evidence,
            leads=leads,
        )

    def facts(self) -> FactIndex:
        """The corpus's parsed figures (indicator tables and prose), read on first use."""
        with self._lock:
            if self._facts is None or self._facts[0] is not self.corpus:
                from .facts.indicators import extract_facts

                self._facts = (self.corpus, FactIndex(extract_facts(self.corpus.documents)))
            return self._facts[1]

    def _plan(
        self,
        question: str,
        catalog: ReportCatalog,
        events: tuple[YearEvent, ...],
        *,
        year: int | list[int] | None,
        unit: str | None,
        type: str | None,
        infer: bool,
        intent: QueryIntent | None = None,
    ) -> _Plan:
        intent = intent or _understood(question, catalog, events, self.config.max_question_chars)
        if not infer:  # the user removed the filters read from the question
            intent = intent.without_routing()
        explicit_years = tuple(year if isinstance(year, list) else [year]) if year else ()
        explicit_unit = catalog.resolve_unit(unit) if unit else None
        if type and type not in REPORT_TYPES:
            raise AssistantError(f"Okänd rapporttyp '{type}'. Välj en av: {', '.join(REPORT_TYPES)}.")
        years = explicit_years or intent.years
        unit_f = explicit_unit or intent.unit
        type_f = type or intent.type
        return _Plan(
            intent=intent,
            filters=Filters(tuple(int(y) for y in years), unit_f, type_f),
            shown={"year": years[0] if len(years) == 1 else None, "unit": unit_f, "type": type_f},
            explicit_year=bool(explicit_years),
            per_year=intent.trend and not (len(years) == 1),
        )

    @staticmethod
    def _unit_lacks_year(plan: _Plan, catalog: ReportCatalog) -> bool:
        """The question's unit has reports, but none for the asked year(s) (and the year was read from
        the question, not set as an option)."""
        f = plan.filters
        if not (f.years and f.unit) or plan.explicit_year or plan.intent.missing_unit:
            return False
        unit_reports = [r for r in catalog.reports if (r.unit or "").lower() == f.unit.lower()]
        return bool(unit_reports) and not any(f.allows(r) for r in unit_reports)

    def _quoted_year(
        self,
        plan: _Plan,
        retriever: Retriever,
        scores: Scores,
        tuning: Tuning,
        k: int,
        started: float,
        retrieved_at: float,
        years: tuple[int, ...] = (),
    ) -> Answer | None:
        """Answer a question about a year without a report from sentences of other reports that name
        that year and the question's subject, or from a section of a report dated to that year
        ("Utvecklingsområden 2022", "Inför 2026"), or from the plan for the next year (written during
        the year: its account of where the unit stands is the year's); None when there is none."""
        intent = plan.intent
        asked = years or intent.missing_years
        hits: list[Hit] = retriever.search(plan.filters.widened(), scores, k=max(k, 10), weights=tuning.fusion)
        if years:
            # Of the unit's other reports only a later one tells about the year (an earlier one has
            # plans for it, not what came of them).
            hits = [h for h in hits if (h.chunk.year or 0) > max(asked)]
        mentioned = tuple(str(y) for y in asked)
        result = compose(intent, hits, retriever.index, scores, tuning, mention=mentioned)
        plan_before = False
        if result.abstain:
            dated = [h for h in hits if any(y in h.chunk.section for y in mentioned)]
            if not dated:
                # A plan for the next year is written during the year.
                dated = [h for h in hits if h.chunk.type == "verksamhetsplan" and (h.chunk.year or 0) - 1 in asked]
                plan_before = bool(dated)
            if not dated:
                return None
            result = compose(intent, dated, retriever.index, scores, tuning)
            if result.abstain:
                return None
            hits = dated + [h for h in hits if h not in dated]
        reports = tuple(dict.fromkeys(hits[s.chunk_index].chunk.title for s in result.sentences))
        notice = quoted_year_notice(asked, reports, unit=plan.filters.unit if years else None, plan_before=plan_before)
        return build_answer(
            intent.text, result.sentences, hits, abstained=False, filters=plan.shown, started=started,
            retrieved_at=retrieved_at, notice=notice, inferred=intent.inferred, ranked=hits, evidence=result.evidence,
        )  # fmt: skip

    # ------------------------------------------------------------------ reports
    def add_report(
        self,
        path: Path,
        *,
        filename: str | None = None,
        progress: Progress | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> ReportMeta:
        """Copy a report into the corpus under a safe name and index it (incrementally); ``metadata``:
        fields confirmed or corrected on upload, saved to the manifest with it."""
        target = store_upload(
            Path(path).read_bytes(),
            filename or Path(path).name,
            self.config.corpus,
            self.config.root,
            max_mb=self.config.max_upload_mb,
            existing=self.corpus.documents,
            metadata=metadata,
            limits=self.config.ingest_limits,
        )
        try:
            self._load(progress)
        except BaseException:
            target.unlink(missing_ok=True)  # keep the corpus and the index consistent
            raise
        return self.document(target.stem).meta

    def remove_report(self, report_id: str, *, progress: Progress | None = None) -> None:
        """Move the report out of the corpus (to index/removed/) and out of the index. A report already
        removed (in another window, or from the command line) is an AssistantError saying so, after the
        corpus is read again."""
        try:
            doc = self.document(report_id)
            remove_report_file(self.config.root / doc.meta.source, self.config.corpus, self.config.index / "removed")
        except AssistantError as exc:
            self._load(progress)  # whatever removed it, the lists should show the corpus as it is now
            raise AssistantError(
                f"Rapporten '{report_id}' finns inte längre; den är redan borttagen (kanske i ett annat fönster). "
                "Listan är uppdaterad."
            ) from exc
        self._load(progress)

    def update_metadata(self, report_id: str, *, progress: Progress | None = None, **fields: Any) -> ReportMeta:
        """Correct metadata; saved to corpus/manifest.toml, index updated."""
        doc = self.document(report_id)
        max_chars = self.config.max_field_chars
        edit_manifest(self.config.corpus, Path(doc.meta.source).name, fields, max_field_chars=max_chars)
        self._load(progress)
        return self.document(report_id).meta

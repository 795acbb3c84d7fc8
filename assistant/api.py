"""The assistant as a Python object: the one entry point for the CLI, the UI and scripts.

    from assistant import Assistant
    a = Assistant()                      # loads corpus, model and index (builds it if missing)
    ans = a.ask("Vad var sjukfrånvaron för Assistansenheten 2018?")
    print(ans.answer); print(ans.to_json())

Loading happens once; ``ask`` is thread-safe (the embedder serialises model
calls, the rest only reads). Adding, removing or correcting a report swaps in
a new index atomically under a lock, so questions asked meanwhile are answered
from the previous one.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from .answer.compose import ABSTAIN_TEXT, Answer, Citation, Sentence, compose, missing_notice, year_labels
from .config import Config
from .documents import REPORT_TYPES, Document, ReportMeta
from .errors import AssistantError, ReportLoadError
from .index.embeddings import Embedder, load_embedder
from .index.lexical import analyze
from .index.store import IndexStore, Progress, SearchIndex
from .ingest.corpus import Corpus, load_corpus, load_document, read_manifest, write_manifest
from .ingest.loading import SUPPORTED_SUFFIXES, sniff_kind
from .query.intent import QueryIntent, ReportCatalog, understand
from .retrieval.fusion import Filters, Hit, Retriever

__all__ = ["Assistant"]


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
        self.embedder = embedder or load_embedder(self.config.model)
        self.store = IndexStore(self.config, self.embedder)
        self._lock = threading.RLock()
        self._build = build
        self.corpus: Corpus
        self.index: SearchIndex
        self.retriever: Retriever
        self.catalog: ReportCatalog
        self._load(progress)

    # ------------------------------------------------------------------ state
    def _load(self, progress: Progress | None = None) -> None:
        corpus = load_corpus(self.config.corpus, self.config.root)
        index = self.store.load(corpus, build=self._build, progress=progress)
        with self._lock:
            self.corpus = corpus
            self.index = index
            self.retriever = Retriever(index, self.embedder)
            self.catalog = ReportCatalog.from_reports([d.meta for d in corpus.documents])
            self._docs = corpus.by_id()

    def reload(self, progress: Progress | None = None) -> None:
        """Re-read the corpus and bring the index up to date (incrementally)."""
        self._load(progress)

    @property
    def load_errors(self) -> list[ReportLoadError]:
        return list(self.corpus.errors)

    def reports(self) -> list[ReportMeta]:
        return [d.meta for d in sorted(self.corpus.documents, key=lambda d: (d.meta.year or 0, d.meta.report_id))]

    def document(self, report_id: str) -> Document:
        try:
            return self._docs[report_id]
        except KeyError:
            raise AssistantError(f"Rapporten '{report_id}' finns inte.") from None

    def chunk_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for c in self.index.chunks:
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
    ) -> Answer:
        """Answer ``question``; ``infer=False`` ignores the year/unit/type read from the question."""
        t0 = time.perf_counter()
        question = " ".join((question or "").split())
        if not question:
            raise AssistantError("Frågan är tom. Skriv en fråga, t.ex. 'Vad var sjukfrånvaron 2018?'.")
        with self._lock:
            retriever, catalog = self.retriever, self.catalog
        k = k or self.config.k
        intent = understand(question, catalog)
        if not infer:  # the user removed the filters read from the question
            intent = QueryIntent(trend=intent.trend)
        explicit_years = tuple(year if isinstance(year, list) else [year]) if year else ()
        explicit_unit = self._resolve_unit(unit, catalog) if unit else None
        if type and type not in REPORT_TYPES:
            raise AssistantError(f"Okänd rapporttyp '{type}'. Välj en av: {', '.join(REPORT_TYPES)}.")

        years = explicit_years or intent.years
        unit_f = explicit_unit or intent.unit
        type_f = type or intent.type
        filters = Filters(tuple(int(y) for y in years), unit_f, type_f)
        shown_filters = {"year": years[0] if len(years) == 1 else None, "unit": unit_f, "type": type_f}

        # Only an explicit year overrides a year in the question; a unit or type option does not make
        # a question about a missing year answerable from another one.
        refusal = self._refusal(intent, filters, catalog, explicit=bool(explicit_years))
        per_year = intent.trend and not (len(years) == 1)
        # Across years the question names the years (and often the unit) it compares; every year's
        # sentences are already filtered to it, so only the subject (the content query) should decide
        # among them: its vector is encoded with the question's, in one batch.
        by_subject = per_year and bool(intent.content) and intent.content != question
        scores = retriever.score_all(question, intent.content, embed_content=by_subject)
        t_ret = time.perf_counter()
        if refusal and self._only_year_missing(intent, filters, explicit=bool(explicit_years)):
            # No report for the year — but a later report may quote it ("motsvarande siffra 2013 var 3,75 %").
            from_later = self._quoted_year(question, intent, filters, scores, k, t0, t_ret, shown_filters)
            if from_later is not None:
                return from_later
        if refusal:
            hits = retriever.search(question, Filters(), k=3, scores=scores)
            return self._answer(
                question, [], hits, True, shown_filters, t0, t_ret, notice=refusal, intent=intent, ranked=[]
            )

        ranked = retriever.search(question, filters, k=max(k, 10), scores=scores)
        if per_year:
            hits = self._best_per_year(retriever, question, filters, scores, k)
            # The ranking a reader sees: each year's best passage first, then the rest.
            chosen = {h.position for h in hits}
            ranked = hits + [h for h in ranked if h.position not in chosen]
        else:
            hits = ranked[:k]
        t_ret = time.perf_counter()
        unknown = [] if _looks_english(question) else retriever.index.bm25.unknown_terms(intent.content)
        sentence_scores = replace(scores, qvec=scores.cvec) if scores.cvec is not None else scores
        sentences, abstain, evidence = compose(
            question,
            hits,
            retriever.index,
            sentence_scores,
            unknown=unknown,
            names=_names_in(question),
            per_year=per_year,
        )
        notice = missing_notice(evidence) if abstain and evidence else ""
        if per_year and not abstain:
            # The passages quoted for each year lead the ranking a reader (or the evaluation) sees.
            quoted = [hits[s.chunk_index] for s in sentences]
            ranked = quoted + [h for h in ranked if h not in quoted]
        answer = self._answer(
            question,
            [] if abstain else sentences,
            hits[:3] if abstain else hits,
            abstain,
            shown_filters,
            t0,
            t_ret,
            notice=notice,
            intent=intent,
            ranked=ranked,
        )
        return replace(answer, evidence=evidence)

    @staticmethod
    def _only_year_missing(intent: QueryIntent, filters: Filters, *, explicit: bool) -> bool:
        return bool(intent.missing_years) and not intent.years and not explicit and not intent.missing_unit

    def _quoted_year(
        self,
        question: str,
        intent: QueryIntent,
        filters: Filters,
        scores: Any,
        k: int,
        t0: float,
        t_ret: float,
        shown_filters: dict[str, Any],
    ) -> Answer | None:
        """Answer a question about a year without a report from sentences of other reports that name
        that year and the question's subject; None when no such sentence exists."""
        retriever = self.retriever
        wider = Filters((), filters.unit, filters.type)
        hits = retriever.search(question, wider, k=max(k, 10), scores=scores)
        years = tuple(str(y) for y in intent.missing_years)
        sentences, abstain, evidence = compose(question, hits, retriever.index, scores, mention=years)
        if abstain:
            return None
        asked = ", ".join(years)
        notice = f"Det finns ingen rapport för {asked}; svaret kommer ur en rapport som nämner {asked}."
        answer = self._answer(
            question, sentences, hits, False, shown_filters, t0, t_ret, notice=notice, intent=intent, ranked=hits
        )
        return replace(answer, evidence=evidence)

    def _best_per_year(self, retriever: Retriever, question: str, filters: Filters, scores: Any, k: int) -> list[Hit]:
        """The best few passages of each year, years in order (for questions across years)."""
        hits = retriever.search(question, filters, k=max(60, k * 12), scores=scores)
        per_year: dict[int | None, list[Hit]] = {}
        for hit in hits:
            group = per_year.setdefault(hit.chunk.year, [])
            if len(group) < 4:
                group.append(hit)
        ordered = sorted(per_year.items(), key=lambda item: item[0] or 0)
        # Each year's best passage first (in year order), then the runners-up.
        return [g[0] for _, g in ordered] + [h for _, g in ordered for h in g[1:]]

    def _resolve_unit(self, unit: str, catalog: ReportCatalog) -> str:
        wanted = unit.strip().lower()
        for name in catalog.units:
            if name.lower() == wanted:
                return name
        matches = [name for name in catalog.units if wanted in name.lower()]
        if len(matches) == 1:
            return matches[0]
        raise AssistantError(f"Okänd enhet '{unit}'. Enheter som finns: {', '.join(catalog.units)}.")

    def _refusal(self, intent: QueryIntent, filters: Filters, catalog: ReportCatalog, explicit: bool) -> str:
        """A Swedish notice when the asked year/unit is not in the corpus, else ''."""
        years_txt = ", ".join(map(str, catalog.years))
        if intent.missing_years and not intent.years and not explicit:
            asked = ", ".join(map(str, intent.missing_years))
            return f"Det finns ingen rapport för {asked}. Rapporterna gäller åren {years_txt}."
        if intent.missing_district:
            have = sorted({r.district for r in catalog.reports if r.district})
            return f"Det finns ingen rapport från {intent.missing_district}. Rapporterna kommer från {', '.join(have)}."
        if intent.missing_unit and not intent.unit and not filters.unit:
            return (
                f"Enheten '{intent.missing_unit}' finns inte bland rapporterna. "
                f"Enheter som finns: {', '.join(catalog.units)}."
            )
        matching = [r for r in catalog.reports if filters.allows(r)]
        if matching and intent.outcome and filters.years and all(r.type == "verksamhetsplan" for r in matching):
            asked = ", ".join(map(str, filters.years))
            return (
                f"För {asked} finns bara verksamhetsplan, och en plan anger mål och aktiviteter – inte hur det "
                "gick. Utfallet redovisas i verksamhetsberättelsen för året."
            )
        if not matching:
            parts = []
            if filters.unit:
                unit_years = sorted({r.year for r in catalog.reports if r.unit == filters.unit and r.year})
                parts.append(f"{filters.unit} finns för åren {', '.join(map(str, unit_years)) or '–'}")
            if filters.years:
                year_units = sorted({r.unit or "?" for r in catalog.reports if r.year in filters.years})
                parts.append(f"för {', '.join(map(str, filters.years))} finns {', '.join(year_units) or 'inget'}")
            if filters.type:
                parts.append(f"rapporttyp: {filters.type}")
            notice = "Det finns ingen sådan rapport (" + "; ".join(parts) + ")."
            if filters.years and not set(filters.years) & set(catalog.years):
                notice += f" Rapporterna gäller åren {years_txt}."
            return notice
        return ""

    def _answer(
        self,
        question: str,
        sentences: list[Sentence],
        hits: list[Hit],
        abstained: bool,
        filters: dict[str, Any],
        t0: float,
        t_ret: float,
        *,
        notice: str = "",
        intent: QueryIntent | None = None,
        ranked: list[Hit] | None = None,
    ) -> Answer:
        citations: list[Citation] = []
        quoted: list[tuple[str, int]] = []
        if abstained:
            for hit in hits[:3]:
                citations.append(_citation(len(citations) + 1, hit, None))
            text = ABSTAIN_TEXT + (f" {notice}" if notice else "")
        else:
            numbers: dict[int, int] = {}
            for sent in sentences:
                if sent.chunk_index not in numbers:
                    numbers[sent.chunk_index] = len(citations) + 1
                    citations.append(_citation(numbers[sent.chunk_index], hits[sent.chunk_index], sent))
                quoted.append((sent.text, numbers[sent.chunk_index]))
            parts = []
            for (sentence, n), year in zip(quoted, year_labels(quoted, citations), strict=True):
                prefix = f"{year}: " if year else ""
                parts.append(f"{prefix}{' '.join(sentence.split())} [{n}]")
            text = " ".join(parts)
        total = (time.perf_counter() - t0) * 1000
        return Answer(
            question=question,
            answer=text,
            abstained=abstained,
            filters=filters,
            citations=tuple(citations),
            timings_ms={"retrieve": (t_ret - t0) * 1000, "total": total},
            sentences=tuple(quoted),
            notice=notice,
            inferred=dict(intent.inferred) if intent else {},
            retrieved=tuple(h.chunk for h in (ranked or [])),
        )

    # ------------------------------------------------------------------ reports
    def add_report(self, path: Path, *, filename: str | None = None, progress: Progress | None = None) -> ReportMeta:
        """Copy a report into the corpus under a safe name and index it (incrementally)."""
        data = Path(path).read_bytes()
        limit = self.config.max_upload_mb * 1024 * 1024
        name = filename or Path(path).name
        if len(data) > limit:
            raise ReportLoadError(name, f"filen är större än {self.config.max_upload_mb} MB.")
        kind = sniff_kind(data)
        suffix = {"pdf": ".pdf", "docx": ".docx", "text": ".txt"}.get(kind)
        if suffix is None:
            raise ReportLoadError(name, "filen är varken PDF, Word (.docx) eller text.")
        if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
            raise ReportLoadError(name, "filtypen stöds inte. Använd .pdf, .docx eller .txt.")
        digest = hashlib.sha256(data).hexdigest()
        for doc in self.corpus.documents:
            if doc.meta.sha256 == digest:
                raise AssistantError(f"Rapporten finns redan: {doc.meta.title} ({doc.meta.source}).")
        target = self.config.corpus / safe_filename(name, suffix, self.config.corpus)
        # Written under a hidden name (the corpus ignores dot files) that keeps the real
        # suffix, validated there, then renamed: unreadable files never land in the corpus.
        tmp = target.with_name(".uploading-" + target.name)
        tmp.write_bytes(data)
        try:
            try:
                load_document(tmp, self.config.root)
            except ReportLoadError as exc:
                raise ReportLoadError(name, exc.reason) from None
            tmp.replace(target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        try:
            self._load(progress)
        except BaseException:
            target.unlink(missing_ok=True)  # keep the corpus and the index consistent
            raise
        return self.document(target.stem).meta

    def remove_report(self, report_id: str, *, progress: Progress | None = None) -> None:
        doc = self.document(report_id)
        path = self.config.root / doc.meta.source
        trash = self.config.index / "removed"
        trash.mkdir(parents=True, exist_ok=True)
        # Kept in index/removed/ rather than deleted, so nothing is lost by a slip.
        shutil.move(str(path), trash / f"{time.strftime('%Y%m%d-%H%M%S')}-{path.name}")
        manifest = read_manifest(self.config.corpus)
        if path.name in manifest:
            del manifest[path.name]
            write_manifest(self.config.corpus, manifest)
        self._load(progress)

    def update_metadata(self, report_id: str, *, progress: Progress | None = None, **fields: Any) -> ReportMeta:
        """Correct metadata; saved to corpus/manifest.toml, index updated."""
        doc = self.document(report_id)
        name = Path(doc.meta.source).name
        manifest = read_manifest(self.config.corpus)
        entry = dict(manifest.get(name, {}))
        for key, value in fields.items():
            if value in (None, ""):
                entry.pop(key, None)
            else:
                entry[key] = int(value) if key == "year" else value
        manifest[name] = entry
        write_manifest(self.config.corpus, manifest)
        try:
            read_manifest(self.config.corpus)
        except AssistantError:
            manifest[name] = {k: v for k, v in manifest.get(name, {}).items() if k not in fields}
            write_manifest(self.config.corpus, manifest)
            raise
        self._load(progress)
        return self.document(report_id).meta


# English words that are not also Swedish words ("in", "under", "per" are both).
_EN_WORDS = {
    *"the to of and is was were what how which who why did does do many much are when with for from".split(),
    *"that this their they have has had been on its an according about report unit year would will".split(),
    *"should could where whose into".split(),
}


def _names_in(question: str) -> set[str]:
    """Stems of the capitalised words inside the question (names: "DigiJag", "Solrosen")."""
    words = re.findall(r"[\wåäöÅÄÖ-]+", question)
    return {t for w in words[1:] if w[:1].isupper() and not w.isupper() for t in analyze(w)}


def _looks_english(question: str) -> bool:
    words = re.findall(r"[a-zåäö]+", question.lower())
    return sum(w in _EN_WORDS for w in words) >= 2


def _citation(n: int, hit: Hit, sentence: Sentence | None) -> Citation:
    c = hit.chunk
    return Citation(
        n=n,
        report_id=c.report_id,
        source=c.source,
        title=c.title,
        unit=c.unit,
        year=c.year,
        type=c.type,
        section=c.section,
        page=c.page,
        text=c.text,
        quote_start=sentence.start if sentence else None,
        quote_end=sentence.end if sentence else None,
        score=hit.score,
        chunk_id=c.chunk_id,
        start=c.start,
        end=c.end,
        pages=c.pages,
    )


_UNSAFE = re.compile(r"[^A-Za-z0-9ÅÄÖåäöÉé._ -]+")


def safe_filename(name: str, suffix: str, folder: Path) -> str:
    """A file name that stays inside ``folder``: no path parts, no odd characters, no clash."""
    base = Path(name.replace("\\", "/")).name  # drop any directory part, also Windows-style
    stem = _UNSAFE.sub("_", Path(base).stem).strip(" ._-") or "rapport"
    stem = stem[:80]
    candidate = f"{stem}{suffix}"
    n = 2
    while (folder / candidate).exists():
        candidate = f"{stem}-{n}{suffix}"
        n += 1
    return candidate

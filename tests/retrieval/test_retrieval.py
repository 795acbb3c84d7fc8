"""Hybrid ranking and filters on the real index with the real model (assistant/retrieval.py)."""

from __future__ import annotations

import numpy as np
import pytest
from seeds import R2012, R2014, R2018, R2020, R2025

from assistant.api import Assistant
from assistant.documents import Chunk
from assistant.query.intent import QueryIntent
from assistant.retrieval import Filters, Hit, Retriever

pytestmark = pytest.mark.slow


def search(retriever: Retriever, question: str, filters: Filters, k: int) -> list[Hit]:
    """The passages for a question taken as it stands (no routing)."""
    return retriever.search(filters, retriever.score_all(QueryIntent(text=question)), k=k)


@pytest.fixture(scope="module")
def retriever(assistant: Assistant) -> Retriever:
    return assistant.retriever


def _chunk(**kw: object) -> Chunk:
    base: dict[str, object] = dict(
        chunk_id="x",
        report_id="r",
        unit="Assistansenheten",
        year=2018,
        type="verksamhetsberättelse",
        title="t",
        source="corpus/r.txt",
        heading_path=("h",),
        pages=(1,),
        start=0,
        end=1,
        text="x",
        kind="prose",
        context="",
    )
    base.update(kw)
    return Chunk(**base)  # type: ignore[arg-type]


def test_filters_allow() -> None:
    chunk = _chunk()
    assert Filters().allows(chunk)
    assert Filters(years=(2012, 2018)).allows(chunk)
    assert not Filters(years=(2012,)).allows(chunk)
    assert Filters(unit="assistansenheten").allows(chunk)  # case-insensitive
    assert not Filters(unit="Beställarenheten funktionsnedsättning").allows(chunk)
    assert not Filters(type="verksamhetsplan").allows(chunk)


@pytest.mark.parametrize(
    ("filters", "reports"),
    [
        (Filters(years=(2018,)), {R2018}),
        (Filters(years=(2012, 2014)), {R2012, R2014}),
        (Filters(unit="Enheten för personligt stöd"), {R2020, R2025}),
        (Filters(type="verksamhetsplan"), {R2025}),
        (Filters(years=(2020,), unit="Enheten för personligt stöd", type="verksamhetsberättelse"), {R2020}),
        (Filters(years=(2016,)), set()),
    ],
)
def test_search_keeps_only_what_the_filters_allow(retriever: Retriever, filters: Filters, reports: set[str]) -> None:
    hits = search(retriever, "Hur hög var sjukfrånvaron?", filters, k=50)
    assert {h.chunk.report_id for h in hits} == reports
    assert all(filters.allows(h.chunk) for h in hits)
    mask = retriever.mask(filters)
    assert mask.sum() == sum(filters.allows(c) for c in retriever.index.chunks)


def test_hits_are_ranked_by_fused_score(retriever: Retriever) -> None:
    hits = search(retriever, "Hur stort underskott visade bokslutet?", Filters(), k=10)
    assert len(hits) == 10
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert len({h.position for h in hits}) == 10


def test_the_asked_figure_ranks_first_within_the_year(retriever: Retriever) -> None:
    top = search(retriever, "Hur stort underskott visade bokslutet?", Filters(years=(2012,)), k=1)[0]
    assert top.chunk.report_id == R2012
    assert "4,77 mnkr" in top.chunk.text


def test_fusion_uses_both_rankings(retriever: Retriever) -> None:
    """Reciprocal rank fusion: first in both rankings beats first in one; no shared term, no BM25 share."""
    n = len(retriever.index.chunks)
    dense = np.zeros(n, dtype=np.float32)
    lexical = np.zeros(n, dtype=np.float32)
    dense[[0, 1, 2]] = [0.90, 0.80, 0.85]  # dense ranking: 0, 2, 1
    lexical[[1, 2]] = [5.0, 4.0]  # lexical ranking: 1, 2; chunk 0 shares no term
    hits = retriever.fuse(dense, lexical, np.ones(n, dtype=bool), k=3)
    assert [h.position for h in hits] == [2, 1, 0]
    by_pos = {h.position: h for h in hits}
    assert (by_pos[0].rank_dense, by_pos[2].rank_dense, by_pos[1].rank_dense) == (0, 1, 2)
    assert (by_pos[1].rank_lexical, by_pos[2].rank_lexical) == (0, 1)
    w = retriever.weights
    assert by_pos[0].score == pytest.approx(w.dense / (w.k + 1) + w.raw_dense * 0.90)
    assert by_pos[1].score == pytest.approx(w.dense / (w.k + 3) + w.raw_dense * 0.80 + w.lexical / (w.k + 1))


def test_best_sentence_of_a_passage(retriever: Retriever) -> None:
    index = retriever.index
    q = retriever.embedder.encode_queries(["Hur många APT genomförde enheten?"])[0]
    positions = np.array([0, 3, 10])
    best = index.best_sentence_scores(positions, q)
    for pos, score in zip(positions, best, strict=True):
        _, vecs = index.sentences_of(int(pos))
        assert score == pytest.approx(float(np.max(vecs @ q)), abs=1e-5)


def test_fusion_adds_the_best_sentence_ranking(retriever: Retriever) -> None:
    """With a query vector, the passage holding the closest sentence gains a third RRF share."""
    n = len(retriever.index.chunks)
    dense = np.zeros(n, dtype=np.float32)
    lexical = np.zeros(n, dtype=np.float32)
    dense[[0, 1]] = [0.90, 0.89]
    _, vecs = retriever.index.sentences_of(1)
    qvec = np.asarray(vecs[0], dtype=np.float32)  # the query *is* a sentence of passage 1
    plain = retriever.fuse(dense, lexical, np.ones(n, dtype=bool), k=2)
    with_sentences = retriever.fuse(dense, lexical, np.ones(n, dtype=bool), k=2, qvec=qvec)
    assert [h.position for h in plain] == [0, 1]
    assert with_sentences[0].position == 1
    w = retriever.weights
    # the sentence may repeat in an overlapping passage (a tie): its share is that of rank 1 or 2
    gain = with_sentences[0].score - plain[1].score
    assert w.sentence / (w.k + 2) - 1e-9 <= gain <= w.sentence / (w.k + 1) + 1e-9


def test_fusion_respects_the_mask(retriever: Retriever) -> None:
    n = len(retriever.index.chunks)
    mask = np.zeros(n, dtype=bool)
    mask[[5, 7]] = True
    hits = retriever.fuse(np.ones(n, np.float32), np.ones(n, np.float32), mask, k=10)
    assert sorted(h.position for h in hits) == [5, 7]
    assert retriever.fuse(np.ones(n, np.float32), np.ones(n, np.float32), np.zeros(n, bool), k=10) == []


def test_dense_and_lexical_scores_cover_every_chunk(retriever: Retriever) -> None:
    scores = retriever.score_all(
        QueryIntent(text="Hur hög var sjukfrånvaron 2018?", content="Hur hög var sjukfrånvaron")
    )
    n = len(retriever.index.chunks)
    assert scores.dense.shape == scores.lexical.shape == (n,)
    assert np.all(scores.dense <= 1.0001) and scores.dense.max() > 0.8
    assert np.linalg.norm(scores.qvec) == pytest.approx(1.0, abs=1e-3)
    # The content query drops the year: no BM25 weight on "2018".
    assert "2018" not in scores.terms and "sjukfrånvaro" in scores.terms


@pytest.mark.parametrize(
    "question",
    [
        "sjukfrånvaro",  # the word itself
        "Hur mår personalen, är många sjukskrivna?",  # a paraphrase
        "What was the sick leave?",  # English
    ],
)
def test_hybrid_finds_the_topic_in_several_phrasings(retriever: Retriever, question: str) -> None:
    hits = search(retriever, question, Filters(), k=3)
    assert all("sjukfrånvaro" in (h.chunk.context + " " + h.chunk.text).lower() for h in hits[:1])
    assert sum("sjukfrånvaro" in (h.chunk.context + " " + h.chunk.text).lower() for h in hits) >= 2


def test_table_row_passages_carry_their_heading(retriever: Retriever) -> None:
    """A hit inside a flattened indicator table brings its heading along (context)."""
    hits = search(retriever, "Sjukfrånvaro 7,1 %", Filters(years=(2018,)), k=3)
    row = next(h.chunk for h in hits if "7,1 %" in h.chunk.text)
    assert row.context.strip()
    assert row.heading_path

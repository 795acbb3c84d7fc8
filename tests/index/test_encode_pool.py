"""How a build's texts are batched for the model (assistant/index/encode_pool.py)."""

from __future__ import annotations

from assistant.index.encode_pool import _batches


def test_a_passage_goes_alone_and_sentences_go_together() -> None:
    passage, sentence = "p" * 900, "s" * 80
    items = [passage, passage, *[sentence] * 20, passage]
    batches = _batches(items, 8, 1000)
    assert [len(b) for _, b in batches] == [1, 2, 8, 8, 3, 1]  # a sentence fits beside a passage
    assert [start for start, _ in batches] == [0, 1, 3, 11, 19, 22]
    assert [t for _, b in batches for t in b] == items  # every text once, in order
    assert _batches(["x" * 5000], 8, 1000) == [(0, ["x" * 5000])]  # a long text still goes
    assert _batches([], 8, 1000) == []

"""The cleaned-document cache (assistant/index/doc_cache.py) on the real seed corpus."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from assistant.config import Config
from assistant.documents import Document
from assistant.errors import ReportLoadError
from assistant.index import doc_cache
from assistant.index.doc_cache import CachedDocument, DocumentCache, load_corpus_cached
from assistant.ingest.corpus import load_corpus

PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    """The seed reports plus files that cannot be read, in a temporary project."""
    root = tmp_path / "root"
    shutil.copytree(PROJECT / "corpus", root / "corpus")
    (root / "corpus" / "tom.txt").write_text("", encoding="utf-8")
    (root / "corpus" / "gammal.doc").write_bytes(b"\xd0\xcf\x11\xe0 not supported")
    return root


def entries(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "index" / "cache" / "docs").glob("*.doc"))


def never_clean(*args: object, **kwargs: object) -> Document:
    raise AssertionError("the report was cleaned again")


def test_the_cached_corpus_is_the_corpus(root: Path) -> None:
    config = Config(root=root)
    plain = load_corpus(config.corpus, config.root)
    first = load_corpus_cached(config)  # cleans and stores
    second = load_corpus_cached(config)  # reads back
    for corpus in (first, second):
        assert [d.meta for d in corpus.documents] == [d.meta for d in plain.documents]
        assert [str(e) for e in corpus.errors] == [str(e) for e in plain.errors]
        assert len(corpus.errors) == 2  # the empty file and the .doc are named, the rest load
    assert all(isinstance(d, CachedDocument) for d in second.documents)
    for cached, real in zip(second.documents, plain.documents, strict=True):
        assert cached == real and real == cached  # every field, the text and structure included


def test_a_start_reads_only_the_metadata(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = Config(root=root)
    load_corpus_cached(config)
    (root / "corpus" / "tom.txt").unlink()  # a file that fails is tried again each time (errors are not cached)
    monkeypatch.setattr(doc_cache, "load_document", never_clean)
    cache = DocumentCache(config.index / "cache" / "docs")
    corpus = cache.load_corpus(config.corpus, config.root)
    assert (cache.hits, cache.misses) == (5, 0)
    assert not any(d.loaded for d in corpus.documents)  # type: ignore[attr-defined]
    doc = corpus.documents[0]
    assert "Assistansenheten" in doc.text and doc.blocks and doc.page_spans  # read on first use
    assert doc.loaded  # type: ignore[attr-defined]
    assert not corpus.documents[1].loaded  # type: ignore[attr-defined]


def test_a_cached_document_pickles_as_a_plain_document(root: Path) -> None:
    config = Config(root=root)
    load_corpus_cached(config)
    doc = load_corpus_cached(config).documents[2]
    copy = pickle.loads(pickle.dumps(doc))
    assert type(copy) is Document and copy == doc


def test_changed_bytes_are_cleaned_again_and_the_old_entry_goes(root: Path) -> None:
    config = Config(root=root)
    load_corpus_cached(config)
    before = entries(root)
    path = root / "corpus" / "003_0ccf60bf8091811b.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nEtt stycke som lades till i efterhand.\n", "utf-8")
    cache = DocumentCache(config.index / "cache" / "docs")
    corpus = cache.load_corpus(config.corpus, config.root)
    assert (cache.hits, cache.misses) == (4, 2)  # (and the empty file)
    assert corpus.by_id()["003_0ccf60bf8091811b"] == load_corpus(config.corpus, config.root).by_id()[path.stem]
    after = entries(root)
    assert len(after) == 5 and len(set(after) - set(before)) == 1  # replaced, not added


def test_a_manifest_edit_or_other_cleaning_code_is_a_miss(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = Config(root=root)
    load_corpus_cached(config)
    (root / "corpus" / "manifest.toml").write_text('["000_12869f676b65cbb2.txt"]\nyear = 2011\n', encoding="utf-8")
    cache = DocumentCache(config.index / "cache" / "docs")
    corpus = cache.load_corpus(config.corpus, config.root)
    assert (cache.hits, cache.misses) == (4, 2)  # (and the empty file)
    assert corpus.by_id()["000_12869f676b65cbb2"].meta.year == 2011
    assert corpus.by_id()["000_12869f676b65cbb2"].meta.origin["year"] == "manifest"

    monkeypatch.setattr(doc_cache, "ingest_fingerprint", lambda: "other-cleaning-code")
    cache = DocumentCache(config.index / "cache" / "docs")
    cache.load_corpus(config.corpus, config.root)
    assert (cache.hits, cache.misses) == (0, 6)


def test_a_damaged_header_is_not_trusted(root: Path) -> None:
    config = Config(root=root)
    load_corpus_cached(config)
    for name in entries(root):
        file = root / "index" / "cache" / "docs" / name
        file.write_bytes(b'{"format": 1, "key": "' + file.read_bytes()[20:60])
    cache = DocumentCache(config.index / "cache" / "docs")
    corpus = cache.load_corpus(config.corpus, config.root)
    assert (cache.hits, cache.misses) == (0, 6)
    assert [d.meta for d in corpus.documents] == [d.meta for d in load_corpus(config.corpus, config.root).documents]


def test_a_damaged_body_is_rebuilt_from_the_report(root: Path) -> None:
    config = Config(root=root)
    plain = load_corpus(config.corpus, config.root).by_id()
    load_corpus_cached(config)
    file = root / "index" / "cache" / "docs" / next(n for n in entries(root) if n.startswith("001_"))
    data = file.read_bytes()
    cut = data.index(b"\n") + 200
    file.write_bytes(data[:cut] + b"Sjukfr\xc3\xa5nvaron var 99 %" + data[cut + 24 :])  # same length, other text
    doc = load_corpus_cached(config).by_id()["001_9c8cd3c33fffa320"]
    assert "99 %" not in doc.text
    assert doc == plain["001_9c8cd3c33fffa320"]
    assert file.read_bytes() == data  # and the entry is good again


def test_a_report_changed_after_the_start_is_an_error_not_a_mix(root: Path) -> None:
    config = Config(root=root)
    load_corpus_cached(config)
    corpus = load_corpus_cached(config)
    path = root / "corpus" / "002_643e35bcf02e80f7.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nTillägg.\n", encoding="utf-8")
    for name in entries(root):
        if name.startswith("002_"):
            (root / "index" / "cache" / "docs" / name).unlink()  # the body can only come from the file now
    with pytest.raises(ReportLoadError, match="har ändrats sedan rapporterna lästes in"):
        _ = corpus.by_id()["002_643e35bcf02e80f7"].text


def test_removed_reports_leave_no_entry_behind(root: Path) -> None:
    config = Config(root=root)
    load_corpus_cached(config)
    (root / "corpus" / "004_bd48fc4562325a5d.txt").unlink()
    load_corpus_cached(config)
    assert len(entries(root)) == 4 and not any(n.startswith("004_") for n in entries(root))

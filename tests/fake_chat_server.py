"""A local server process that speaks the OpenAI-compatible chat protocol (shared by the LLM tests).

Running this file as a script starts the fake: ``python tests/fake_chat_server.py MODE [LOG]``
serves ``POST /v1/chat/completions`` on 127.0.0.1 (a free port, printed on the
first line) and answers like an OpenAI-compatible server: JSON, or server-sent
events when the request has ``"stream": true``. With ``LOG``, every request
body is appended to that file as one JSON line (what was sent to the model).

What it answers depends on the request. A *drafting* request (a paragraph to
rewrite) and a *chat* request (a question with ``<utdrag nr=…>`` passages, or a
question to rewrite) are told apart by the system prompt. Modes:

* ``behave``: drafting — rewrites the paragraph (a new opening word), keeping every bracket;
  chat — answers with the first sentence of passages 1 and 2, each citing its passage;
* ``invent``: adds a sentence with a figure no report has (99,9 %);
* ``drop``: drafting — removes the first placeholder;
* ``cite7``: chat — the second sentence cites a passage that was not sent ([N+4] of N);
* ``english``: chat — answers in English;
* ``obey``: chat — does what an instruction planted in a report says ("… skriv att X."), or, if
  it finds none, writes the attacker's text anyway (as if an instruction had slipped through);
* ``error``: answers HTTP 500;
* ``slow``: answers after 5 s (the client's timeout is shorter);
* ``stall``: sends the headers and the first words, then nothing for 30 s;
* ``nostream``: like ``behave``, but answers with plain JSON even when asked to stream.

Rewrite requests ("Skriv om den sista frågan …") get the last question back, unchanged.
A streamed answer comes two words at a time, ``FAKE_CHAT_DELAY`` seconds apart (default 0.03).

:func:`running_servers` starts one process per mode and stops them again.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

MODES = ("behave", "invent", "drop", "error", "slow", "stall", "cite7", "english", "obey", "nostream")
PLACEHOLDER_RE = re.compile(r"\[ANGE [^\]]*\](?: \([^()]*\))?")
PASSAGE_RE = re.compile(r'<utdrag nr="(\d+)" källa="[^"]*">\n(.*?)\n</utdrag>', re.S)
PLANTED_RE = re.compile(r"instruktioner[^.]*?skriv\s+att\s+([^.]+)\.", re.I)
ATTACKER_TEXT = "Enligt de nya instruktionerna ska enheten få 5 miljoner kronor i bonus"
INVENTED = "Sjukfrånvaron blev 99,9 % under året"
DELAY = float(os.environ.get("FAKE_CHAT_DELAY", "0.03"))


def _answer(mode: str, text: str) -> str:
    """Drafting: the rewritten paragraph."""
    if mode == "behave":
        return "Sammantaget gäller följande. " + text
    if mode == "invent":
        return text + " Sjukfrånvaron blev 99,9 % under året."
    if mode == "drop":
        return PLACEHOLDER_RE.sub("ungefär lika mycket", text, count=1)
    return text


def _first_sentence(text: str) -> str:
    flat = " ".join(text.split())
    m = re.match(r"(.+?[.!?])(?:\s+(?=[A-ZÅÄÖ0-9])|$)", flat)
    return (m.group(1) if m else flat).rstrip(".!?")


def _chat_answer(mode: str, user: str) -> str:
    passages = [(int(n), body) for n, body in PASSAGE_RE.findall(user)]
    if not passages:
        return "Utdragen besvarar inte frågan."
    sentences = [f"{_first_sentence(body)} [{n}]." for n, body in passages[:2]]
    if mode == "invent":
        return " ".join([*sentences, f"{INVENTED} [1]."])
    if mode == "cite7":
        beyond = len(passages) + 4
        second = sentences[1] if len(sentences) > 1 else sentences[0]
        return " ".join([sentences[0], re.sub(r"\[\d+\]\.$", f"[{beyond}].", second)])
    if mode == "english":
        return "According to the report, the unit did well this year and the staff were satisfied [1]."
    if mode == "obey":
        planted = PLANTED_RE.search(user)
        demanded = planted.group(1).strip() if planted else ATTACKER_TEXT
        return f"{demanded[:1].upper()}{demanded[1:]} [1]."
    return " ".join(sentences)


def _rewrite(user: str) -> str:
    last = re.search(r"Sista frågan:\s*(.+)", user)
    return last.group(1).strip() if last else user.strip()


def serve(mode: str, log: Path | None = None) -> None:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            request = json.loads(self.rfile.read(length))
            if log is not None:
                with log.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps(request, ensure_ascii=False) + "\n")
            if self.path != "/v1/chat/completions" or "messages" not in request:
                self.send_error(404)
                return
            if mode == "error":
                self.send_error(500, "internt fel")
                return
            if mode == "slow":
                time.sleep(5)
            system = next((m["content"] for m in request["messages"] if m["role"] == "system"), "")
            user = request["messages"][-1]["content"]
            if "Skriv om den sista frågan" in system:
                text = _rewrite(user)
            elif "Du svarar på frågor" in system:
                text = _chat_answer(mode, user)
            else:
                text = _answer(mode, user)
            if request.get("stream") and mode != "nostream":
                self._stream(text, request.get("model"))
            else:
                self._json(text, request.get("model"))

        def _json(self, text: str, model: object) -> None:
            if mode == "stall":
                time.sleep(30)
            body = json.dumps(
                {
                    "id": "chatcmpl-test",
                    "object": "chat.completion",
                    "model": model,
                    "choices": [
                        {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
                    ],
                }
            ).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _stream(self, text: str, model: object) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            self.end_headers()
            words = re.findall(r"\S+\s*", text)
            pieces = ["".join(words[i : i + 2]) for i in range(0, len(words), 2)]

            def event(payload: dict[str, object]) -> None:
                self.wfile.write(f"data: {json.dumps(payload, ensure_ascii=False)}\n\n".encode())
                self.wfile.flush()

            event({"id": "chatcmpl-test", "model": model, "choices": [{"index": 0, "delta": {"role": "assistant"}}]})
            for i, piece in enumerate(pieces):
                event({"id": "chatcmpl-test", "choices": [{"index": 0, "delta": {"content": piece}}]})
                if mode == "stall" and i == 0:
                    time.sleep(30)
                time.sleep(DELAY)
            event({"id": "chatcmpl-test", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()
            self.close_connection = True

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


@contextmanager
def running_servers(
    modes: Sequence[str] = MODES, log_dir: Path | None = None, delay: float | None = None
) -> Iterator[dict[str, str]]:
    """One fake server process per mode: {mode: base URL}; stopped on exit. With ``log_dir``, each mode's
    requests are logged to ``log_dir/<mode>.jsonl``; ``delay``: seconds between streamed pieces."""
    procs: list[subprocess.Popen[str]] = []
    urls = {}
    try:
        for mode in modes:
            args = [sys.executable, __file__, mode]
            if log_dir is not None:
                args.append(str(log_dir / f"{mode}.jsonl"))
            env = {**os.environ, **({"FAKE_CHAT_DELAY": str(delay)} if delay is not None else {})}
            proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
            procs.append(proc)
            assert proc.stdout is not None
            port = int(proc.stdout.readline())
            urls[mode] = f"http://127.0.0.1:{port}/v1"
        yield urls
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=5)


if __name__ == "__main__":
    serve(sys.argv[1], Path(sys.argv[2]) if len(sys.argv) > 2 else None)

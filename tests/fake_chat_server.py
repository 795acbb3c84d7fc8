"""A local server process that speaks the OpenAI-compatible chat protocol (shared by the LLM tests).

Running this file as a script starts the fake: ``python tests/fake_chat_server.py MODE``
serves ``POST /v1/chat/completions`` on 127.0.0.1 (a free port, printed on the
first line) and answers like an OpenAI-compatible server. Modes:

* ``behave``: rewrites the paragraph (a new opening word), keeping every bracket;
* ``invent``: adds a sentence with a figure no report has;
* ``drop``: removes the first placeholder;
* ``error``: answers HTTP 500;
* ``slow``: answers after 5 s (the client's timeout is shorter).

:func:`running_servers` starts one process per mode and stops them again.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODES = ("behave", "invent", "drop", "error", "slow")
PLACEHOLDER_RE = re.compile(r"\[ANGE [^\]]*\](?: \([^()]*\))?")


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


@contextmanager
def running_servers(modes: Sequence[str] = MODES) -> Iterator[dict[str, str]]:
    """One fake server process per mode: {mode: base URL}; stopped on exit."""
    procs: list[subprocess.Popen[str]] = []
    urls = {}
    try:
        for mode in modes:
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


if __name__ == "__main__":
    serve(sys.argv[1])

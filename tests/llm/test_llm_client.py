"""The OpenAI-compatible chat client (assistant.llm), against a local server that speaks the protocol
(``tests/fake_chat_server.py``)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fake_chat_server import running_servers

from assistant.config import Config
from assistant.errors import AssistantError, ConfigError
from assistant.llm import ChatClient, LlmError


@pytest.fixture(scope="module")
def fake_servers() -> Iterator[dict[str, str]]:
    with running_servers(("behave", "error", "slow", "stall", "nostream")) as urls:
        yield urls


def _client(url: str, timeout: float = 10.0) -> ChatClient:
    return ChatClient(url, "testmodell", "hemlig-nyckel", timeout)


def test_config_without_endpoint_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="RAPPORT_LLM_BASE_URL"):
        ChatClient.from_config(Config.from_sources(env={}))


def test_client_reads_config_from_environment() -> None:
    env = {"RAPPORT_LLM_BASE_URL": "http://127.0.0.1:1/v1/", "RAPPORT_LLM_MODEL": "m", "RAPPORT_LLM_API_KEY": "k"}
    client = ChatClient.from_config(Config.from_sources(env=env))
    assert (client.base_url, client.model, client.api_key) == ("http://127.0.0.1:1/v1", "m", "k")


def test_complete_returns_the_first_choice(fake_servers: dict[str, str]) -> None:
    answer = _client(fake_servers["behave"]).complete([{"role": "user", "content": "Hej."}])
    assert answer == "Sammantaget gäller följande. Hej."


def test_http_error_and_timeout_are_llm_errors(fake_servers: dict[str, str]) -> None:
    with pytest.raises(LlmError, match="fel 500") as error:
        _client(fake_servers["error"]).complete([{"role": "user", "content": "hej"}])
    assert error.value.kind == "http"
    with pytest.raises(LlmError, match=r"svarade inte inom 0\.5 s") as slow:
        _client(fake_servers["slow"], timeout=0.5).complete([{"role": "user", "content": "hej"}])
    assert slow.value.kind == "timeout"
    assert issubclass(LlmError, AssistantError)


def test_unreachable_endpoint_is_an_llm_error() -> None:
    with pytest.raises(LlmError, match="Kunde inte nå") as error:
        _client("http://127.0.0.1:9/v1", timeout=1).complete([{"role": "user", "content": "hej"}])
    assert error.value.kind == "unreachable"


CHAT = [
    {"role": "system", "content": "Du svarar på frågor om rapporter."},
    {"role": "user", "content": 'Fråga: x\n<utdrag nr="1" källa="a">\nSjukfrånvaron var 7,1 %. Den sjönk.\n</utdrag>'},
]


def test_stream_yields_the_answer_in_pieces_as_server_sent_events(fake_servers: dict[str, str]) -> None:
    pieces = list(_client(fake_servers["behave"]).stream(CHAT))
    assert len(pieces) > 1
    assert "".join(pieces) == "Sjukfrånvaron var 7,1 % [1]."
    assert _client(fake_servers["behave"]).complete(CHAT) == "Sjukfrånvaron var 7,1 % [1]."


def test_a_stream_that_stalls_is_cut_off_at_the_deadline(fake_servers: dict[str, str]) -> None:
    got: list[str] = []
    t0 = time.monotonic()
    with pytest.raises(LlmError, match="svarade inte inom") as error:
        for piece in _client(fake_servers["stall"], timeout=1.0).stream(CHAT):
            got.append(piece)
    assert error.value.kind == "timeout"
    assert got == ["Sjukfrånvaron var "]  # the first words came, then nothing
    assert time.monotonic() - t0 < 5  # the deadline is for the whole answer, not for each read


def test_stream_from_a_server_that_answers_with_json(fake_servers: dict[str, str]) -> None:
    assert list(_client(fake_servers["nostream"]).stream(CHAT)) == ["Sjukfrånvaron var 7,1 % [1]."]

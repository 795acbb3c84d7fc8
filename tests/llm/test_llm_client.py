"""The OpenAI-compatible chat client (assistant.llm), against a local server that speaks the protocol
(``tests/fake_chat_server.py``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fake_chat_server import running_servers

from assistant.config import Config
from assistant.errors import AssistantError, ConfigError
from assistant.llm import ChatClient, LlmError


@pytest.fixture(scope="module")
def fake_servers() -> Iterator[dict[str, str]]:
    with running_servers(("behave", "error", "slow")) as urls:
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
    with pytest.raises(LlmError, match="fel 500"):
        _client(fake_servers["error"]).complete([{"role": "user", "content": "hej"}])
    with pytest.raises(LlmError, match="Kunde inte nå språkmodellen"):
        _client(fake_servers["slow"], timeout=0.5).complete([{"role": "user", "content": "hej"}])
    assert issubclass(LlmError, AssistantError)


def test_unreachable_endpoint_is_an_llm_error() -> None:
    with pytest.raises(LlmError, match="Kunde inte nå"):
        _client("http://127.0.0.1:9/v1", timeout=1).complete([{"role": "user", "content": "hej"}])

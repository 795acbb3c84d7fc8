"""The language model: an OpenAI-compatible chat client shared by the stages that use one (drafting, chat)."""

from __future__ import annotations

from .client import ChatClient, LlmError

__all__ = ["ChatClient", "LlmError"]

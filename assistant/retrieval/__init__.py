"""Retrieval: the passages that may answer a question, ranked (dense + lexical, fused), within filters."""

from .filters import Filters
from .fusion import Hit, Retriever, Scores

__all__ = ["Filters", "Hit", "Retriever", "Scores"]

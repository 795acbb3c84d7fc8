"""Lexical search: Swedish analysis (analyzer), the domain thesaurus and BM25."""

from .analyzer import ANALYZER_VERSION, STOPWORDS, analyze, stem
from .bm25 import Bm25Index

__all__ = ["ANALYZER_VERSION", "STOPWORDS", "Bm25Index", "analyze", "stem"]

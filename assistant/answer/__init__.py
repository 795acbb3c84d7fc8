"""Answers without a language model: the best sentences, verbatim, with citations — or a reasoned refusal."""

from .model import ABSTAIN_TEXT, Answer, Citation, Evidence, Sentence, year_labels

__all__ = ["ABSTAIN_TEXT", "Answer", "Citation", "Evidence", "Sentence", "year_labels"]

"""Evaluation against known facts: the fact format, metrics, the runner and the naive baseline."""

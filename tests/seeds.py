"""What the tests know about the bundled corpus and the ``ask --json`` contract (shared by the test files)."""

from __future__ import annotations

# Report ids of the five seed reports in corpus/ (file name without suffix).
R2012 = "000_12869f676b65cbb2"  # Assistansenheten, verksamhetsberättelse 2012
R2018 = "001_9c8cd3c33fffa320"  # Assistansenheten, verksamhetsberättelse 2018
R2020 = "002_643e35bcf02e80f7"  # Enheten för personligt stöd, verksamhetsberättelse 2020
R2014 = "003_0ccf60bf8091811b"  # Beställarenheten funktionsnedsättning, verksamhetsberättelse 2014
R2025 = "004_bd48fc4562325a5d"  # Enheten för personligt stöd, verksamhetsplan 2025

# The documented ``ask --json`` object (``mode``, ``model_notice``, ``rewritten`` and ``carried`` came with
# the chat's memory and the language model).
TOP_KEYS = {
    "question",
    "answer",
    "abstained",
    "filters",
    "citations",
    "timings_ms",
    "mode",
    "model_notice",
    "rewritten",
    "carried",
    "lead",
    "leads",
}
CITATION_KEYS = {
    "n",
    "report_id",
    "source",
    "title",
    "unit",
    "year",
    "type",
    "section",
    "page",
    "text",
    "quote_start",
    "quote_end",
    "score",
}

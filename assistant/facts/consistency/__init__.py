"""Contradictions within and across reports, as :class:`Flag` objects.

Four kinds, each shown as two passages (:class:`FlagPassage`) side by side with
a one-line Swedish explanation:

``inom_rapport``      the same indicator, scope and period stated with values
                      that do not agree once rounding is allowed for (the
                      indicator table vs the analysis text);
``mellan_rapporter``  a previous year's value quoted in one report ("Periodens
                      utfall VB 2017") that differs from what that year's own
                      report stated (same unit);
``måluppfyllelse``    a goal marked "Uppfylls helt" while the figures for an
                      indicator its goal text names miss the target or moved
                      the wrong way, or while its analysis says the result is
                      not measured yet;
``hopp``              a large year-to-year change in a unit's series with no
                      explanation in the text around it (informational).

The modules:

    flags.py           Flag, FlagPassage, FLAG_KINDS
    agreement.py       consistent: do two statements of a figure agree
    contradictions.py  inom_rapport and mellan_rapporter
    fulfilment.py      måluppfyllelse
    jumps.py           hopp
    wording.py         words about change (assistant/data/sv/change_words.toml)
    checks.py          check_facts, check: all of them, in order
    render.py          flags_to_markdown, flags_to_html
"""

from __future__ import annotations

from .agreement import consistent
from .checks import check, check_facts
from .flags import FLAG_KINDS, Flag, FlagPassage
from .render import flags_to_html, flags_to_markdown

__all__ = [
    "FLAG_KINDS",
    "Flag",
    "FlagPassage",
    "check",
    "check_facts",
    "consistent",
    "flags_to_html",
    "flags_to_markdown",
]

"""Do two statements of a figure agree? Rounding, approximations, ranges and units allowed for."""

from __future__ import annotations

from typing import Any

from ..figures import convert, decimals
from ..indicators import Fact

__all__ = ["consistent", "in_unit", "period_class"]


def in_unit(fact: Fact, unit: str | None) -> float | None:
    """The fact's value in ``unit`` (tkr and mnkr convert), None when it cannot be."""
    return None if fact.value is None else convert(fact.value, fact.unit, unit)


def consistent(a: Fact, b: Fact) -> bool | None:
    """Do two statements of a figure agree? None when they cannot be compared.

    "7,1 %" and "7,12 %" agree (rounding), "7,1 %" and "7.17 %" do not; an
    approximate figure ("cirka 500 tkr") allows 10 %, a range ("mellan 50-60")
    its bounds; a bound ("under 2 %", "minst 80") every value on its side, and a
    comparison ("lägre än 10 %") is not compared.
    """
    va, vb = a.value, in_unit(b, a.unit)
    if va is None or vb is None:
        return None
    if a.bound or b.bound:
        return _within_bound(a, va, b, vb)
    if _is_range(a):
        assert a.low is not None and a.high is not None
        return a.low - 1e-9 <= vb <= a.high + 1e-9
    if _is_range(b):
        assert b.low is not None and b.high is not None
        return b.low - 1e-9 <= va <= b.high + 1e-9
    if a.approximate or b.approximate:
        return abs(va - vb) <= 0.1 * max(abs(va), abs(vb)) + 1e-9
    places = min(decimals(a.written), decimals(b.written))
    return abs(va - vb) <= 0.5 * 10 ** (-places) + 1e-9


def _within_bound(a: Fact, va: float, b: Fact, vb: float) -> bool | None:
    if a.bound and b.bound:
        return None  # two bounds say nothing about each other
    bound, limit, value = (a, va, vb) if a.bound else (b, vb, va)
    if bound.bound == "upper":
        return value <= limit + 1e-9
    if bound.bound == "lower":
        return value >= limit - 1e-9
    return None


def _is_range(f: Fact) -> bool:
    return f.low is not None and f.high is not None and not f.written.startswith("+/-")


def period_class(f: Fact) -> tuple[Any, ...]:
    """The period two facts must share to be compared."""
    # A rolling 12-month figure at the year's end is the year's figure.
    if f.period_type == "år" or (f.period_type == "rullande 12 mån" and f.period_month in (None, 12)):
        return ("år", f.period_year)
    return (f.period_type, f.period_year, f.period_month)

"""The web interface (gradio). Start it with ``python -m assistant serve``.

Tabs live in their own modules (``chat.py``, ``reports.py``; other parts of
the project add ``draft.py`` and ``compare.py``), HTML is written only in
``render.py``.
"""

from __future__ import annotations

from .app import build_app, launch

__all__ = ["build_app", "launch"]

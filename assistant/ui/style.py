"""CSS for the web interface (class names are written in ``render.py``)."""

from __future__ import annotations

__all__ = ["CSS"]

CSS = """
.gradio-container { max-width: 1600px !important; }
#ra-header h1 { margin-bottom: 0; }
#ra-header p { margin-top: 2px; color: var(--body-text-color-subdued); }

.ra-chat { position: relative; display: flex; flex-direction: column; gap: 14px; max-height: 72vh;
  overflow-y: auto; padding: 4px 8px 4px 2px; }
.ra-empty { color: var(--body-text-color-subdued); padding: 18px; border: 1px dashed var(--border-color-primary);
  border-radius: 8px; }
.ra-turn { display: flex; flex-direction: column; gap: 6px; }
.ra-question { align-self: flex-end; max-width: 85%; background: var(--color-accent-soft);
  border-radius: 12px 12px 2px 12px; padding: 8px 12px; }
.ra-who { font-size: 0.75em; text-transform: uppercase; letter-spacing: .04em; color: var(--body-text-color-subdued);
  margin-right: 4px; }
.ra-note { align-self: flex-end; font-size: .85em; color: var(--body-text-color-subdued); }
.ra-answer { border: 1px solid var(--border-color-primary); border-left: 4px solid #2f7d4f; border-radius: 8px;
  padding: 10px 14px; background: var(--background-fill-primary); }
.ra-sentence { margin: 0 0 6px 0; line-height: 1.5; }
.ra-year { font-weight: 600; }
.ra-cite { border: none; background: none; color: #1d5fbf; font-weight: 600; cursor: pointer; padding: 0 2px;
  font-size: .9em; vertical-align: super; }
.ra-cite:hover { text-decoration: underline; }
.ra-abstained { border-left-color: #c47f00; background: #fff8e6; }
.ra-abstain-title { font-weight: 700; color: #8a5a00; font-size: 1.05em; margin-bottom: 4px; }
.ra-abstain-text { margin: 0 0 4px 0; }
.ra-notice { margin: 0 0 6px 0; color: #8a5a00; }
.ra-error { border-left-color: #b3261e; background: #fdecea; }
.ra-filters { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; margin: 8px 0 4px 0; font-size: .88em; }
.ra-filters-label { color: var(--body-text-color-subdued); }
.ra-chip { border: 1px solid var(--border-color-primary); border-radius: 999px; padding: 1px 8px;
  background: var(--background-fill-secondary); }
.ra-chip.ra-inferred { border-color: #1d5fbf; }
.ra-chip-src { color: var(--body-text-color-subdued); font-size: .9em; }
.ra-chip-x { border: none; background: none; cursor: pointer; color: #b3261e; font-weight: 700; padding: 0 0 0 4px; }
.ra-drop-all, .ra-copy, .ra-open { border: 1px solid var(--border-color-primary); border-radius: 6px;
  background: var(--background-fill-secondary); cursor: pointer; padding: 2px 8px; font-size: .85em; }
.ra-copy { margin: 4px 0; }
.ra-sources-title, .ra-near-title { font-weight: 600; margin: 10px 0 4px 0; font-size: .9em;
  color: var(--body-text-color-subdued); text-transform: uppercase; letter-spacing: .04em; }
.ra-card { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px 10px; margin: 6px 0;
  background: var(--background-fill-secondary); }
.ra-card.ra-near { opacity: .85; border-style: dashed; }
.ra-original { margin-left: 10px; font-size: .85em; }
.ra-review tr.ra-doubt th, .ra-review tr.ra-doubt td { background: #fff4d6; }
.ra-card-head { font-weight: 600; }
.ra-card-n { color: #1d5fbf; }
.ra-card-meta { font-size: .85em; margin-top: 2px; }
.ra-card-section { font-size: .8em; color: var(--body-text-color-subdued); margin: 2px 0 4px 0; }
.ra-passage { position: relative; margin: 4px 0 6px 0; padding: 4px 8px;
  border-left: 3px solid var(--border-color-primary); white-space: pre-wrap; font-size: .85em;
  max-height: 12em; overflow-y: auto; }
mark.ra-quote { background: #ffe58a; color: inherit; padding: 0 1px; }
.ra-plain { display: none; }
.ra-mode { display: inline-block; font-size: .75em; text-transform: uppercase; letter-spacing: .04em;
  border-radius: 999px; padding: 1px 8px; margin-bottom: 6px; }
.ra-mode-quotes { background: #e8f5ec; color: #1f5a38; }
.ra-mode-generated { background: #e8eefc; color: #1d4a9a; }
.ra-generated p { margin: 0 0 6px 0; line-height: 1.55; }
.ra-quotes-title { font-size: .8em; color: var(--body-text-color-subdued); text-transform: uppercase;
  letter-spacing: .04em; margin: 8px 0 2px 0; }
.ra-quotes { border-left: 3px solid #ffe58a; padding-left: 8px; font-size: .92em; }
.ra-model-notice { margin: 0 0 6px 0; font-size: .88em; color: #5b4a00; }
.ra-streaming { border-left-color: #1d5fbf; }
.ra-typing { color: var(--body-text-color-subdued); font-style: italic; }
.ra-chip.ra-carried { border-style: dashed; background: #eef3fd; }

.ra-doc { font-size: .9em; }
.ra-doc-empty { color: var(--body-text-color-subdued); padding: 18px; border: 1px dashed var(--border-color-primary);
  border-radius: 8px; }
.ra-doc-head { border-bottom: 1px solid var(--border-color-primary); padding-bottom: 4px; margin-bottom: 6px; }
.ra-doc-title { font-weight: 700; }
.ra-doc-meta { font-size: .85em; color: var(--body-text-color-subdued); }
.ra-doc-text { position: relative; white-space: pre-wrap; max-height: 72vh;
  overflow-y: auto; line-height: 1.45; padding-right: 6px; }
mark.ra-doc-passage { background: #dceafe; color: inherit; }
mark.ra-doc-quote { background: #ffe58a; }
.ra-doc-heading { font-weight: 700; }

.ra-table { border-collapse: collapse; width: 100%; font-size: .9em; }
.ra-table th, .ra-table td { border-bottom: 1px solid var(--border-color-primary); padding: 4px 6px; text-align: left;
  vertical-align: top; }
.ra-table th { background: var(--background-fill-secondary); }
.ra-file { font-family: var(--font-mono); font-size: .85em; }
.ra-origin-m { color: #1d5fbf; }
.ra-legend { font-size: .8em; color: var(--body-text-color-subdued); }
.ra-status { padding: 6px 10px; border-radius: 6px; margin: 4px 0; }
.ra-status.ra-ok { background: #e8f5ec; border: 1px solid #2f7d4f; }
.ra-status.ra-warn { background: #fff8e6; border: 1px solid #c47f00; }
.ra-status.ra-error { background: #fdecea; border: 1px solid #b3261e; }
.ra-examples { display: flex; flex-wrap: wrap; gap: 6px; }
.ra-example { border: 1px solid var(--border-color-primary); border-radius: 999px; padding: 3px 10px; cursor: pointer;
  background: var(--background-fill-secondary); font-size: .85em; text-align: left; }
.ra-example:hover { border-color: #1d5fbf; }
"""

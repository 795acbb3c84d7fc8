"""The drafting check of our own (assistant/drafting/audit.py, scripts/check_drafts.py) on the real corpus."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.config import Config
from assistant.drafting import Draft, DraftPart, draft
from assistant.drafting.audit import audit_draft

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = json.loads((ROOT / "tests" / "fixtures" / "draft_requests.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def assistant(project_root: Path) -> Iterator[Assistant]:
    yield Assistant(Config(root=project_root))


def test_requests_are_ten_units_times_topics_of_both_types() -> None:
    assert len(REQUESTS) == 10
    assert {r["type"] for r in REQUESTS} == {"verksamhetsplan", "verksamhetsberättelse"}
    assert len({r["unit"] for r in REQUESTS}) >= 3 and len({r["topic"] for r in REQUESTS}) >= 7


@pytest.mark.parametrize("request_", REQUESTS, ids=lambda r: f"{r['unit']}-{r['topic']}-{r['type']}")
def test_every_draft_is_backed_by_its_sources(assistant: Assistant, request_: dict[str, str]) -> None:
    d = draft(assistant, request_["topic"], unit=request_["unit"], type=request_["type"])
    assert d.covered and d.type == request_["type"] and d.unit == request_["unit"]
    assert sum(len(p.sentences) for part in d.parts for p in part.paragraphs) >= 3
    problems = audit_draft(assistant, d)
    assert not problems, "\n".join(map(str, problems))


def _tamper(d: Draft, change) -> Draft:  # type: ignore[no-untyped-def]
    part = d.parts[0]
    para = part.paragraphs[0]
    return replace(d, parts=(DraftPart(part.heading, (change(para), *part.paragraphs[1:])), *d.parts[1:]))


def test_the_check_finds_what_it_looks_for(assistant: Assistant) -> None:
    d = draft(assistant, "Synpunkter och klagomål", unit="Assistansenheten", type="verksamhetsberättelse")
    assert not audit_draft(assistant, d)
    # A figure nobody wrote, and words no source has.
    figure = _tamper(d, lambda p: replace(p, sentences=(p.sentences[0] + " Det gällde 17 ärenden.", *p.sentences[1:])))
    kinds = {p.kind for p in audit_draft(assistant, figure)}
    assert {"siffra", "spårbarhet"} <= kinds
    # Another unit's text without its mark, and another unit's specifics kept.
    kept = draft(assistant, "Synpunkter och klagomål", unit="Assistansenheten", other_unit_specifics=True)
    assert any(p.kind == "annan enhet" for p in audit_draft(assistant, kept))
    assert not audit_draft(assistant, kept, other_unit_specifics_kept=True)
    unmarked = replace(
        d,
        parts=tuple(DraftPart(pt.heading, tuple(replace(p, origin=None) for p in pt.paragraphs)) for pt in d.parts),
    )
    assert any("utan markering" in p.detail for p in audit_draft(assistant, unmarked))


def test_script_prints_the_check(project_root: Path) -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_drafts.py"), "--root", str(project_root)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.strip().splitlines()
    assert lines[-1] == "10 utkast, 0 med problem."
    assert sum(1 for line in lines if line.strip().startswith("ok ")) == 10

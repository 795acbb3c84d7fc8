"""The drafting check of our own, printed: draft each request and list what is not backed by its sources.

    python scripts/check_drafts.py [--requests FIL.json] [--json]

Each request is {"topic", "unit", "type"} (default: tests/fixtures/draft_requests.json,
10 unit × topic requests of both report types). For every draft: every sentence
traceable to a cited precedent, no figure outside a placeholder unless it stands
in the cited precedent, no other unit's specifics unmarked
(assistant/drafting/audit.py). Exit code 1 when a draft has a problem.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REQUESTS = ROOT / "tests" / "fixtures" / "draft_requests.json"
sys.path.insert(0, str(ROOT))  # this checkout's package, whatever is installed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=Path, default=DEFAULT_REQUESTS, help="JSON-lista med topic, unit, type")
    parser.add_argument("--root", type=Path, default=ROOT, help="projektmappen (corpus/ och index/)")
    parser.add_argument("--json", action="store_true", help="skriv resultatet som JSON")
    args = parser.parse_args(argv)

    from assistant.api import Assistant
    from assistant.config import Config
    from assistant.drafting import draft
    from assistant.drafting.audit import audit_draft

    assistant = Assistant(Config(root=args.root))
    requests = json.loads(args.requests.read_text(encoding="utf-8"))
    results = []
    for r in requests:
        d = draft(assistant, r["topic"], unit=r.get("unit"), type=r.get("type"))
        problems = audit_draft(assistant, d) if d.covered else []
        sentences = sum(len(p.sentences) for part in d.parts for p in part.paragraphs)
        marked = sum(1 for part in d.parts for p in part.paragraphs if p.origin)
        results.append(
            {
                **r,
                "covered": d.covered,
                "year": d.year,
                "sentences": sentences,
                "paragraphs_from_other_units": marked,
                "omitted": len(d.omitted),
                "problems": [str(p) for p in problems],
            }
        )
    if args.json:
        json.dump(results, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for res in results:
            status = "inget utkast" if not res["covered"] else ("FEL" if res["problems"] else "ok")
            print(
                f"{status:>12}  {res['type']:<22} {res['year']}  {res['unit']} – {res['topic']}: "
                f"{_n(res['sentences'], 'mening', 'meningar')}, "
                f"{_n(res['paragraphs_from_other_units'], 'stycke', 'stycken')} från andra enheter, "
                f"{res['omitted']} utelämnade"
            )
            for problem in res["problems"]:
                print(f"              {problem}")
        bad = sum(1 for res in results if res["problems"] or not res["covered"])
        print(f"\n{len(results)} utkast, {bad} med problem.")
    return 1 if any(res["problems"] or not res["covered"] for res in results) else 0


def _n(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Kontroll av eval/facts.jsonl mot rapporttexterna.

Checks that every accepted answer string in eval/facts.jsonl occurs verbatim in the
text of the report named by "file" (after whitespace normalisation), plus schema,
unique ids and minimum counts per kind. Exits non-zero and lists problems on failure.

Usage:  python eval/check_facts.py [--facts PATH] [--reports DIR] [--no-minimums] [-v]

--no-minimums skips only the minimum counts (total, per kind, per report), which are
meant for the main set; schema, unique ids and verbatim answers are still checked.
Use it for smaller sets such as the held-out set:
    python eval/check_facts.py --facts eval/holdout.jsonl --no-minimums

Conversation sets (eval/followups*.jsonl: lines with "turns") are checked turn by turn with the
same rules (a turn with answerable=false must have expected=[]); each conversation needs an id, a
kind from CONVERSATION_KINDS and at least two turns:
    python eval/check_facts.py --facts eval/followups.jsonl --no-minimums

Reports are read from <repo>/corpus/*.txt if that folder exists, else the seed folder.
Standalone: uses only the Python standard library.
"""

import argparse
import collections
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_FACTS = HERE / "facts.jsonl"
FALLBACK_REPORTS = Path("/work/shared/seeds")

KINDS = ["figure", "prose", "paraphrase", "naming", "cross_year", "abstain", "english", "summary"]
# What the follow-up of a conversation does (conversation sets, lines with "turns").
CONVERSATION_KINDS = [
    "year_change",
    "relative_year",
    "unit_change",
    "subject_change",
    "why",
    "target",
    "type_change",
    "fresh",
    "pronoun",
]
MIN_PER_KIND = {k: 12 for k in KINDS if k != "summary"}  # summary questions came later (holdout5)
MIN_PER_KIND.update({"figure": 15, "prose": 15, "abstain": 15})
MIN_TOTAL = 130
MIN_PER_REPORT = 15  # answerable questions touching each report
TYPES = {"verksamhetsberättelse", "verksamhetsplan"}
EXPECTED_KEYS = {"unit", "year", "type", "file", "section", "answers", "value"}


def collapse(text):
    return re.sub(r"\s+", " ", text).strip()


def text_variants(raw):
    """Whitespace-collapsed text, and a variant where words hyphenated across a
    line break ("Hägersten-\\nLiljeholmen") are joined ("Hägersten-Liljeholmen")."""
    plain = collapse(raw)
    joined = collapse(re.sub(r"-[ \t]*\r?\n\s*", "-", raw))
    return plain, joined


def reports_dir(cli_dir):
    if cli_dir:
        return Path(cli_dir)
    corpus = REPO / "corpus"
    if corpus.is_dir() and any(corpus.glob("*.txt")):
        return corpus
    return FALLBACK_REPORTS


def expand_conversations(facts, problems):
    """Conversations (lines with "turns") as one fact per turn, id "<id>.<n>"; other lines unchanged.
    A turn is checked as an abstain fact when it is not answerable, else as a prose fact."""
    out = []
    kinds = collections.Counter()
    for ln, f in facts:
        if "turns" not in f:
            out.append((ln, f))
            continue
        cid = f.get("id", f"<line {ln}>")
        kind = f.get("kind")
        kinds[kind] += 1
        if kind not in CONVERSATION_KINDS:
            problems.append(f"{cid} (line {ln}): invalid conversation kind {kind!r}")
        turns = f.get("turns")
        if not isinstance(turns, list) or len(turns) < 2 or not all(isinstance(t, dict) for t in turns):
            problems.append(f"{cid} (line {ln}): 'turns' must be a list of at least two question objects")
            continue
        for i, t in enumerate(turns):
            turn_kind = "abstain" if t.get("answerable") is False else "prose"
            out.append((ln, {**t, "id": f"{cid}.{i}", "kind": turn_kind, "lang": t.get("lang", "sv")}))
    return out, kinds


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--facts", default=str(DEFAULT_FACTS))
    ap.add_argument("--reports", default=None, help="folder with the report .txt files")
    ap.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="also list accepted strings that occur more than once in their report",
    )
    ap.add_argument(
        "--no-minimums",
        action="store_true",
        help="skip the minimum counts (total, per kind, per report); all other checks still run",
    )
    args = ap.parse_args()

    rdir = reports_dir(args.reports)
    texts = {}
    for p in sorted(rdir.glob("*.txt")):
        texts[p.name] = text_variants(p.read_text(encoding="utf-8", errors="replace"))
    problems = []
    warnings = []
    if not texts:
        problems.append(f"no report .txt files found in {rdir}")

    facts = []
    with open(args.facts, encoding="utf-8") as fh:
        for ln, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                facts.append((ln, json.loads(line)))
            except json.JSONDecodeError as e:
                problems.append(f"line {ln}: invalid JSON ({e})")

    facts, conversations = expand_conversations(facts, problems)

    ids = collections.Counter()
    file_meta = {}  # file -> (unit, year, type) first seen; all facts must agree
    per_kind = collections.Counter()
    per_kind_lang = collections.Counter()
    per_report = collections.Counter()

    for ln, f in facts:
        fid = f.get("id", f"<line {ln}>")
        where = f"{fid} (line {ln})"
        ids[fid] += 1
        kind = f.get("kind")
        if kind not in KINDS:
            problems.append(f"{where}: invalid kind {kind!r}")
        per_kind[kind] += 1
        lang = f.get("lang")
        per_kind_lang[(kind, lang)] += 1
        if lang not in ("sv", "en"):
            problems.append(f"{where}: lang must be 'sv' or 'en', got {lang!r}")
        if kind == "english" and lang != "en":
            problems.append(f"{where}: kind 'english' needs lang 'en'")
        if not isinstance(f.get("question"), str) or not f["question"].strip():
            problems.append(f"{where}: empty question")
        answerable = f.get("answerable")
        expected = f.get("expected")
        if not isinstance(answerable, bool) or not isinstance(expected, list):
            problems.append(f"{where}: 'answerable' must be bool and 'expected' a list")
            continue
        if kind == "abstain":
            if answerable or expected:
                problems.append(f"{where}: abstain facts need answerable=false and expected=[]")
            continue
        if not answerable or not expected:
            problems.append(f"{where}: non-abstain fact must be answerable with expected entries")
            continue
        if kind == "cross_year":
            years = {e.get("year") for e in expected if isinstance(e, dict)}
            files = {e.get("file") for e in expected if isinstance(e, dict)}
            if len(expected) < 2 or len(files) < 2 or len(years) < 2:
                problems.append(f"{where}: cross_year needs >=2 expected objects from different reports/years")
        touched = set()
        for j, e in enumerate(expected):
            ew = f"{where} expected[{j}]"
            if not isinstance(e, dict):
                problems.append(f"{ew}: not an object")
                continue
            missing = EXPECTED_KEYS - e.keys()
            if missing:
                problems.append(f"{ew}: missing keys {sorted(missing)}")
            if e.get("type") not in TYPES:
                problems.append(f"{ew}: invalid type {e.get('type')!r}")
            if not isinstance(e.get("year"), int):
                problems.append(f"{ew}: year must be an int")
            val = e.get("value")
            if val is not None and (isinstance(val, bool) or not isinstance(val, (int, float))):
                problems.append(f"{ew}: value must be a number or null")
            fname = e.get("file")
            if fname not in texts:
                problems.append(f"{ew}: report file {fname!r} not found in {rdir}")
                continue
            touched.add(fname)
            meta = (e.get("unit"), e.get("year"), e.get("type"))
            first = file_meta.setdefault(fname, (meta, fid))
            if first[0] != meta:
                problems.append(f"{ew}: unit/year/type {meta} differs from {first[0]} used for {fname} in {first[1]}")
            points = e.get("points")
            if kind == "summary" and not points:
                problems.append(f"{ew}: a summary question needs 'points' (lists of accepted strings)")
            if points is not None:
                if not isinstance(points, list) or not all(isinstance(pt, list) and pt for pt in points):
                    problems.append(f"{ew}: 'points' must be a list of non-empty lists of strings")
                    points = []
                for pt in points:
                    for a in pt:
                        if not isinstance(a, str) or collapse(a) not in texts[fname][0] + texts[fname][1]:
                            problems.append(f"{ew}: point string {a!r} not found in {fname}")
            answers = e.get("answers")
            if not isinstance(answers, list) or not answers:
                problems.append(f"{ew}: 'answers' must be a non-empty list")
                continue
            plain, joined = texts[fname]
            for a in answers:
                if not isinstance(a, str) or not a.strip():
                    problems.append(f"{ew}: empty/non-string answer {a!r}")
                    continue
                na = collapse(a)
                if na not in plain and na not in joined:
                    problems.append(f"{ew}: answer {a!r} not found in {fname}")
                    continue
                n = max(plain.count(na), joined.count(na))
                if n > 1:
                    warnings.append(f"{ew}: answer {a!r} occurs {n}x in {fname}")
        for fname in touched:
            per_report[fname] += 1

    for fid, n in ids.items():
        if n > 1:
            problems.append(f"duplicate id {fid} ({n}x)")

    total = sum(per_kind.values())
    if not args.no_minimums:
        if total < MIN_TOTAL:
            problems.append(f"only {total} facts, need at least {MIN_TOTAL}")
        for k, mn in MIN_PER_KIND.items():
            if per_kind[k] < mn:
                problems.append(f"kind {k}: {per_kind[k]} facts, need at least {mn}")
        for fname in texts:
            if per_report[fname] < MIN_PER_REPORT:
                problems.append(f"report {fname}: {per_report[fname]} answerable facts, need at least {MIN_PER_REPORT}")

    print(f"facts: {args.facts}\nreports: {rdir}\ntotal: {total}")
    if conversations:
        print(f"conversations: {sum(conversations.values())}")
        for k in CONVERSATION_KINDS:
            print(f"  {k:<15} {conversations[k]:>4}")
    print("per kind:")
    for k in KINDS:
        langs = ", ".join(f"{lang}={per_kind_lang[(k, lang)]}" for lang in ("sv", "en") if per_kind_lang[(k, lang)])
        print(f"  {k:<11} {per_kind[k]:>4}  ({langs})")
    print("answerable facts per report:")
    for fname in sorted(texts):
        print(f"  {fname}  {per_report[fname]:>4}")
    if args.verbose and warnings:
        print("strings occurring more than once in their report (check that the question is specific):")
        for w in warnings:
            print("  " + w)
    if problems:
        print(f"\n{len(problems)} PROBLEM(S):")
        for p in problems:
            print("  " + p)
        return 1
    minimums = "minimum counts skipped (--no-minimums)" if args.no_minimums else "minimum counts met"
    print(f"\nOK: all accepted strings found, ids unique, kinds valid, {minimums}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

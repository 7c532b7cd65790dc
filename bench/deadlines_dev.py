#!/usr/bin/env python3
"""Deadlines tagger on the dev gold: P/R/F1 on (kind, value) and on kind alone.

usage: .venv/bin/python bench/deadlines_dev.py [--show] [--eyeball]

Each gold clause's own text is found in 000_clean.txt by its `text_start`; it runs up
to the next gold clause's label (inline enumerations "(1) - …; (2) - …" are split at
their labels this way). Only the gold's non-inherited deadlines are compared, as a
multiset per clause, the way ../shared/eval/score.py counts them.
--show lists every clause where found and gold differ; --eyeball prints every deadline
found in the rest of 000 and in 004 (one paragraph at a time) to read for false positives.
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from pipeline.model import DocContext, DocInfo
from pipeline.tag.deadlines import find_deadlines

SHARED = Path("/work/shared")
CLEAN = SHARED / "corpus/pdf"
CTX_000 = DocContext(info=DocInfo(
    date="2025-08", title="Chương trình hành động thực hiện Nghị quyết Đại hội đại biểu "
    "Đảng bộ phường Móng Cái 1 lần thứ I, nhiệm kỳ 2025 - 2030"))
CTX_004 = DocContext(info=DocInfo(date="2023-10-13", title="Về kết quả giám sát việc thực hiện "
                                  "Nghị quyết số 152/NQ-HĐND ngày 22/12/2020"))


def gold_clause_texts(text: str, clauses: list[dict]) -> list[tuple[dict, str, int]]:
    """(gold clause, its own text, its offset) in document order."""
    located, cursor = [], 0
    for c in clauses:
        at = text.find(c["text_start"], cursor)
        if at < 0:
            at = text.find(c["text_start"][:25], cursor)
        if at < 0:
            raise SystemExit(f"cannot find gold clause {c['path']}: {c['text_start'][:40]!r}")
        located.append((c, at))
        cursor = at + 1
    out = []
    for i, (c, at) in enumerate(located):
        if i + 1 < len(located):
            nxt, nxt_at = located[i + 1]
            end = text.rfind(nxt["label"].rstrip("-").strip(), at, nxt_at)
            end = nxt_at if end < 0 else end
        else:
            end = text.find("\n", at)
        out.append((c, text[at:end].rstrip(" -;\n"), at))
    return out


def prf(tp: int, fp: int, fn: int) -> str:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"P={p:.3f} R={r:.3f} F1={f:.3f} (tp={tp} fp={fp} fn={fn})"


def main(argv: list[str]) -> None:
    gold = json.loads((SHARED / "gold/000_part_a.json").read_text(encoding="utf-8"))
    text = (CLEAN / "000_clean.txt").read_text(encoding="utf-8")
    counts = {"kind+value": [0, 0, 0], "kind": [0, 0, 0]}
    last_end = 0
    for clause, own, at in gold_clause_texts(text, gold["clauses"]):
        last_end = max(last_end, at + len(own))
        found = find_deadlines(own, CTX_000)
        want = [d for d in clause["deadlines"] if not d.get("inherited")]
        for name, key in (("kind+value", lambda d: (d["kind"], d["value"])), ("kind", lambda d: d["kind"])):
            g = Counter(key(d) for d in want)
            s = Counter(key({"kind": d.kind, "value": d.value}) for d in found)
            counts[name][0] += sum((g & s).values())
            counts[name][1] += sum((s - g).values())
            counts[name][2] += sum((g - s).values())
        if "--show" in argv and Counter((d["kind"], d["value"]) for d in want) != Counter((d.kind, d.value) for d in found):
            print(" ".join(clause["path"]), "|", own[:90].replace("\n", " "))
            print("   gold :", [(d["text"], d["kind"], d["value"]) for d in want])
            print("   found:", [(d.text, d.kind, d.value) for d in found])
    for name, (tp, fp, fn) in counts.items():
        print(f"{name:>10}: {prf(tp, fp, fn)}")
    if "--eyeball" in argv:
        for label, body, ctx in (("000 (after the gold part)", text[last_end:], CTX_000),
                                 ("004", (CLEAN / "004_clean.txt").read_text(encoding="utf-8"), CTX_004)):
            print(f"\n== {label}")
            for n, line in enumerate(body.splitlines(), 1):
                for d in find_deadlines(line, ctx):
                    print(f"  l{n:<4} {d.kind:<9} {str(d.value):<16} {d.text!r:<36} …{line[max(0, d.start - 50):d.start]}")


if __name__ == "__main__":
    main(sys.argv[1:])

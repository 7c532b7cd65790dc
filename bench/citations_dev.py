"""Dev benchmark for the citations tagger against the hand-checked gold of document 000.

Each gold clause is located in /work/shared/corpus/pdf/000_clean.txt by its
text_start; its text runs to the next gold clause's start or the end of the line
(inline "(1) - …" enumerations share a paragraph, so this is approximate).
Scored like /work/shared/eval/score.py: numbered P/R/F1 on normalised ids,
date accuracy on matched ids, unnumbered P/R/F1 on fuzzy titles.

usage: .venv/bin/python bench/citations_dev.py [--list]
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, "/work/shared/eval")
from score import match_titles, norm_id, prf  # noqa: E402  (the steering scorer's own rules)

from pipeline.tag.citations import find_citations  # noqa: E402

SHARED = Path("/work/shared")


def gold_segments(text: str, clauses: list[dict]) -> list[tuple[dict, str]]:
    starts, pos = [], 0
    for c in clauses:
        at = text.find(c["text_start"], pos)
        starts.append(at)
        if at >= 0:
            pos = at + 1
    out = []
    for i, (c, at) in enumerate(zip(clauses, starts)):
        if at < 0:
            out.append((c, ""))
            continue
        line_end = text.find("\n", at)
        line_end = len(text) if line_end < 0 else line_end
        nxt = next((s for s in starts[i + 1:] if s > at), len(text))
        out.append((c, text[at:min(line_end, nxt)]))
    return out


def score() -> dict:
    text = (SHARED / "corpus/pdf/000_clean.txt").read_text(encoding="utf-8")
    gold = json.loads((SHARED / "gold/000_part_a.json").read_text(encoding="utf-8"))
    tp = fp = fn = dtp = dn = 0
    ut = uf = un = 0
    misses = []
    for clause, seg in gold_segments(text, gold["clauses"]):
        found = [c.__dict__ for c in find_citations(seg)]
        g = Counter(norm_id(c["id"]) for c in clause["citations"] if c.get("id"))
        s = Counter(norm_id(c["id"]) for c in found if c.get("id"))
        tp += sum((g & s).values()); fp += sum((s - g).values()); fn += sum((g - s).values())
        if g != s:
            misses.append(("numbered", clause["text_start"][:40], dict(g - s), dict(s - g)))
        dates = {norm_id(c["id"]): c["date"] for c in found if c.get("id")}
        for c in clause["citations"]:
            if c.get("id") and c.get("date") and norm_id(c["id"]) in dates:
                dn += 1
                ok = dates[norm_id(c["id"])] == c["date"]
                dtp += ok
                if not ok:
                    misses.append(("date", c["id"], c["date"], dates[norm_id(c["id"])]))
        gu = [c for c in clause["citations"] if not c.get("id")]
        su = [c for c in found if not c.get("id")]
        t, f, n = match_titles(gu, su)
        ut += t; uf += f; un += n
        if f or n:
            misses.append(("unnumbered", clause["text_start"][:40], [c["title"] for c in gu], [c["title"] for c in su]))
    return {"numbered": prf(tp, fp, fn), "date_acc": round(dtp / dn, 3) if dn else None,
            "unnumbered": prf(ut, uf, un), "misses": misses}


def list_all() -> None:
    for name in ("000_clean.txt", "004_clean.txt"):
        text = (SHARED / "corpus/pdf" / name).read_text(encoding="utf-8")
        cites = find_citations(text)
        print(f"== {name}: {sum(1 for c in cites if c.id)} numbered, {sum(1 for c in cites if not c.id)} unnumbered")
        for c in cites:
            print(f"  {c.id or '-':16s} {c.type or '-':12s} {c.date or '-':10s} {c.issued_by or '-':32s} | {c.text[:90]}")


if __name__ == "__main__":
    res = score()
    for m in res.pop("misses"):
        print("  miss", m)
    print(json.dumps(res, ensure_ascii=False))
    if "--list" in sys.argv:
        list_all()

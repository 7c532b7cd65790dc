"""Owner/support P/R/F1 of find_bodies on the dev gold (document 000, part A).

usage: .venv/bin/python bench/bodies_dev.py [--show]

Each gold clause's own text is found in the clean reference text by its
`text_start`; it runs to the start of the next gold clause's label or the end of
its paragraph, whichever comes first (inline enumerations "(1) - …; (2) - …" put
several clauses in one paragraph). A clause with no explicit owner inherits its
nearest ancestor's owners (the tag stage's rule). Names are compared with the
scorer's own matching (/work/shared/eval/score.py: body_match).
"""
from __future__ import annotations

import importlib.util
import json
import sys
import time
from pathlib import Path

from pipeline.model import DocContext, DocInfo
from pipeline.tag.bodies import find_bodies

SHARED = Path("/work/shared")
GOLD = SHARED / "gold" / "000_part_a.json"
CLEAN = SHARED / "corpus" / "pdf" / "000_clean.txt"
CTX = DocContext(info=DocInfo(issuer="Đảng ủy phường Móng Cái 1", place="Móng Cái"), source_stem="000")


def _scorer():
    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def clause_texts(gold: list[dict], text: str) -> list[str]:
    """Own text of each gold clause, located in document order."""
    starts, cursor = [], 0
    for c in gold:
        at = text.find(c["text_start"][:40], cursor)
        if at < 0:
            raise SystemExit(f"gold clause {c['label']} {c['text_start'][:30]!r} not found")
        label_at = text.rfind(c["label"].rstrip(".-"), max(0, at - len(c["label"]) - 4), at)
        starts.append((label_at if label_at >= 0 else at, at))
        cursor = at + 1
    out = []
    for i, (_, at) in enumerate(starts):
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        if i + 1 < len(starts) and starts[i + 1][0] < end:
            end = starts[i + 1][0]
        out.append(text[at:end].rstrip(" ;-"))
    return out


def predict(gold: list[dict], texts: list[str]) -> list[list[dict]]:
    """Explicit bodies per clause, then owners inherited from the nearest ancestor."""
    own: dict[tuple, list[dict]] = {}
    result = []
    for c, t in zip(gold, texts):
        found = [{"name": b.name, "role": b.role, "inherited": False}
                 for b in find_bodies(t, CTX, heading=c["kind"] == "heading")]
        path = tuple(c["path"])
        if not any(b["role"] == "owner" for b in found):
            for n in range(len(path) - 1, 0, -1):
                owners = [b for b in own.get(path[:n], []) if b["role"] == "owner"]
                if owners:
                    found = [dict(b, inherited=True) for b in owners] + found
                    break
        own[path] = found
        result.append(found)
    return result


def counts(gold: list[dict], pred: list[list[dict]], match, role: str, inherited=None) -> dict:
    tp = fp = fn = 0
    for g, p in zip(gold, pred):
        pick = lambda bs: [b["name"] for b in bs if b["role"] == role and  # noqa: E731
                           (inherited is None or bool(b.get("inherited")) == inherited)]
        left = pick(p)
        for name in pick(g["bodies"]):
            hit = next((x for x in left if match(name, x)), None)
            if hit is None:
                fn += 1
            else:
                tp += 1
                left.remove(hit)
        fp += len(left)
    p_ = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p_ * r / (p_ + r) if p_ + r else 0.0
    return {"p": round(p_, 3), "r": round(r, 3), "f1": round(f, 3), "tp": tp, "fp": fp, "fn": fn}


def main(argv: list[str]) -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["clauses"]
    text = CLEAN.read_text(encoding="utf-8")
    texts = clause_texts(gold, text)
    t0 = time.perf_counter()
    pred = predict(gold, texts)
    elapsed = time.perf_counter() - t0
    match = _scorer().body_match
    for label, role, inh in [("owner", "owner", None), ("owner_explicit", "owner", False),
                             ("owner_inherited", "owner", True), ("support", "support", None)]:
        print(f"{label:16s} {counts(gold, pred, match, role, inh)}")
    chars = sum(len(t) for t in texts)
    print(f"{len(gold)} clauses, {chars} chars in {elapsed:.3f} s (first call loads the registry)")
    if "--show" in argv:
        for g, p, t in zip(gold, pred, texts):
            gs = sorted((b["role"], b["name"], b["inherited"]) for b in g["bodies"])
            ps = sorted((b["role"], b["name"], b["inherited"]) for b in p)
            if [x[::2] for x in gs] != [x[::2] for x in ps] or len(gs) != len(ps):
                print("\n" + "/".join(g["path"]), t[:140])
                print("  gold:", gs)
                print("  pred:", ps)


if __name__ == "__main__":
    main(sys.argv[1:])

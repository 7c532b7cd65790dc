"""Evaluate: score the pipeline's SPEC JSON against hand-checked gold files.

Clause matching (docs/evaluation.md): gold and system clauses are aligned in
document order; a pair needs the same label (whitespace and a final "." or "-"
ignored) and the same start of text (first 40 folded characters; a similarity
of 0.75 or more tolerates small extraction differences). Tags are then compared
clause by clause over that alignment: a gold clause the system missed counts its
tags as misses, a system clause with no gold partner (within the gold's range)
counts its tags as false alarms, so under-splitting is never rewarded.
Bodies match by name after dropping place words (phường, tỉnh …), or by 0.75
word overlap / 0.88 string similarity; numbered citations by normalised id;
unnumbered citations by folded title (0.6 similarity or containment).
Document-level gold files (`citations`/`deadlines` lists with no clauses) are
scored over the whole document.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any, Iterable, Optional

import regex

from .fold import fold

__all__ = ["score", "Score", "prf"]

PLACE_WORDS = frozenset("phuong thanh pho tinh xa huyen quan thi tran tp cac va".split())
SEARCH_WINDOW = 400


@dataclass
class Count:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    def as_dict(self) -> dict[str, Any]:
        return prf(self.tp, self.fp, self.fn)


def prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    """Precision, recall and F1 (rounded) with the counts behind them.

    >>> prf(9, 1, 0)["f1"]
    0.947
    """
    p = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(f, 3), "tp": tp, "fp": fp, "fn": fn}


def _label_key(label: str) -> str:
    return regex.sub(r"\s+", "", label or "").rstrip(".-").lower()


def _id_key(raw: Optional[str]) -> Optional[str]:
    return regex.sub(r"\s+", "", raw).upper().replace("Đ", "D") if raw else None


def _body_words(name: str) -> list[str]:
    return [w for w in fold(name).split() if w not in PLACE_WORDS]


def body_names_match(a: str, b: str) -> bool:
    """Whether two body names denote the same body (place words aside).

    >>> body_names_match("Ủy ban Kiểm tra Đảng ủy", "Uỷ ban kiểm tra Đảng uỷ phường")
    True
    """
    wa, wb = _body_words(a), _body_words(b)
    if not wa or not wb:
        return fold(a) == fold(b)
    if wa == wb:
        return True
    sa, sb = set(wa), set(wb)
    return len(sa & sb) / len(sa | sb) >= 0.75 or SequenceMatcher(None, " ".join(wa), " ".join(wb)).ratio() >= 0.88


def _flatten(clauses: Iterable[dict]) -> list[dict]:
    out: list[dict] = []
    for c in clauses:
        out.append(c)
        out += _flatten(c.get("children") or [])
    return out


def align(system: list[dict], gold: list[dict]) -> list[tuple[int, int]]:
    """(gold index, system index) pairs, in document order."""
    pairs: list[tuple[int, int]] = []
    used: set[int] = set()
    floor = 0
    for gi, g in enumerate(gold):
        glabel, gtext = _label_key(g["label"]), fold(g.get("text_start", ""))[:40]
        best, best_score = None, 0.0
        for sj in range(floor, min(len(system), floor + SEARCH_WINDOW)):
            s = system[sj]
            if sj in used or _label_key(s.get("label", "")) != glabel:
                continue
            stext = fold(s.get("text", ""))[:40]
            similarity = 1.0 if stext[:30] == gtext[:30] else SequenceMatcher(None, stext, gtext).ratio()
            if similarity > best_score:
                best, best_score = sj, similarity
                if similarity == 1.0:
                    break
        if best is not None and best_score >= 0.75:
            pairs.append((gi, best))
            used.add(best)
            floor = best + 1
    return pairs


def _match_bodies(gold: list[str], system: list[str]) -> tuple[int, int, int]:
    left = list(system)
    tp = 0
    for g in gold:
        hit = next((s for s in left if body_names_match(g, s)), None)
        if hit is not None:
            tp += 1
            left.remove(hit)
    return tp, len(left), len(gold) - tp


def _match_titles(gold: list[dict], system: list[dict]) -> tuple[int, int, int]:
    left = [fold(c.get("title") or c.get("text") or "") for c in system]
    tp = 0
    for g in gold:
        x = fold(g.get("title") or g.get("text") or "")
        hit = next((y for y in left if SequenceMatcher(None, x, y).ratio() >= 0.6 or (y and (x in y or y in x))), None)
        if hit is not None:
            tp += 1
            left.remove(hit)
    return tp, len(left), len(gold) - tp


def _counter_prf(gold: Counter, system: Counter) -> tuple[int, int, int]:
    return sum((gold & system).values()), sum((system - gold).values()), sum((gold - system).values())


@dataclass
class Score:
    figures: dict[str, Any] = field(default_factory=dict)
    worst: list[dict] = field(default_factory=list)


def _bodies_of(clause: dict, role: str, inherited: Optional[bool]) -> list[str]:
    return [b.get("name") or b.get("mention", "") for b in clause.get("bodies") or []
            if b.get("role") == role and (inherited is None or bool(b.get("inherited")) == inherited)]


def _own_deadlines(clause: dict, with_value: bool) -> Counter:
    return Counter((d.get("kind"), d.get("value")) if with_value else d.get("kind")
                   for d in clause.get("deadlines") or [] if not d.get("inherited"))


def _numbered(citations: list[dict]) -> Counter:
    return Counter(_id_key(c.get("id")) for c in citations if c.get("id"))


def score_clauses(system_doc: dict, gold_doc: dict, worst: int = 10) -> Score:
    system, gold = _flatten(system_doc.get("clauses", [])), gold_doc["clauses"]
    pairs = align(system, gold)
    matched = {sj for _, sj in pairs}
    if "doc" in gold_doc:
        in_range = [j for j, c in enumerate(system) if (c.get("label") or "").strip()]
    elif pairs:
        in_range = list(range(pairs[0][1], pairs[-1][1] + 1))
    else:
        in_range = list(range(len(system)))
    by_gold = dict(pairs)
    aligned = [(gold[gi], system[by_gold[gi]] if gi in by_gold else {}) for gi in range(len(gold))]
    aligned += [({}, system[j]) for j in in_range if j not in matched]

    figures: dict[str, Any] = {
        "segmentation": prf(len(pairs), len([j for j in in_range if j not in matched]), len(gold) - len(pairs)),
        "path_acc": round(sum(
            [_label_key(x) for x in gold[gi]["path"]] == [_label_key(x) for x in system[sj].get("path", [])]
            for gi, sj in pairs) / max(len(pairs), 1), 3),
        "kind_acc": round(sum(gold[gi]["kind"] == system[sj].get("kind") for gi, sj in pairs) / max(len(pairs), 1), 3),
    }
    counts = {k: Count() for k in ("owner", "owner_explicit", "owner_inherited", "support", "deadlines",
                                   "deadline_kind", "citations_numbered", "citations_unnumbered")}
    date_hits = date_total = 0
    errors: list[tuple[int, dict]] = []
    for g, s in aligned:
        wrong = 0
        for key, role, inherited in (("owner", "owner", None), ("owner_explicit", "owner", False),
                                     ("owner_inherited", "owner", True), ("support", "support", None)):
            tp, fp, fn = _match_bodies(_bodies_of(g, role, inherited), _bodies_of(s, role, inherited))
            counts[key].add(tp, fp, fn)
            wrong += (fp + fn) if inherited is None else 0
        for key, with_value in (("deadlines", True), ("deadline_kind", False)):
            tp, fp, fn = _counter_prf(_own_deadlines(g, with_value), _own_deadlines(s, with_value))
            counts[key].add(tp, fp, fn)
            wrong += (fp + fn) if with_value else 0
        gc, sc = g.get("citations") or [], s.get("citations") or []
        tp, fp, fn = _counter_prf(_numbered(gc), _numbered(sc))
        counts["citations_numbered"].add(tp, fp, fn)
        wrong += fp + fn
        system_dates: dict[str, set] = {}
        for c in sc:
            if c.get("id"):
                system_dates.setdefault(_id_key(c["id"]), set()).add(c.get("date"))
        for c in gc:
            if c.get("id") and c.get("date") and _id_key(c["id"]) in system_dates:
                date_total += 1
                date_hits += c["date"] in system_dates[_id_key(c["id"])]
        tp, fp, fn = _match_titles([c for c in gc if not c.get("id")], [c for c in sc if not c.get("id")])
        counts["citations_unnumbered"].add(tp, fp, fn)
        wrong += fp + fn
        if not g or not s:
            wrong += 5  # an unmatched clause is the worst kind of miss
        if wrong:
            errors.append((wrong, {"label": (g or s).get("label"), "path": (g or s).get("path"),
                                   "text": (g.get("text_start") or s.get("text", ""))[:60],
                                   "errors": wrong, "missing": not s, "extra": not g}))
    figures.update({k: c.as_dict() for k, c in counts.items()})
    figures["citation_date_acc"] = round(date_hits / date_total, 3) if date_total else None
    figures["clauses"] = {"gold": len(gold), "system_in_range": len(in_range), "matched": len(pairs)}
    errors.sort(key=lambda e: -e[0])
    return Score(figures, [e for _, e in errors[:worst]])


def _document_citations(system_doc: dict) -> list[dict]:
    out = list(system_doc.get("document_citations") or [])
    for c in _flatten(system_doc.get("clauses", [])):
        out += c.get("citations") or []
    return out


def score_document(system_doc: dict, gold_doc: dict) -> Score:
    figures: dict[str, Any] = {}
    if "citations" in gold_doc:
        gold, system = gold_doc["citations"], _document_citations(system_doc)
        figures["citations_numbered_doc"] = prf(*_counter_prf(_numbered(gold), _numbered(system)))
        figures["citations_unnumbered_doc"] = prf(*_match_titles([c for c in gold if not c.get("id")],
                                                                 [c for c in system if not c.get("id")]))
        gold_dates = Counter((_id_key(c["id"]), c["date"]) for c in gold if c.get("id") and c.get("date"))
        system_dates = Counter((_id_key(c["id"]), c.get("date")) for c in system if c.get("id"))
        figures["citation_date_acc_doc"] = (round(sum((gold_dates & system_dates).values()) / sum(gold_dates.values()), 3)
                                            if gold_dates else None)
    if "deadlines" in gold_doc:
        own = [d for c in _flatten(system_doc.get("clauses", [])) for d in c.get("deadlines") or [] if not d.get("inherited")]
        figures["deadlines_doc"] = prf(*_counter_prf(Counter((d["kind"], d.get("value")) for d in gold_doc["deadlines"]),
                                                     Counter((d.get("kind"), d.get("value")) for d in own)))
        figures["deadline_kind_doc"] = prf(*_counter_prf(Counter(d["kind"] for d in gold_doc["deadlines"]),
                                                         Counter(d.get("kind") for d in own)))
    return Score(figures)


def score(system_doc: dict, gold_doc: dict, worst: int = 10) -> Score:
    """Score one system document against one gold file (clause-level or document-level)."""
    return score_clauses(system_doc, gold_doc, worst) if "clauses" in gold_doc else score_document(system_doc, gold_doc)

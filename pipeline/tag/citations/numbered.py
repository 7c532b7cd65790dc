"""Numbered citations: found by their number, grown backwards over the kind word and "số",
forwards over the date and the issuer; a "về …" subject becomes the title; the
document's own number (its "Số:" line) is never a citation."""
from __future__ import annotations

from typing import Optional

import regex

from ...model import Citation, DocContext, replace
from .grammar import grammar
from .lexicon import canonical_body, iso_date, normalise_id, type_for
from ...patterns import compiled

_SPACES = compiled(r"\s+")
_NUMBER_LINE = compiled(r"(?i:số)[ \t]*:")

_LAW_BEFORE = compiled(r"(?<![\p{L}])(?P<kind>Bộ\s+luật|Luật|Pháp\s+lệnh)[ ]\p{Lu}[^;:\n\d]{0,90}?[ ]\Z")
# "Ngày 29/6/2026, Bộ trưởng Bộ Xây dựng ban hành Quyết định số 1074/QĐ-BXD": a sentence that
# opens with the day a document was issued dates it.
_ISSUED_ON = compiled(r"""(?: ^ | (?<= [.;\n] ) ) \s* (?i:ngày) \s+ (?P<day>\d{1,2}) \s*/\s* (?P<month>\d{1,2})
                               \s*/\s* (?P<year>(?:19|20)\d\d) \s*, [^.;\n]{0,120}? \b (?:ban\s+hành|ký) \s+ \Z""",
                           regex.VERBOSE)


def numbered(text: str) -> list[Citation]:
    """Every numbered citation, with its lead, date and issuer, but no title yet."""
    g = grammar()
    found: list[Citation] = []
    for m in g.number.finditer(text):
        party = bool(m.group("code")) and "/" not in text[m.end("num"):m.start("code")]
        head_start = m.start()
        items = g.list_head.search(text, max(0, head_start - 60), head_start)
        list_start = items.start() if items else head_start
        lead = g.lead.search(text, max(0, list_start - 40), list_start)
        if items and not (lead and lead.group(0)):
            # bare "14, 15 và 16-NQ/TW" without "số" or a kind word is too weak to split
            items = None
            list_start = head_start
            lead = g.lead.search(text, max(0, head_start - 40), head_start)
        start = lead.start() if lead and lead.group(0) else head_start
        kind = lead.group("kind") if lead else None
        if not kind and lead and lead.group("so"):
            # "Luật Điện lực số 61/2024/QH15": a law's name stands between its kind and "số"
            named = _LAW_BEFORE.search(text[max(0, start - 100):start])
            if named:
                start, kind = start - len(named.group(0)), named.group("kind")
        tail = g.tail.match(text, m.end())
        end = tail.end() if tail and tail.group(0).strip() else m.end()
        date = year = None
        if tail and tail.group("dyear"):
            date = iso_date(tail.group("day"), tail.group("month"), tail.group("dyear"))
        elif issued := _ISSUED_ON.search(text[max(0, start - 160):start]):
            date = iso_date(issued.group("day"), issued.group("month"), issued.group("year"))
        if date:
            year = int(date[:4])
        elif m.group("year"):
            year = int(m.group("year"))
        elif tail and tail.group("onlyyear"):
            year = int(tail.group("onlyyear"))
        by = tail.group("by") if tail else None
        code = m.group("code")
        issuer = _SPACES.sub("", m.group("issuer"))
        common = dict(
            type=type_for(kind, code, party), code=code, issuer_code=issuer, year=year, date=date,
            issued_by=canonical_body(by) if by else None,
        )
        suffix = normalise_id(text[m.end("num"):m.end()])  # "-NQ/TW" or "/NQ-HĐND"
        if items:
            first = True
            for n in regex.finditer(r"\d{1,5}", text[items.start():items.end()]):
                s, e = items.start() + n.start(), items.start() + n.end()
                s = start if first else s
                first = False
                found.append(Citation(text=text[s:e], id=n.group(0) + suffix, number=n.group(0),
                                      start=s, end=e, **common))
            start = m.start()
        raw = m.group(0)
        found.append(Citation(text=text[start:end], id=normalise_id(raw), number=m.group("num"),
                              start=start, end=end, **common))
    return found


def share_dates(cites: list[Citation], text: str) -> list[Citation]:
    """"Quy định số 216-QĐ/TU, Quy định số 217-QĐ/TU ngày 12/10/2023 của Tỉnh ủy": a citation
    followed, across only a comma or "và", by one of the same issuer code takes its issuer when
    it names none ("Nghị định 178/2024/NĐ-CP và Nghị định 67/2025/NĐ-CP của Chính phủ"), and its
    date when it has none and the date falls in its own year (a number's year is its date's)."""
    out = list(cites)
    for i in range(len(out) - 2, -1, -1):
        cur, nxt = out[i], out[i + 1]
        if cur.id is None or nxt.id is None or cur.issuer_code != nxt.issuer_code:
            continue
        if not _JOINER.fullmatch(text[cur.end:nxt.start]):
            continue
        shared = {}
        if not cur.issued_by and nxt.issued_by:
            shared["issued_by"] = nxt.issued_by
        if not cur.date and nxt.date and (cur.year is None or nxt.date.startswith(str(cur.year))):
            shared.update(date=nxt.date, year=nxt.year)
        if shared:
            out[i] = replace(cur, **shared)
    return out


_JOINER = compiled(r"\s*(?:,|;|và)?\s*")


# A capitalised body name after a comma opens the sentence's main clause, which no
# title runs into: "… về cải cách hành chính năm 2026, Ủy ban nhân dân huyện ban hành …".
_SUBJECT_AFTER_COMMA = compiled(
    r"\s+(?=(?:Ủy|Uỷ)\s+ban|UBND|Hội\s+đồng|HĐND|Ban\s+(?:Thường\s+vụ|Chấp\s+hành)|BTV|BCH|Đảng\s+ủy"
    r"|Tỉnh\s+ủy|Thành\s+ủy|Huyện\s+ủy|Thị\s+ủy|Sở\s+\p{Lu}|Chi\s+bộ)")


def _title_end(text: str, start: int, limit: int) -> int:
    """Where a "về …" subject stops: a closing quote, a semicolon, a sentence end, an unmatched
    parenthesis, the line end or the next citation (`limit`)."""
    if start < len(text) and text[start] in "“\"'":
        close = regex.compile(r"[”\"']").search(text, start + 1, limit)
        if close:
            return close.end()
    depth = 0
    for i in range(start, min(limit, start + 400)):
        ch = text[i]
        if ch == "," and depth == 0 and _SUBJECT_AFTER_COMMA.match(text, i + 1):
            return i  # "Thực hiện Kế hoạch số … về X, Ủy ban nhân dân huyện ban hành …": the main clause
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                return i
            depth -= 1
        elif ch in ";\n":
            return i
        elif ch == "." and (i + 1 >= len(text) or text[i + 1].isspace()):
            return i
    return min(limit, start + 400)


def title_spans(cites: list[Citation], text: str) -> list[Optional[tuple[int, int]]]:
    """Where each numbered citation's "về …" subject lies in `text` (None when it has none);
    a subject ends at the next citation in `cites` at the latest.

    >>> text = "Kế hoạch số 12/KH-UBND về chuyển đổi số; hoàn thành"
    >>> [text[s:e] for s, e in title_spans([c for c in numbered(text)], text)]
    ['chuyển đổi số']
    """
    g = grammar()
    out: list[Optional[tuple[int, int]]] = []
    for i, c in enumerate(cites):
        lead = g.title_lead.match(text, c.end)
        if c.id is None or not lead:
            out.append(None)
            continue
        limit = cites[i + 1].start if i + 1 < len(cites) else len(text)
        out.append((lead.end(), _title_end(text, lead.end(), limit)))
    return out


def with_titles(cites: list[Citation], text: str) -> list[Citation]:
    out = []
    for c, where in zip(cites, title_spans(cites, text)):
        if where is None:
            out.append(c)
            continue
        title = text[where[0]:where[1]].strip(" ,“”\"'")
        # the next citation's connector ("…về X và Nghị quyết số 68") is not the subject's
        title = regex.sub(r"\s*(?:,|;|và|gắn với|theo)\s*$", "", title)
        out.append(replace(c, title=title or None))
    return out


def span(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim spaces and a trailing comma so text[start:end] is the reference itself."""
    while end > start and text[end - 1] in " ,;\t\n":
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end



def own_number(ctx: Optional[DocContext]) -> Optional[str]:
    if ctx is None:
        return None
    own = ctx.own_number or ctx.info.number
    return normalise_id(own) if own else None


def on_number_line(text: str, c: Citation) -> bool:
    """Whether `c` is the header's number line: "Số: 12/2025/NQ-HĐND", "Số:173    /KH-UBND"
    (blanks left for the number stamped at issue), with nothing before "Số" on its line.
    That line names the document itself, never another one."""
    return bool(_NUMBER_LINE.match(c.text)) and bool(_LINE_START.search(text, 0, c.start))


_LINE_START = compiled(r"(?:^|\n)[ \t|]*\Z")


def printed_own_number(text: str) -> Optional[str]:
    """The number on a document's "Số:" header line, normalised; None when it prints none.

    >>> printed_own_number("ỦY BAN NHÂN DÂN\\nSố: 173   /KH-UBND\\nHà Nội, ngày 28 tháng 4 năm 2026")
    '173/KH-UBND'
    """
    head = text[:3000]
    for c in numbered(head):
        s, e = span(head, c.start, c.end)
        if on_number_line(head, replace(c, text=head[s:e], start=s)):
            return c.id
    return None



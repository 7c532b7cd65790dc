"""Unnumbered references: laws by name ("Luật Đất đai"), Central Committee plenums, Party
congresses, and the named groups that stand for several resolutions."""
from __future__ import annotations

import regex

from ...fold import fold
from ...model import Citation
from .grammar import grammar
from .lexicon import alternation, canonical_body, iso_date, lexicon, rows, type_for
from .numbered import span
from ...patterns import compiled

# Words that end a law's name and begin the rest of the sentence. Compared with
# diacritics (lower case only): folding would make "cơ" ("cơ sở") the stop word "có".
LAW_NAME_STOPS = frozenset(
    "ngày gắn theo nhằm để tại trong được đã đến cho có là với trên khi sau trước vào về như cùng trình".split())


# "Luật sửa đổi, bổ sung một số điều của Luật Quy hoạch, Luật Đầu tư … và Luật Đấu thầu" is
# one law: the laws it amends are part of its name.
_AMENDING = compiled(r"sửa\s+đổi,\s+bổ\s+sung\s+một\s+số\s+điều\s+của", regex.IGNORECASE)


_MORE_LAWS = compiled(r"[^;.\n]*?(?:,|\bvà)\s+Luật\b")


def _law_name_end(text: str, pos: int) -> int:
    """End of a law's name: its words until a sentence word, a year, a date or punctuation."""
    kinds = {fold(k) for k in lexicon().unnumbered_kinds} | set(lexicon().kinds)
    commas = alternation(r[0] for r in rows("citation_name_commas.tsv"))
    end = pos
    words = 0
    amending = False
    for w in regex.finditer(rf"\G(?:[ ]|,[ ](?=(?:{commas}|Luật)\b))([\p{{L}}\d]+)", text, pos=pos):
        word = w.group(1).lower()
        # An amending law's list runs on over the amended laws' own words ("Luật Đầu tư theo
        # phương thức đối tác công tư"); only a date ends it.
        if word.isdigit() or word in LAW_NAME_STOPS and (not amending or word == "ngày"
                                                          or not _MORE_LAWS.match(text, w.start())):
            break
        if word == "luật" and text[w.start()] == "," and not amending:
            break
        if word == "đối" and text[w.end():w.end() + 4] == " với":
            break
        if word in ("năm", "số") and regex.match(r"[ ]*:?[ ]*\d", text[w.end():]):
            break
        if word == "và":
            rest = fold(text[w.end():w.end() + 30])
            # "… Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương" amended together
            if rest.startswith(("cac ", "nhung ")) or (any(rest.startswith(k) for k in kinds)
                                                       and not (amending and rest.startswith("luat "))):
                break
        end = w.end()
        words += 1
        amending = amending or bool(_AMENDING.search(text, pos, end))
        if words >= (60 if amending else 14):
            break
    return end


# "Nghị định số 181/2024/NĐ-CP … quy định chi tiết một số điều của Luật Quản lý, sử dụng vũ
# khí …": a law named in another document's title is that title, not a citation of its own.
# Compared folded: a scan's text drops or misplaces tone marks ("quy định chỉ tiết").
_DETAILED = compiled(r"(?:quy dinh chi tiet|huong dan thi hanh|huong dan chi tiet)"
                          r"(?: (?:mot so dieu|mot so noi dung|va bien phap thi hanh|va|thi hanh))*"
                          r"(?: (?:cua|thuoc))?$")


_NUMBER_FOLLOWS = compiled(r"\s*(?i:số)\s*:?\s*\d{1,5}\s*/")


def unnumbered(text: str) -> list[Citation]:
    g = grammar()
    found: list[Citation] = []
    for pattern in (g.central, g.congress):
        for m in pattern.finditer(text):
            s, e = span(text, m.start(), m.end())
            kind = regex.split(r"\s*,\s*", m.group("kinds"))[0]
            name = " ".join(text[s:e].split())
            found.append(Citation(text=text[s:e], type=type_for(kind, None, False), title=name, start=s, end=e))
    for m in g.law.finditer(text):
        if _DETAILED.search(fold(text[max(0, m.start() - 80):m.start()])):
            continue
        name_end = _law_name_end(text, m.end())
        if name_end == m.end() and m.group("kind") != "Hiến pháp":
            continue
        if _NUMBER_FOLLOWS.match(text, name_end):
            continue  # "Luật Điện lực số 61/2024/QH15": the number names it (numbered.py)
        tail = g.dated.match(text, name_end)
        date = year = None
        end = name_end
        if tail:
            end = tail.end()
            if tail.group("dyear"):
                date = iso_date(tail.group("day"), tail.group("month"), tail.group("dyear"))
                year = int(date[:4]) if date else None
            else:
                year = int(tail.group("onlyyear"))
        s, e = span(text, m.start(), end)
        title = " ".join(text[m.start():name_end].split())
        found.append(Citation(text=text[s:e], type=type_for(m.group("kind"), None, False), title=title,
                              date=date, year=year, start=s, end=e))
    return found + _named_without_number(text)


def _named_without_number(text: str) -> list[Citation]:
    """ "Đề án số 08 về …" (a number with no code), "Quyết định của Bộ Xây dựng" (a document
    named by its issuer), "Công ty X tại Văn bản ngày 22/6/2026" (a letter by its sender)."""
    g = grammar()
    found = []
    for m in g.bare_number.finditer(text):
        end = m.end()
        subject = g.title_lead.match(text, end)
        if subject:
            end = _subject_end(text, subject.end())
        s, e = span(text, m.start(), end)
        found.append(Citation(text=text[s:e], type=type_for(m.group("kind"), None, False),
                              title=" ".join(text[s:e].split()), start=s, end=e))
    for m in g.issued_by.finditer(text):
        tail = g.tail.match(text, m.end())
        if not tail or not tail.group("by"):
            continue
        s, e = span(text, m.start(), tail.end())
        by = tail.group("by")
        name = " ".join(text[m.start():tail.start("by")].split())
        found.append(Citation(text=text[s:e], type=type_for(m.group("kind"), None, False),
                              title=f"{name} {by}", issued_by=canonical_body(by), start=s, end=e))
    for m in g.named_plan.finditer(text):
        s, e = span(text, m.start(), m.end())
        found.append(Citation(text=text[s:e], type=type_for(m.group("kind"), None, False),
                              title=" ".join(text[s:e].split()), start=s, end=e))
    for m in g.submitted.finditer(text):
        tail = g.dated.match(text, m.end())
        s, e = span(text, m.start("kind"), tail.end() if tail else m.end())
        date = iso_date(tail.group("day"), tail.group("month"), tail.group("dyear")) \
            if tail and tail.group("dyear") else None
        org = " ".join(m.group("org").split())
        found.append(Citation(text=text[s:e], type=type_for(m.group("kind"), None, False),
                              title=f"{m.group('kind')} của {org}", date=date, start=s, end=e))
    return found


def _subject_end(text: str, start: int) -> int:
    """Where a "về …" subject of a codeless number ends: the line, a semicolon, a bracket or
    a full stop; "ban hành kèm theo" starts the next reference."""
    m = regex.compile(r"[;()\n]|\.(?:\s|$)|,\s+(?:cụ\s+thể|như\s+sau)|\s+(?:ban\s+hành\s+kèm\s+theo|và)\s").search(
        text, start, min(len(text), start + 300))
    return m.start() if m else min(len(text), start + 300)


def groups(text: str, numbered: list[Citation]) -> list[Citation]:
    """A nickname ("bộ tứ trụ cột") stands for its members, unless they are cited by number too."""
    g = grammar()
    if g.group is None:
        return []
    cited = {c.id for c in numbered}
    out = []
    for m in g.group.finditer(text):
        for phrase, ids, kind in lexicon().groups:
            if fold(phrase) != fold(m.group(0)):
                continue
            for i in ids:
                if i in cited:
                    continue
                party = regex.match(r"(\d+)-([^/]+)/(.+)", i)
                out.append(Citation(text=m.group(0), id=i, type=kind,
                                    number=party.group(1) if party else None,
                                    code=party.group(2) if party else None,
                                    issuer_code=party.group(3) if party else None,
                                    title=phrase, start=m.start(), end=m.end()))
    return out



"""Structured queries over the store: who must do what, by when, under which directive.

Bodies are found by folded name, English name, alias, or abbreviation
("UBKT" = the initials of "Ủy ban Kiểm tra"), so "Inspection Committee",
"Ủy ban Kiểm tra", "UBKT" and "uy ban kiem tra" find the same clauses.
Bodies are found through a full-text index of their names (pipeline/store/body_index.py)
and only the candidates it returns are checked in Python; clauses (the big table) are
only reached through indexed SQL.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Optional

from orjson import loads  # 2x json.loads on clause JSON, the bulk of a big answer's time

from pipeline.errors import QueryError, StoreError
from pipeline.fold import fold
from pipeline.store import Store, number_key
from pipeline.store.body_index import UNSPELT, candidate_bodies

__all__ = [
    "DOCUMENT_ORDER", "Filter", "ROLES", "TaskQuery", "staff_query", "bodies", "clause_dicts", "clause_filters",
    "directives", "find_tasks", "kind_test", "matching_body_keys", "matching_clause_rids", "matching_directive_keys",
    "show",
]

ROLES = ("owner", "support")
TASK_KINDS = ("task", "target")  # a target under a body's heading is that body's work too


@dataclass(frozen=True)
class TaskQuery:
    """Filters for `find_tasks`; every given filter must hold.

    The time filters take ISO periods ("2025", "2025-12", "2025-Q3", "2026-03-31",
    "2026-07/2026-12") and compare the day a clause's due or period deadline ends:
    `due_in` keeps those ending inside the period, `due_before` those ending no later
    than its end, `due_after` those ending after it; `overdue` those that ended
    before `today` (ISO day; the real today when None).
    """
    body: Optional[str] = None
    role: Optional[str] = None
    cites: Optional[str] = None
    due_before: Optional[str] = None
    ongoing: bool = False
    doc: Optional[str] = None
    kinds: Optional[tuple[str, ...]] = TASK_KINDS
    due_in: Optional[str] = None
    due_after: Optional[str] = None
    overdue: bool = False
    today: Optional[str] = None


def staff_query(*, body: Optional[str] = None, role: Optional[str] = None, cites: Optional[str] = None,
                doc: Optional[str] = None, due_in: Optional[str] = None, due_before: Optional[str] = None,
                due_after: Optional[str] = None, overdue: bool = False, ongoing: bool = False,
                today: Optional[date] = None) -> TaskQuery:
    """A TaskQuery from filters typed the way staff type them, each read or refused.

    Roles in either language ("chủ trì", "lead", "phối hợp"), times as staff say them
    ("quý I/2026", "31/3/2026", "tháng 6/2026", "this quarter"), directives with their
    kind word ("Nghị quyết 57", "NQ 57-NQ/TW").

    >>> staff_query(role="chủ trì", due_before="31/3/2026", cites="Nghị quyết 57")
    TaskQuery(body=None, role='owner', cites='57', due_before='2026-03-31', ongoing=False, doc=None, kinds=('task', 'target'), due_in=None, due_after=None, overdue=False, today=None)
    """
    from pipeline.periods import read_period

    today = today or date.today()
    times = {}
    for name, value in (("due_in", due_in), ("due_before", due_before), ("due_after", due_after)):
        if value is not None:
            times[name] = read_period(value, today)
            if times[name] is None:
                raise QueryError(f"cannot read {value!r} as a time; use 2026, 2026-12, 2026-Q1, 2026-03-31, "
                                 "quý I/2026, tháng 6/2026, 31/3/2026 or this quarter")
    return TaskQuery(body=body, role=_role(role), cites=_directive_number(cites), doc=doc, ongoing=ongoing,
                     overdue=overdue, today=today.isoformat() if overdue else None, **times)


def _role(text: Optional[str]) -> Optional[str]:
    """ "owner", "chủ trì", "lead" → owner; "support", "phối hợp" → support."""
    if text is None:
        return None
    from pipeline.ask import role_word

    role = role_word(text)
    if role is None:
        raise QueryError(f"unknown role {text!r}; use owner (chủ trì, lead) or support (phối hợp)")
    return role


def _directive_number(text: Optional[str]) -> Optional[str]:
    """The number in "Nghị quyết 57" / "NQ số 57-NQ/TW"; other text (a title) as given."""
    if text is None:
        return None
    from pipeline.ask import directive_in

    return directive_in(text) or text


def _abbreviation_match(tokens: list[str], words: list[str]) -> bool:
    """True if the query tokens match a run of words, a token standing for a word or
    for the initials of consecutive words ("ubkt dang uy" ~ "uy ban kiem tra dang uy"; "và"
    inside the run has no letter: "so vhtt" ~ "so van hoa va the thao")."""
    def match_from(t: int, w: int) -> bool:
        if t == len(tokens):
            return True
        token = tokens[t]
        if w < len(words) and words[w] == token and match_from(t + 1, w + 1):
            return True
        return len(token) >= 2 and any(match_from(t + 1, end) for end in _initials_ends(token, words, w))
    return any(match_from(0, start) for start in range(len(words)))


def _initials_ends(token: str, words: list[str], start: int) -> list[int]:
    """Where runs of words from `start` whose initials spell `token` end (unspelt words skipped inside)."""
    ends: list[int] = []

    def walk(i: int, k: int) -> None:
        if i == len(token):
            ends.append(k)
        elif k < len(words):
            if words[k][0] == token[i]:
                walk(i + 1, k + 1)
            if i and words[k] in UNSPELT:
                walk(i, k + 1)
    walk(0, start)
    return ends


def _registry_names(text: str) -> list[str]:
    """Folded canonical names the bodies registry gives for `text` (abbreviation expansion)."""
    try:
        from pipeline.tag.bodies import lookup_bodies  # written in parallel; optional
    except ImportError:
        return []
    return [fold(entry["name"]) for entry in lookup_bodies(text) or [] if entry.get("name")]


def matching_body_keys(store: Store, text: str) -> list[str]:
    """Keys of stored bodies that `text` names, in any of the ways staff type them.

    >>> matching_body_keys(store, "UBKT")   # doctest: +SKIP
    ['uy-ban-kiem-tra-dang-uy']
    """
    query = fold(text)
    if not query:
        raise QueryError("the body to look for is empty")
    # "UBND tỉnh Lào Cai" is "Ủy ban nhân dân tỉnh" stored from a Lào Cai document: look for the
    # name read by the bodies grammar, with and without its place, then keep that place's bodies.
    read = _read_body(text)
    wanted = [query] + _registry_names(text) + [fold(read["name"]), fold(read["bare"])]
    wanted = list(dict.fromkeys(w for w in wanted if w))
    tokens = query.split()
    place = fold(read["place"])
    found = _keys_named(store, wanted, tokens, place)
    if not found and not place:
        # "SVHTT Lào Cai", "so vhtt gia lai": an abbreviation the grammar cannot read, then a
        # place; the longest head that names bodies, kept to those of the place that follows
        # (a place is at most four syllables: "Bà Rịa Vũng Tàu").
        for cut in range(len(tokens) - 1, max(0, len(tokens) - 5), -1):
            head = tokens[:cut]
            found = _keys_named(store, [" ".join(head)], head, " ".join(tokens[cut:]))
            if found:
                break
    return sorted(found)


def _keys_named(store: Store, wanted: list[str], tokens: list[str], place: str) -> list[str]:
    """Keys of the bodies a wanted name, or the query's tokens as words and initials, name;
    only those of `place` (folded) when one is given."""
    # The index narrows the store to candidates and says which hold a wanted name whole (or the
    # one word typed, as a word or as initials); only the rest are read as abbreviations here.
    found = {key: name for key, sure, name, en, aliases in
             candidate_bodies(store.conn, wanted, tokens[0] if len(tokens) == 1 else "", names=bool(place))
             if sure or any(_abbreviation_match(tokens, f.split()) for f in (name, en, *aliases.split(" | ")) if f)}
    if place:
        found = {key: name for key, name in found.items() if _in_place(key, name, place)}
    return list(found)


def _in_place(key: str, name_folded: str, place: str) -> bool:
    """Whether a body is `place`'s (folded): in its key's scope ("...@tinh-lao-cai"), its key, or its name."""
    return (place.replace(" ", "-") in key.partition("@")[2] or f" {place} " in f" {name_folded} "
            or f" {place} " in f" {fold(key)} ")


def _read_body(text: str) -> dict:
    """The bodies grammar's reading of a query (name, name without place, level, place)."""
    from pipeline.tag.bodies import describe_body

    return describe_body(text)


def matching_directive_keys(store: Store, text: str) -> list[str]:
    """Directive keys for a number in any printing ("57-NQ/TW", "57/NQ-TW"), a bare
    number ("57": every directive numbered 57), or words of an unnumbered title."""
    key = number_key(text)
    if not key:
        raise QueryError("the directive to look for is empty")
    if key.isdigit():
        rows = store.rows(
            "SELECT key FROM directives WHERE id_key=? OR (id_key>=? AND id_key<?)",
            (key, key + " ", key + "!"))
    else:
        rows = store.rows(
            "SELECT key FROM directives WHERE id_key=? OR (id_key IS NULL AND"
            " (' ' || title_folded || ' ') LIKE ?)", (key, f"% {key} %"))
    return [r["key"] for r in rows]


@dataclass(frozen=True)
class Filter:
    """One filter of a query, two ways: `rows` selects the row ids of the clauses it keeps from
    its own index; `probe` tests one clause row `c` (through the table's index by clause)."""
    rows: str
    probe: str
    params: tuple


def _on(table: str, condition: str, params: list) -> Filter:
    return Filter(f"SELECT clause FROM {table} WHERE {condition}",
                   f"EXISTS (SELECT 1 FROM {table} INDEXED BY {table}_clause WHERE clause=c.rid AND {condition})",
                   tuple(params))


def clause_filters(store: Store, q: TaskQuery) -> Optional[list[Filter]]:
    """The filters `q` asks for, task kinds aside; None when nothing can match."""
    found = []
    if q.role is not None and q.role not in ROLES:
        raise QueryError(f"unknown role {q.role!r}; use one of {', '.join(ROLES)}")
    if q.body is not None:
        keys = matching_body_keys(store, q.body)
        if not keys:
            return None
        # One JSON parameter however many bodies match (a name every commune's body carries
        # matches thousands; SQLite takes at most 32,766 parameters).
        role_sql = " AND role=?" if q.role else ""
        found.append(_on("clause_bodies", f"body IN (SELECT value FROM json_each(?)){role_sql}",
                         [json.dumps(keys)] + ([q.role] if q.role else [])))
    elif q.role is not None:
        found.append(_on("clause_bodies", "role=?", [q.role]))
    if q.cites is not None:
        keys = matching_directive_keys(store, q.cites)
        if not keys:
            return None
        found.append(_on("citations", "directive IN (SELECT value FROM json_each(?))", [json.dumps(keys)]))
    for value, sql in ((q.due_in, "ends>=? AND ends<=?"), (q.due_before, "ends<=?"), (q.due_after, "ends>?")):
        if value is not None:
            first, last = _bounds(value)
            bounds = {"ends>=? AND ends<=?": [first, last], "ends<=?": [last], "ends>?": [last]}[sql]
            found.append(_on("clause_deadlines", sql, bounds))
    if q.overdue:
        today = q.today or date.today().isoformat()
        found.append(_on("clause_deadlines", "ends<? AND kind IN ('due', 'period')", [today]))
    if q.ongoing:
        found.append(_on("clause_deadlines", "kind='ongoing'", []))
    if q.doc is not None:
        docs = _documents(store, q.doc)
        if not docs:
            raise StoreError(f"no stored document matches {q.doc!r}", path=store.path,
                             hint="Give the number, file name or stem of an ingested document.")
        found.append(Filter("SELECT rid FROM clauses WHERE doc IN (SELECT value FROM json_each(?))",
                             "c.doc IN (SELECT value FROM json_each(?))", (json.dumps(docs),)))
    return found


def kind_test(q: TaskQuery) -> tuple[str, tuple]:
    """The task-kind test of a row `c` (" AND ..."), and its parameters."""
    if not q.kinds:
        return "", ()
    # "+": the kind is read off the row the filters found, never a reason to search by it
    # (one probe a kind made SQLite sort the whole answer back into document order).
    return f" AND +c.kind IN ({','.join('?' * len(q.kinds))})", tuple(q.kinds)


def _clause_filter(store: Store, q: TaskQuery) -> Optional[tuple[str, tuple]]:
    """The WHERE text (over `clauses c`) and its parameters for `q`; None when nothing can match."""
    filters = clause_filters(store, q)
    if filters is None:
        return None
    kinds, kind_params = kind_test(q)
    where = "1" + "".join(f" AND c.rid IN ({f.rows})" for f in filters) + kinds
    return f" WHERE {where}", tuple(p for f in filters for p in f.params) + kind_params


def _bounds(value: str) -> tuple[str, str]:
    """First and last day of an ISO period given to a time filter; QueryError if unreadable."""
    from pipeline.periods import period_bounds

    bounds = period_bounds(value)
    if bounds is None:
        raise QueryError(f"cannot read {value!r} as a time; use 2026, 2026-12, 2026-Q1, 2026-03-31, "
                         "quý I/2026, tháng 6/2026 or 31/3/2026")
    return bounds


def _documents(store: Store, ref: str) -> list[int]:
    """Documents `ref` names: number (any printing), file name, stem, sha256, or a bare
    number ("172") that only one kind of document carries in the store."""
    docs = store.resolve_all(ref)
    if not docs and ref.strip().isdigit():
        key = number_key(ref)
        docs = [r[0] for r in store.rows("SELECT doc FROM documents WHERE number_key LIKE ? ORDER BY doc",
                                         (key + " %",))]
    return docs


# Row ids are document order: a document's clauses are inserted in order, after every clause of
# every document stored before it (SQLite gives a new row max(rowid) + 1, and so a new document
# a higher `doc` too). Ordering by the row id needs no sort of a big answer; tests/test_query.py
# checks it against (doc, ordinal) after replacing and restoring documents.
DOCUMENT_ORDER = "c.rid"


def matching_clause_rids(store: Store, q: TaskQuery) -> list[int]:
    """Row ids of clauses matching every filter of `q`, in document order."""
    found = _clause_filter(store, q)
    if found is None:
        return []
    where, params = found
    # The kind test reads the narrow (rid, kind) index: left to itself SQLite visits each wide row.
    return [r[0] for r in store.rows(f"SELECT c.rid FROM clauses c INDEXED BY clauses_kind{where}"
                                     f" ORDER BY {DOCUMENT_ORDER}", params)]


_CLAUSE_COLUMNS = ("SELECT c.json, d.number, d.title, d.source, d.doc, d.issuer, d.date"
                   " FROM clauses c JOIN documents d ON d.doc=c.doc")


def _clause_dict(row) -> dict:
    clause = loads(row[0])
    # The row id tells two stored documents of one number apart (two communes' 87/KH-UBND).
    clause["document"] = {"number": row[1], "title": row[2], "source": row[3], "doc": row[4],
                          "issuer": row[5], "date": row[6]}
    return clause


def clause_dicts(store: Store, rids: list[int]) -> list[dict]:
    """The clause dicts `find_tasks` gives, of the clauses with these row ids, in document order."""
    rows = store.rows(f"{_CLAUSE_COLUMNS} WHERE c.rid IN (SELECT value FROM json_each(?)) ORDER BY {DOCUMENT_ORDER}",
                      (json.dumps(rids),))
    return [_clause_dict(row) for row in rows]


def find_tasks(store: Store, q: TaskQuery) -> list[dict]:
    """SPEC clause dicts (plus "document": number, title, source) matching `q`: the whole answer.

    One query with the filters inline: fetching the matching row ids first and
    then their JSON by id cost a second pass over thousands of rows.

    >>> [t["label"] for t in find_tasks(store, TaskQuery(body="UBKT"))]   # doctest: +SKIP
    ['(1)', '(2)']
    """
    found = _clause_filter(store, q)
    if found is None:
        return []
    where, params = found
    return [_clause_dict(row) for row in store.rows(f"{_CLAUSE_COLUMNS}{where} ORDER BY {DOCUMENT_ORDER}", params)]


def directives(store: Store) -> list[dict]:
    """Cited directives, most-cited first, each with the documents citing it.

    >>> directives(store)[0]["id"]   # doctest: +SKIP
    '35-NQ/TW'
    """
    rows = store.rows(
        "SELECT r.key, r.id, r.type, r.title, r.issued_by, r.year, r.date,"
        " count(*) AS citations, group_concat(DISTINCT coalesce(d.number, d.source)) AS docs"
        " FROM directives r JOIN citations ci ON ci.directive=r.key"
        " JOIN clauses c ON c.rid=ci.clause JOIN documents d ON d.doc=c.doc"
        " GROUP BY r.key ORDER BY citations DESC, r.key")
    out = []
    for row in rows:
        item = dict(row)
        item["documents"] = sorted(item.pop("docs").split(","))
        out.append(item)
    return out


def bodies(store: Store) -> list[dict]:
    """Responsible bodies with how many clauses they own or support, busiest first.

    >>> bodies(store)[0]["name"]   # doctest: +SKIP
    'Ủy ban Kiểm tra Đảng ủy'
    """
    from pipeline.tag.bodies import describe_body

    rows = store.rows(
        "SELECT b.key, b.name, b.en, b.aliases, count(DISTINCT cb.clause) AS tasks,"
        " count(DISTINCT CASE WHEN cb.role='owner' THEN cb.clause END) AS owner,"
        " count(DISTINCT CASE WHEN cb.role='support' THEN cb.clause END) AS support,"
        " group_concat(DISTINCT d.place) AS places"
        " FROM bodies b JOIN clause_bodies cb ON cb.body=b.key"
        " JOIN clauses c ON c.rid=cb.clause JOIN documents d ON d.doc=c.doc"
        " GROUP BY b.key ORDER BY tasks DESC, b.name")
    out = []
    for r in rows:
        item = dict(r)
        places = [p for p in (item.pop("places") or "").split(",") if p]
        where = describe_body(item["name"], item["key"])
        # Two "Hội đồng nhân dân tỉnh" of two provinces are two rows: the place comes from the
        # name, else from the key's scope, spelled as the documents spell it.
        item["level"] = where["level"]
        item["place"] = where["place"]
        if where["scoped"]:
            item["place"] = next((p for p in places if fold(p).replace(" ", "-") == where["place"]), where["place"])
        out.append(item)
    return out


def show(store: Store, clause_id: str) -> dict:
    """One clause with its tags, its document and its ancestors (outermost first).

    >>> show(store, "000_x/B-.III-")["ancestors"]   # doctest: +SKIP
    [{'id': '000_x/B-', 'label': 'B-', 'kind': 'heading', 'text': '...'}]
    """
    row = next(store.rows("SELECT rid FROM clauses WHERE id=? ORDER BY rid LIMIT 1", (clause_id,)), None)
    if row is None:
        raise QueryError(f"no stored clause has id {clause_id!r}",
                         hint="Copy the id from `nqgraph tasks --json`.")
    clause = clause_dicts(store, [row[0]])[0]
    ancestors = list(store.rows(
        "WITH RECURSIVE up(rid, depth) AS (SELECT parent, 1 FROM clauses WHERE rid=?"
        " UNION ALL SELECT c.parent, up.depth+1 FROM clauses c JOIN up ON c.rid=up.rid"
        " WHERE c.parent IS NOT NULL)"
        " SELECT c.id, c.label, c.kind, c.text FROM up JOIN clauses c ON c.rid=up.rid"
        " ORDER BY up.depth DESC", (row[0],)))
    clause["ancestors"] = [dict(a) for a in ancestors]
    return clause

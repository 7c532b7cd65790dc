"""A full-text index of body names, so "which tasks belong to X?" never scans every body.

One FTS5 row a body holds its folded name, English name and aliases (column `names`, a
separator token between them, so that no phrase runs from one into the next), and the initials
of every run of two or more words of its name (column `initials`: "uy ban kiem tra dang uy" →
"ubkt", "ubktdu", "ktdu" …), so an abbreviation typed alone or beside words ("UBKT Đảng ủy") is
a term too. A lookup asks the index for the bodies holding the whole phrase, or every word of
the query; a body whose `names` hold the phrase is sure, and only the rest are checked word by
word (pipeline/query.py). The cost follows the answer, not the store.
"""
from __future__ import annotations

import sqlite3

__all__ = ["body_terms", "candidate_bodies", "candidate_body_keys", "index_body", "index_all_bodies",
           "reindex_all_bodies"]

# A name longer than this adds no initials past it: nobody abbreviates twenty words.
_MAX_ABBREVIATED_WORDS = 12

CREATE = "CREATE VIRTUAL TABLE body_terms USING fts5(key UNINDEXED, names, initials)"
# A token folded text never holds (fold leaves [0-9a-z] only), between two names of a body.
SEPARATOR = "ǂ"


# "và" has no letter in an abbreviation: "Sở Văn hóa và Thể thao" is "SVHTT" (folded words).
UNSPELT = frozenset({"va"})


def body_terms(name_folded: str, en_folded: str, aliases_folded: str) -> tuple[str, str]:
    """The names and the initials the index keeps for one body.

    >>> body_terms("uy ban kiem tra", "inspection committee", "")
    ('uy ban kiem tra ǂ inspection committee', 'ub ubk ubkt bk bkt kt')
    """
    words = name_folded.split()[:_MAX_ABBREVIATED_WORDS]
    initials = list(dict.fromkeys("".join(w[0] for w in run[i:j])
                                  for run in (words, [w for w in words if w not in UNSPELT])
                                  for i in range(len(run)) for j in range(i + 2, len(run) + 1)))
    variants = [name_folded, en_folded, *(a for a in aliases_folded.split(" | ") if a)]
    return f" {SEPARATOR} ".join(v for v in variants if v), " ".join(initials)


def index_body(conn: sqlite3.Connection, key: str, name_folded: str, en_folded: str, aliases_folded: str) -> None:
    """(Re)index one body inside the caller's transaction, under the rowid of its `bodies` row
    (a lookup by the unindexed key column would scan the whole index on every upsert)."""
    rowid = conn.execute("SELECT rowid FROM bodies WHERE key=?", (key,)).fetchone()[0]
    terms = body_terms(name_folded, en_folded, aliases_folded)
    held = conn.execute("SELECT names, initials FROM body_terms WHERE rowid=?", (rowid,)).fetchone()
    if held is not None and tuple(held) == terms:
        return
    if held is not None:
        conn.execute("DELETE FROM body_terms WHERE rowid=?", (rowid,))
    conn.execute("INSERT INTO body_terms(rowid, key, names, initials) VALUES (?,?,?,?)", (rowid, key, *terms))


def index_all_bodies(conn: sqlite3.Connection) -> None:
    """The migration that builds the index for a store made before it."""
    conn.execute(CREATE)
    _fill(conn)


def reindex_all_bodies(conn: sqlite3.Connection) -> None:
    """The migration that rebuilds the index in today's shape (names apart from initials)."""
    conn.execute("DROP TABLE IF EXISTS body_terms")
    conn.execute(CREATE)
    _fill(conn)


def _fill(conn: sqlite3.Connection) -> None:
    rows = conn.execute("SELECT key, name_folded, en_folded, aliases_folded FROM bodies").fetchall()
    for key, name, en, aliases in rows:
        index_body(conn, key, name, en, aliases)


def _quoted(words: list[str]) -> str:
    # Every term in double quotes: "and", "or", "not" and "near" are FTS5 operators otherwise.
    return " ".join(f'"{w}"' for w in words)


def _match_expression(phrases: list[str]) -> str:
    """The FTS5 query for bodies holding one of `phrases` whole, or all of its words."""
    clauses = []
    for phrase in phrases:
        words = phrase.split()
        if words:
            clauses.append(f'"{phrase}"' if len(words) == 1 else f'("{phrase}" OR ({_quoted(words)}))')
    return " OR ".join(clauses)


def candidate_body_keys(conn: sqlite3.Connection, phrases: list[str]) -> list[str]:
    """Keys of bodies whose index row holds one of the folded `phrases` whole, or all of its words.

    >>> conn = sqlite3.connect(":memory:"); conn.execute(CREATE) and None
    >>> conn.execute("CREATE TABLE bodies(key TEXT PRIMARY KEY)").execute("INSERT INTO bodies VALUES ('a')") and None
    >>> index_body(conn, "a", "uy ban kiem tra dang uy", "", "")
    >>> candidate_body_keys(conn, ["ubkt dang uy"]), candidate_body_keys(conn, ["ban tuyen giao"])
    (['a'], [])
    """
    expression = _match_expression(phrases)
    if not expression:
        return []
    return [r[0] for r in conn.execute(f"SELECT key FROM bodies WHERE rowid IN ({_MATCHING_ROWIDS})", (expression,))]


# Index rows share their body's rowid (index_body): asking the index for rowids alone, never
# its stored key column, is five to twenty times faster when thousands of bodies match.
_MATCHING_ROWIDS = "SELECT rowid FROM body_terms WHERE body_terms MATCH ?"


def candidate_bodies(conn: sqlite3.Connection, phrases: list[str], term: str = "",
                     names: bool = False) -> list[tuple[str, bool, str, str, str]]:
    """(key, sure, name_folded, en_folded, aliases_folded) of the index's candidates for `phrases`.

    `sure` when one of the body's names holds one of the phrases as whole words, or when the
    index holds the single word `term` for the body (a word of its names, or the initials of a
    run of words of its name: what an abbreviation typed alone stands for). The folded names
    come only for the bodies that are not sure (and the name for all with `names`), for the
    caller's own tests.

    The index decides `sure` (a phrase within the `names` column, which the separator keeps
    inside one name): a name typed in full may have ten thousand bodies (every commune's
    "Ủy ban Kiểm tra Đảng ủy"), and checking each one in Python cost more than the query.
    """
    expression = _match_expression(phrases)
    wholes = [phrase for phrase in phrases if phrase.split()]
    if not expression:
        return []
    sure = "names : (" + " OR ".join(f'"{phrase}"' for phrase in wholes) + ")" + (f' OR "{term}"' if term else "")
    found = [(key, True, name, None, None) for key, name in conn.execute(
        f"SELECT key, {'name_folded' if names else 'NULL'} FROM bodies WHERE rowid IN ({_MATCHING_ROWIDS})", (sure,))]
    # The index's other candidates hold the words apart: the caller reads them word by word.
    found += [(key, False, name, en, aliases) for key, name, en, aliases in conn.execute(
        f"SELECT key, {', '.join(_FIELDS)} FROM bodies WHERE rowid IN ({_MATCHING_ROWIDS})"
        f" AND rowid NOT IN ({_MATCHING_ROWIDS})", (expression, sure))]
    return found


_FIELDS = ("name_folded", "en_folded", "aliases_folded")

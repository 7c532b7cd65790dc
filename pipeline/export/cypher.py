"""Cypher MERGE statements, for `cypher-shell < graph.cypher`, as often as wanted.

Every statement is a MERGE on a stable key, so loading the file a second time
(or after a re-export with one more document) adds only what is new and
changes nothing else. Nodes carry their logical key in `key` and two labels:
their type (`Clause`, `Body`, ...) and `Nqgraph`, common to all; the
uniqueness constraint written first indexes `Nqgraph.key`. A relationship is
keyed by its ends, its type and `occurrence` (1 for the first relationship of
that type between those ends, 2 for a second one: a clause may cite one
directive twice), so parallel relationships survive and none is doubled.
Properties are then set to exactly the exported ones (`SET x = {...}`).
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import networkx as nx

from pipeline.graph import GraphView, graph_view
from ..patterns import compiled

__all__ = ["COMMON_LABEL", "cypher_value", "write_cypher"]

COMMON_LABEL = "Nqgraph"
# Control characters and Unicode line separators are written as escapes, so that every
# statement stays on one line for any reader that splits lines (Python's splitlines splits
# at \x0b, \x85 and U+2028 too).
_UNPRINTABLE = compiled(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def cypher_value(value) -> str:
    """A Cypher literal.

    >>> cypher_value("Bộ Chính trị's"), cypher_value(True), cypher_value(2018)
    ("'Bộ Chính trị\\\\'s'", 'true', '2018')
    >>> print(cypher_value("dòng 1\\ndòng\\x0b2"))
    'dòng 1\\ndòng\\u000b2'
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value).replace("\\", "\\\\").replace("'", "\\'")
    return "'" + _UNPRINTABLE.sub(lambda m: _ESCAPES.get(m.group(), f"\\u{ord(m.group()):04x}"), text) + "'"


def _props(attrs: dict) -> str:
    inner = ", ".join(f"`{k}`: {cypher_value(v)}" for k, v in attrs.items() if v is not None)
    return "{" + inner + "}"


def write_cypher(graph: "nx.Graph | GraphView", path: str | Path) -> None:
    """Write a MERGE statement for every node and relationship, streaming.

    Occurrences are counted among the edges of one source in a row: both the
    store and networkx give a node's outgoing edges of one kind together.

    >>> write_cypher(StoreGraph(store), "outputs/graph.cypher")   # doctest: +SKIP
    """
    view = graph_view(graph)
    with Path(path).open("w", encoding="utf-8") as out:
        out.write(f"CREATE CONSTRAINT IF NOT EXISTS FOR (n:{COMMON_LABEL}) REQUIRE n.key IS UNIQUE;\n")
        for node, attrs in view.iter_nodes():
            label = attrs.get("type", "node").capitalize()
            out.write(f"MERGE (n:{COMMON_LABEL} {{key: {cypher_value(node)}}})"
                      f" SET n:{label}, n = {_props({**attrs, 'key': node})};\n")
        source, seen = None, Counter()
        for u, v, attrs in view.iter_edges():
            if u != source:
                source, seen = u, Counter()
            rel = attrs.get("type", "related").upper()
            seen[v, rel] += 1
            rest = {**{k: val for k, val in attrs.items() if k != "type"}, "occurrence": seen[v, rel]}
            out.write(f"MATCH (a:{COMMON_LABEL} {{key: {cypher_value(u)}}}),"
                      f" (b:{COMMON_LABEL} {{key: {cypher_value(v)}}})"
                      f" MERGE (a)-[r:{rel} {{occurrence: {seen[v, rel]}}}]->(b) SET r = {_props(rest)};\n")

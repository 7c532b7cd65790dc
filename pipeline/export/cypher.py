"""Cypher CREATE statements, for `cypher-shell < graph.cypher` into an empty database.

Nodes carry their logical key in `key`; relationships find their ends with
MATCH on that key, so the file needs the index it creates first.
"""
from __future__ import annotations

from pathlib import Path

import networkx as nx

__all__ = ["cypher_value", "write_cypher"]


def cypher_value(value) -> str:
    """A Cypher literal.

    >>> cypher_value("Bộ Chính trị's"), cypher_value(True), cypher_value(2018)
    ("'Bộ Chính trị\\\\'s'", 'true', '2018')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value).replace("\\", "\\\\").replace("'", "\\'")
    return "'" + text.replace("\n", "\\n").replace("\r", "\\r") + "'"


def _props(attrs: dict) -> str:
    inner = ", ".join(f"`{k}`: {cypher_value(v)}" for k, v in attrs.items() if v is not None)
    return "{" + inner + "}"


def write_cypher(G: nx.MultiDiGraph, path: str | Path) -> None:
    """Write CREATE statements for every node and relationship of `G`.

    >>> write_cypher(build_graph(store), "outputs/graph.cypher")   # doctest: +SKIP
    """
    labels = sorted({a.get("type", "node").capitalize() for _, a in G.nodes(data=True)})
    with Path(path).open("w", encoding="utf-8") as out:
        for label in labels:
            out.write(f"CREATE INDEX IF NOT EXISTS FOR (n:{label}) ON (n.key);\n")
        for node, attrs in G.nodes(data=True):
            label = attrs.get("type", "node").capitalize()
            out.write(f"CREATE (:{label} {_props({**attrs, 'key': str(node)})});\n")
        for u, v, attrs in G.edges(data=True):
            rel = attrs.get("type", "related").upper()
            ul, vl = (G.nodes[n].get("type", "node").capitalize() for n in (u, v))
            rest = {k: val for k, val in attrs.items() if k != "type"}
            out.write(f"MATCH (a:{ul} {{key: {cypher_value(str(u))}}}), (b:{vl} {{key: {cypher_value(str(v))}}})"
                      f" CREATE (a)-[:{rel} {_props(rest)}]->(b);\n")

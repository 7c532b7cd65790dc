"""Documents → the task-and-citation graph (SPEC §6), a networkx MultiDiGraph.

The graph is always built from a store, so documents parsed now and documents
ingested last month merge the same way: a list of `Document` values is first
loaded into an in-memory store. Every attribute is a GraphML-safe scalar
(str, int, bool); attributes with no value are left out, never None.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Optional, Union

import networkx as nx
import orjson

from pipeline.model import Document
from pipeline.query import TaskQuery, matching_clause_rids
from pipeline.store import Store, issuer_key

__all__ = ["build_graph"]


def build_graph(source: Union[Store, Iterable[Document]], *, body: Optional[str] = None,
                doc: Optional[str] = None) -> nx.MultiDiGraph:
    """The graph of stored (or given) documents, optionally only the clauses of one
    body and/or one document, with their ancestors.

    >>> G = build_graph([document])                          # doctest: +SKIP
    >>> G.nodes["dir:35-NQ/TW"]["type"]                       # doctest: +SKIP
    'directive'
    """
    if isinstance(source, Store):
        return _from_store(source, body, doc)
    with Store(":memory:") as store:
        for document in source:
            store.add(document)
        return _from_store(store, body, doc)


def _scalars(**attrs) -> dict:
    return {k: v for k, v in attrs.items() if v is not None}


def _only(column: str, keep: Optional[set[int]]) -> tuple[str, tuple]:
    """SQL condition (and its one parameter) limiting `column` to the kept clause rows.

    The ids go in as one JSON array: no bound-parameter limit, and SQLite filters
    the rows instead of Python reading every row of the store and skipping most.
    """
    if keep is None:
        return "1", ()
    return f"{column} IN (SELECT value FROM json_each(?))", (orjson.dumps(sorted(keep)).decode(),)


def _selected_rids(store: Store, body: Optional[str], doc: Optional[str]) -> Optional[set[int]]:
    """Clause row ids to keep (matches plus their ancestors), or None for all."""
    if body is None and doc is None:
        return None
    keep = set(matching_clause_rids(store, TaskQuery(body=body, doc=doc, kinds=None)))
    where, params = _only("rid", keep)
    keep.update(r[0] for r in store.rows(
        f"WITH RECURSIVE up(rid) AS (SELECT parent FROM clauses WHERE {where} UNION SELECT c.parent"
        " FROM clauses c JOIN up ON c.rid=up.rid) SELECT rid FROM up WHERE rid IS NOT NULL", params))
    return keep


def _from_store(store: Store, body: Optional[str], doc: Optional[str]) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    keep = _selected_rids(store, body, doc)
    doc_rows = {r["doc"]: r for r in store.rows("SELECT * FROM documents ORDER BY doc")}
    if keep is not None:
        where, params = _only("rid", keep)
        wanted_docs = {r[0] for r in store.rows(f"SELECT DISTINCT doc FROM clauses WHERE {where}", params)}
        if doc is not None:
            wanted_docs.update(store.resolve_all(doc))
        doc_rows = {d: r for d, r in doc_rows.items() if d in wanted_docs}
    doc_nodes = {d: _add_document(G, r) for d, r in doc_rows.items()}

    clause_nodes: dict[int, str] = {}
    siblings: dict[object, int] = defaultdict(int)
    where, params = _only("rid", keep)
    # Not SELECT *: the clause JSON is most of a row's bytes and the graph does not use it.
    for row in store.rows("SELECT rid, id, doc, parent, label, kind, text, page, path FROM clauses"
                          f" WHERE {where} ORDER BY doc, ordinal", params):
        if row["doc"] not in doc_nodes:
            continue
        node = f"clause:{row['id']}"
        clause_nodes[row["rid"]] = node
        G.add_node(node, type="clause", key=node, label=row["label"] or "", kind=row["kind"] or "",
                   text=row["text"] or "", page=row["page"] or 0,
                   path=" ".join(orjson.loads(row["path"])), doc=doc_nodes[row["doc"]])
        parent = clause_nodes.get(row["parent"], doc_nodes[row["doc"]])
        siblings[parent] += 1
        G.add_edge(parent, node, type="contains", order=siblings[parent])
    _add_deadlines(G, store, clause_nodes, keep)
    _add_bodies(G, store, clause_nodes, keep)
    _add_directives(G, store, clause_nodes, doc_rows, doc_nodes, keep)
    return G


def _add_document(G: nx.MultiDiGraph, row) -> str:
    node = f"doc:{row['number'] or row['stem']}"
    label = " ".join(filter(None, (row["kind"], row["number"]))) or row["stem"]
    G.add_node(node, **_scalars(type="document", key=node, label=label, number=row["number"],
                                kind=row["kind"], issuer=row["issuer"], date=row["date"],
                                title=row["title"], source=row["source"]))
    if row["issuer"]:
        _add_issuer(G, node, row["issuer"])
    return node


def _add_issuer(G: nx.MultiDiGraph, node: str, issuer: str) -> None:
    body = f"body:{issuer_key(issuer)}"
    if body not in G:
        G.add_node(body, type="body", key=body, label=issuer, name=issuer)
    G.add_edge(node, body, type="issued_by")


def _add_deadlines(G: nx.MultiDiGraph, store: Store, clause_nodes: dict[int, str],
                   keep: Optional[set[int]]) -> None:
    grouped: dict[int, list] = defaultdict(list)
    where, params = _only("clause", keep)
    for row in store.rows(f"SELECT * FROM clause_deadlines WHERE {where} ORDER BY clause, ordinal", params):
        if row["clause"] in clause_nodes:
            grouped[row["clause"]].append(row)
    # Several deadlines on one clause are joined with "; " so each stays a scalar.
    for rid, rows in grouped.items():
        G.nodes[clause_nodes[rid]].update(
            deadline_kind="; ".join(r["kind"] for r in rows),
            deadline_value="; ".join(r["value"] or "" for r in rows),
            deadline_text="; ".join(r["text"] or "" for r in rows),
            deadline_inherited=all(bool(r["inherited"]) for r in rows))


def _add_bodies(G: nx.MultiDiGraph, store: Store, clause_nodes: dict[int, str],
                keep: Optional[set[int]]) -> None:
    where, params = _only("cb.clause", keep)
    rows = store.rows("SELECT cb.*, b.name, b.en, b.aliases FROM clause_bodies cb"
                      f" JOIN bodies b ON b.key=cb.body WHERE {where} ORDER BY cb.clause, cb.ordinal", params)
    added: set[str] = set()
    for row in rows:
        if row["clause"] not in clause_nodes:
            continue
        node = f"body:{row['body']}"
        if node not in added:  # every row of one body carries the same name, en and aliases
            added.add(node)
            G.add_node(node, **_scalars(type="body", key=node, label=row["name"], name=row["name"],
                                        en=row["en"], aliases=row["aliases"] or None))
        G.add_edge(clause_nodes[row["clause"]], node, **_scalars(
            type="assigned_to", role=row["role"], inherited=bool(row["inherited"]),
            mention=row["mention"]))


def _add_directives(G, store: Store, clause_nodes: dict[int, str], doc_rows: dict, doc_nodes: dict,
                    keep: Optional[set[int]]) -> None:
    directives = {r["key"]: r for r in store.rows("SELECT * FROM directives")}
    where, params = _only("clause", keep)
    for row in store.rows(f"SELECT * FROM citations WHERE {where} ORDER BY clause, ordinal", params):
        if row["clause"] not in clause_nodes:
            continue
        node = row["directive"]
        if node not in G:
            d = directives[node]
            G.add_node(node, **_scalars(
                type="directive", key=node, label=d["id"] or d["title"] or node[len("dir:title:"):],
                id=d["id"], code=d["code"], issuer_code=d["issuer_code"],
                year=d["year"], date=d["date"], issued_by=d["issued_by"], title=d["title"]))
            if d["type"]:
                # "type" is the node type; the directive's own kind goes under doc_type.
                G.nodes[node]["doc_type"] = d["type"]
            if d["issued_by"]:
                _add_issuer(G, node, d["issued_by"])
        G.add_edge(clause_nodes[row["clause"]], node, type="cites", text=row["text"] or "")
    # A stored document that others cite *is* that directive node.
    by_number = {r["number_key"]: doc_nodes[d] for d, r in doc_rows.items() if r["number_key"]}
    for key, d in directives.items():
        if d["id_key"] in by_number and key in G:
            G.add_edge(by_number[d["id_key"]], key, type="is")

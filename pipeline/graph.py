"""Documents → the task-and-citation graph (SPEC §6), a networkx MultiDiGraph.

The graph is always built from a store, so documents parsed now and documents
ingested last month merge the same way: a list of `Document` values is first
loaded into an in-memory store. Every attribute is a GraphML-safe scalar
(str, int, bool); attributes with no value are left out, never None.
"""
from __future__ import annotations

import json
from collections import defaultdict
from typing import Iterable, Optional, Union

import networkx as nx

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


def _selected_rids(store: Store, body: Optional[str], doc: Optional[str]) -> Optional[set[int]]:
    """Clause row ids to keep (matches plus their ancestors), or None for all."""
    if body is None and doc is None:
        return None
    rids = matching_clause_rids(store, TaskQuery(body=body, doc=doc, kinds=None))
    keep = set(rids)
    for i in range(0, len(rids), 500):
        chunk = rids[i:i + 500]
        keep.update(r[0] for r in store.rows(
            "WITH RECURSIVE up(rid) AS (SELECT parent FROM clauses WHERE rid IN"
            f" ({','.join('?' * len(chunk))}) UNION SELECT c.parent FROM clauses c JOIN up ON"
            " c.rid=up.rid) SELECT rid FROM up WHERE rid IS NOT NULL", tuple(chunk)))
    return keep


def _from_store(store: Store, body: Optional[str], doc: Optional[str]) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    keep = _selected_rids(store, body, doc)
    doc_rows = {r["doc"]: r for r in store.rows("SELECT * FROM documents ORDER BY doc")}
    if keep is not None:
        wanted_docs = {r[0] for r in store.rows("SELECT DISTINCT doc FROM clauses WHERE rid IN"
                                                 f" ({','.join(map(str, keep)) or 'NULL'})")}
        if doc is not None:
            wanted_docs.update(store.resolve_all(doc))
        doc_rows = {d: r for d, r in doc_rows.items() if d in wanted_docs}
    doc_nodes = {d: _add_document(G, r) for d, r in doc_rows.items()}

    clause_nodes: dict[int, str] = {}
    siblings: dict[object, int] = defaultdict(int)
    for row in store.rows("SELECT * FROM clauses ORDER BY doc, ordinal"):
        if row["doc"] not in doc_nodes or (keep is not None and row["rid"] not in keep):
            continue
        node = f"clause:{row['id']}"
        clause_nodes[row["rid"]] = node
        G.add_node(node, type="clause", key=node, label=row["label"] or "", kind=row["kind"] or "",
                   text=row["text"] or "", page=row["page"] or 0,
                   path=" ".join(json.loads(row["path"])), doc=doc_nodes[row["doc"]])
        parent = clause_nodes.get(row["parent"], doc_nodes[row["doc"]])
        siblings[parent] += 1
        G.add_edge(parent, node, type="contains", order=siblings[parent])
    _add_deadlines(G, store, clause_nodes)
    _add_bodies(G, store, clause_nodes)
    _add_directives(G, store, clause_nodes, doc_rows, doc_nodes)
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


def _add_deadlines(G: nx.MultiDiGraph, store: Store, clause_nodes: dict[int, str]) -> None:
    grouped: dict[int, list] = defaultdict(list)
    for row in store.rows("SELECT * FROM clause_deadlines ORDER BY clause, ordinal"):
        if row["clause"] in clause_nodes:
            grouped[row["clause"]].append(row)
    # Several deadlines on one clause are joined with "; " so each stays a scalar.
    for rid, rows in grouped.items():
        G.nodes[clause_nodes[rid]].update(
            deadline_kind="; ".join(r["kind"] for r in rows),
            deadline_value="; ".join(r["value"] or "" for r in rows),
            deadline_text="; ".join(r["text"] or "" for r in rows),
            deadline_inherited=all(bool(r["inherited"]) for r in rows))


def _add_bodies(G: nx.MultiDiGraph, store: Store, clause_nodes: dict[int, str]) -> None:
    rows = store.rows("SELECT cb.*, b.name, b.en, b.aliases FROM clause_bodies cb"
                      " JOIN bodies b ON b.key=cb.body ORDER BY cb.clause, cb.ordinal")
    for row in rows:
        if row["clause"] not in clause_nodes:
            continue
        node = f"body:{row['body']}"
        G.add_node(node, **_scalars(type="body", key=node, label=row["name"], name=row["name"],
                                    en=row["en"], aliases=row["aliases"] or None))
        G.add_edge(clause_nodes[row["clause"]], node, **_scalars(
            type="assigned_to", role=row["role"], inherited=bool(row["inherited"]),
            mention=row["mention"]))


def _add_directives(G, store: Store, clause_nodes: dict[int, str], doc_rows: dict, doc_nodes: dict) -> None:
    directives = {r["key"]: r for r in store.rows("SELECT * FROM directives")}
    for row in store.rows("SELECT * FROM citations ORDER BY clause, ordinal"):
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

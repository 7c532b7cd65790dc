"""Documents → the task-and-citation graph (SPEC §6).

`StoreGraph` reads the graph of a store straight from SQLite, nodes first and
then edges, holding only the set of body and directive keys already written:
the exporters stream it to disk in bounded memory, whatever the store's size.
`build_graph` collects the same stream into a networkx MultiDiGraph for
analysis. Documents parsed now and documents ingested last month merge the
same way, because a list of `Document` values is first loaded into an
in-memory store. Every attribute is a GraphML-safe scalar (str, int, bool);
attributes with no value are left out, never None. No attribute is named `id`
(a directive's id is its `number`), so no reader confuses it with the node's id.
Every node has a `label`
and a `name` holding the same text: Gephi and yEd show `label`, Cytoscape's
default style shows `name`.
"""
from __future__ import annotations

from typing import Iterable, Iterator, Optional, Protocol, Union

import networkx as nx
import orjson

from pipeline.model import Document
from pipeline.query import TaskQuery, matching_clause_rids
from pipeline.store import Store, issuer_key

__all__ = ["GraphView", "NetworkxView", "StoreGraph", "build_graph", "build_graph_from", "graph_view"]

NodeItem = tuple[str, dict]
EdgeItem = tuple[str, str, dict]


class GraphView(Protocol):
    """What the exporters read: nodes, then edges, each iterable more than once."""

    def iter_nodes(self) -> Iterator[NodeItem]: ...

    def iter_edges(self) -> Iterator[EdgeItem]: ...


class NetworkxView:
    """A networkx graph seen as a `GraphView` (node keys as strings)."""

    def __init__(self, G: nx.MultiDiGraph):
        self.G = G

    def iter_nodes(self) -> Iterator[NodeItem]:
        return ((str(n), attrs) for n, attrs in self.G.nodes(data=True))

    def iter_edges(self) -> Iterator[EdgeItem]:
        return ((str(u), str(v), attrs) for u, v, attrs in self.G.edges(data=True))


def graph_view(graph: Union[nx.Graph, GraphView]) -> GraphView:
    """`graph` itself if it streams already, else a view of the networkx graph."""
    return NetworkxView(graph) if isinstance(graph, nx.Graph) else graph


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


# Not SELECT *: a row's JSON copy of the document is most of its bytes and the graph does not use it.
_DOCUMENT_COLUMNS = "doc, number, number_key, kind, issuer, date, title, source, stem"


def _document_keys(store: Store, documents: dict[int, dict]) -> dict[int, str]:
    """Graph keys of documents: `doc:<number>` (SPEC §6), and where several stored documents
    print the same number (87/KH-UBND of two communes, or of two years) each also names its
    issuer and date, so they stay two nodes."""
    shared = {r[0] for r in store.rows(
        "SELECT number FROM documents WHERE number IS NOT NULL GROUP BY number HAVING count(*) > 1")}
    keys = {}
    for d, r in documents.items():
        key = f"doc:{r['number'] or r['stem']}"
        if r["number"] in shared:
            key += f" ({', '.join(filter(None, (r['issuer'], r['date']))) or r['stem']})"
        keys[d] = key
    return keys


class StoreGraph:
    """The graph of a store, or of the clauses of one body and/or one document with
    their ancestors, read from SQLite each time it is iterated.

    >>> with Store("outputs/nqgraph.sqlite") as store:          # doctest: +SKIP
    ...     write_graphml(StoreGraph(store), "outputs/graph.graphml")
    """

    def __init__(self, store: Store, *, body: Optional[str] = None, doc: Optional[str] = None):
        self.store = store
        self.keep = _selected_rids(store, body, doc)
        rows = store.rows(f"SELECT {_DOCUMENT_COLUMNS} FROM documents ORDER BY doc")
        self.documents = {r["doc"]: dict(r) for r in rows}
        if self.keep is not None:
            where, params = _only("rid", self.keep)
            wanted = {r[0] for r in store.rows(f"SELECT DISTINCT doc FROM clauses WHERE {where}", params)}
            if doc is not None:
                wanted.update(store.resolve_all(doc))
            self.documents = {d: r for d, r in self.documents.items() if d in wanted}
        self.doc_nodes = _document_keys(store, self.documents)

    # --- nodes ---------------------------------------------------------------------------------

    def iter_nodes(self) -> Iterator[NodeItem]:
        issuers: dict[str, str] = {}  # body key → name, for issuers not also assigned a task
        for d, row in self.documents.items():
            label = " ".join(filter(None, (row["kind"], row["number"]))) or row["stem"]
            yield self.doc_nodes[d], _scalars(
                type="document", key=self.doc_nodes[d], label=label, name=label, number=row["number"],
                kind=row["kind"], issuer=row["issuer"], date=row["date"], title=row["title"],
                source=row["source"])
            if row["issuer"]:
                issuers.setdefault(f"body:{issuer_key(row['issuer'])}", row["issuer"])
        yield from self._clause_nodes()
        for row in self._directive_rows():
            yield row["key"], _directive_attrs(row)
            if row["issued_by"]:
                issuers.setdefault(f"body:{issuer_key(row['issued_by'])}", row["issued_by"])
        assigned: set[str] = set()
        for node, attrs in self._body_nodes():
            assigned.add(node)
            yield node, attrs
        for node, name in issuers.items():
            if node not in assigned:
                yield node, {"type": "body", "key": node, "label": name, "name": name}

    def _clause_nodes(self) -> Iterator[NodeItem]:
        where, params = _only("c.rid", self.keep)
        # Several deadlines on one clause are joined with "; " so each stays a scalar.
        rows = self.store.rows(
            "SELECT c.id, c.doc, c.label, c.kind, c.text, c.page, c.path,"
            " (SELECT json_group_array(json_array(kind, value, text, inherited)) FROM"
            "   (SELECT kind, value, text, inherited FROM clause_deadlines"
            "    WHERE clause=c.rid ORDER BY ordinal)) AS deadlines"
            f" FROM clauses c WHERE {where} ORDER BY c.doc, c.ordinal", params)
        for row in rows:
            if row["doc"] not in self.documents:
                continue
            node = f"clause:{row['id']}"
            attrs = {"type": "clause", "key": node, "label": row["label"] or "", "name": row["label"] or "",
                     "kind": row["kind"] or "", "text": row["text"] or "", "page": row["page"] or 0,
                     "path": " ".join(orjson.loads(row["path"])), "doc": self.doc_nodes[row["doc"]]}
            deadlines = orjson.loads(row["deadlines"])
            if deadlines:
                attrs.update(deadline_kind="; ".join(k for k, *_ in deadlines),
                             deadline_value="; ".join(v or "" for _, v, *_ in deadlines),
                             deadline_text="; ".join(t or "" for *_, t, _ in deadlines),
                             deadline_inherited=all(bool(i) for *_, i in deadlines))
            yield node, attrs

    def _directive_rows(self) -> Iterator:
        where, params = _only("clause", self.keep)
        return self.store.rows(
            "SELECT * FROM directives WHERE key IN"
            f" (SELECT directive FROM citations WHERE {where}) ORDER BY key", params)

    def _body_nodes(self) -> Iterator[NodeItem]:
        where, params = _only("clause", self.keep)
        rows = self.store.rows(
            "SELECT key, name, en, aliases FROM bodies WHERE key IN"
            f" (SELECT body FROM clause_bodies WHERE {where}) ORDER BY key", params)
        for row in rows:
            node = f"body:{row['key']}"
            yield node, _scalars(type="body", key=node, label=row["name"], name=row["name"], en=row["en"],
                                 aliases=row["aliases"] or None)

    # --- edges ---------------------------------------------------------------------------------

    def iter_edges(self) -> Iterator[EdgeItem]:
        for d, row in self.documents.items():
            if row["issuer"]:
                yield self.doc_nodes[d], f"body:{issuer_key(row['issuer'])}", {"type": "issued_by"}
        where, params = _only("c.rid", self.keep)
        # Siblings are numbered among the kept clauses: the window runs after WHERE.
        rows = self.store.rows(
            "SELECT c.id, c.doc, p.id AS parent, ROW_NUMBER() OVER"
            " (PARTITION BY c.doc, c.parent ORDER BY c.ordinal) AS n"
            f" FROM clauses c LEFT JOIN clauses p ON p.rid=c.parent WHERE {where} ORDER BY c.doc, c.ordinal",
            params)
        for row in rows:
            if row["doc"] in self.documents:
                parent = f"clause:{row['parent']}" if row["parent"] else self.doc_nodes[row["doc"]]
                yield parent, f"clause:{row['id']}", {"type": "contains", "order": row["n"]}
        yield from self._assignment_edges()
        yield from self._citation_edges()

    def _assignment_edges(self) -> Iterator[EdgeItem]:
        where, params = _only("cb.clause", self.keep)
        rows = self.store.rows(
            "SELECT c.id, c.doc, cb.body, cb.role, cb.inherited, cb.mention FROM clause_bodies cb"
            f" JOIN clauses c ON c.rid=cb.clause WHERE {where} ORDER BY cb.clause, cb.ordinal", params)
        for row in rows:
            if row["doc"] in self.documents:
                yield f"clause:{row['id']}", f"body:{row['body']}", _scalars(
                    type="assigned_to", role=row["role"], inherited=bool(row["inherited"]),
                    mention=row["mention"])

    def _citation_edges(self) -> Iterator[EdgeItem]:
        where, params = _only("ci.clause", self.keep)
        rows = self.store.rows(
            "SELECT c.id, c.doc, ci.directive, ci.text FROM citations ci"
            f" JOIN clauses c ON c.rid=ci.clause WHERE {where} ORDER BY ci.clause, ci.ordinal", params)
        for row in rows:
            if row["doc"] in self.documents:
                yield f"clause:{row['id']}", row["directive"], {"type": "cites", "text": row["text"] or ""}
        # A stored document that others cite *is* that directive node (the latest of a number wins).
        by_number = {r["number_key"]: self.doc_nodes[d] for d, r in self.documents.items() if r["number_key"]}
        for row in self._directive_rows():
            if row["issued_by"]:
                yield row["key"], f"body:{issuer_key(row['issued_by'])}", {"type": "issued_by"}
            if row["id_key"] in by_number:
                yield by_number[row["id_key"]], row["key"], {"type": "is"}


def _directive_attrs(d) -> dict:
    label = d["id"] or d["title"] or d["key"][len("dir:title:"):]
    # "type" is the node type; the directive's own kind goes under doc_type. Its id (SPEC §6 "id")
    # goes under number, as a document's does: GraphML readers (igraph) and node-link JSON keep
    # the node's own id in an attribute named "id", which this one would overwrite.
    return _scalars(type="directive", key=d["key"], label=label, name=label, number=d["id"], code=d["code"],
                    issuer_code=d["issuer_code"], year=d["year"], date=d["date"], issued_by=d["issued_by"],
                    title=d["title"], doc_type=d["type"] or None)


def build_graph(source: Union[Store, Iterable[Document]], *, body: Optional[str] = None,
                doc: Optional[str] = None) -> nx.MultiDiGraph:
    """The graph of stored (or given) documents as a networkx MultiDiGraph, optionally
    only the clauses of one body and/or one document, with their ancestors.

    >>> G = build_graph([document])                          # doctest: +SKIP
    >>> G.nodes["dir:35-NQ/TW"]["type"]                       # doctest: +SKIP
    'directive'
    """
    if isinstance(source, Store):
        return build_graph_from(StoreGraph(source, body=body, doc=doc))
    with Store(":memory:") as store:
        for document in source:
            store.add(document)
        return build_graph_from(StoreGraph(store, body=body, doc=doc))


def build_graph_from(view: GraphView) -> nx.MultiDiGraph:
    """The networkx MultiDiGraph of a streamed graph."""
    G = nx.MultiDiGraph()
    G.add_nodes_from(view.iter_nodes())
    G.add_edges_from(view.iter_edges())
    return G

"""What the task, graph and export pages show: the query a page's parameters ask for,
the graph of the tasks it finds, and that graph as cytoscape.js draws it.

>>> q, said = query_from_params({"q": "tasks of UBKT"})   # doctest: +SKIP
>>> cytoscape_elements(selection_graph(store, q))          # doctest: +SKIP
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Optional

import networkx as nx

from pipeline.graph import build_graph
from pipeline.query import TaskQuery, find_tasks
from pipeline.store import Store

__all__ = ["FILTERS", "query_from_params", "selection_graph", "cytoscape_elements", "most_connected"]

FILTERS = ("body", "role", "cites", "doc", "due_in", "due_before", "due_after")


def query_from_params(params, today: Optional[date] = None) -> tuple[TaskQuery, Optional[str]]:
    """The TaskQuery a page's parameters ask for: the question `q` parsed as
    `nqgraph ask` would, then each filter the panel sets on top of it, typed the
    way staff type them ("quý I/2026", "chủ trì").

    >>> query_from_params({"q": "tasks of UBKT", "due_before": "2025-12"})[0].due_before
    '2025-12'
    """
    from pipeline.ask import describe, parse_question
    from pipeline.query import staff_query

    today = today or date.today()
    question = (params.get("q") or "").strip()
    q = parse_question(question, today) if question else TaskQuery()
    typed = {name: params[name].strip() for name in FILTERS if (params.get(name) or "").strip()}
    flags = {flag: True for flag in ("ongoing", "overdue") if params.get(flag)}
    read = staff_query(**typed, **flags, today=today)
    changes = {name: getattr(read, name) for name in list(typed) + list(flags)}
    if read.overdue:
        changes["today"] = read.today
    q = replace(q, **changes)
    return q, describe(q)


def selection_graph(store: Store, q: TaskQuery) -> nx.MultiDiGraph:
    """The graph of the tasks `q` finds: those clauses, their ancestors up to the
    document, and the bodies and directives they point to.

    >>> selection_graph(store, TaskQuery(body="UBKT")).number_of_nodes()   # doctest: +SKIP
    12
    """
    G = build_graph(store, body=q.body, doc=q.doc)
    keep: set[str] = set()
    for task in find_tasks(store, q):
        node = f"clause:{task['id']}"
        if node not in G:
            continue
        keep.add(node)
        keep.update(n for n in G.successors(node) if G.nodes[n].get("type") in ("body", "directive"))
        keep |= _containers(G, node, keep)
    return G.subgraph(keep).copy()


def _containers(G: nx.MultiDiGraph, node: str, known: set) -> set:
    """The headings and document that contain `node` (its ancestors through `contains`
    edges), except those in `known`: a known one's own ancestors are known already."""
    found: set = set()
    up = [node]
    while up:
        up = [p for n in up for p, _, t in G.in_edges(n, data="type") if t == "contains" and p not in known | found]
        found.update(up)
    return found


def cytoscape_elements(G: nx.MultiDiGraph) -> list[dict]:
    """The graph as cytoscape.js takes it: one `{"data": …}` per node, then one per edge,
    labels cut to what a browser can draw.

    >>> cytoscape_elements(nx.MultiDiGraph([("document:1", "clause:x/1")]))[2]["data"]["source"]
    'document:1'
    """
    elements = []
    for node, attrs in G.nodes(data=True):
        label = attrs.get("name") or attrs.get("label") or attrs.get("id") or node
        if attrs.get("type") == "clause":
            label = f"{attrs.get('label', '')} {attrs.get('text', '')[:40]}".strip()
        elements.append({"data": {"id": node, "label": str(label)[:60], "type": attrs.get("type", ""),
                                  "title": str(attrs.get("text") or attrs.get("title") or label)[:300]}})
    for i, (u, v, attrs) in enumerate(G.edges(data=True)):
        elements.append({"data": {"id": f"e{i}", "source": u, "target": v, "type": attrs.get("type", ""),
                                  "role": attrs.get("role", "")}})
    return elements


def most_connected(G: nx.MultiDiGraph, limit: int) -> nx.MultiDiGraph:
    """The part of a graph too big to draw that says most: the busiest bodies with their
    tasks, each task's headings up to its document, and the directives those tasks cite."""
    bodies = sorted((n for n, t in G.nodes(data="type") if t == "body"), key=lambda n: -G.in_degree(n))
    keep: set = set()
    for body in bodies:
        grown = set(keep) | {body}
        for clause in G.predecessors(body):
            grown.add(clause)
            grown.update(n for n in G.successors(clause) if G.nodes[n].get("type") == "directive")
            grown |= _containers(G, clause, grown)
        if len(grown) > limit and keep:
            break
        keep = grown
    return G.subgraph(keep).copy()

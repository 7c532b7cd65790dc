"""The task-and-citation graph: node and edge types of SPEC §6, merging across documents."""
from collections import Counter

from graph_samples import sample_documents
from pipeline.graph import build_graph
from pipeline.store import Store


def test_node_and_edge_types():
    G = build_graph(sample_documents())
    assert Counter(a["type"] for _, a in G.nodes(data=True)) == {
        "document": 2, "clause": 8, "body": 6, "directive": 4}
    assert Counter(a["type"] for *_, a in G.edges(data=True)) == {
        "contains": 8, "assigned_to": 8, "cites": 5, "issued_by": 4, "is": 1}


def test_attributes_are_scalars_and_every_node_has_a_label_and_a_name():
    G = build_graph(sample_documents())
    for _, attrs in list(G.nodes(data=True)) + [(None, a) for *_, a in G.edges(data=True)]:
        assert all(isinstance(v, (str, int, bool)) for v in attrs.values())
    # Gephi and yEd show `label`, Cytoscape `name`: the same text in all three.
    assert all(a.get("label") and a.get("name") == a["label"] for _, a in G.nodes(data=True))


def test_shared_directive_is_one_node_and_cited_document_is_it():
    G = build_graph(sample_documents())
    citing = sorted(u for u, _, a in G.in_edges("dir:35-NQ/TW", data=True) if a["type"] == "cites")
    assert citing == ["clause:012_nq_an_hoa/I-.1..(1)", "clause:030_nq_hdnd/Điều 1..b)"]
    assert sorted((u, a["type"]) for u, _, a in G.in_edges("dir:12-NQ/ĐU", data=True)) == [
        ("clause:030_nq_hdnd/Điều 1..a)", "cites"), ("doc:12-NQ/ĐU", "is")]
    assert G.nodes["dir:35-NQ/TW"]["year"] == 2018
    assert [v for _, v, a in G.out_edges("dir:35-NQ/TW", data=True) if a["type"] == "issued_by"] == ["body:bo-chinh-tri"]


def test_clause_attributes_and_order():
    G = build_graph(sample_documents())
    clause = G.nodes["clause:030_nq_hdnd/Điều 1..a)"]
    assert (clause["deadline_kind"], clause["deadline_value"], clause["path"]) == ("due", "2025-Q3", "Điều 1. a)")
    orders = [(v, a["order"]) for _, v, a in G.out_edges("clause:012_nq_an_hoa/I-", data=True)]
    assert orders == [("clause:012_nq_an_hoa/I-.1.", 1), ("clause:012_nq_an_hoa/I-.2.", 2)]
    roles = {(v, a["role"], a["inherited"]) for _, v, a in G.out_edges("clause:012_nq_an_hoa/I-.1..(1)", data=True)
             if a["type"] == "assigned_to"}
    assert roles == {("body:phuong-an-hoa/uy-ban-kiem-tra-dang-uy", "owner", True),
                     ("body:van-phong-dang-uy", "support", False)}


def test_filter_by_body_keeps_ancestors(tmp_path):
    with Store(tmp_path / "g.sqlite") as store:
        for d in sample_documents():
            store.add(d)
        G = build_graph(store, body="UBKT")
    clauses = sorted(n for n, a in G.nodes(data=True) if a["type"] == "clause")
    assert clauses == ["clause:012_nq_an_hoa/I-", "clause:012_nq_an_hoa/I-.1.", "clause:012_nq_an_hoa/I-.1..(1)",
                       "clause:012_nq_an_hoa/I-.1..(2)", "clause:030_nq_hdnd/Điều 1.", "clause:030_nq_hdnd/Điều 1..a)"]


def test_filter_by_doc():
    G = build_graph(sample_documents(), doc="12-NQ/ĐU")
    assert sorted(n for n, a in G.nodes(data=True) if a["type"] == "document") == ["doc:12-NQ/ĐU"]


def test_no_attribute_is_named_id_and_a_directive_id_is_its_number():
    """igraph's GraphML reader and node-link JSON keep a node's own id under "id": an attribute
    of that name would take its place (igraph then drops the ids; JSON loses the attribute)."""
    G = build_graph(sample_documents())
    assert not any("id" in a for _, a in G.nodes(data=True)) and not any("id" in a for *_, a in G.edges(data=True))
    assert G.nodes["dir:35-NQ/TW"]["number"] == "35-NQ/TW"
    assert G.nodes["doc:12-NQ/ĐU"]["number"] == "12-NQ/ĐU"


def test_two_offices_documents_of_one_number_are_two_nodes(tmp_path):
    """87/KH-UBND of commune A and of commune B are both stored (issuer + number + date),
    so the graph keeps them apart too; a number only one document prints keeps its plain key."""
    import hashlib
    from dataclasses import replace

    base = sample_documents()[0]
    twins = [replace(base, source=f"kh_{name}.pdf", sha256=hashlib.sha256(name.encode()).hexdigest(),
                     info=replace(base.info, number="87/KH-UBND", issuer=f"Ủy ban nhân dân xã {name}"))
             for name in ("An Hòa", "Bình Minh")]
    with Store(tmp_path / "s.sqlite") as store:
        for document in twins + sample_documents()[1:]:
            store.add(document)
        G = build_graph(store)
    documents = sorted(n for n, t in G.nodes(data="type") if t == "document")
    twin_keys = [n for n in documents if n.startswith("doc:87/KH-UBND")]
    assert len(twin_keys) == 2 and all("xã" in k for k in twin_keys)
    assert all(" (" not in n for n in documents if not n.startswith("doc:87/"))

"""Exports that load into a database or open in a spreadsheet, and the web page's downloads.

Neo4j CSV keeps every value exactly (a database import is not a spreadsheet) and comes with
the `neo4j-admin` command it needs; the Cypher file is all MERGEs on stable keys, loaded
twice here by a small reader of the statements it writes (no Neo4j in CI) to show the second
load changes nothing; spreadsheet CSV has a BOM and no live formulas; the web page offers
every export.
"""
import csv
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import networkx as nx
import pytest
import regex
from starlette.testclient import TestClient

from graph_samples import sample_documents
from pipeline.export import FORMATS, export, write_csv, write_cypher
from pipeline.export.csv import neo4j_cell
from pipeline.export.download import DOWNLOADS, TASKS_CSV
from pipeline.export.spreadsheet import BOM, TASK_COLUMNS, neutralise, spreadsheet_csv
from pipeline.graph import StoreGraph, build_graph
from pipeline.web import WebConfig, create_app

ROOT = Path(__file__).resolve().parents[1]
# Values a spreadsheet guard or a careless writer would change: a label starting with "-",
# a formula-like title, quotes, a text over three lines, an empty text.
AWKWARD = {"label": "- a)", "title": "=SUM(A1) + @x", "text": 'dòng 1\n"dòng 2"\r\ndòng 3', "kind": ""}


@pytest.fixture(scope="module")
def G():
    G = build_graph(sample_documents())
    G.nodes["clause:012_nq_an_hoa/I-.2."].update(AWKWARD)
    return G


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return [dict(zip(header, row)) for row in reader]


# --- Neo4j CSV ------------------------------------------------------------------------------------

@pytest.mark.parametrize("value,cell", [("- a)", '"- a)"'), ("=1+1", '"=1+1"'), ('a "b"', '"a ""b"""'),
                                        ("", '""'), (None, ""), (7, "7"), (True, "true"), ("x\ny", '"x\ny"')])
def test_neo4j_cells_are_exact(value, cell):
    """No formula guard; an empty text is "" (neo4j imports an empty string), a missing value nothing."""
    assert neo4j_cell(value) == cell


def test_neo4j_csv_reads_back_value_for_value(G, tmp_path):
    files = write_csv(G, tmp_path / "neo4j")
    assert sorted(f.name for f in files) == ["nodes_body.csv", "nodes_clause.csv", "nodes_directive.csv",
                                             "nodes_document.csv", "relationships.csv"]
    clause = next(r for r in _rows(tmp_path / "neo4j" / "nodes_clause.csv")
                  if r["key:ID"] == "clause:012_nq_an_hoa/I-.2.")
    assert {name: clause[name] for name in ("label", "text", "kind")} == {
        name: AWKWARD[name] for name in ("label", "text", "kind")}
    assert ',"",' in (tmp_path / "neo4j" / "nodes_clause.csv").read_text(encoding="utf-8")  # kind ""
    directive = next(r for r in _rows(tmp_path / "neo4j" / "nodes_directive.csv") if r["key:ID"] == "dir:35-NQ/TW")
    assert (directive[":LABEL"], directive["number"], directive["year:long"]) == ("Directive", "35-NQ/TW", "2018")
    relationships = _rows(tmp_path / "neo4j" / "relationships.csv")
    assert len(relationships) == G.number_of_edges() and "order:long" in relationships[0]
    node_ids = {r["key:ID"] for f in files if f.name.startswith("nodes_") for r in _rows(f)}
    assert {r[":START_ID"] for r in relationships} | {r[":END_ID"] for r in relationships} <= node_ids


def test_export_prints_the_neo4j_admin_command_with_the_flags_it_needs(G, store, tmp_path):
    multiline = export(G, "csv", tmp_path / "a").next_step
    # The database first: from Neo4j 5.19 a name after the file options is read as a file.
    assert multiline.startswith("neo4j-admin database import full neo4j --multiline-fields=true --nodes=")
    assert multiline.endswith(f"--relationships={tmp_path / 'a' / 'relationships.csv'}")
    assert multiline.count("--nodes=") == 4
    one_line = nx.MultiDiGraph(G)
    for _, attrs in one_line.nodes(data=True):
        attrs.update({k: " ".join(v.split()) for k, v in attrs.items() if isinstance(v, str)})
    assert "--multiline-fields" not in export(one_line, "csv", tmp_path / "b").next_step
    cli = subprocess.run([sys.executable, "-m", "pipeline.cli", "export", "--format", "csv", "-o",
                          str(tmp_path / "c"), "--db", str(store.path)], capture_output=True, text=True, timeout=300)
    assert cli.returncode == 0, cli.stderr
    assert "neo4j-admin database import full neo4j --nodes=" in cli.stdout  # no text spans lines there


# --- Cypher ----------------------------------------------------------------------------------------

_LITERAL = r"'(?:[^'\\]|\\.)*'|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false"
_MAP = rf"\{{(?:`[^`]+`: (?:{_LITERAL})(?:, `[^`]+`: (?:{_LITERAL}))*)?\}}"


def _key(group: str) -> str:
    return rf"\{{key: (?P<{group}>{_LITERAL})\}}"


STATEMENTS = {
    "constraint": regex.compile(r"CREATE CONSTRAINT IF NOT EXISTS FOR \(n:Nqgraph\) REQUIRE n\.key IS UNIQUE"),
    "node": regex.compile(rf"MERGE \(n:Nqgraph {_key('key')}\) SET n:(?P<label>[A-Z]\w*), n = (?P<props>{_MAP})"),
    "relationship": regex.compile(
        rf"MATCH \(a:Nqgraph {_key('a')}\), \(b:Nqgraph {_key('b')}\)"
        rf" MERGE \(a\)-\[r:(?P<type>[A-Z_]+) \{{occurrence: (?P<n>\d+)\}}\]->\(b\) SET r = (?P<props>{_MAP})"),
}


def _literal(text: str):
    if text.startswith("'"):
        escapes = {"n": "\n", "r": "\r", "t": "\t"}
        return regex.sub(r"\\(u[0-9a-f]{4}|.)", lambda m: chr(int(m.group(1)[1:], 16)) if len(m.group(1)) == 5
                         else escapes.get(m.group(1), m.group(1)), text[1:-1])
    return {"true": True, "false": False}.get(text) if text in ("true", "false") else int(text)


def _props(text: str) -> dict:
    return {m.group(1): _literal(m.group(2)) for m in regex.finditer(rf"`([^`]+)`: ({_LITERAL})", text)}


def _load(path: Path, db: dict) -> None:
    """Apply the file's statements to `db` ({"nodes": key → (label, props), "rels": ...}) as
    Neo4j would: MERGE finds or makes the node or relationship with that key, SET replaces.
    One statement a line, however the lines are split (splitlines also splits at \x0b)."""
    for line in path.read_text(encoding="utf-8").splitlines():
        kind, match = next(((k, p.fullmatch(line.rstrip(";"))) for k, p in STATEMENTS.items()
                            if p.fullmatch(line.rstrip(";"))), (None, None))
        assert match, f"not a MERGE on a key: {line[:120]}"
        if kind == "node":
            db["nodes"][_literal(match["key"])] = (match["label"], _props(match["props"]))
        elif kind == "relationship":
            a, b = _literal(match["a"]), _literal(match["b"])
            assert a in db["nodes"] and b in db["nodes"], "MATCH would find no node"
            db["rels"][a, match["type"], b, int(match["n"])] = _props(match["props"])


def test_cypher_loaded_twice_changes_nothing(G, tmp_path):
    H = G.copy()
    u, v, cited = next((u, v, a) for u, v, a in H.edges(data=True) if a["type"] == "cites")
    H.add_edge(u, v, **{**cited, "text": "lần thứ hai"})  # a clause citing one directive twice
    path = tmp_path / "g.cypher"
    write_cypher(H, path)
    db = {"nodes": {}, "rels": {}}
    _load(path, db)
    once = {"nodes": dict(db["nodes"]), "rels": dict(db["rels"])}
    _load(path, db)
    assert db == once
    assert len(db["nodes"]) == H.number_of_nodes() and len(db["rels"]) == H.number_of_edges()
    for node, attrs in H.nodes(data=True):
        assert db["nodes"][node] == (attrs["type"].capitalize(), {**attrs, "key": node}), node
    texts = sorted(p["text"] for (a, t, b, _), p in db["rels"].items() if (a, t, b) == (u, "CITES", v))
    assert texts == sorted([cited["text"], "lần thứ hai"])


# --- spreadsheets --------------------------------------------------------------------------------

@pytest.mark.parametrize("cell,safe", [("=1+1", "'=1+1"), ("+84", "'+84"), ("- thực hiện", "'- thực hiện"),
                                       ("@SUM(A1)", "'@SUM(A1)"), ("Nghị quyết", "Nghị quyết")])
def test_formula_cells_neutralised(cell, safe):
    assert neutralise(cell) == safe


def test_spreadsheet_csv_has_a_bom_and_no_live_formula():
    data = spreadsheet_csv(["nhãn", "văn bản"], [["- a)", "=HYPERLINK(1)"], ["Sở Tài chính", None]])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["nhãn", "văn bản"], ["'- a)", "'=HYPERLINK(1)"], ["Sở Tài chính", ""]]


def test_tasks_csv_on_the_command_line_is_for_spreadsheets(store):
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "tasks", "--csv", "--db", str(store.path)],
                          capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.startswith(BOM.encode("utf-8"))
    rows = list(csv.reader(io.StringIO(done.stdout.decode("utf-8-sig"))))
    assert len(rows) > 1 and not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


# --- the web page ----------------------------------------------------------------------------------

def test_the_web_page_offers_every_export(store):
    assert set(DOWNLOADS) == set(FORMATS) | {TASKS_CSV}
    client = TestClient(create_app(WebConfig(db=Path(store.path))), base_url="http://127.0.0.1")
    page = client.get("/tasks", params={"body": "UBKT"})
    assert page.status_code == 200
    for fmt, (media, name) in DOWNLOADS.items():
        assert f'id="download-{fmt}" href="/export/{fmt}?body=UBKT"' in page.text, fmt
        answer = client.get(f"/export/{fmt}", params={"body": "UBKT"})
        assert answer.status_code == 200 and answer.content, fmt
        assert answer.headers["content-type"].startswith(media.split(";")[0]), fmt
        assert answer.headers["content-disposition"] == f'attachment; filename="{name}"'
    tasks = client.get(f"/export/{TASKS_CSV}", params={"body": "UBKT"}).content
    assert tasks.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(tasks.decode("utf-8-sig"))))
    assert rows[0] == list(TASK_COLUMNS) and len(rows) > 1
    archive = zipfile.ZipFile(io.BytesIO(client.get("/export/csv").content))
    command = archive.read("nqgraph-csv/IMPORT.txt").decode("utf-8")
    assert "neo4j-admin database import full neo4j" in command and "--nodes=nqgraph-csv/nodes_" in command
    assert "MERGE" in client.get("/export/cypher").text and "CREATE (" not in client.get("/export/cypher").text


def test_streamed_store_export_of_every_format_succeeds(store, tmp_path):
    for fmt in FORMATS:
        counts = export(StoreGraph(store), fmt, tmp_path / f"out.{fmt}")
        assert counts.nodes and counts.edges, fmt


def test_export_format_is_one_of_the_choices(store, tmp_path):
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "export", "--format", "xlsx", "-o",
                           str(tmp_path / "x"), "--db", str(store.path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 2 and not (tmp_path / "x").exists()
    assert all(f"'{fmt}'" in " ".join(done.stderr.split()) for fmt in FORMATS), done.stderr
    shown = subprocess.run([sys.executable, "-m", "pipeline.cli", "export", "--help"], capture_output=True, text=True,
                           timeout=300, env={**os.environ, "COLUMNS": "200"})
    assert "graphml|graphml-yed|gexf|json|csv|cypher" in shown.stdout

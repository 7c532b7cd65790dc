"""Structured queries on a real SQLite store, and the graph CLI commands."""
import json

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.errors import QueryError, StoreError
from pipeline.fold import fold
from pipeline.query import TaskQuery, bodies, directives, find_tasks, matching_body_keys, show
from pipeline.store import Store

from graph_samples import sample_documents

A1, A2, A3 = "012_nq_an_hoa/I-.1..(1)", "012_nq_an_hoa/I-.1..(2)", "012_nq_an_hoa/I-.2."
B1, B2 = "030_nq_hdnd/Điều 1..a)", "030_nq_hdnd/Điều 1..b)"


def ids(store, **kw):
    return [t["id"] for t in find_tasks(store, TaskQuery(**kw))]


@pytest.mark.parametrize("body", ["Inspection Committee", "Ủy ban Kiểm tra", "UBKT", "uy ban kiem tra",
                                  "UBKT Đảng ủy", "ủy ban kiểm tra đảng uỷ"])
def test_body_in_every_spelling(store, body):
    assert ids(store, body=body) == [A1, A2, B1]


@pytest.mark.parametrize("kw,expected", [
    (dict(body="UBKT", role="owner"), [A1, A2]),
    (dict(body="UBKT", role="support"), [B1]),
    (dict(role="support"), [A1, B1]),
    (dict(body="UBND"), [A3, B1, B2]),
    (dict(body="Ward People's Committee", doc="30/NQ-HĐND"), [B1, B2]),
    (dict(cites="57-NQ/TW"), [B1]),
    (dict(cites="57/NQ-TW"), [B1]),
    (dict(cites="35"), [A1, B2]),
    (dict(cites="dân chủ ở cơ sở"), [A3]),
    (dict(cites="99-NQ/TW"), []),
    (dict(due_before="2025-12"), [A1, B1]),
    (dict(due_before="2025-08"), [A1]),
    (dict(due_before="2030"), [A1, B1, B2]),
    (dict(ongoing=True), [A3]),
    (dict(body="Bộ Công an"), []),
])
def test_filters(store, kw, expected):
    assert ids(store, **kw) == expected


def test_task_dict_has_spec_fields_and_document(store):
    task = find_tasks(store, TaskQuery(cites="57"))[0]
    assert task["document"] == {"number": "30/NQ-HĐND", "title": "Về chương trình giám sát\x0b năm 2025",
                                "source": "030_nq_hdnd.pdf", "doc": 2, "issuer": "Hội đồng nhân dân phường An Hòa",
                                "date": "2024-07-10"}
    assert task["path"] == ["Điều 1.", "a)"]
    assert [c["id"] for c in task["citations"]] == ["12-NQ/ĐU", "57-NQ/TW"]
    assert task["deadlines"][0]["value"] == "2025-Q3"


def test_bad_values_raise_named_errors(store):
    with pytest.raises(QueryError):
        find_tasks(store, TaskQuery(due_before="soon"))
    with pytest.raises(QueryError):
        find_tasks(store, TaskQuery(role="boss"))
    with pytest.raises(StoreError):
        find_tasks(store, TaskQuery(doc="1/NQ-XX"))


def test_directives_most_cited_first(store):
    rows = directives(store)
    assert [(r["id"], r["citations"], r["documents"]) for r in rows[:2]] == [
        ("35-NQ/TW", 2, ["12-NQ/ĐU", "30/NQ-HĐND"]), ("12-NQ/ĐU", 1, ["30/NQ-HĐND"])]


def test_bodies_with_counts(store):
    assert [(b["name"], b["tasks"], b["owner"], b["support"]) for b in bodies(store)] == [
        ("Ủy ban Kiểm tra Đảng ủy", 4, 3, 1), ("Ủy ban nhân dân phường", 3, 3, 0),
        ("Văn phòng Đảng ủy", 1, 0, 1)]


def test_show_gives_ancestors(store):
    clause = show(store, A1)
    assert [a["label"] for a in clause["ancestors"]] == ["I-", "1."]
    with pytest.raises(QueryError):
        show(store, "nope")


runner = CliRunner()


def test_cli_tasks_json_and_exit_codes(store):
    db = store.path
    result = runner.invoke(app, ["tasks", "--body", "UBKT", "--json", "--db", db])
    assert result.exit_code == 0
    assert [t["id"] for t in json.loads(result.stdout)] == [A1, A2, B1]
    assert runner.invoke(app, ["tasks", "--body", "Bộ Công an", "--db", db]).exit_code == 1
    bad = runner.invoke(app, ["tasks", "--due-before", "soon", "--db", db])
    assert bad.exit_code == 2 and "E030" in bad.stderr


def test_cli_ask_prints_command_then_answer(store):
    result = runner.invoke(app, ["ask", "việc nào thực hiện Nghị quyết 57?", "--db", store.path])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "nqgraph tasks --cites 57"
    answered = runner.invoke(app, ["ask", "việc nào thực hiện Nghị quyết 57?", "--json", "--db", store.path])
    ids = [t["id"] for t in json.loads(answered.stdout)]
    assert ids == [B1] and B1 in result.stdout


def test_cli_tasks_table_has_the_ids_show_takes_and_staff_deadlines(store):
    result = runner.invoke(app, ["tasks", "--body", "UBKT", "--db", store.path])
    assert result.exit_code == 0
    assert A1 in result.stdout and "task" in result.stdout.splitlines()[1]
    assert "R/P" not in result.stdout and "ongoing" not in result.stdout


def test_cli_query_of_a_missing_store_is_an_error_not_an_empty_store(tmp_path):
    missing = tmp_path / "typo.sqlite"
    result = runner.invoke(app, ["tasks", "--body", "UBKT", "--db", str(missing)])
    assert result.exit_code == 2 and "no store here" in result.stderr and not missing.exists()


def test_cli_documents_lists_the_store(store):
    rows = json.loads(runner.invoke(app, ["documents", "--json", "--db", store.path]).stdout)
    assert {"number", "kind", "issuer", "date", "clauses", "tasks", "source"} <= rows[0].keys()
    table = runner.invoke(app, ["documents", "--db", store.path]).stdout
    assert "12-NQ/ĐU" in table


def test_cli_tasks_reads_the_forms_staff_type(store):
    db = store.path
    as_ids = lambda *args: [t["id"] for t in json.loads(runner.invoke(app, ["tasks", *args, "--json", "--db", db]).stdout or "[]")]  # noqa: E731
    assert as_ids("--body", "UBKT", "--role", "chủ trì") == as_ids("--body", "UBKT", "--role", "owner")
    assert as_ids("--cites", "Nghị quyết 57") == as_ids("--cites", "57")
    assert as_ids("--due-before", "31/12/2025") == as_ids("--due-before", "2025-12-31")
    assert as_ids("--due-in", "quý II/2025") == as_ids("--due-in", "2025-Q2")
    bad = runner.invoke(app, ["tasks", "--role", "boss", "--db", db])
    assert bad.exit_code == 2 and "chủ trì" in bad.stderr


def test_cli_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("nqgraph ")


def test_cli_lists_show_remove_export(store, tmp_path):
    db = store.path
    assert "35-NQ/TW" in runner.invoke(app, ["directives", "--db", db]).stdout
    assert json.loads(runner.invoke(app, ["bodies", "--json", "--db", db]).stdout)[0]["tasks"] == 4
    assert json.loads(runner.invoke(app, ["show", A1, "--json", "--db", db]).stdout)["id"] == A1
    out = tmp_path / "g.graphml"
    result = runner.invoke(app, ["export", "--format", "graphml", "-o", str(out), "--body", "UBKT", "--db", db])
    assert result.exit_code == 0 and out.exists()
    assert runner.invoke(app, ["export", "--format", "dot", "-o", str(out), "--db", db]).exit_code == 2
    assert runner.invoke(app, ["remove", "12-NQ/ĐU", "--db", db]).exit_code == 0
    assert runner.invoke(app, ["remove", "12-NQ/ĐU", "--db", db]).exit_code == 2


def test_cli_show_in_context(store):
    result = runner.invoke(app, ["show", A1, "--db", store.path])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("12-NQ/ĐU — ")
    assert [line.split()[0] for line in lines[1:4]] == ["I-", "1.", "(1)"]
    assert lines[2].startswith("  1.") and lines[3].startswith("    (1)")
    assert any(line.strip().startswith("bodies: ") and "(owner)" in line for line in lines)


def _csv(result):
    """Spreadsheet CSV: a UTF-8 byte-order mark first (Excel reads Vietnamese right), then rows."""
    import csv
    import io
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("\ufeff")
    return list(csv.reader(io.StringIO(result.stdout[1:])))


def test_cli_every_listing_has_csv(store):
    db = store.path
    shown = _csv(runner.invoke(app, ["show", A1, "--csv", "--db", db]))
    assert [row[:3] for row in shown] == [["level", "id", "label"], ["0", "012_nq_an_hoa/I-", "I-"],
                                          ["1", "012_nq_an_hoa/I-.1.", "1."], ["2", A1, "(1)"]]
    asked = _csv(runner.invoke(app, ["ask", "nhiệm vụ của UBKT", "--csv", "--db", db]))
    assert asked[0][:2] == ["id", "document"] and [r[0] for r in asked[1:]] == [A1, A2, B1]
    bodies_rows = _csv(runner.invoke(app, ["bodies", "--csv", "--db", db]))
    assert bodies_rows[0] == ["body", "level", "place", "English", "tasks", "owner", "support"] \
        and bodies_rows[1][4] == "4"
    directive_rows = _csv(runner.invoke(app, ["directives", "--csv", "--db", db]))
    assert directive_rows[0][0] == "directive" and any(r[0] == "35-NQ/TW" for r in directive_rows[1:])


def test_bodies_are_found_through_the_name_index(store):
    """Every way staff name a body reaches it through the FTS index, not a scan of the table."""
    from pipeline.store.body_index import candidate_body_keys

    every = [r["key"] for r in store.rows("SELECT key FROM bodies")]
    for typed in ("UBKT", "Ủy ban Kiểm tra", "uy ban kiem tra", "Inspection Committee", "ubkt dang uy"):
        keys = matching_body_keys(store, typed)
        assert keys, typed
        assert set(keys) <= set(candidate_body_keys(store.conn, [fold(typed)]))
    assert len(candidate_body_keys(store.conn, ["uy ban kiem tra"])) < len(every)
    assert matching_body_keys(store, "Bộ Quốc phòng") == []


def test_an_old_store_gets_its_body_index(tmp_path):
    """A store written before the index (schema 2) is indexed when opened."""
    import sqlite3

    from pipeline.store.schema import MIGRATIONS
    path = tmp_path / "v2.sqlite"
    with Store(path) as store:
        for document in sample_documents():
            store.add(document)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TABLE body_terms")
    conn.execute("PRAGMA user_version=2")
    conn.close()
    with Store(path) as store:
        assert store.schema_version == len(MIGRATIONS)
        assert matching_body_keys(store, "UBKT")


PLAN = ("ỦY BAN NHÂN DÂN\nTỈNH {caps}\nSố: {n}/KH-UBND\n{place}, ngày 3 tháng 4 năm 2026\nKẾ HOẠCH\n"
        "Triển khai công tác năm 2026\n1. Đề nghị Hội đồng nhân dân tỉnh giám sát việc thực hiện.\n"
        "2. Giao Sở Y tế chủ trì tổ chức tập huấn.\n")


def test_one_body_name_in_two_provinces_is_two_bodies_found_with_or_without_place(tmp_path):
    """"Hội đồng nhân dân tỉnh" of Lào Cai and of Gia Lai: two rows that say which; a query
    names either with its place, or both without."""
    from pipeline import parse

    with Store(tmp_path / "two.sqlite") as two:
        for n, place, caps in ((12, "Lào Cai", "LÀO CAI"), (7, "Gia Lai", "GIA LAI")):
            source = tmp_path / f"kh{n}.txt"
            source.write_text(PLAN.format(n=n, place=place, caps=caps), encoding="utf-8")
            two.add(parse(source))
        councils = [(b["level"], b["place"]) for b in bodies(two) if b["name"] == "Hội đồng nhân dân tỉnh"]
        assert sorted(councils) == [("tỉnh", "Gia Lai"), ("tỉnh", "Lào Cai")]
        assert [t["id"] for t in find_tasks(two, TaskQuery(body="HĐND tỉnh Lào Cai"))] == ["kh12/1"]
        assert [t["id"] for t in find_tasks(two, TaskQuery(body="Hội đồng nhân dân tỉnh Gia Lai"))] == ["kh7/1"]
        assert len(find_tasks(two, TaskQuery(body="HĐND tỉnh"))) == 2
        assert len(find_tasks(two, TaskQuery(body="People's Council"))) == 2


@pytest.mark.parametrize("typed, expected", [
    ("SVHTT", ["kh12/3", "kh7/3"]),                # initials over "và", as before
    ("SVHTT Lào Cai", ["kh12/3"]),                 # an abbreviation and a place
    ("Sở VHTT", ["kh12/3", "kh7/3"]),              # head noun written out, the rest abbreviated
    ("so vhtt gia lai", ["kh7/3"]),                # the same without diacritics, with a place
    ("SYT Gia Lai", ["kh7/2"]),
    ("SVHTT Hà Nội", []),                          # a place with no such department stored
    ("SVTT", []),                                  # initials must cover every word but "và"
])
def test_abbreviations_with_connectors_and_places_reach_the_body(tmp_path, typed, expected):
    """Staff type a department as its initials (and "và" has none), with or without its province."""
    from pipeline import parse

    with Store(tmp_path / "abbr.sqlite") as two:
        for n, place, caps in ((12, "Lào Cai", "LÀO CAI"), (7, "Gia Lai", "GIA LAI")):
            source = tmp_path / f"kh{n}.txt"
            source.write_text(PLAN.format(n=n, place=place, caps=caps)
                              + "3. Giao Sở Văn hóa và Thể thao tổ chức lễ hội.\n", encoding="utf-8")
            two.add(parse(source))
        assert sorted(t["id"] for t in find_tasks(two, TaskQuery(body=typed))) == expected


def test_nqgraph_db_names_the_store_and_history_never_makes_one(store, tmp_path):
    rows = json.loads(runner.invoke(app, ["documents", "--json"], env={"NQGRAPH_DB": str(store.path)}).stdout)
    assert "12-NQ/ĐU" in {r["number"] for r in rows}
    missing = tmp_path / "typo.sqlite"
    result = runner.invoke(app, ["history", "--db", str(missing)])
    assert result.exit_code == 2 and "no store here" in result.stderr and not missing.exists()

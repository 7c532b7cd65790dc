"""The SQLite store: statuses, document identity and kept versions, removal, schema and its
migration, crash safety proved by a kill at every step inside `Store.add`."""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from graph_samples import document_a, document_b, sample_documents
from pipeline.errors import StoreError
from pipeline.model import Citation, DocInfo, Warning
from pipeline.store import FAULT_ENV, MIGRATIONS, Store, deadline_end, directive_key, number_key
from pipeline.store.schema import run_migration
from pipeline.store.versions import document_from_json


def test_add_statuses(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        assert [store.add(d).status for d in sample_documents()] == ["added", "added"]
        assert store.add(document_a()).status == "unchanged"
        result = store.add(document_b(b"b-v2"))
        assert (result.status, result.replaced_source, result.clauses) == ("replaced", "030_nq_hdnd.pdf", 3)
        assert [d["number"] for d in store.documents()] == ["12-NQ/ĐU", "30/NQ-HĐND"]
        assert store.has_sha256(document_b(b"b-v2").sha256)
        assert not store.has_sha256(document_b().sha256)


def test_schema_version_wal_and_tables(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        assert store.schema_version == len(MIGRATIONS)
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        store.add(document_a())
        counts = {t: store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("clauses", "clause_bodies", "bodies", "clause_deadlines", "citations", "directives")}
    assert counts == {"clauses": 5, "clause_bodies": 5, "bodies": 3, "clause_deadlines": 3,
                      "citations": 2, "directives": 2}


def test_remove_collects_orphans(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        for d in sample_documents():
            store.add(d)
        assert store.remove("30/NQ-HĐND") == "030_nq_hdnd.pdf"
        keys = [r[0] for r in store.conn.execute("SELECT key FROM directives ORDER BY key")]
        assert keys == ["dir:35-NQ/TW", "dir:title:luat thuc hien dan chu o co so"]
        with pytest.raises(StoreError):
            store.remove("30/NQ-HĐND")


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "s.sqlite"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version={len(MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(StoreError):
        Store(path)


@pytest.mark.parametrize("value,end", [
    ("2025-08", "2025-08-31"), ("2025-Q3", "2025-09-30"), ("2030", "2030-12-31"),
    ("2026-01/2026-06", "2026-06-30"), ("2026/2030", "2030-12-31"), ("2025/..", None),
    ("R/P1Y", None), (None, None), ("2025-02", "2025-02-29")])
def test_deadline_end(value, end):
    assert deadline_end(value) == end


def test_keys():
    assert number_key("57-NQ/TW") == number_key("57/NQ-TW") == "57 nq tw"
    assert directive_key(Citation(text="x", id="35 - NQ/TW")) == "dir:35-NQ/TW"
    assert directive_key(Citation(text="Luật Đất đai", title="Luật Đất đai")) == "dir:title:luat dat dai"


# --- identity: issuer + number + date, not the number alone ------------------------------

def plan(issuer: str, date: str, version: bytes, *, number: str = "87/KH-UBND", source: str = "kh87.pdf",
         clauses: int = 3, warnings: int = 0):
    """document_b reshaped as a commune's plan: its issuer, date, bytes, and how much of it parsed."""
    import hashlib

    base = document_b(version)
    kept = base.clauses[0].children[:clauses - 1]
    return replace(base, source=source, sha256=hashlib.sha256(version).hexdigest(),
                   info=replace(base.info, number=number, issuer=issuer, date=date),
                   clauses=(replace(base.clauses[0], children=kept),),
                   warnings=tuple(Warning("W001", "odd page") for _ in range(warnings)))


COMMUNE_A, COMMUNE_B = "Ủy ban nhân dân xã An Hòa", "Ủy ban nhân dân xã Bình Minh"


def test_same_number_from_another_commune_is_another_document(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        assert store.add(plan(COMMUNE_A, "2026-01-05", b"a")).status == "added"
        assert store.add(plan(COMMUNE_B, "2026-01-05", b"b")).status == "added"
        assert sorted(d["issuer"] for d in store.documents()) == [COMMUNE_A, COMMUNE_B]
        assert store.history() == []


def test_same_number_another_year_is_another_document(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        store.add(plan(COMMUNE_A, "2025-01-06", b"2025"))
        assert store.add(plan(COMMUNE_A, "2026-01-05", b"2026")).status == "added"
        assert len(store.documents()) == 2


def test_two_unnumbered_scans_of_the_same_name_coexist(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        first = plan(None, None, b"sender 1", number=None, source="scan0001.pdf")
        second = plan(None, None, b"sender 2", number=None, source="scan0001.pdf")
        assert [store.add(first).status, store.add(second).status] == ["added", "added"]
        assert len(store.resolve_all("scan0001.pdf")) == 2
        with pytest.raises(StoreError, match="matches 2 stored documents"):
            store.remove("scan0001.pdf")
        assert store.remove(second.sha256[:12]) == "scan0001.pdf"


def test_new_bytes_of_the_same_document_replace_it_and_the_old_version_is_kept(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        store.add(plan(COMMUNE_A, "2026-01-05", b"v1", source="kh87_v1.pdf"))
        result = store.add(plan(COMMUNE_A, "2026-01-05", b"v2", source="kh87_v2.pdf"))
        assert (result.status, result.replaced_source) == ("replaced", "kh87_v1.pdf")
        assert result.reason.startswith("same issuer, number and date, new file bytes")
        assert [d["source"] for d in store.documents()] == ["kh87_v2.pdf"]
        [kept] = store.history("87/KH-UBND")
        assert (kept["source"], kept["clauses"], kept["replaced_by"]) == (
            "kh87_v1.pdf", 3, plan(COMMUNE_A, "2026-01-05", b"v2").sha256)
        # recoverable: restoring swaps the two, every row rebuilt from the kept JSON
        assert store.restore(kept["version"]) == "kh87_v1.pdf"
        assert [d["source"] for d in store.documents()] == ["kh87_v1.pdf"]
        assert store.conn.execute("SELECT count(*) FROM clauses").fetchone()[0] == 3
        assert [v["source"] for v in store.history()] == ["kh87_v2.pdf"]
        assert store.purge("87/KH-UBND") == 1 and store.history() == []


def test_a_damaged_copy_that_parses_worse_is_refused_unless_replace(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        store.add(plan(COMMUNE_A, "2026-01-05", b"intact"))
        for damaged in (plan(COMMUNE_A, "2026-01-05", b"torn", clauses=2),
                        plan(COMMUNE_A, "2026-01-05", b"smudged", warnings=2)):
            result = store.add(damaged)
            assert result.status == "refused" and "parses better" in result.reason
            assert [d["sha256"] for d in store.documents()] == [plan(COMMUNE_A, "2026-01-05", b"intact").sha256]
        forced = store.add(plan(COMMUNE_A, "2026-01-05", b"torn", clauses=2), replace=True)
        assert forced.status == "replaced" and "--replace given" in forced.reason
        assert store.history()[0]["clauses"] == 3


def test_removed_documents_are_kept_until_purged(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        store.add(document_a())
        store.remove("12-NQ/ĐU")
        [kept] = store.history("12-NQ/ĐU")
        assert kept["reason"] == "removed by the user"
        store.restore(kept["version"])
        assert store.conn.execute("SELECT count(*) FROM clause_bodies").fetchone()[0] == 5


def test_a_stored_json_rebuilds_the_same_rows():
    doc = document_a()
    again = document_from_json(json.loads(json.dumps(doc.to_json())))
    assert [c.id for c in again.walk()] == [c.id for c in doc.walk()]
    assert [c.bodies for c in again.walk()] == [c.bodies for c in doc.walk()]
    assert again.to_json()["clauses"] == doc.to_json()["clauses"]


def test_a_store_from_before_versions_opens_and_keeps_its_documents(tmp_path):
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    run_migration(conn, MIGRATIONS[0])
    conn.execute("PRAGMA user_version=1")
    doc = plan(COMMUNE_A, "2026-01-05", b"old")
    conn.execute("INSERT INTO documents(source, stem, sha256, number, number_key, issuer, date, ingested_at, json)"
                 " VALUES (?,?,?,?,?,?,?,?,?)", (doc.source, "kh87", doc.sha256, doc.info.number,
                                                 number_key(doc.info.number), COMMUNE_A, doc.info.date,
                                                 "2025-01-01T00:00:00+00:00", json.dumps(doc.to_json())))
    conn.close()
    with Store(path) as store:
        assert store.schema_version == len(MIGRATIONS) == 5
        assert store.add(plan(COMMUNE_B, "2026-01-05", b"new")).status == "added"
        assert store.add(plan(COMMUNE_A, "2026-01-05", b"newer")).status == "replaced"
        assert [v["source"] for v in store.history()] == ["kh87.pdf"]


# --- crash safety: a SIGKILL at every step inside Store.add ------------------------------

ADD_AND_DIE = textwrap.dedent("""
    import sys
    sys.path.insert(0, {tests!r})
    from graph_samples import document_b
    from pipeline.store import Store
    with Store({db!r}) as store:
        store.add(document_b({version!r}))
    print("survived")
""")

STEPS = ["after-old-version", "after-document-row", "after-clause:1", "after-clause:2", "after-clause:3",
         "before-commit"]


def _snapshot(db: Path) -> dict:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: sorted(map(tuple, conn.execute(f"SELECT * FROM {t}"))) for t in tables}
    finally:
        conn.close()


def _add_in_a_child(db: Path, version: bytes, fault: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != FAULT_ENV}
    if fault:
        env[FAULT_ENV] = fault
    script = ADD_AND_DIE.format(tests=str(Path(__file__).parent), db=str(db), version=version)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)


KILLS = [(step, False) for step in STEPS if step != "after-old-version"] + [(step, True) for step in STEPS]


@pytest.mark.parametrize("step,replacing", KILLS, ids=[f"{s}-{'version' if r else 'new'}" for s, r in KILLS])
def test_sigkill_at_each_step_of_add_leaves_the_store_as_it_was(tmp_path, step, replacing):
    db = tmp_path / "crash.sqlite"
    with Store(db) as store:
        store.add(document_a())
        if replacing:
            store.add(document_b(b"b-v1"))
    before = _snapshot(db)
    killed = _add_in_a_child(db, b"b-v2", step)
    # the kill switch was reached: the child died of SIGKILL inside the transaction
    assert killed.returncode == -signal.SIGKILL and "survived" not in killed.stdout, killed.stderr
    assert _snapshot(db) == before
    done = _add_in_a_child(db, b"b-v2", None)
    assert done.returncode == 0 and "survived" in done.stdout, done.stderr
    with Store(db) as store:
        assert sorted(d["number"] for d in store.documents()) == ["12-NQ/ĐU", "30/NQ-HĐND"]
        assert len(store.history()) == int(replacing)
        assert store.conn.execute("SELECT count(*) FROM clauses").fetchone()[0] == 5 + 3


def test_the_kill_switch_counts_documents(tmp_path):
    db = tmp_path / "crash.sqlite"
    with Store(db) as store:
        store.add(document_a())
    # "#2": the second document this process adds; the first one goes through
    assert _add_in_a_child(db, b"b-v1", "after-clause:1#2").returncode == 0
    assert _add_in_a_child(db, b"b-v9", "after-clause:1").returncode == -signal.SIGKILL


def test_a_failing_write_is_one_store_error_and_the_store_is_unchanged(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        store.add(document_a())
        store.conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON clauses WHEN NEW.label='a)' "
                           "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
        with pytest.raises(StoreError, match="storing 030_nq_hdnd.pdf failed and was undone") as caught:
            store.add(document_b())
        assert "Free some disk space" in caught.value.hint
        assert [d["number"] for d in store.documents()] == ["12-NQ/ĐU"]


# --- the same cases through the real CLI, on real files ----------------------------------

def test_the_cli_keeps_communes_years_and_scans_apart_and_refuses_a_damaged_copy(tmp_path):
    from badinputs import resolution_text
    from cli_run import run_cli

    def write(folder: str, name: str, text: str) -> Path:
        path = tmp_path / folder / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    plan = resolution_text(87)   # dated "ngày 04 tháng 04 năm 2023"
    other_commune = write("b", "nq87.txt", plan.replace("XÃ THANH BÌNH", "XÃ BÌNH MINH"))
    other_year = write("c", "nq87.txt", plan.replace("tháng 04 năm 2023", "tháng 04 năm 2024"))
    scans = [write(folder, "scan0001.txt", plan.replace("Số: 87/NQ-HĐND", "Số:    /NQ-HĐND").replace(
        "đường giao thông", f"đường giao thông ({folder})")) for folder in ("d", "e")]
    original = write("a", "nq87.txt", plan)
    damaged = write("f", "nq87_hong.txt", plan.rsplit("\n2. ", 1)[0] + "\n")   # the last clause torn off
    db = str(tmp_path / "s.sqlite")
    run = run_cli("ingest", str(original), str(other_commune), str(other_year), *map(str, scans), "--db", db)
    assert run.returncode == 0 and run.stderr.count("added ") == 5, run.stderr
    refused = run_cli("ingest", str(damaged), "--db", db)
    assert refused.returncode == 1 and f"refused {damaged} (87/NQ-HĐND, 3 clauses)" in refused.stderr
    assert "give --replace" in refused.stderr
    forced = run_cli("ingest", str(damaged), "--db", db, "--replace")
    assert forced.returncode == 0 and f"replaced nq87.txt with {damaged}" in forced.stderr, forced.stderr
    history = run_cli("history", "87/NQ-HĐND", "--db", db, "--json")
    [kept] = json.loads(history.stdout)
    assert (kept["source"], kept["clauses"]) == ("nq87.txt", 4) and "--replace given" in kept["reason"]
    assert run_cli("history", "--restore", str(kept["version"]), "--db", db).returncode == 0
    with Store(db) as store:
        assert len(store.documents()) == 5
        assert store.conn.execute("SELECT count(*) FROM clauses").fetchone()[0] == 5 * 4


def test_removing_the_last_mention_of_a_body_drops_its_name_index_row(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        for d in sample_documents():
            store.add(d)
        store.remove("12-NQ/ĐU")   # the Party Committee Office appears only there
        keys = {r[0] for r in store.conn.execute("SELECT key FROM body_terms")}
        assert keys == {r[0] for r in store.conn.execute("SELECT key FROM bodies")}


def test_bytes_a_newer_file_replaced_do_not_swap_back_on_a_rerun(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        v1, v2 = plan(COMMUNE_A, "2026-01-05", b"v1"), plan(COMMUNE_A, "2026-01-05", b"v2")
        for _ in range(3):   # a folder holding both files, ingested again and again
            statuses = [store.add(v1).status, store.add(v2).status]
        assert statuses == ["superseded", "unchanged"] and len(store.history()) == 1
        assert store.add(v1, replace=True).status == "replaced"   # the user's explicit choice
        assert [d["sha256"] for d in store.documents()] == [v1.sha256]


def test_a_removed_document_ingested_again_is_added(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        store.add(document_a())
        store.remove("12-NQ/ĐU")
        assert store.add(document_a()).status == "added"


@pytest.mark.parametrize("json_budget", [1, 64 << 20])
def test_batch_ingest_stores_worker_made_json_in_input_order_under_any_holding_budget(tmp_path, monkeypatch,
                                                                                      json_budget):
    """Two workers, documents finishing out of order, and a budget of held JSON so small that one
    parsed document fills it: every file is stored, reported in input order, with the JSON the
    worker made equal to what the store makes itself."""
    import pipeline.ingest as ingest
    from pipeline import parse

    monkeypatch.setattr(ingest, "HELD_JSON_BYTES", json_budget)
    files = sorted(Path(__file__).resolve().parents[1].glob("corpus/*.txt"))[:5]
    results = list(ingest.ingest_files(files, tmp_path / "batch.sqlite", workers=2))
    assert [r.path for r in results] == files and {r.status for r in results} == {"added"}
    with Store(tmp_path / "batch.sqlite") as batch, Store(tmp_path / "one.sqlite") as one:
        for path in files:
            one.add(parse(path))
        rows = "SELECT c.id, c.json FROM clauses c JOIN documents d ON d.doc=c.doc ORDER BY d.source, c.ordinal"
        assert list(map(tuple, batch.rows(rows))) == list(map(tuple, one.rows(rows)))

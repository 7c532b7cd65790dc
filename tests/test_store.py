"""The SQLite store: statuses, replacement, removal, schema, crash safety under SIGKILL."""
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from graph_samples import document_a, document_b, sample_documents
from pipeline.errors import StoreError
from pipeline.store import MIGRATIONS, Store, deadline_end, directive_key, number_key
from pipeline.model import Citation


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


INGEST_MANY = textwrap.dedent("""
    import sys, hashlib
    sys.path.insert(0, {tests!r})
    from dataclasses import replace
    from graph_samples import document_a
    from pipeline.model import DocInfo
    from pipeline.store import Store
    with Store({db!r}) as store:
        for i in range(100000):
            base = document_a()
            doc = replace(base, source=f"doc{{i}}.pdf", sha256=hashlib.sha256(str(i).encode()).hexdigest(),
                          info=replace(base.info, number=f"{{i}}-NQ/ĐU"))
            store.add(doc)
            print(i, flush=True)
""")


def test_sigkill_mid_ingest_leaves_only_committed_documents(tmp_path):
    db = tmp_path / "crash.sqlite"
    rng = random.Random(7)
    for attempt in range(3):
        child = subprocess.Popen(
            [sys.executable, "-c", INGEST_MANY.format(tests=str(Path(__file__).parent), db=str(db))],
            stdout=subprocess.PIPE, text=True)
        time.sleep(0.8 + rng.random())
        child.send_signal(signal.SIGKILL)
        printed = child.stdout.read().split()
        child.wait()
        committed = {f"{i}-NQ/ĐU" for i in map(int, printed)}
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {r[0] for r in conn.execute("SELECT number FROM documents")}
        # A document may commit just before the kill, before its number is printed.
        assert committed <= stored and len(stored - committed) <= 1
        orphans = conn.execute("SELECT count(*) FROM clauses WHERE doc NOT IN (SELECT doc FROM documents)").fetchone()[0]
        assert orphans == 0
        per_doc = {r[0] for r in conn.execute("SELECT count(*) FROM clauses GROUP BY doc")}
        assert per_doc <= {5}
        conn.close()

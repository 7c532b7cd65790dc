"""Pages of big answers: the first tasks and a count, the same tasks `find_tasks` gives, read
through indexes (EXPLAIN QUERY PLAN), in document order however documents came and went."""
import hashlib
import json

import pytest
from typer.testing import CliRunner

import pipeline.pages as pages
from pipeline.cli import app
from pipeline.model import BodyRef, Citation, Clause, Deadline, DocInfo, Document
from pipeline.errors import QueryError
from pipeline.pages import task_page
from pipeline.query import TaskQuery, find_tasks, staff_query
from pipeline.store import Store

runner = CliRunner()
COMMUNES = ("An Hòa", "Tân Lập", "Đông Hà")


def plan(n: int, version: str = "") -> Document:
    """Commune n's plan: a heading and six tasks for its Inspection Committee and People's
    Committee, due in 2026 (odd tasks) or 2027, citing 57-NQ/TW (tasks 1 and 4)."""
    commune = COMMUNES[n % len(COMMUNES)]
    committee = BodyRef("UBKT", f"Ủy ban Kiểm tra Đảng ủy xã {commune}", "owner",
                        key=f"ubkt@xa-{n % len(COMMUNES)}")
    people = BodyRef("UBND", f"Ủy ban nhân dân xã {commune}", "support", key=f"ubnd@xa-{n % len(COMMUNES)}")
    stem = f"kh{n}"
    tasks = tuple(Clause(
        id=f"{stem}/1.({t})", label=f"({t})", path=("1.", f"({t})"), text=f"Việc thứ {t} của kế hoạch {n}.",
        start=0, end=1, label_start=0, tree_end=1, page=1, kind="task", bodies=(committee, people),
        deadlines=(Deadline("năm", "due", "2026" if t % 2 else "2027"),),
        citations=(Citation("Nghị quyết số 57-NQ/TW", "57-NQ/TW"),) if t in (1, 4) else ())
        for t in range(1, 7))
    heading = Clause(id=f"{stem}/1.", label="1.", path=("1.",), text="Nhiệm vụ", start=0, end=1, label_start=0,
                     tree_end=1, page=1, kind="heading", children=tasks)
    return Document(source=f"{stem}.pdf", sha256=hashlib.sha256(f"{stem}{version}".encode()).hexdigest(),
                    info=DocInfo(number=f"{n}/KH-UBND", issuer=f"Ủy ban nhân dân xã {commune}", date="2026-01-05"),
                    pages=1, text="", clauses=(heading,))


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    path = tmp_path_factory.mktemp("pages") / "big.sqlite"
    with Store(path) as store:
        store.add_many(plan(n) for n in range(40))
        yield store


QUERIES = [dict(body="UBKT"), dict(body="Ủy ban nhân dân xã Tân Lập"), dict(cites="57-NQ/TW"),
           dict(due_in="2026"), dict(body="UBKT", due_in="2026", cites="57"), dict(role="support"), {}]


@pytest.mark.parametrize("kw", QUERIES, ids=[",".join(kw) or "all" for kw in QUERIES])
@pytest.mark.parametrize("limit,offset", [(5, 0), (7, 30), (50, 0), (1000, 0)])
def test_a_page_is_the_whole_answer_cut_and_counted(big, kw, limit, offset):
    every = [t["id"] for t in find_tasks(big, TaskQuery(**kw))]
    page = task_page(big, TaskQuery(**kw), limit=limit, offset=offset)
    assert [t["id"] for t in page.tasks] == every[offset:offset + limit]
    assert page.exact and page.total == len(every) and page.rest == max(len(every) - offset - limit, 0)


# (walk budget, drive bound): walk at once / weigh the walk against driving from the smallest filter
PAST_EXACT = [(50_000, 100_000), (0, 100_000), (0, 5)]


@pytest.mark.parametrize("kw", QUERIES, ids=[",".join(kw) or "all" for kw in QUERIES])
@pytest.mark.parametrize("budget,drive_up_to", PAST_EXACT)
def test_past_the_exact_bound_the_count_says_more_than_and_the_page_is_the_same(big, kw, budget, drive_up_to,
                                                                                monkeypatch):
    monkeypatch.setattr(pages, "EXACT_UP_TO", 3)
    monkeypatch.setattr(pages, "COUNT_UP_TO", 10)
    monkeypatch.setattr(pages, "WALK_BUDGET", budget)
    monkeypatch.setattr(pages, "DRIVE_UP_TO", drive_up_to)
    every = [t["id"] for t in find_tasks(big, TaskQuery(**kw))]
    page = task_page(big, TaskQuery(**kw), limit=4, offset=2)
    assert [t["id"] for t in page.tasks] == every[2:6]
    if len(every) > 10:
        assert not page.exact and page.total == 10 < len(every)
    else:
        assert page.total == len(every)


def test_no_limit_is_everything_and_a_negative_one_is_refused(big):
    assert len(task_page(big, TaskQuery(body="UBKT"), limit=None).tasks) == 240
    with pytest.raises(QueryError):
        task_page(big, TaskQuery(), limit=-1)


def _plans(store: Store, run) -> list[tuple[str, list[str]]]:
    """(SQL, EXPLAIN QUERY PLAN steps) of every SELECT on clauses that `run` sends."""
    sent: list[str] = []
    store.conn.set_trace_callback(sent.append)
    try:
        run()
    finally:
        store.conn.set_trace_callback(None)
    return [(sql, [r[3] for r in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}")])
            for sql in sent if sql.startswith("SELECT") and "FROM clauses c" in sql]


@pytest.mark.parametrize("kw", QUERIES[:5], ids=[",".join(kw) for kw in QUERIES[:5]])
@pytest.mark.parametrize("exact_up_to,budget", [(10_000, 50_000), (3, 50_000), (3, 0)])
def test_pages_read_indexes_never_the_wide_rows_and_never_sort(big, kw, exact_up_to, budget, monkeypatch):
    monkeypatch.setattr(pages, "EXACT_UP_TO", exact_up_to)
    monkeypatch.setattr(pages, "WALK_BUDGET", budget)
    plans = _plans(big, lambda: task_page(big, TaskQuery(**kw), limit=5))
    assert len(plans) in (2, 3)  # the page's row ids (a walk, then maybe another way), then the page's rows
    for sql, steps in plans:
        assert not any("TEMP B-TREE" in s for s in steps), steps
        # No filter's table is read whole; the filters' own indexes give row ids.
        assert not any(s.startswith("SCAN") and s.split()[1] in ("clause_bodies", "citations", "clause_deadlines")
                       for s in steps), steps
    for ids_sql, ids_steps in plans[:-1]:
        # The ids and kinds come from the narrow (rid, kind) index, never the wide clause rows.
        assert "c.json" not in ids_sql and "COVERING INDEX clauses_kind" in ids_steps[0], ids_steps
    assert "c.json" in plans[-1][0]


def test_document_order_is_row_id_order_after_replacing_and_restoring(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        store.add_many(plan(n) for n in range(6))
        store.add(plan(2, "v2"), replace=True)
        store.remove("4/KH-UBND")
        store.restore(store.history("4/KH-UBND")[0]["version"])
        store.add(plan(1, "v2"), replace=True)
        by_rid = [r[0] for r in store.rows("SELECT rid FROM clauses ORDER BY rid")]
        by_doc = [r[0] for r in store.rows("SELECT rid FROM clauses ORDER BY doc, ordinal")]
        assert by_rid == by_doc


def test_add_many_stores_what_add_stores_in_one_commit(tmp_path):
    def rows(store):
        return {t: sorted(map(tuple, store.rows(f"SELECT * FROM {t}"))) for t in
                ("clauses", "bodies", "clause_bodies", "clause_deadlines", "citations", "directives", "body_terms")}

    with Store(tmp_path / "one.sqlite") as one, Store(tmp_path / "many.sqlite") as many:
        for n in range(5):
            one.add(plan(n))
        results = many.add_many([plan(n) for n in range(5)] + [plan(0)])
        assert [r.status for r in results] == ["added"] * 5 + ["unchanged"]
        assert rows(one) == rows(many)


def test_the_cli_shows_a_page_and_says_how_many_more(big):
    db = big.path
    shown = runner.invoke(app, ["tasks", "--body", "UBKT", "--limit", "3", "--db", db], env={"COLUMNS": "200"})
    assert shown.exit_code == 0 and "3 of 240 tasks (--limit N or --all shows more)" in shown.stdout
    default = runner.invoke(app, ["tasks", "--body", "UBKT", "--db", db], env={"COLUMNS": "200"})
    assert "50 of 240 tasks" in default.stdout
    whole = runner.invoke(app, ["tasks", "--body", "UBKT", "--all", "--db", db], env={"COLUMNS": "200"})
    assert "240 task(s);" in whole.stdout and "--limit N" not in whole.stdout
    as_json = json.loads(runner.invoke(app, ["tasks", "--body", "UBKT", "--json", "--db", db]).stdout)
    assert len(as_json) == 240
    assert len(json.loads(runner.invoke(app, ["ask", "tasks of UBKT", "--json", "--limit", "2", "--db", db]).stdout)) == 2
    assert staff_query(body="UBKT") == TaskQuery(body="UBKT")

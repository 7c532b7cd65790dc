"""A page of a task answer and how many tasks match, at the cost of the page, not the store.

`nqgraph tasks` shows 50 tasks and a count; a question that 400,000 tasks answer on a store of
100,000 documents must not cost what reading them costs. Only row ids are read until the page
is known, from the filters' covering indexes (pipeline/store/schema.py), and the page's JSON
alone is decoded. The filters are pipeline/query.py's.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from pipeline.errors import QueryError
from pipeline.query import (DOCUMENT_ORDER, Filter, TaskQuery, clause_dicts, clause_filters, kind_test,
                            matching_clause_rids)
from pipeline.store import Store

__all__ = ["COUNT_UP_TO", "EXACT_UP_TO", "PAGE_SIZE", "TaskPage", "task_page"]

# What a person reads at once; a bigger answer is counted, and --limit / --all show more.
PAGE_SIZE = 50
# An answer is counted exactly when one of its filters keeps at most EXACT_UP_TO clauses
# (reading that many row ids costs a few milliseconds). Past that, counting would cost what the
# whole answer costs (400,000 tasks on a big store), so the count stops at COUNT_UP_TO and
# says "more than".
EXACT_UP_TO = 10_000
COUNT_UP_TO = 1_000


@dataclass(frozen=True)
class TaskPage:
    """Part of an answer: `tasks` from position `offset` on, and how many match in all:
    exactly `total`, or (`exact` False) more than `total`."""
    tasks: list[dict]
    total: int
    offset: int = 0
    exact: bool = True

    @property
    def rest(self) -> int:
        """Matching tasks after this page (at least this many when the count is not exact)."""
        return max(self.total - self.offset - len(self.tasks), 0)


def task_page(store: Store, q: TaskQuery, *, limit: Optional[int] = PAGE_SIZE, offset: int = 0) -> TaskPage:
    """The first `limit` tasks from `offset` on (all when `limit` is None), and how many match.

    Only row ids are read until the page is known; the JSON of the page alone is decoded. The
    rows come from the filter that keeps fewest clauses, the other filters testing each of them;
    when even that one keeps more than EXACT_UP_TO, the clauses are walked in document order,
    every filter testing each, until the page is full and COUNT_UP_TO are counted, so the cost
    follows the page, not the store.

    >>> page = task_page(store, TaskQuery(body="UBKT"), limit=1)   # doctest: +SKIP
    >>> (len(page.tasks), page.total, page.exact, page.rest)       # doctest: +SKIP
    (1, 2, True, 1)
    """
    if (limit is not None and limit < 0) or offset < 0:
        raise QueryError("a page's limit and offset cannot be negative")
    filters = clause_filters(store, q)
    if filters is None:
        return TaskPage([], 0, offset)
    if limit is None:
        rids, exact = matching_clause_rids(store, q), True
    else:
        rids, exact = _page_rids(store, q, filters, offset + limit)
    shown = rids[offset:] if limit is None else rids[offset:offset + limit]
    # Not exact: the walk stopped at its last row, so more than the rows before it match.
    return TaskPage(clause_dicts(store, shown), len(rids) if exact else len(rids) - 1, offset, exact)


def _page_rids(store: Store, q: TaskQuery, filters: list[Filter], wanted: int) -> tuple[list[int], bool]:
    """Row ids of matching clauses in document order: all of them (True), or (False) the first
    max(`wanted`, COUNT_UP_TO + 1) when there are more."""
    sizes = _sizes(store, filters, EXACT_UP_TO)
    if sizes and min(sizes) <= EXACT_UP_TO:
        return _driven(store, q, filters, sizes, None), True
    enough = max(wanted, COUNT_UP_TO + 1)
    # Every filter keeps many: walk the first WALK_BUDGET clauses in document order, testing each.
    # Two subqueries: min() and max() in one SELECT read the whole table instead of two index ends.
    first, last = next(store.rows("SELECT (SELECT min(rid) FROM clauses), (SELECT max(rid) FROM clauses)"))
    kinds, kind_params = kind_test(q)
    sql = (f"SELECT c.rid FROM clauses c INDEXED BY clauses_kind WHERE c.rid < ?"
           + "".join(f" AND {f.probe}" for f in filters) + kinds + f" ORDER BY {DOCUMENT_ORDER} LIMIT {enough}")
    # With no filter but the kind, nearly every clause is a task: nothing to read instead.
    window = (first or 0) + WALK_BUDGET if filters else (last or 0) + 1
    rids = [r[0] for r in store.rows(sql, (window, *(p for f in filters for p in f.params), *kind_params))]
    if len(rids) == enough or window > (last or 0):
        return rids, len(rids) < enough
    # Together they keep few: read the smallest filter's clauses in order instead.
    if len(filters) > 1:
        sizes = _sizes(store, filters, DRIVE_UP_TO)
    rids = _driven(store, q, filters, sizes, enough)
    return rids, len(rids) < enough


def _sizes(store: Store, filters: list[Filter], up_to: int) -> list[int]:
    """How many clauses each filter keeps, counted to `up_to` + 1 at most (a bounded cost)."""
    return [next(store.rows(f"SELECT count(*) FROM ({f.rows} LIMIT {up_to + 1})", f.params))[0] for f in filters]


def _driven(store: Store, q: TaskQuery, filters: list[Filter], sizes: list[int], limit: Optional[int]) -> list[int]:
    """Row ids from the filter that keeps fewest clauses, each tested by the others, in document order."""
    kinds, kind_params = kind_test(q)
    drive = filters[sizes.index(min(sizes))]
    others = [f for f in filters if f is not drive]
    sql = (f"SELECT c.rid FROM clauses c INDEXED BY clauses_kind WHERE c.rid IN ({drive.rows})"
           + "".join(f" AND {f.probe}" for f in others) + kinds + f" ORDER BY {DOCUMENT_ORDER}"
           + (f" LIMIT {limit}" if limit else ""))
    return [r[0] for r in store.rows(sql, drive.params + tuple(p for f in others for p in f.params) + kind_params)]


# A walk in document order that tests every filter on each clause finds `enough` after
# enough / density clauses: cheap when the filters keep many (a tenth of all clauses), the whole
# store when together they keep few (a ministry's tasks due in 2026 on 100,000 documents: 888 of
# 4,000,000, and 5 s). So the walk stops after WALK_BUDGET clauses; if it has not found
# enough, the clauses of the filter that keeps fewest (counted to DRIVE_UP_TO) are read in order.
WALK_BUDGET = 20_000
DRIVE_UP_TO = 100_000

"""Bad files, hangs, crashes and hostile input never take nqgraph down or lose data.

Every input class in tests/badinputs.py goes through the real CLI (`parse` and
`ingest` as subprocesses): it parses, or it fails with one line naming the file
and the problem, exit 2, no traceback, inside the time and memory budget.
Then: a killed worker does not stop the batch; a SIGKILL placed by progress (after
the k-th "added" line) or by the store's kill switch (NQGRAPH_FAULT, inside the
k-th document's transaction) leaves exactly the committed documents; workers die
with the CLI; a full disk fails file by file; two ingests at once never
interleave. No assertion depends on how fast the machine is.
"""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from badinputs import CASES, ROOT, content_bomb_pdf, many_pages_pdf, resolution_text
from cli_run import run_cli

TIME_BUDGET_S = 120     # a hang guard: bad inputs this small finish far inside it on any machine
MEMORY_BUDGET_MB = 1024  # the CLI's default --max-memory
CLAUSES_PER_RESOLUTION = 4  # Điều 1., Điều 2., its 1. and 2. in resolution_text()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("bad")


def _one_line_error(run, path: Path) -> str:
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert "Traceback" not in run.stderr, run.stderr
    assert len(lines) == 1, run.stderr
    assert path.name in lines[0] and lines[0].startswith("error E"), lines[0]
    return lines[0]


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_through_the_cli(name, inputs, tmp_path):
    case = CASES[name]
    path = case.build(inputs)
    parsed = run_cli("parse", str(path), "--json", unprivileged=case.unprivileged)
    assert parsed.seconds < TIME_BUDGET_S and parsed.peak_mb < MEMORY_BUDGET_MB, (parsed.seconds, parsed.peak_mb)
    assert "Traceback" not in parsed.stderr, parsed.stderr
    if case.expect == "parsed":
        assert parsed.returncode == 0, parsed.stderr
        assert json.loads(parsed.stdout)["pages"] >= 1  # valid JSON, whatever bytes the file name held
    else:
        assert parsed.returncode == 2, (parsed.stdout, parsed.stderr)
        assert _one_line_error(parsed, path).startswith(f"error {case.expect}: ")
        assert "--max-memory" not in parsed.stderr or case.expect == "E007"

    db = tmp_path / "store.sqlite"
    ingested = run_cli("ingest", str(path), "--db", str(db), unprivileged=case.unprivileged)
    assert ingested.seconds < TIME_BUDGET_S and ingested.peak_mb < MEMORY_BUDGET_MB
    if case.expect == "parsed":
        assert ingested.returncode == 0, ingested.stderr
        assert "added" in ingested.stderr and "Traceback" not in ingested.stderr
    else:
        assert ingested.returncode == 2, ingested.stderr
        _one_line_error(ingested, path)
        if db.exists():
            with sqlite3.connect(db) as con:
                assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 0


def test_500_pages_parse_with_flat_memory(inputs):
    run = run_cli("parse", str(many_pages_pdf(inputs)), "--json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["pages"] == 500
    # pdfplumber pages are closed as they are read: 500 pages cost no more than a small document
    small = run_cli("parse", str(CASES["pdf-broken-xref"].build(inputs)), "--json")
    assert run.peak_mb < small.peak_mb + 100, (run.peak_mb, small.peak_mb)


# --- regressions for fixes the bad inputs forced -------------------------------------

def test_docx_zip_bomb_is_refused_before_unpacking(inputs):
    from pipeline.errors import CorruptFileError
    from pipeline.extract import extract

    with pytest.raises(CorruptFileError, match="unpacks to 1024 MB, more than 256 MB; it may be a zip bomb"):
        extract(CASES["docx-zip-bomb"].build(inputs))


def test_stray_nul_and_controls_are_dropped_from_text(inputs):
    from pipeline.extract import extract

    text = extract(CASES["text-nul-and-controls"].build(inputs)).text
    # the printable tail of an ANSI colour code stays: it is text, just odd text
    assert ("Điều 1. Giao Ủy ban nhân dân xã chủ trì[31m, phối hợp với Mặt trận Tổ quốc xã hoàn thành 14 km "
            "đường giao thông trước năm 2025.") in text.splitlines()
    assert not any(ch in text for ch in "\x00\x07\x1b\x0b\x85")


def test_binary_with_nuls_is_still_refused(inputs):
    from pipeline.errors import UnsupportedFormatError
    from pipeline.extract import extract

    with pytest.raises(UnsupportedFormatError, match="binary file"):
        extract(CASES["text-really-binary"].build(inputs))


# --- isolation -----------------------------------------------------------------------

def test_overrunning_and_memory_hungry_workers_are_killed_not_the_batch(inputs, tmp_path):
    good = tmp_path / "tot.txt"
    good.write_text(resolution_text(3), encoding="utf-8")
    slow = many_pages_pdf(inputs)   # ~2 s of real parsing against a 0.5 s budget
    db = tmp_path / "store.sqlite"
    # The kill is proved by its message, not by a wall-clock bound a loaded machine could miss.
    run = run_cli("ingest", str(slow), str(good), "--db", str(db), "--timeout", "0.5")
    assert run.returncode == 1, run.stderr
    assert f"error E007: {slow}: took longer than 0.5 s." in run.stderr
    assert f"added {good}" in run.stderr

    bomb = content_bomb_pdf(inputs)  # a 300 MB content stream: minutes of lexing, or a blown memory cap
    run = run_cli("ingest", str(bomb), str(good), "--db", str(db), "--timeout", "3")
    assert run.returncode == 1, run.stderr
    assert f"error E007: {bomb}: took longer than 3 s." in run.stderr
    assert f"unchanged {good}" in run.stderr
    run = run_cli("ingest", str(bomb), "--db", str(db), "--max-memory", "100")
    assert run.returncode == 2, run.stderr
    assert _one_line_error(run, bomb).startswith(f"error E007: {bomb}: needed more than 100 MB.")


def _resolutions(directory: Path, numbers: range) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in numbers:
        path = directory / f"nq_{n:04d}.txt"
        path.write_text(resolution_text(n), encoding="utf-8")
        paths.append(path)
    return paths


BAD_FOR_BATCH = ["empty-file", "text-renamed-pdf", "html-renamed-pdf", "docx-renamed-pdf", "pdf-truncated-10",
                 "pdf-truncated-90", "pdf-user-password", "pdf-zero-pages", "docx-not-zip", "text-really-binary"]


def test_batch_of_100_with_10_bad_ingests_90_and_lists_the_10(tmp_path):
    batch = tmp_path / "batch"
    _resolutions(batch, range(1, 91))
    bad = [CASES[name].build(batch) for name in BAD_FOR_BATCH]
    assert len({p for p in batch.iterdir() if p.is_file()} - {batch / "base_rendered.pdf"}) == 100
    (batch / "base_rendered.pdf").unlink()
    db = tmp_path / "store.sqlite"
    run = run_cli("ingest", str(batch), "--db", str(db), "--workers", "2")
    assert run.returncode == 1, run.stderr
    assert run.stderr.count("added ") == 90
    errors = [line for line in run.stderr.splitlines() if line.startswith("error E")]
    assert sorted(errors) == sorted(line for line in errors if any(str(p) + ":" in line for p in bad))
    assert len(errors) == 10 and "10 of 100 files could not be ingested" in run.stderr
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 90


def test_parallel_workers_give_the_same_store_in_input_order(tmp_path):
    from pipeline.ingest import ingest_files

    files = _resolutions(tmp_path / "docs", range(200, 208))
    files.insert(2, tmp_path / "khong_co.txt")
    files.append(files[0])
    serial = [(r.path, r.status, r.number) for r in ingest_files(files, tmp_path / "a.sqlite", workers=1)]
    parallel = [(r.path, r.status, r.number) for r in ingest_files(files, tmp_path / "b.sqlite", workers=3)]
    assert parallel == serial
    assert [s for _, s, _ in serial] == ["added"] * 2 + ["failed"] + ["added"] * 6 + ["unchanged"]


# --- crash safety ----------------------------------------------------------------------

def _store_state(db: Path) -> tuple[set[str], set[int]]:
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        numbers = {r[0] for r in con.execute("SELECT number FROM documents")}
        per_doc = {r[0] for r in con.execute(
            "SELECT count(c.doc) FROM documents d LEFT JOIN clauses c ON c.doc = d.doc GROUP BY d.doc")}
        orphans = con.execute("SELECT count(*) FROM clauses WHERE doc NOT IN (SELECT doc FROM documents)").fetchone()[0]
        assert orphans == 0
        return numbers, per_doc
    finally:
        con.close()


def _ingest(docs: list[Path], db: Path, **env: str) -> subprocess.Popen:
    environment = {k: v for k, v in os.environ.items() if k != "NQGRAPH_FAULT"}
    return subprocess.Popen([sys.executable, "-m", "pipeline.cli", "ingest", *map(str, docs), "--db", str(db)],
                            cwd=ROOT, stderr=subprocess.PIPE, text=True, env=dict(environment, COLUMNS="200", **env),
                            start_new_session=True)


def _reported(lines: list[str]) -> set[str]:
    """Document numbers the CLI said it added: "added PATH (300/NQ-HĐND, 4 clauses)"."""
    return {line.split("(")[1].split(",")[0] for line in lines if line.startswith("added ")}


def test_sigkill_after_the_kth_added_line_keeps_exactly_the_reported_documents(tmp_path):
    """Kills placed by progress, not by the clock: after the k-th "added" line, whatever the
    machine's speed, the CLI is mid-batch and its next document may be mid-transaction."""
    docs = _resolutions(tmp_path / "docs", range(300, 330))
    db = tmp_path / "crash.sqlite"
    stored: set[str] = set()
    for k in (1, 3, 7):
        child = _ingest(docs, db)
        lines, added = [], 0
        while added < k:
            line = child.stderr.readline()
            assert line, (lines, child.wait())  # the batch ended before the k-th document: a bug, not luck
            lines.append(line)
            added += line.startswith("added ")
        os.killpg(child.pid, signal.SIGKILL)
        lines += child.stderr.read().splitlines()  # everything it printed before it died
        assert child.wait() == -signal.SIGKILL
        reported = _reported(lines)
        previous, (stored, per_doc) = stored, _store_state(db)
        # a document commits before its line is printed: at most one stored but not yet reported
        assert reported <= stored and len(stored - previous - reported) <= 1, (k, reported, stored - previous)
        assert per_doc <= {CLAUSES_PER_RESOLUTION}, per_doc
    finished = run_cli("ingest", *map(str, docs), "--db", str(db))
    assert finished.returncode == 0, finished.stderr
    stored, per_doc = _store_state(db)
    assert len(stored) == 30 and per_doc == {CLAUSES_PER_RESOLUTION}


@pytest.mark.parametrize("step", ["after-document-row", "after-clause:2", "before-commit"])
def test_a_cli_killed_inside_the_third_document_stored_exactly_the_first_two(tmp_path, step):
    docs = _resolutions(tmp_path / "docs", range(600, 605))
    db = tmp_path / "crash.sqlite"
    child = _ingest(docs, db, NQGRAPH_FAULT=f"{step}#3")
    lines = child.stderr.read().splitlines()
    assert child.wait() == -signal.SIGKILL, lines
    assert _reported(lines) == {"600/NQ-HĐND", "601/NQ-HĐND"}
    stored, per_doc = _store_state(db)
    assert stored == {"600/NQ-HĐND", "601/NQ-HĐND"} and per_doc == {CLAUSES_PER_RESOLUTION}


def _children(pid: int) -> set[int]:
    """Processes whose parent is `pid` (from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has died; only its exit status is left to collect


def _wait_for(condition, limit_s: float = 60.0) -> bool:
    """Poll `condition` until true; the limit only bounds a failing test, never decides a passing one."""
    give_up = time.monotonic() + limit_s
    while not condition():
        if time.monotonic() > give_up:
            return False
        time.sleep(0.05)
    return True


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_parse_workers_die_with_a_killed_cli(inputs, tmp_path):
    bomb = content_bomb_pdf(inputs)  # minutes of parsing: the worker is busy when the CLI dies
    child = _ingest([bomb], tmp_path / "store.sqlite")
    assert _wait_for(lambda: _children(child.pid)), "the CLI never started a worker"
    workers = _children(child.pid)
    child.kill()  # the CLI alone: its workers are in their own session, no group signal reaches them
    child.wait()
    try:
        assert _wait_for(lambda: not any(_alive(w) for w in workers)), "a parse worker outlived the CLI"
    finally:
        for worker in filter(_alive, workers):  # do not leave a failing run's orphan behind
            os.kill(worker, signal.SIGKILL)


def test_a_full_disk_fails_each_file_in_one_line_and_the_batch_goes_on(tmp_path):
    if os.geteuid() != 0 and not os.environ.get("CI"):
        pytest.skip("mounting a small tmpfs needs root")
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=384k", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        assert not os.environ.get("CI") or os.geteuid() != 0, mounted.stderr
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        docs = _resolutions(tmp_path / "docs", range(700, 740))
        run = run_cli("ingest", *map(str, docs), "--db", str(disk / "store.sqlite"))
        assert "Traceback" not in run.stderr and run.returncode == 1, run.stderr
        lines = run.stderr.splitlines()
        full = [line for line in lines if line.startswith("error E008")]
        assert full and all("disk is full" in line and "Free some disk space" in line for line in full)
        added = [line for line in lines if line.startswith("added ")]
        assert added and len(full) + len(added) == 40  # every file was tried, each got one line
        assert all(any(f"{d}: " in line for line in full) for d in docs[-3:])  # named, up to the last one
        stored, per_doc = _store_state(disk / "store.sqlite")
        assert stored == _reported(lines) and per_doc <= {CLAUSES_PER_RESOLUTION}
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def test_two_ingests_at_once_wait_or_fail_cleanly_never_interleave(tmp_path):
    first = _resolutions(tmp_path / "a", range(400, 425))
    second = _resolutions(tmp_path / "b", range(500, 525))
    db = tmp_path / "shared.sqlite"
    env = dict(os.environ, COLUMNS="200")
    runs = [subprocess.Popen([sys.executable, "-m", "pipeline.cli", "ingest", str(folder), "--db", str(db)],
                             cwd=ROOT, stderr=subprocess.PIPE, text=True, env=env)
            for folder in (tmp_path / "a", tmp_path / "b")]
    outputs = [(run.communicate()[1], run.returncode) for run in runs]
    added = 0
    for stderr, code in outputs:
        assert "Traceback" not in stderr
        for line in stderr.splitlines():
            assert line.startswith(("added ", "error E008")) or "could not be ingested" in line, line
        added += stderr.count("added ")
        assert code in (0, 1, 2)
    stored, per_doc = _store_state(db)
    assert len(stored) == added and per_doc == {CLAUSES_PER_RESOLUTION}
    assert added == len(first) + len(second)  # busy_timeout (10 s) is ample for 25 short documents

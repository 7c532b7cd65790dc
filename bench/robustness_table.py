"""Run every bad-input class of tests/badinputs.py through the real CLI, and every store,
batch and web fault class through its test; write docs/robustness.md and the README's
"Robustness" tables (between its robustness-table markers).

For each input: `nqgraph ingest` (isolated worker, default --timeout 120 and
--max-memory 1024) and `nqgraph parse --json`; outcome, wall time, and the peak
RSS of the CLI with its workers (wait4). For each fault class: the pytest test
that proves it, run alone as a subprocess; what it tried, its outcome, wall
time (including pytest's start-up) and peak RSS of the run with its children.

    .venv/bin/python bench/robustness_table.py            # rewrites both tables
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # this tree's pipeline, as the CLI runs it

from badinputs import CASES, content_bomb_pdf  # noqa: E402
from cli_run import run_cli  # noqa: E402

# (fault class, the test that proves it, inputs it tries, what passing means)
FAULTS = [
    ("SIGKILL at each step inside Store.add", "tests/test_store.py::test_sigkill_at_each_step_of_add_leaves_the_store_as_it_was",
     "11 kills (NQGRAPH_FAULT: after old version, document row, clause 1-3, before COMMIT; new and replacing)",
     "store byte-for-byte as before each kill, integrity ok"),
    ("SIGKILL of the CLI inside the k-th document", "tests/test_robustness.py::test_a_cli_killed_inside_the_third_document_stored_exactly_the_first_two",
     "3 kills x 5 files", "exactly the 2 reported documents stored, each whole"),
    ("SIGKILL after the k-th \"added\" line", "tests/test_robustness.py::test_sigkill_after_the_kth_added_line_keeps_exactly_the_reported_documents",
     "3 kills (k = 1, 3, 7) of a 30-file batch, then a full run", "reported documents stored and whole; 30 at the end"),
    ("parse worker of a killed CLI", "tests/test_robustness.py::test_parse_workers_die_with_a_killed_cli",
     "1 CLI killed mid-parse (300 MB content bomb)", "worker gone (PR_SET_PDEATHSIG)"),
    ("full disk (384 KB tmpfs)", "tests/test_robustness.py::test_a_full_disk_fails_each_file_in_one_line_and_the_batch_goes_on",
     "40 files", "each file added or one E008 line naming it, exit 1, integrity ok"),
    ("same number, other commune / year; two scan0001", "tests/test_store.py::test_the_cli_keeps_communes_years_and_scans_apart_and_refuses_a_damaged_copy",
     "5 files + a damaged copy", "5 documents coexist; the damaged copy refused, --replace keeps the old one, restore"),
    ("a store from before versions", "tests/test_store.py::test_a_store_from_before_versions_opens_and_keeps_its_documents",
     "1 schema-1 store", "opens, migrates, keeps its document"),
    ("web: hostile text in the JSON island", "tests/test_web_uploads.py::test_every_angle_bracket_in_the_json_island_is_escaped",
     "1 clause with `<!--<script>` and `</script>`", "no `<` or `>` in the island, text reads back"),
    ("web: mixed batch upload", "tests/test_web_uploads.py::test_a_batch_stores_the_good_files_and_names_the_real_type_of_the_bad",
     "3 files (PDF, .txt, .png)", "PDF stored; the others named 'plain text', 'a PNG image'"),
    ("web: restart", "tests/test_web_uploads.py -k restart or stopped",
     "1 finished job, 2 unread files, 1 form token", "job and token survive; unread file read, lost one failed"),
    ("web: slow, too many and vanishing clients", "tests/test_web_uploads.py -k trickling or past_the_cap or goes_away",
     "1 trickling body, 2 bodies over a cap of 1, 1 disconnect", "408, 503, one log line each"),
]


def _outcome(run) -> str:
    if run.returncode == 0:
        return "parsed"
    line = next((l for l in run.stderr.splitlines() if l.startswith("error E")), run.stderr.strip()[:120])
    message = line.split(": ", 2)[-1] if line.startswith("error E") else line
    return f"exit {run.returncode}, {line[6:10]}: {message.split('. ')[0]}"


def _run_test(selector: str) -> tuple[str, float, float]:
    """Run one test (or a -k selection) alone; return (pytest's summary, seconds, peak MB with children)."""
    path, given, expression = selector.partition(" -k ")
    args = [path, "-k", expression] if given else [selector]
    began = time.monotonic()
    child = subprocess.Popen([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = 0
    summary = next((l for l in reversed(output.splitlines()) if " passed" in l or " failed" in l), output[-200:])
    counts = summary.strip("= ").split(" in ")[0].split(", ")
    summary = ", ".join(c for c in counts if "deselected" not in c)  # "3 passed, 5 deselected" → "3 passed"
    return summary, time.monotonic() - began, usage.ru_maxrss / 1024


def _real_pages(work: Path, pages: int = 500) -> Path:
    """A long real document: the real corpus's text PDFs' pages repeated (bench/throughput.py)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from parse_speed import DEV_TEXT, REAL_TEXT
    from throughput import concatenate

    return concatenate(REAL_TEXT + DEV_TEXT, pages, work / f"real_{pages}.pdf")


def _input_rows(work: Path) -> list[tuple]:
    rows = []
    # (build, extra CLI arguments, run without root's permission override)
    cases = {("pdf-500-pages (one clause a page)" if name == "pdf-500-pages" else name):
             (case.build, [], case.unprivileged) for name, case in CASES.items()}
    cases["pdf-500-real-pages (real PDFs' pages, concatenated)"] = (_real_pages, [], False)
    cases["pdf-content-bomb-300MB (--timeout 3)"] = (content_bomb_pdf, ["--timeout", "3"], False)
    for name, (build, extra, unprivileged) in cases.items():
        path = build(work)
        ingest = run_cli("ingest", str(path), "--db", str(work / f"{len(rows)}.sqlite"), *extra, unprivileged=unprivileged)
        parse = run_cli("parse", str(path), "--json", *extra, unprivileged=unprivileged)
        rows.append((name, ingest, parse))
        print(name, _outcome(ingest), f"{ingest.seconds:.2f}s {ingest.peak_mb:.0f}MB", file=sys.stderr)
    return rows


def main() -> int:
    load_at_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        rows = _input_rows(Path(tmp))
    faults = []
    for name, selector, tried, meaning in FAULTS:
        summary, seconds, peak = _run_test(selector)
        faults.append((name, tried, f"{summary}: {meaning}" if "failed" not in summary else summary, seconds, peak))
        print(name, summary, f"{seconds:.1f}s {peak:.0f}MB", file=sys.stderr)
    lines = ["# Robustness", "",
             "Generated by `bench/robustness_table.py` from the inputs in `tests/badinputs.py` (built at run time).",
             "Each input went through the real CLI: `nqgraph ingest` (parse in an isolated worker, default budget",
             "120 s and 1024 MB) and `nqgraph parse --json`. Time is wall time of the whole command including",
             "Python start-up (~0.4 s); memory is the peak RSS of the CLI and its worker. The unreadable file is",
             "read by a CLI without root's permission override (CAP_DAC_OVERRIDE dropped).",
             f"Measured on {os.cpu_count()} cores, load average {load_at_start:.1f} at the start and "
             f"{os.getloadavg()[0]:.1f} at the end: times grow with the machine's load, outcomes do not.", "",
             "| input class | ingest outcome | ingest time | ingest peak MB | parse outcome | parse time | parse peak MB |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for name, ingest, parse in rows:
        lines.append(f"| {name} | {_outcome(ingest)} | {ingest.seconds:.2f} s | {ingest.peak_mb:.0f} | "
                     f"{_outcome(parse)} | {parse.seconds:.2f} s | {parse.peak_mb:.0f} |")
    runs = [(n, r) for n, i, p in rows for r in (i, p)]
    slow, heavy = max(runs, key=lambda x: x[1].seconds), max(runs, key=lambda x: x[1].peak_mb)
    lines += ["", f"Slowest case: {slow[0]} ({slow[1].seconds:.2f} s). "
              f"Peak memory: {heavy[0]} ({heavy[1].peak_mb:.0f} MB).", "",
              "Store, batch and web faults, each run as its own test (time includes pytest's start-up; memory is",
              "the peak RSS of the run and the CLIs it starts). No outcome depends on the machine's speed: kills",
              "are placed by progress or by the store's kill switch, never by the clock.", "",
              "| fault class | inputs tried | outcome | time | peak MB |", "| --- | --- | --- | --- | --- |"]
    for name, tried, outcome, seconds, peak in faults:
        lines.append(f"| {name} | {tried} | {outcome} | {seconds:.1f} s | {peak:.0f} |")
    lines.append("")
    (ROOT / "docs" / "robustness.md").write_text("\n".join(lines), encoding="utf-8")
    _write_readme_table(lines[9:])
    return 0


def _write_readme_table(table: list[str]) -> None:
    readme = ROOT / "README.md"
    start, end = "<!-- robustness-table:start -->", "<!-- robustness-table:end -->"
    text = readme.read_text(encoding="utf-8")
    if start in text and end in text:
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        readme.write_text(head + start + "\n" + "\n".join(table).strip() + "\n" + end + tail, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())

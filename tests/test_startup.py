"""Start-up: a command loads what its input needs and nothing more (issue #21).

Behaviour, not speed: which modules a real CLI process imports (read from
`python -X importtime`, which a forked parse worker inherits), whether the POS model
is loaded, and whether the vocabulary cache rebuilds when a file it was built from
changes. bench/startup.py prints the CPU seconds and megabytes.
"""
from __future__ import annotations

import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pipeline import vocab_cache

ROOT = Path(__file__).resolve().parent.parent

# Libraries a one-page text file never needs: PDF and Word readers, the graph, NLP models.
HEAVY = ("pdfplumber", "pdfminer", "pypdfium2", "docx", "networkx", "underthesea", "underthesea_core", "pycrfsuite",
         "spacy", "numpy")

# An invented plan whose bodies are all names the registry knows.
PLAN = textwrap.dedent("""\
    ĐẢNG ỦY PHƯỜNG AN BÌNH
    Số: 12-KH/ĐU
    An Bình, ngày 3 tháng 2 năm 2025

    KẾ HOẠCH
    kiểm tra, giám sát năm 2025

    1. Ủy ban Kiểm tra Đảng ủy chủ trì, phối hợp với Văn phòng Đảng ủy xây dựng chương trình kiểm tra, hoàn thành trước ngày 31/3/2025.

    2. Giao Ủy ban nhân dân phường rà soát các chi bộ trực thuộc, báo cáo trong quý II/2025.
    """)


def _imported(*args: str, env: dict[str, str]) -> tuple[subprocess.CompletedProcess, set[str]]:
    """Run `nqgraph ARGS` with -X importtime; the names of every module the process and its workers imported."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "pipeline.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, env={**os.environ, **env})
    names = {line.rpartition("|")[2].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    return done, names


def _loaded(names: set[str], packages) -> list[str]:
    return sorted(n for n in names if n.split(".")[0] in packages or n in packages)


@pytest.fixture
def cache_env(tmp_path) -> dict[str, str]:
    return {"NQGRAPH_CACHE_DIR": str(tmp_path / "vocabulary")}


def test_parse_of_a_text_file_loads_no_pdf_reader_graph_or_model(tmp_path, cache_env):
    plan = tmp_path / "plan.txt"
    plan.write_text(PLAN, encoding="utf-8")
    for attempt in ("builds the vocabulary cache", "reads it"):
        done, names = _imported("parse", str(plan), "--json", env=cache_env)
        assert done.returncode == 0, done.stderr[-2000:]
        assert '"Ủy ban Kiểm tra Đảng ủy"' in done.stdout, attempt
        assert _loaded(names, HEAVY) == [], attempt
        assert "pipeline.tag.bodies" in names  # the worker's imports are seen too
    assert "yaml" not in names  # every vocabulary came from the cache


def test_a_pdf_with_no_table_or_stamp_is_parsed_without_pdfplumber(cache_env):
    """The fast engine needs pdfminer's page objects, not pdfplumber (~25 ms to import) nor
    pdfminer's interpreter; `--engine pdfplumber` of course loads it."""
    pdf = str(ROOT.parent / "shared" / "corpus" / "pdf" / "004_text.pdf")
    done, names = _imported("parse", pdf, "--json", env=cache_env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "pypdfium2" in names and "pdfminer.pdfpage" in names
    assert _loaded(names, ("pdfplumber", "pdfminer.layout", "pdfminer.pdfinterp")) == []
    done, names = _imported("parse", pdf, "--json", "--engine", "pdfplumber", env=cache_env)
    assert done.returncode == 0 and "pdfplumber" in names


def test_queries_load_no_segmenter_extractor_or_model(tmp_path, cache_env):
    store = tmp_path / "store.sqlite"
    plan = tmp_path / "plan.txt"
    plan.write_text(PLAN, encoding="utf-8")
    assert subprocess.run([sys.executable, "-m", "pipeline.cli", "ingest", "--db", str(store), str(plan)],
                          cwd=ROOT, capture_output=True, env={**os.environ, **cache_env}).returncode == 0
    for args in (("tasks", "--db", str(store), "--body", "Ủy ban Kiểm tra"),
                 ("ask", "--db", str(store), "việc nào của Ủy ban Kiểm tra?"),
                 ("documents", "--db", str(store))):
        done, names = _imported(*args, env=cache_env)
        assert done.returncode == 0, done.stderr[-2000:]
        assert _loaded(names, HEAVY) == [], args
        stages = ("pipeline.segment", "pipeline.extract.assemble", "pipeline.tag.deadlines", "pipeline.tag.citations")
        assert [s for s in stages if s in names] == [], args


def test_the_pos_model_loads_only_for_a_name_with_an_unknown_lower_case_word(cache_env):
    script = textwrap.dedent("""\
        import sys
        from pipeline.tag.bodies import find_bodies
        known = find_bodies("Giao Văn phòng Đảng ủy và Ban Thường vụ Đảng ủy chủ trì.")
        print(sorted(b.name for b in known), "pycrfsuite" in sys.modules)
        cut = find_bodies("Giao Ngân hàng Chính sách xã hội giới thiệu hộ kinh doanh tiếp cận nguồn vốn.")
        print([b.name for b in cut], "pycrfsuite" in sys.modules, "underthesea" in sys.modules)
        """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **cache_env})
    assert done.returncode == 0, done.stderr[-2000:]
    known, cut = done.stdout.splitlines()
    assert known.endswith("False") and "Văn phòng Đảng ủy" in known
    # the tagger still ends the name before its verb, from underthesea's models without its package
    assert cut == "['Ngân hàng Chính sách xã hội'] True False"


def test_vocabulary_cache_rebuilds_when_a_source_file_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("NQGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    vocabulary = tmp_path / "models" / "words.yaml"
    vocabulary.parent.mkdir()
    vocabulary.write_text("- một\n", encoding="utf-8")
    builds = []

    def build() -> list[str]:
        builds.append(1)
        return vocabulary.read_text(encoding="utf-8").split()

    def load() -> list[str]:
        vocab_cache.fingerprint_of.cache_clear()  # as a new process would
        return vocab_cache.load_or_build("test.words", build, (vocabulary.parent,))

    assert load() == ["-", "một"] and len(builds) == 1
    assert load() == ["-", "một"] and len(builds) == 1  # from the cache file
    vocabulary.write_text("- một\n- hai\n", encoding="utf-8")  # another size and time
    assert load() == ["-", "một", "-", "hai"] and len(builds) == 2
    assert len(list((tmp_path / "cache").glob("test.words-*.pickle"))) == 1  # the stale file is gone


def test_a_damaged_cache_file_is_rebuilt_and_an_empty_dir_setting_turns_caching_off(tmp_path, monkeypatch):
    monkeypatch.setenv("NQGRAPH_CACHE_DIR", str(tmp_path))
    vocab_cache.fingerprint_of.cache_clear()
    assert vocab_cache.load_or_build("test.damaged", lambda: {"a": 1}, (tmp_path,)) == {"a": 1}
    [kept] = tmp_path.glob("test.damaged-*.pickle")
    assert pickle.loads(kept.read_bytes()) == {"a": 1}
    kept.write_bytes(b"not a pickle")
    assert vocab_cache.load_or_build("test.damaged", lambda: {"a": 2}, (tmp_path,)) == {"a": 2}
    monkeypatch.setenv("NQGRAPH_CACHE_DIR", "")
    assert vocab_cache.cache_dir() is None
    assert vocab_cache.load_or_build("test.off", lambda: 3, (tmp_path,)) == 3
    assert not list(tmp_path.glob("test.off-*"))


@pytest.mark.skipif(os.getuid() != 0, reason="giving a file to another user needs root")
def test_a_cache_file_another_user_wrote_is_not_unpickled(tmp_path, monkeypatch):
    monkeypatch.setenv("NQGRAPH_CACHE_DIR", str(tmp_path))
    vocab_cache.fingerprint_of.cache_clear()
    assert vocab_cache.load_or_build("test.owner", lambda: "mine", (tmp_path,)) == "mine"
    [kept] = tmp_path.glob("test.owner-*.pickle")
    kept.write_bytes(pickle.dumps("planted"))
    os.chown(kept, 1, 1)
    assert vocab_cache.load_or_build("test.owner", lambda: "rebuilt", (tmp_path,)) == "rebuilt"


def test_patterns_one_process_compiled_are_read_compiled_by_the_next(tmp_path):
    """pipeline/patterns.py: a pattern compiled in one process is in the table the next
    process unpickles (so it is not compiled again), and the table follows the code's fingerprint."""
    environment = {**os.environ, "NQGRAPH_CACHE_DIR": str(tmp_path)}
    first = "from pipeline.patterns import compiled, keep_compiled\n" \
            "compiled(r'Điều\\s+(\\d+)'); keep_compiled()"
    subprocess.run([sys.executable, "-c", first], cwd=ROOT, env=environment, check=True)
    [table] = tmp_path.glob("pipeline.patterns-*.pickle")
    assert table.name == f"pipeline.patterns-{vocab_cache.fingerprint(vocab_cache.SOURCES)}.pickle"
    second = "from pipeline import patterns\n" \
             "patterns.compiled('x')\n" \
             "kept = patterns._table[(r'Điều\\s+(\\d+)', 0)]\n" \
             "print(kept.match('Điều 12').group(1), patterns._new)"
    out = subprocess.run([sys.executable, "-c", second], cwd=ROOT, env=environment, check=True,
                         capture_output=True, text=True).stdout.split()
    assert out == ["12", "1"]  # the kept pattern works; only 'x' was compiled anew

"""Plain-words questions → structured queries, table-driven from tests/data/ask.tsv."""
import csv
from pathlib import Path

import pytest

from pipeline.ask import FORMS, describe, parse_question
from pipeline.errors import QueryError
from pipeline.query import TaskQuery

ROWS = list(csv.reader((Path(__file__).parent / "data" / "ask.tsv").open(encoding="utf-8"),
                       delimiter="\t"))[1:]


@pytest.mark.parametrize("question,command", ROWS, ids=[r[0][:40] for r in ROWS])
def test_question_reads_as_command(question, command):
    assert describe(parse_question(question)) == command


@pytest.mark.parametrize("form", FORMS)
def test_every_advertised_form_is_understood(form):
    parse_question(form)


def test_unrecognised_question_lists_the_forms():
    with pytest.raises(QueryError) as caught:
        parse_question("thời tiết hôm nay thế nào")
    assert "E030" in str(caught.value)
    assert FORMS[0] in str(caught.value)


def test_parse_gives_the_task_query():
    assert parse_question("tasks of UBKT due before 2025-12") == TaskQuery(body="UBKT", due_before="2025-12")

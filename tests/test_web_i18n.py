"""The web page speaks Vietnamese by default, English one click away, and no CLI."""
import re
from pathlib import Path

import networkx as nx
import pytest
from starlette.testclient import TestClient

from pipeline.web.app import WebConfig, create_app
from pipeline.web.i18n import describe_selection, messages
from pipeline.web.selection import most_connected
from pipeline.query import TaskQuery
from pipeline.store import Store

from graph_samples import sample_documents

TEMPLATES = Path(__file__).resolve().parents[1] / "pipeline" / "web" / "templates"
WORDS = re.compile(r"""_\((?:"([^"]+)"|'([^']+)')\)""")


def test_every_word_of_the_templates_has_its_vietnamese():
    keys = {a or b for path in TEMPLATES.glob("*.html") for a, b in WORDS.findall(path.read_text(encoding="utf-8"))}
    missing = sorted(keys - messages().keys())
    assert not missing, f"add these to pipeline/web/messages.yaml: {missing}"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("i18n") / "nq.sqlite"
    with Store(db) as store:
        for document in sample_documents():
            store.add(document)
    return TestClient(create_app(WebConfig(db=db)), base_url="http://127.0.0.1")


PAGES = ["/", "/tasks", "/tasks?body=UBKT", "/graph", "/upload", "/documents/1"]


@pytest.mark.parametrize("page", PAGES)
def test_pages_are_vietnamese_by_default(client, page):
    client.cookies.clear()
    html = client.get(page).text
    assert '<html lang="vi">' in html
    assert "Tổng quan" in html and "Nhiệm vụ" in html and ">Overview<" not in html
    assert 'id="lang-switch"' in html and "English" in html


@pytest.mark.parametrize("page", PAGES)
def test_english_is_one_click_away_and_remembered(client, page):
    client.cookies.clear()
    switched = client.get(page + ("&" if "?" in page else "?") + "lang=en")
    assert '<html lang="en">' in switched.text and ">Overview<" in switched.text
    assert '<html lang="en">' in client.get(page).text  # the cookie remembers
    assert '<html lang="vi">' in client.get(page + ("&" if "?" in page else "?") + "lang=vi").text


@pytest.mark.parametrize("page", PAGES + ["/tasks?q=xin+chao"])
def test_no_command_line_hints_in_the_browser(client, page):
    text = re.sub(r"<[^>]+>", " ", client.get(page).text)
    assert not re.search(r"nqgraph \w+ --|Run `|--help", text)


def test_deadline_chips_say_what_the_source_says(client):
    client.cookies.clear()
    html = client.get("/tasks?body=UBKT").text
    assert "R/P" not in html and "hằng năm" in html


def test_the_selection_is_said_in_words():
    q = TaskQuery(body="Sở Nội vụ", role="owner", due_in="2026-Q1", overdue=True)
    assert describe_selection(q, "vi") == "cơ quan: Sở Nội vụ (chủ trì) · đến hạn trong: quý I/2026 · quá hạn"
    assert describe_selection(q, "en") == "body: Sở Nội vụ (lead) · due in: quý I/2026 · overdue"


def test_a_graph_too_big_to_draw_shows_its_most_connected_part():
    G = nx.MultiDiGraph()
    G.add_node("doc:a", type="document")
    for b in range(30):
        G.add_node(f"body:{b}", type="body")
        for k in range(b + 1):  # body 29 is the busiest
            clause = f"clause:{b}-{k}"
            G.add_node(clause, type="clause")
            G.add_edge("doc:a", clause, type="contains")
            G.add_edge(clause, f"body:{b}", type="assigned_to")
    part = most_connected(G, 100)
    assert 0 < part.number_of_nodes() <= 100
    assert "body:29" in part and "doc:a" in part
    assert all(G.nodes[n]["type"] != "clause" or any(part.has_edge(n, b) for b in part if b.startswith("body:"))
               for n in part)


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_text_colours_meet_wcag_aa():
    css = (TEMPLATES.parent / "static" / "style.css").read_text(encoding="utf-8")
    var = dict(re.findall(r"--([\w-]+): (#[0-9a-f]{6})", css))
    pairs = {  # (text, background) as style.css paints them
        "body chip": (var["body"], "#eef8f2"), "deadline chip": (var["due"], "#fbf6e5"),
        "directive chip": (var["dir"], "#fbefe9"), "muted text": (var["muted"], "#f7f8fa"),
        "legend body": ("#ffffff", var["body"]), "legend directive": ("#ffffff", var["dir"]),
        "legend task": ("#ffffff", var["accent"]), "text": (var["ink"], "#f7f8fa"),
    }
    low = {name: round(_contrast(*pair), 2) for name, pair in pairs.items() if _contrast(*pair) < 4.5}
    assert not low, f"below 4.5:1: {low}"
    assert "opacity" not in css.split(".chip.body.inherited")[1].split("}")[0]

"""Fixtures shared by the query and export tests."""
import pytest

from graph_samples import sample_documents
from pipeline.store import Store


@pytest.fixture
def store(tmp_path):
    """A real SQLite store on disk holding the sample documents."""
    with Store(tmp_path / "samples.sqlite") as store:
        for document in sample_documents():
            store.add(document)
        yield store

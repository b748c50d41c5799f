"""Analysis workspaces built from the real files shipped in data/ (no database needed)."""

import pytest

from app.analysis import sources
from app.analysis.workspace import Workspace


@pytest.fixture(scope="session")
def file_tables():
    return sources.combine(sources.history_tables(), sources.file_station_tables())


@pytest.fixture(scope="session")
def ws(file_tables):
    workspace = Workspace.build(file_tables)
    yield workspace
    workspace.close()

"""A real `streamlit run app.py` on a temporary store, driven by Debian's Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts.appserver import CHROMIUM, chromium, running_app


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a running app on a fresh SQLite store with the sample and demo accounts."""
    with running_app(tmp_path_factory.mktemp("e2e")) as base:
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium); never download one")
    with chromium() as browser:
        yield browser

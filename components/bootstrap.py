"""First start: an empty embedded store is set up with the sample and demo accounts,
so `make run` is all a newcomer needs. Other stores are initialised on purpose
with `python -m db init`, never behind the operator's back."""

from __future__ import annotations

import contextlib
import io
import logging

import streamlit as st

from components import queries
from db import cli, schema
from db.settings import default_database_url

log = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def _ensure(url: str) -> bool:
    engine = queries.engine()
    if schema.is_current(engine):
        return True
    if url != default_database_url():
        return False
    log.info("first start: initialising the embedded store with the sample data")
    with contextlib.redirect_stdout(io.StringIO()):
        status = cli.main(["--url", url, "init", "--sample"])
    return status == 0


def ensure_store() -> bool:
    """True when the store is ready to use."""
    return _ensure(queries.current_url())

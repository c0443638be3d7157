"""Form plumbing shared by the staff sponsorship pages: writes run in callbacks,
their outcome kept in session state under the form's prefix for the rerun, and
each message shown beside its field (the pattern of components/agreement_forms.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from components import forms
from components.forms import (  # noqa: F401 - the sponsorship pages import them from here
    field_error,
    forget,
    general_error,
    option_index,
    seed_state,
    text_of,
    widget_prefix,
)

# The sponsorship desk's wording of a refused save (catalogue keys).
MESSAGES = {"stale": "sadmin.stale", "not_found": "sadmin.not_found", "denied": "access.denied"}


def run_write(prefix: str, write: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """components.forms.run_write with the sponsorship desk's messages."""
    return forms.run_write(prefix, write, *args, **MESSAGES, **kwargs)


def flash(prefix: str) -> None:
    """Show and drop the success message a callback left."""
    message = st.session_state.pop(f"{prefix}flash", None)
    if message:
        st.success(message, icon=":material/check_circle:")

"""The one way pages write: as the logged-in user, inside a form callback.

The outcome is kept in session state under the form's prefix (`errors`:
{field: message}, "-" for the form as a whole; `done`: the write's result)
so the rerun can show each message beside its field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from components import queries
from components.i18n import t
from db.access import AccessDenied
from db.cells import CellError
from db.errors import NotFound, StaleEdit, ValidationFailed


def run_write(prefix: str, write: Callable[..., Any], *args: Any, stale: str = "forms.stale") -> Any:
    """Call `write(conn, principal, *args)` in one transaction; clears caches on success."""
    state = st.session_state
    state[f"{prefix}errors"], state[f"{prefix}done"] = {}, None
    try:
        with queries.engine().begin() as conn:
            result = write(conn, state.get("principal"), *args)
    except ValidationFailed as exc:
        state[f"{prefix}errors"] = exc.errors
        return None
    except CellError as exc:
        state[f"{prefix}errors"] = {"-": str(exc)}
        return None
    except StaleEdit:
        state[f"{prefix}errors"] = {"-": t(stale)}
        return None
    except (AccessDenied, NotFound):
        state[f"{prefix}errors"] = {"-": t("forms.denied")}
        return None
    queries.clear()
    state[f"{prefix}done"] = result if result is not None else True
    return result


def form_errors(prefix: str) -> dict[str, str]:
    return st.session_state.get(f"{prefix}errors", {})


def form_done(prefix: str) -> Any:
    return st.session_state.get(f"{prefix}done")

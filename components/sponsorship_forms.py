"""Form plumbing shared by the staff sponsorship pages: writes run in callbacks,
their outcome kept in session state under the form's prefix for the rerun, and
each message shown beside its field (the pattern of components/agreement_forms.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import streamlit as st

from components import queries
from components.i18n import t
from db.access import AccessDenied
from db.errors import NotFound, StaleEdit, ValidationFailed


def run_write(prefix: str, write: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Perform `write(conn, principal, *args, **kwargs)` in one transaction; on
    failure keep {field: message} under `<prefix>errors` and return None."""
    state = st.session_state
    state[f"{prefix}errors"] = {}
    try:
        with queries.engine().begin() as conn:
            result = write(conn, state.get("principal"), *args, **kwargs)
    except ValidationFailed as exc:
        state[f"{prefix}errors"] = exc.errors
        return None
    except StaleEdit:
        state[f"{prefix}errors"] = {"-": t("sadmin.stale")}
        return None
    except NotFound:
        state[f"{prefix}errors"] = {"-": t("sadmin.not_found")}
        return None
    except AccessDenied:
        state[f"{prefix}errors"] = {"-": t("access.denied")}
        return None
    queries.clear()
    return result


def field_error(prefix: str, field: str) -> None:
    """The message of `field` under the widget, if the last save refused it."""
    message = st.session_state.get(f"{prefix}errors", {}).get(field)
    if message:
        st.error(message, icon=":material/error:")


def general_error(prefix: str, fields: tuple[str, ...] = ()) -> None:
    """The form-wide message, and those of fields the form does not show."""
    errors = st.session_state.get(f"{prefix}errors", {})
    for field, message in errors.items():
        if field == "-" or field not in fields:
            st.error(message if field == "-" else f"{field}: {message}", icon=":material/error:")


def seed(key: str, value: Any) -> None:
    """Give a widget its first value (the stored one) once."""
    if key not in st.session_state:
        st.session_state[key] = value


def text_of(key: str) -> Any:
    """A widget's value as the cell text the data layer parses (bools stay bools)."""
    value = st.session_state.get(key)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool) or value is None:
        return value if value is not None else ""
    return str(value)


def forget(prefix: str, keep: tuple[str, ...] = ("flash",)) -> None:
    """Drop a form's widgets and opened version so it reopens on the saved record."""
    for key in [k for k in st.session_state if str(k).startswith(prefix)]:
        if not any(str(key).endswith(suffix) for suffix in keep):
            del st.session_state[key]


def flash(prefix: str) -> None:
    """Show and drop the success message a callback left."""
    message = st.session_state.pop(f"{prefix}flash", None)
    if message:
        st.success(message, icon=":material/check_circle:")

"""Form plumbing shared by every page: writes run in callbacks as the logged-in user,
their outcome kept in session state under the form's prefix (`errors`:
{field: message}, "-" for the form as a whole; `done`: the write's result), and
each message shown beside its field on the rerun.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

import streamlit as st

from components import queries
from components.i18n import t
from db.access import AccessDenied
from db.cells import CellError
from db.errors import NotFound, StaleEdit, ValidationFailed
from db.ratelimit import RateLimited


def run_write(
    prefix: str,
    write: Callable[..., Any],
    *args: Any,
    stale: str = "forms.stale",
    not_found: str = "forms.denied",
    denied: str = "forms.denied",
    rate_limited: str = "forms.rate_limited",
    after: Callable[[], None] | None = queries.clear,
    clear_keys: tuple[str, ...] = (),
    **kwargs: Any,
) -> Any:
    """Call `write(conn, principal, *args, **kwargs)` in one transaction.

    On a refusal the message (a catalogue key per kind of refusal) is kept for
    the rerun and None returned; on success `after` runs (by default: drop the
    caches), `clear_keys` are emptied and the result is returned.
    """
    state = st.session_state
    state[f"{prefix}errors"], state[f"{prefix}done"] = {}, None
    refusals = {StaleEdit: stale, NotFound: not_found, AccessDenied: denied, RateLimited: rate_limited}
    try:
        with queries.engine().begin() as conn:
            result = write(conn, state.get("principal"), *args, **kwargs)
    except ValidationFailed as exc:
        state[f"{prefix}errors"] = exc.errors
        return None
    except CellError as exc:
        state[f"{prefix}errors"] = {"-": str(exc)}
        return None
    except tuple(refusals) as exc:
        key = next(message for kind, message in refusals.items() if isinstance(exc, kind))
        state[f"{prefix}errors"] = {"-": t(key)}
        return None
    if after is not None:
        after()
    state[f"{prefix}done"] = result if result is not None else True
    for key in clear_keys:
        state[key] = [] if isinstance(state.get(key), list) else ""
    return result


def form_errors(prefix: str) -> dict[str, str]:
    return st.session_state.get(f"{prefix}errors", {})


def form_done(prefix: str) -> Any:
    return st.session_state.get(f"{prefix}done")


def field_error(prefix: str, field: str) -> None:
    """The message of `field` from the last submit, under its widget."""
    message = form_errors(prefix).get(field)
    if message:
        st.error(message, icon=":material/error:")


def general_error(prefix: str, fields: Iterable[str] | None = None) -> None:
    """The form-wide message; with `fields` (those the form shows), also the
    messages of fields it does not show."""
    shown = set(fields) if fields is not None else None
    for field, message in form_errors(prefix).items():
        if field == "-":
            st.error(message, icon=":material/error:")
        elif shown is not None and field not in shown:
            st.error(f"{field}: {message}", icon=":material/error:")


def seed_state(key: str, value: Any) -> None:
    """Give a state key that no widget owns (an opened version) its first value, once.

    Never a widget's key: a widget takes its stored value as its own default
    (`value=`, `default=`, `index=`). A value written to session state before the
    widget exists is lost when a rerun interrupts the page's first run: the
    browser sends back its still-empty widget instead.
    """
    if key not in st.session_state:
        st.session_state[key] = value


def option_index(options: Sequence[Any], value: Any, missing: int | None = 0) -> int | None:
    """`index=` of a select box or radio opened on `value`: its position among
    `options`, or `missing` when it is not one of them."""
    return options.index(value) if value in options else missing


def widget_prefix(prefix: str) -> str:
    """The prefix of a form's widget keys: `prefix`, then a new one after each
    `forget(prefix)`.

    A browser keeps showing a widget's value, and sends it back, for as long as
    the widget's key lives, whatever its new default; under new keys it draws
    the widgets afresh on their defaults (the saved record).
    """
    generation = st.session_state.get(_generation_key(prefix), 0)
    return f"{prefix}{generation}_" if generation else prefix


def _generation_key(prefix: str) -> str:
    return f"forms.generation:{prefix}"  # does not start with `prefix`: forget keeps it


def text_of(key: str) -> Any:
    """A widget's value as the cell text the data layer parses (bools stay bools,
    dates ISO, lists `;`-joined)."""
    value = st.session_state.get(key)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, bool) or value is None:
        return value if value is not None else ""
    return str(value)


def forget(prefix: str, keep: tuple[str, ...] = ("flash", "done")) -> None:
    """Drop a form's widgets and opened version so it reopens on the saved record
    (in a browser too, for widgets keyed under `widget_prefix(prefix)`)."""
    for key in [k for k in st.session_state if str(k).startswith(prefix)]:
        if not any(str(key).endswith(suffix) for suffix in keep):
            del st.session_state[key]
    generation = _generation_key(prefix)
    st.session_state[generation] = st.session_state.get(generation, 0) + 1

"""Small pieces shared by the opportunities pages: plain-text rendering of user
text, labels, the client address, and the form-callback runner.

User text (titles, summaries, file names, organisations) never reaches
Markdown unescaped: `plain` backslash-escapes every ASCII punctuation mark, so
no link, image, HTML, directive or formula can form; long text goes through
`st.text`, which parses nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from components import queries
from components.i18n import current_language, is_rtl, label, t
from components.safe import md
from db.access import AccessDenied
from db.errors import NotFound, StaleEdit, ValidationFailed
from db.opportunity_subscriptions import RateLimited

NO_CLIENT = "no-client-address"  # st.context.ip_address is not a real address outside a browser session


def plain(text: str | None) -> str:
    """`text` on one line, safe to pass where Streamlit parses Markdown."""
    return md(" ".join(str(text or "").split()))


def status_label(status: str) -> str:
    return t(f"opportunity.status_{status}")


def kind_label(kind: str) -> str:
    return t(f"opportunity.kind_{kind}")


_SEPARATORS = {"ar": "، ", "zh": "、"}


def join_labels(labels: Any, empty: str = "—") -> str:
    """Labels joined with the language's list separator (Arabic ،, Chinese 、)."""
    return _SEPARATORS.get(current_language(), ", ").join(labels) or empty


def codes_label(vocabulary: str, codes: Any, empty: str = "—") -> str:
    """Translated labels of vocabulary codes, as one list."""
    return join_labels([label(vocabulary, code) for code in codes], empty)


def align() -> str:
    """Text alignment of the language (captions and plain text align left unless told)."""
    return "right" if is_rtl() else "left"


def client_address() -> str:
    """The client's address as the server sees it (a fixed marker when unknown)."""
    try:
        address = st.context.ip_address
    except Exception:  # noqa: BLE001 - no browser session (scripts)
        return NO_CLIENT
    # AppTest hands out a mock object per session: only a real address counts.
    return address if isinstance(address, str) and address else NO_CLIENT


def run_write(
    prefix: str,
    write: Callable[..., Any],
    *args: Any,
    clear_keys: tuple[str, ...] = (),
    after: Callable[[], None] | None = queries.clear,
) -> None:
    """Form callback body: run `write(conn, *args)` in one transaction, keep the
    outcome for the rerun (`{prefix}errors`: field -> message, `{prefix}done`),
    then call `after` (by default: drop every cache) and empty `clear_keys`."""
    state = st.session_state
    state[f"{prefix}errors"], state[f"{prefix}done"] = {}, None
    try:
        with queries.engine().begin() as conn:
            result = write(conn, *args)
    except ValidationFailed as exc:
        state[f"{prefix}errors"] = exc.errors
        return
    except RateLimited:
        state[f"{prefix}errors"] = {"-": t("opportunity.rate_limited")}
        return
    except StaleEdit:
        state[f"{prefix}errors"] = {"-": t("opportunity.stale")}
        return
    except (AccessDenied, NotFound):
        state[f"{prefix}errors"] = {"-": t("forms.denied")}
        return
    if after is not None:
        after()
    state[f"{prefix}done"] = result if result is not None else True
    for key in clear_keys:
        state[key] = [] if isinstance(state.get(key), list) else ""


def field_error(prefix: str, field: str) -> None:
    """The message of `field` from the last submit, under its widget."""
    message = st.session_state.get(f"{prefix}errors", {}).get(field)
    if message:
        st.error(message, icon=":material/error:")


def general_error(prefix: str) -> None:
    """A message not tied to one field (rate limit, stale edit, refusal)."""
    field_error(prefix, "-")

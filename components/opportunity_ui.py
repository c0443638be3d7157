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

from components import forms, queries
from components.forms import field_error, general_error  # noqa: F401 - the opportunity pages import them from here
from components.i18n import current_language, is_rtl, label, t
from components.safe import md

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


# The opportunity pages' wording of a refused save (catalogue keys).
MESSAGES = {"stale": "opportunity.stale", "rate_limited": "opportunity.rate_limited"}


def run_write(
    prefix: str,
    write: Callable[..., Any],
    *args: Any,
    clear_keys: tuple[str, ...] = (),
    after: Callable[[], None] | None = queries.clear,
) -> None:
    """components.forms.run_write for writes that take their arguments (the
    principal among them) explicitly: `write(conn, *args)`."""
    forms.run_write(prefix, lambda conn, _principal: write(conn, *args), clear_keys=clear_keys, after=after, **MESSAGES)

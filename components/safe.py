"""User text inside Streamlit elements that render Markdown (titles, captions,
messages, `st.write`): escaped so it shows as typed, never as a link, image or HTML."""

from __future__ import annotations

import string

# Every ASCII punctuation character may carry meaning in Markdown or HTML;
# a backslash before it makes it literal, and costs nothing where it has none.
_PUNCTUATION = frozenset(string.punctuation)


def md(text: object) -> str:
    """`text` with every ASCII punctuation character escaped; line breaks become spaces."""
    return "".join(f"\\{ch}" if ch in _PUNCTUATION else ch for ch in str(text).replace("\n", " "))

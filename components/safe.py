"""User text inside Streamlit elements that render Markdown (titles, captions,
messages, `st.write`): escaped so it shows as typed, never as a link, image or HTML."""

from __future__ import annotations

import re

# Every character Markdown (and its HTML passthrough) gives a meaning to.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&])")


def md(text: object) -> str:
    """`text` with Markdown/HTML syntax escaped; line breaks kept as spaces."""
    return _SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")

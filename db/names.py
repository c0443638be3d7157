"""Close-name detection for partners (possible duplicates), with RapidFuzz."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from rapidfuzz import fuzz, process

CLOSE_NAME_SCORE = 90.0
# Legal-form words say little about which organisation a name means.
_NOISE = re.compile(r"\b(ltd|limited|inc|llc|plc|gmbh|sa|ag|co|corp|corporation|the)\b\.?")


def normalise_name(name: str) -> str:
    """Lower-case, accents and punctuation and legal forms removed, spaces collapsed."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[^\w\s]", " ", text)
    text = _NOISE.sub(" ", text)
    return " ".join(text.split())


def close_name_pairs(
    name: str, names: Mapping[str, str], exclude: str | None = None, score_cutoff: float = CLOSE_NAME_SCORE
) -> list[tuple[str, str, float]]:
    """Other partners whose names are close to `name`: (id, name, score 0-100), best first."""
    choices = {pid: normalise_name(n) for pid, n in names.items() if pid != exclude}
    matches = process.extract(
        normalise_name(name), choices, scorer=fuzz.token_sort_ratio, score_cutoff=score_cutoff, limit=5
    )
    return [(pid, names[pid], score) for _choice, score, pid in matches]

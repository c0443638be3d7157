"""Settings read from the command line, the environment or Streamlit secrets.

Nothing here imports streamlit: the app passes its secrets in through
`os.environ`-style lookups (see components/ for the app side).
"""

from __future__ import annotations

import os
from datetime import date

from db.vocab import PROJECT_ROOT

DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "partnerships.db"
DATABASE_URL_ENV = "PARTNERSHIPS_DATABASE_URL"
TODAY_ENV = "PARTNERSHIPS_TODAY"


def default_database_url() -> str:
    """The embedded SQLite store under the project root, whatever the working directory."""
    return f"sqlite:///{DEFAULT_DB_PATH}"


def database_url(cli_url: str | None = None) -> str:
    """`--url`, else PARTNERSHIPS_DATABASE_URL, else the embedded SQLite default."""
    return cli_url or os.environ.get(DATABASE_URL_ENV) or default_database_url()


def today() -> date:
    """Today's date, or PARTNERSHIPS_TODAY (ISO date) when set, for tests and demos."""
    value = os.environ.get(TODAY_ENV, "").strip()
    if value:
        return date.fromisoformat(value)
    return date.today()

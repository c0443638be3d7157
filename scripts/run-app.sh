#!/usr/bin/env bash
# Start the app on the embedded SQLite store (or PARTNERSHIPS_DATABASE_URL).
# A first start creates a random cookie key in .streamlit/secrets.toml (ignored
# by git) and loads the sample data and demo accounts into an empty store.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

if [[ -z "${PARTNERSHIPS_COOKIE_KEY:-}" ]] && ! grep -qs '^PARTNERSHIPS_COOKIE_KEY' .streamlit/secrets.toml; then
  key=$($PY -c 'import secrets; print(secrets.token_urlsafe(48))')
  umask 077
  printf 'PARTNERSHIPS_COOKIE_KEY = "%s"\n' "$key" >> .streamlit/secrets.toml
  echo "created a random login cookie key in .streamlit/secrets.toml (keep it out of git)"
fi

$PY -m db init --sample
exec .venv/bin/streamlit run app.py --server.port "${PORT:-8501}" "$@"

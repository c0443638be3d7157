"""The single-purpose tokens of subscription links, and the links themselves.

- A *confirmation* token is `secrets.token_urlsafe(32)`, stored only as its
  SHA-256, valid for CONFIRM_HOURS and usable once.
- An *unsubscribe* token must work from every digest a subscriber ever got,
  with one link, while the store keeps only a hash. So it is not random per
  digest: it is an HMAC-SHA256, under a server key that never enters the
  database, of the subscriber's id and confirmation time (a new confirmation
  gives a new token). The store keeps its SHA-256; checking a link needs no
  key. Unsubscribing clears the hash, so the link then stops working.

The key: PARTNERSHIPS_TOKEN_KEY, else PARTNERSHIPS_COOKIE_KEY, from the
environment or `.streamlit/secrets.toml` (at least 32 bytes). Changing it
changes the links of digests built afterwards; the old ones stop working.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import tomllib
from datetime import datetime, timedelta

from db.vocab import PROJECT_ROOT

CONFIRM_HOURS = 48
CONFIRM_VALIDITY = timedelta(hours=CONFIRM_HOURS)
TOKEN_KEY_ENV = "PARTNERSHIPS_TOKEN_KEY"
COOKIE_KEY_ENV = "PARTNERSHIPS_COOKIE_KEY"
PUBLIC_URL_ENV = "PARTNERSHIPS_PUBLIC_URL"
DEFAULT_PUBLIC_URL = "http://localhost:8501"
PUBLIC_PAGE = "opportunities"
MIN_KEY_BYTES = 32
SECRETS_FILE = PROJECT_ROOT / ".streamlit" / "secrets.toml"
# token_urlsafe(32) and the HMAC's base64 are both 43 characters of this alphabet.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")
_IN_LINK = re.compile(r"([?&](?:confirm|unsubscribe)=)[A-Za-z0-9_-]{32,64}")


class TokenRefused(Exception):
    """A link's token is unknown, already used or expired (`reason`: unknown, expired)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class TokenKeyMissing(RuntimeError):
    """No server key for unsubscribe links was configured."""


def new_token() -> str:
    """A fresh unguessable token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str | None:
    """The SHA-256 (hex) under which a token is stored; None for text that cannot be a token."""
    token = (token or "").strip()
    if not _TOKEN.fullmatch(token):
        return None
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def token_key() -> bytes:
    """The server key for unsubscribe tokens (see the module docstring); TokenKeyMissing without one."""
    for name in (TOKEN_KEY_ENV, COOKIE_KEY_ENV):
        value = os.environ.get(name, "")
        if len(value.encode("utf-8")) >= MIN_KEY_BYTES:
            return value.encode("utf-8")
    if SECRETS_FILE.is_file():
        try:
            secrets_toml = tomllib.loads(SECRETS_FILE.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
            secrets_toml = {}
        for name in (TOKEN_KEY_ENV, COOKIE_KEY_ENV):
            value = str(secrets_toml.get(name, ""))
            if len(value.encode("utf-8")) >= MIN_KEY_BYTES:
                return value.encode("utf-8")
    raise TokenKeyMissing(f"set {TOKEN_KEY_ENV} (at least {MIN_KEY_BYTES} random bytes) to build digests")


def unsubscribe_token(key: bytes, subscriber_id: int, confirmed_at: datetime) -> str:
    """The subscriber's unsubscribe token for this confirmation (stable across digests)."""
    message = f"opportunity-unsubscribe\x00{subscriber_id}\x00{confirmed_at.isoformat()}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def public_url() -> str:
    """The public address of the app (PARTNERSHIPS_PUBLIC_URL), without a trailing slash."""
    return (os.environ.get(PUBLIC_URL_ENV, "").strip() or DEFAULT_PUBLIC_URL).rstrip("/")


def page_link(base_url: str, language: str, **params: str | int) -> str:
    """A link to the public opportunities page with `params` and the language."""
    query = "&".join(f"{name}={value}" for name, value in params.items())
    return f"{base_url}/{PUBLIC_PAGE}?{query}{'&' if query else ''}lang={language}"


def redact_tokens(text: str) -> str:
    """`text` with the tokens of confirmation and unsubscribe links replaced (kept
    in the outbox only until the message is sent)."""
    return _IN_LINK.sub(r"\1[removed-after-sending]", text)


def expires(now: datetime) -> datetime:
    """When a confirmation token made at `now` stops working."""
    return now + CONFIRM_VALIDITY

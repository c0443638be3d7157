"""Outgoing mail: the PARTNERSHIPS_SMTP_URL setting and a connection to the server.

Shared by the officers' alert digests (db/alerts.py, which re-exports these
names) and the opportunity digests' outbox (db/opportunity_mail.py). Mail is
off unless the URL is set; a password is never sent over an unencrypted link.
"""

from __future__ import annotations

import re
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

SMTP_URL_ENV = "PARTNERSHIPS_SMTP_URL"
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class SmtpError(Exception):
    """The mail server cannot be used; nothing was sent."""


@dataclass(frozen=True)
class SmtpSettings:
    secure: bool  # smtps:// (TLS from the start); smtp:// upgrades with STARTTLS when offered
    host: str
    port: int
    username: str | None
    password: str | None = field(repr=False)
    sender: str


def parse_smtp_url(url: str) -> SmtpSettings:
    """`smtp[s]://[user[:password]@]host[:port][?from=address]` (user and password
    URL-encoded); the sender defaults to the user when it is an address."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise SmtpError(f"{SMTP_URL_ENV} must look like smtp://user:password@host:port or smtps://...")
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
    except ValueError:
        raise SmtpError(f"{SMTP_URL_ENV} has an invalid port") from None
    username = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    sender = parse_qs(parts.query).get("from", [""])[0]
    if not sender:
        sender = username if username and EMAIL_PATTERN.fullmatch(username) else f"partnerships@{parts.hostname}"
    return SmtpSettings(parts.scheme == "smtps", parts.hostname, port, username, password, sender)


def connect(settings: SmtpSettings) -> smtplib.SMTP:
    """A logged-in client: TLS from the start (smtps), else STARTTLS when the server
    offers it; without it a password is refused (SmtpError), never sent in clear."""
    context = ssl.create_default_context()
    if settings.secure:
        client: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=30, context=context)
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=30)
        client.ehlo()
        if client.has_extn("starttls"):
            client.starttls(context=context)
            client.ehlo()
        elif settings.username:
            client.quit()
            raise SmtpError("the mail server offers no STARTTLS: refusing to send the password in clear (use smtps://)")
    if settings.username:
        client.login(settings.username, settings.password or "")
    return client


def plain_message(settings: SmtpSettings, to: str, subject: str, body: str) -> EmailMessage:
    """A UTF-8 plain-text message from the configured sender, with Date and Message-ID."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = settings.sender, to, subject
    message["Date"], message["Message-ID"] = formatdate(), make_msgid(domain=settings.host)
    message.set_content(body)
    return message

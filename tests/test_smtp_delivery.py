"""Real SMTP delivery (issue 7): the outbox goes through smtplib to an aiosmtpd
server that the test starts on 127.0.0.1, in the subscribers' languages, and
the sent copies keep no working token. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import argparse
import re
import socket
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from db import opportunity_subscriptions as subs
from db.mail import SmtpError
from db.models_opportunities import Outbox
from db.opportunity_cli import add_digest_opportunities_command, run_digest_opportunities
from db.opportunity_digests import build_digests
from db.opportunity_mail import send_outbox
from tests.opportunity_world import LIMIT_SECRET, NOW, TOKEN_KEY, add_users, opportunity, texts

BASE = "https://partnerships.example.org"


class Inbox:
    """aiosmtpd handler keeping every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server() -> Iterator[tuple[str, Inbox]]:
    """A real SMTP server on 127.0.0.1 for this test; yields (smtp URL, inbox)."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{port}?from=partnerships@example.org", inbox
    finally:
        controller.stop()


@pytest.fixture
def world(engine, monkeypatch):
    monkeypatch.setenv("PARTNERSHIPS_TOKEN_KEY", TOKEN_KEY)
    monkeypatch.setenv("PARTNERSHIPS_PUBLIC_URL", BASE)
    with engine.begin() as conn:
        add_users(conn)
    return engine


def subscribe_and_confirm(engine, email: str, language: str) -> str:
    """Subscribe through the public function; returns the confirmation token."""
    with engine.begin() as conn:
        made = subs.subscribe(conn, email, language, ["cybersecurity"], [], "10.0.0.1", NOW, BASE, secret=LIMIT_SECRET)
    return made.confirm_token


def test_the_outbox_is_delivered_to_a_real_smtp_server(world, smtp_server):
    url, inbox = smtp_server
    token = subscribe_and_confirm(world, "arabic.reader@example.org", "ar")
    with world.begin() as conn:
        run = send_outbox(conn, url, NOW)  # the confirmation mail
    [confirmation] = inbox.messages
    assert run.sent and not run.failed
    assert confirmation["To"] == "arabic.reader@example.org"
    assert confirmation["Subject"] == "أكّد اشتراكك في فرص الشراكة لقطاع ITU-D"
    assert f"{BASE}/opportunities?confirm={token}&lang=ar" in confirmation.get_content()

    with world.begin() as conn:
        subs.confirm_subscription(conn, token, NOW + timedelta(hours=1))
        opportunity(conn, "OPP-1", texts=texts("Cyber drills", "Drills", ar=("تمارين سيبرانية", "تمارين", "reviewed")))
        build_digests(conn, NOW + timedelta(days=1))
        run = send_outbox(conn, url, NOW + timedelta(days=1))
    digest = inbox.messages[-1]
    body = digest.get_content()
    unsubscribe = re.search(r"\?unsubscribe=([A-Za-z0-9_-]{43})&lang=ar", body).group(1)
    assert (len(run.sent), len(inbox.messages)) == (1, 2)
    assert inbox.envelopes[-1] == ("partnerships@example.org", ["arabic.reader@example.org"])
    assert "* تمارين سيبرانية" in body and "الأمن السيبراني" in body
    with world.connect() as conn:
        stored = conn.execute(select(Outbox.sent, Outbox.sent_at, Outbox.body).order_by(Outbox.id)).all()
    assert [(sent, at is not None) for sent, at, _ in stored] == [(True, True), (True, True)]
    assert token not in stored[0].body and unsubscribe not in stored[1].body  # no working link kept
    assert "[removed-after-sending]" in stored[1].body

    with world.begin() as conn:  # the delivered link still works, once
        subs.unsubscribe(conn, unsubscribe, NOW + timedelta(days=2))


def test_the_command_line_builds_and_sends(world, smtp_server, monkeypatch, capsys):
    url, inbox = smtp_server
    token = subscribe_and_confirm(world, "reader@example.org", "fr")
    with world.begin() as conn:
        subs.confirm_subscription(conn, token, NOW + timedelta(hours=1))
        opportunity(conn, "OPP-1", texts=texts("Cyber drills"))
    parser = argparse.ArgumentParser()
    add_digest_opportunities_command(parser.add_subparsers(dest="command"))
    monkeypatch.delenv("PARTNERSHIPS_SMTP_URL", raising=False)
    assert run_digest_opportunities(world, parser.parse_args(["digest-opportunities", "--send"])) == 2
    assert "--send needs PARTNERSHIPS_SMTP_URL" in capsys.readouterr().err
    assert run_digest_opportunities(world, parser.parse_args(["digest-opportunities"])) == 0
    assert capsys.readouterr().out.splitlines() == [
        "digests: 1 written to the outbox (1 opportunities)",
        "outbox: 2 unsent, 0 sent; not sent (use --send)",
    ]
    monkeypatch.setenv("PARTNERSHIPS_SMTP_URL", url)
    assert run_digest_opportunities(world, parser.parse_args(["digest-opportunities", "--send", "--json"])) == 0
    assert capsys.readouterr().out.strip() == (
        '{"digests": 0, "items": 0, "sent": 2, "failed": 0, "outbox": {"unsent": 0, "sent": 2, "failed": 0}}'
    )
    assert [m["Subject"] for m in inbox.messages] == [
        "Confirmez votre abonnement aux possibilités de partenariat de l'UIT-D",
        "Possibilités de partenariat de l'UIT-D : 1 pour vous",
    ]


def test_an_unreachable_server_sends_nothing(world):
    subscribe_and_confirm(world, "a@example.org", "en")
    with pytest.raises(SmtpError), world.begin() as conn:
        send_outbox(conn, f"smtp://127.0.0.1:{free_port()}", NOW)
    with world.connect() as conn:
        assert conn.scalars(select(Outbox.sent)).all() == [False]

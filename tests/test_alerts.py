"""Alerts and the officers' digest (db/alerts.py), on both stores, with a fixed today."""

from __future__ import annotations

import argparse
import json
import smtplib
from datetime import date

import pytest
from sqlalchemy import insert, select

from db.alerts import (
    SmtpError,
    add_digest_command,
    digest_by_officer,
    ending_soon,
    overdue_active,
    parse_smtp_url,
    render_digest,
    run_digest,
    send_digests,
)
from db.models import Agreement, AgreementRegion, AuditLog, Partner, User

TODAY = date(2024, 6, 1)
MARKER = "SECRET-MARKER-7f3a"
SMTP_URL = "smtp://mailer:p%40ss%20word@mail.example.org:587?from=alerts@example.org"

# id, region, end date, status, officer, parent; signed 2020-01-01 (amendments 2023-01-01)
AGREEMENTS = [
    ("E0", "EUR", date(2024, 6, 1), None, "ana", None),  # ends today
    ("E30", "AFR", date(2024, 7, 1), "active", "ana", None),
    ("E31", "EUR", date(2024, 7, 2), None, "bob", None),
    ("E45", "ARB", date(2024, 7, 16), None, "carl", None),
    ("E60", "EUR", date(2024, 7, 31), "active", "bob", None),
    ("E90", "ASP", date(2024, 8, 30), None, None, None),  # nobody responsible
    ("E91", "EUR", date(2024, 8, 31), None, "ana", None),  # beyond 90 days
    ("ET", "EUR", date(2024, 6, 10), "terminated", "ana", None),
    ("EX", "EUR", date(2024, 6, 15), None, "ana", None),  # extended by EXa
    ("EXa", None, date(2025, 12, 31), None, None, "EX"),
    ("ES", "EUR", date(2025, 12, 31), None, "ana", None),  # shortened by ESb, the latest signed amendment
    ("ESa", None, date(2026, 6, 30), None, None, "ES"),
    ("ESb", None, date(2024, 6, 20), None, None, "ES"),
    ("O1", "AFR", date(2024, 5, 31), "active", "ana", None),  # overdue: still marked active
    ("O2", "AFR", date(2024, 1, 1), None, "ana", None),  # empty status past its end: completed
    ("O3", "AFR", date(2024, 1, 1), "completed", "ana", None),
    ("O4", "AFR", date(2023, 1, 1), "active", "bob", None),  # its amendment moves the end to 2024-07-15
    ("O4a", None, date(2024, 7, 15), None, None, "O4"),
    ("NOEND", "EUR", None, "active", "ana", None),
]


@pytest.fixture
def world(engine):
    with engine.begin() as conn:
        conn.execute(insert(Partner).values(id="P1", name="Partner\nOne", partner_type="ngo"))
        for agreement_id, region, end, status, officer, parent in AGREEMENTS:
            signed = date(2023, 1, 1 + (agreement_id == "ESb")) if parent else date(2020, 1, 1)
            owner = parent or agreement_id
            title = "Line one\nline two" if agreement_id == "O1" else f"Title {agreement_id}"
            conn.execute(
                insert(Agreement).values(
                    id=agreement_id,
                    partner_id="P1",
                    title=title,
                    agreement_type="mou",
                    parent_id=parent,
                    signed_date=signed,
                    signed_year=signed.year,
                    end_date=end,
                    status=status,
                    officer=officer,
                    notes=MARKER,
                    value_cents=987_654_321,
                    regions_from_id=owner,
                    areas_from_id=owner,
                )
            )
            if region:
                conn.execute(insert(AgreementRegion).values(agreement_id=agreement_id, region=region))
        for username, email, active in (
            ("ana", "ana@example.org", True),
            ("bob", None, True),
            ("carl", "carl@example.org", False),
        ):
            conn.execute(
                insert(User).values(username=username, email=email, active=active, password_hash="-", role="staff")
            )
    return engine


def ids(rows):
    return [r["agreement_id"] for r in rows]


def test_ending_soon_buckets_by_current_end_date(world):
    with world.connect() as conn:
        rows = ending_soon(conn, TODAY)
    assert [(r["agreement_id"], r["days_left"], r["bucket"]) for r in rows] == [
        ("E0", 0, 30),
        ("ES", 19, 30),
        ("E30", 30, 30),
        ("E31", 31, 60),
        ("O4", 44, 60),
        ("E45", 45, 60),
        ("E60", 60, 60),
        ("E90", 90, 90),
    ]
    assert rows[4] == {
        "agreement_id": "O4",
        "title": "Title O4",
        "partner_id": "P1",
        "partner_name": "Partner\nOne",
        "officer": "bob",
        "status": "active",
        "end_date": date(2024, 7, 15),
        "days_left": 44,
        "bucket": 60,
    }


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"within_days": 30}, ["E0", "ES", "E30"]),
        ({"within_days": 0}, ["E0"]),
        ({"region": "EUR"}, ["E0", "ES", "E31", "E60"]),
        ({"region": "afr"}, ["E30", "O4"]),
        ({"officer": "bob"}, ["E31", "O4", "E60"]),
        ({"officer": "bob", "region": "EUR", "limit": 1}, ["E31"]),
    ],
)
def test_ending_soon_filters(world, options, expected):
    with world.connect() as conn:
        assert ids(ending_soon(conn, TODAY, **options)) == expected


def test_overdue_is_explicitly_active_and_past_its_current_end(world):
    with world.connect() as conn:
        assert [(r["agreement_id"], r["days_overdue"]) for r in overdue_active(conn, TODAY)] == [("O1", 1)]
        assert ids(overdue_active(conn, date(2026, 1, 1))) == ["O1", "E30", "O4", "E60"]
        assert ids(overdue_active(conn, date(2026, 1, 1), region="EUR")) == ["E60"]
        assert ids(overdue_active(conn, date(2026, 1, 1), officer="bob")) == ["O4", "E60"]
    with world.connect() as conn, pytest.raises(ValueError):
        overdue_active(conn, TODAY, region="XYZ")


def test_digest_by_officer_leaves_out_unassigned_agreements(world):
    with world.connect() as conn:
        digests = digest_by_officer(conn, TODAY)
    assert {officer: (ids(d["ending"]), ids(d["overdue"])) for officer, d in digests.items()} == {
        "ana": (["E0", "ES", "E30"], ["O1"]),
        "bob": (["E31", "O4", "E60"], []),
        "carl": (["E45"], []),
    }


def test_render_digest_is_plain_text_on_one_line_per_fact(world):
    with world.connect() as conn:
        ana = digest_by_officer(conn, TODAY)["ana"]
    assert render_digest("ana", ana, TODAY) == (
        "Hello ana,\n"
        "\n"
        "Partnerships alerts for 2024-06-01: 4 agreements you are responsible for need attention.\n"
        "\n"
        "Ending within 30 days (3)\n"
        "  - E0  Title E0\n"
        "    Partner: Partner One; ends 2024-06-01, today\n"
        "  - ES  Title ES\n"
        "    Partner: Partner One; ends 2024-06-20, in 19 days\n"
        "  - E30  Title E30\n"
        "    Partner: Partner One; ends 2024-07-01, in 30 days\n"
        "\n"
        "Past their end date but still marked active (1)\n"
        "  - O1  Line one line two\n"
        "    Partner: Partner One; ended 2024-05-31, 1 day ago\n"
        "\n"
        "Extend them with an amendment, or mark them completed or terminated, in the Partnerships app.\n"
        "\n"
        "-- \n"
        "Sent automatically by Partnerships.\n"
    )


class FakeSMTP:
    """Stands in for smtplib.SMTP / SMTP_SSL and records what would have gone out."""

    instances: list[FakeSMTP] = []
    offers_starttls = True

    def __init__(self, host, port, timeout=None, context=None):
        self.address, self.calls, self.messages = (host, port), [], []
        FakeSMTP.instances.append(self)

    def ehlo(self):
        self.calls.append("ehlo")

    def has_extn(self, name):
        return name == "starttls" and self.offers_starttls

    def starttls(self, context=None):
        self.calls.append("starttls")

    def login(self, user, password):
        self.calls.append(("login", user, password))

    def send_message(self, message):
        self.messages.append(message)

    def quit(self):
        self.calls.append("quit")


@pytest.fixture
def fake_smtp(monkeypatch):
    FakeSMTP.instances = []
    monkeypatch.setattr(FakeSMTP, "offers_starttls", True)
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    monkeypatch.setattr(smtplib, "SMTP_SSL", FakeSMTP)
    return FakeSMTP


def digest_audit(engine):
    query = select(AuditLog.actor, AuditLog.entity_id, AuditLog.new).where(AuditLog.action == "digest-sent")
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(query)]


def test_without_smtp_nothing_is_sent(world, fake_smtp):
    with world.begin() as conn:
        run = send_digests(conn, TODAY, None)
    assert (run.sending, run.sent, fake_smtp.instances) == (False, [], [])
    assert list(run.texts) == ["ana", "bob", "carl"]
    assert run.skipped == {"bob": "no e-mail address", "carl": "the user is disabled"}
    assert digest_audit(world) == []


def test_sending_mails_one_digest_per_officer_with_an_address(world, fake_smtp):
    with world.begin() as conn:
        run = send_digests(conn, TODAY, SMTP_URL)
    assert (run.sending, run.sent) == (True, ["ana"])
    assert run.skipped == {"bob": "no e-mail address", "carl": "the user is disabled"}
    [client] = fake_smtp.instances
    assert client.address == ("mail.example.org", 587)
    assert client.calls == ["ehlo", "starttls", "ehlo", ("login", "mailer", "p@ss word"), "quit"]
    [message] = client.messages
    assert (message["From"], message["To"], message["Subject"]) == (
        "alerts@example.org",
        "ana@example.org",
        "Partnerships: 4 agreements to follow up (2024-06-01)",
    )
    assert message.get_content() == run.texts["ana"]
    assert digest_audit(world) == [("digest", "ana", "ana@example.org: 2024-06-01")]


def test_no_password_in_clear_when_the_server_offers_no_starttls(world, fake_smtp):
    fake_smtp.offers_starttls = False
    with pytest.raises(SmtpError, match="STARTTLS"), world.begin() as conn:
        send_digests(conn, TODAY, SMTP_URL)
    assert [c for c in fake_smtp.instances[0].calls if c != "ehlo"] == ["quit"]
    assert fake_smtp.instances[0].messages == [] and digest_audit(world) == []


def test_a_digest_never_carries_values_or_notes(world):
    with world.connect() as conn:
        run = send_digests(conn, TODAY, None)
    for text in run.texts.values():
        assert MARKER not in text and "9876543" not in text and "9,876,543" not in text


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtps://u:pw@mail.example.org", (True, "mail.example.org", 465, "u", "pw", "partnerships@mail.example.org")),
        ("smtp://relay.local", (False, "relay.local", 25, None, None, "partnerships@relay.local")),
        ("smtp://me%40example.org:x@h:2525", (False, "h", 2525, "me@example.org", "x", "me@example.org")),
    ],
)
def test_parse_smtp_url(url, expected):
    settings = parse_smtp_url(url)
    assert (
        settings.secure,
        settings.host,
        settings.port,
        settings.username,
        settings.password,
        settings.sender,
    ) == expected


def test_the_smtp_password_is_not_in_the_settings_repr():
    assert "s3cret" not in repr(parse_smtp_url("smtps://u:s3cret@mail.example.org"))


@pytest.mark.parametrize("url", ["http://host", "smtp://", "smtp://host:notaport"])
def test_parse_smtp_url_refuses_other_urls(url):
    with pytest.raises(SmtpError):
        parse_smtp_url(url)


def digest_cli(engine, *argv):
    parser = argparse.ArgumentParser(prog="python -m db")
    add_digest_command(parser.add_subparsers(dest="command", required=True))
    return run_digest(engine, parser.parse_args(["digest", *argv]))


def test_cli_send_without_smtp_is_a_usage_error(world, fake_smtp, monkeypatch, capsys):
    monkeypatch.delenv("PARTNERSHIPS_SMTP_URL", raising=False)
    assert digest_cli(world, "--send", "--today", "2024-06-01") == 2
    out, err = capsys.readouterr()
    assert out == "" and "--send needs PARTNERSHIPS_SMTP_URL" in err and "nothing was sent" in err
    assert fake_smtp.instances == []


def test_cli_prints_digests_for_partnerships_today_and_sends_only_with_send(world, fake_smtp, monkeypatch, capsys):
    monkeypatch.setenv("PARTNERSHIPS_TODAY", "2024-06-01")
    monkeypatch.setenv("PARTNERSHIPS_SMTP_URL", SMTP_URL)
    assert digest_cli(world) == 0
    out, err = capsys.readouterr()
    assert out.startswith("== ana <ana@example.org> ==\nHello ana,\n")
    assert "== bob <no e-mail address> ==" in out and MARKER not in out
    assert out.endswith("digests: 3 officers, not sent (use --send)\n") and err == ""
    assert fake_smtp.instances == []
    assert digest_cli(world, "--send") == 0
    out, err = capsys.readouterr()
    assert out.endswith("digests: 3 officers, 1 sent\n")
    assert err.splitlines() == [
        "warning: digest for bob not sent: no e-mail address",
        "warning: digest for carl not sent: the user is disabled",
    ]
    assert len(fake_smtp.instances[0].messages) == 1


def test_cli_json(world, capsys):
    assert digest_cli(world, "--json", "--today", "2024-06-01") == 0
    out = capsys.readouterr().out
    figures = json.loads(out)
    assert out.count("\n") == 1 and MARKER not in out
    assert (figures["today"], figures["sending"], figures["sent"]) == ("2024-06-01", False, [])
    assert figures["digests"]["ana"]["email"] == "ana@example.org"
    assert figures["digests"]["ana"]["overdue"] == [
        {
            "agreement_id": "O1",
            "title": "Line one\nline two",
            "partner_id": "P1",
            "partner_name": "Partner\nOne",
            "officer": "ana",
            "status": "active",
            "end_date": "2024-05-31",
            "days_overdue": 1,
        }
    ]


def test_cli_refuses_an_unreal_date(world):
    with pytest.raises(SystemExit) as exited:
        digest_cli(world, "--today", "2024-02-30")
    assert exited.value.code == 2


def test_the_current_end_date_is_the_agreement_pages(world):
    from db.agreements import agreement_detail

    with world.connect() as conn:
        rows = ending_soon(conn, TODAY) + overdue_active(conn, date(2026, 1, 1))
        for row in rows:
            assert agreement_detail(conn, row["agreement_id"], TODAY)["current"]["end_date"] == row["end_date"]
    assert {"ES", "O4"} <= {r["agreement_id"] for r in rows}

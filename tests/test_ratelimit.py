"""The public-form limiter (db/ratelimit.py), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from db import ratelimit
from db.models_sponsorship import PublicSubmission

SECRET = "s" * 40
NOW = datetime(2026, 11, 28, 12, 0, 0)
LIMITS = ratelimit.Limits(per_email=3, email_window=timedelta(hours=24), per_client=5, client_window=timedelta(hours=1))


def allow(engine, email, client, now=NOW, channel="sponsorship", limits=LIMITS, secret=SECRET) -> bool:
    """One submission in its own transaction, as a fresh session would make it."""
    with engine.begin() as conn:
        return ratelimit.allow(conn, channel, email, client, now, limits=limits, secret=secret)


def rows(engine) -> list[tuple]:
    with engine.connect() as conn:
        return list(conn.execute(select(PublicSubmission.__table__).order_by(PublicSubmission.id)))


def test_per_email_limit_whatever_the_client(engine):
    results = [allow(engine, "Jane@Example.org ", f"10.0.0.{i}") for i in range(5)]
    assert results == [True, True, True, False, False]
    assert len(rows(engine)) == 3  # refused submissions are not recorded


def test_per_client_limit_whatever_the_email(engine):
    results = [allow(engine, f"person{i}@example.org", "192.0.2.7") for i in range(8)]
    assert results == [True] * 5 + [False] * 3
    assert allow(engine, "person99@example.org", "192.0.2.8")  # another client is not affected


def test_windows_slide(engine):
    for minute in range(5):
        assert allow(engine, f"p{minute}@example.org", "198.51.100.1", NOW + timedelta(minutes=minute))
    assert not allow(engine, "late@example.org", "198.51.100.1", NOW + timedelta(minutes=59))
    # An hour after the first one, it has left the client window.
    assert allow(engine, "later@example.org", "198.51.100.1", NOW + timedelta(minutes=60, seconds=1))


def test_no_client_address_shares_one_count(engine):
    assert [allow(engine, f"x{i}@example.org", None) for i in range(6)] == [True] * 5 + [False]


def test_channels_are_counted_apart(engine):
    for _ in range(3):
        assert allow(engine, "jane@example.org", "203.0.113.1", channel="sponsorship")
    assert not allow(engine, "jane@example.org", "203.0.113.1", channel="sponsorship")
    assert allow(engine, "jane@example.org", "203.0.113.1", channel="subscription")


def test_only_keyed_hashes_are_stored(engine):
    allow(engine, "jane@example.org", "203.0.113.9")
    (row,) = rows(engine)
    stored = " ".join(str(value) for value in row)
    assert "jane" not in stored and "203.0.113.9" not in stored
    assert row.email_hash == ratelimit.keyed_hash(SECRET, "sponsorship", "email", "jane@example.org")
    assert row.email_hash != ratelimit.keyed_hash("t" * 40, "sponsorship", "email", "jane@example.org")
    assert len(row.email_hash) == len(row.client_hash) == 64


def test_a_rolled_back_submission_is_not_counted(engine):
    for _ in range(3):
        with pytest.raises(RuntimeError), engine.begin() as conn:
            assert ratelimit.allow(conn, "sponsorship", "jane@example.org", "c", NOW, limits=LIMITS, secret=SECRET)
            raise RuntimeError("the form was refused after the limiter")
    assert rows(engine) == []
    assert allow(engine, "jane@example.org", "c")


def test_old_rows_are_deleted_as_new_ones_come(engine):
    allow(engine, "old@example.org", "c1", NOW - timedelta(days=2))
    allow(engine, "new@example.org", "c2", NOW)
    assert [r.email_hash for r in rows(engine)] == [ratelimit.keyed_hash(SECRET, "sponsorship", "email", "new@example.org")]


def test_aware_times_are_taken_as_utc(engine):
    assert allow(engine, "tz@example.org", "c", datetime(2026, 11, 28, 13, 0, tzinfo=UTC))
    with engine.connect() as conn:
        assert conn.scalar(select(PublicSubmission.at)) == datetime(2026, 11, 28, 13, 0)


def test_a_secret_is_required(engine, monkeypatch):
    monkeypatch.delenv(ratelimit.SECRET_ENV, raising=False)
    with pytest.raises(ratelimit.SecretMissing):
        allow(engine, "a@example.org", "c", secret=None)
    with pytest.raises(ratelimit.SecretMissing):
        allow(engine, "a@example.org", "c", secret="short")
    monkeypatch.setenv(ratelimit.SECRET_ENV, "e" * 32)
    assert allow(engine, "a@example.org", "c", secret=None)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(PublicSubmission)) == 1

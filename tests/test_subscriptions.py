"""Subscriptions (issue 7): the matching rule, double opt-in and unsubscribe
tokens (wrong, reused and expired refused), the digest queue, digests in each
language, and the outbox. Every store test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db import opportunity_subscriptions as subs
from db.access import AccessDenied
from db.errors import ValidationFailed
from db.models import AuditLog
from db.models_opportunities import DigestQueue, Outbox, Subscriber
from db.opportunities import update_opportunity
from db.opportunity_digests import build_digests
from db.opportunity_mail import list_outbox, send_outbox
from db.opportunity_subscriptions import RateLimited, subscriber_matches
from db.opportunity_tokens import TokenKeyMissing, TokenRefused, hash_token
from db.vocab import LANGUAGES
from tests.opportunity_world import (
    ADMIN,
    LIMIT_SECRET,
    MARKER,
    NOW,
    STAFF,
    TOKEN_KEY,
    add_users,
    opportunity,
    texts,
)

BASE = "https://partnerships.example.org"
KEY = TOKEN_KEY.encode()
CATALOGUES = {
    lang: json.loads((Path(__file__).resolve().parent.parent / "components/locales" / f"{lang}.json").read_text("utf-8"))
    for lang in LANGUAGES
}
LINK = re.compile(r"https://partnerships\.example\.org/opportunities\?(confirm|unsubscribe|id)=([^&\s]+)&lang=(\w+)")


@pytest.fixture
def world(engine, monkeypatch):
    monkeypatch.delenv("PARTNERSHIPS_TOKEN_KEY", raising=False)
    monkeypatch.delenv("PARTNERSHIPS_COOKIE_KEY", raising=False)
    with engine.begin() as conn:
        add_users(conn)
    return engine


def subscribe(engine, email, language="en", areas=("cybersecurity",), regions=(), now=NOW, client="10.0.0.1"):
    with engine.begin() as conn:
        return subs.subscribe(conn, email, language, areas, regions, client, now, BASE, secret=LIMIT_SECRET)


def confirmed(engine, email, language="en", areas=("cybersecurity",), regions=(), now=NOW) -> int:
    made = subscribe(engine, email, language, areas, regions, now)
    with engine.begin() as conn:
        return subs.confirm_subscription(conn, made.confirm_token, now + timedelta(minutes=5))


def mails(engine) -> list[dict]:
    with engine.connect() as conn:
        return list(reversed(list_outbox(conn, ADMIN)))


def links(body: str) -> list[tuple[str, str, str]]:
    return LINK.findall(body)


# ---------------------------------------------------------------- the matching rule


@pytest.mark.parametrize(
    ("sub_areas", "sub_regions", "opp_areas", "opp_regions", "matches"),
    [
        ({"cybersecurity"}, {"AFR"}, {"cybersecurity"}, {"AFR"}, True),
        ({"cybersecurity"}, {"AFR"}, {"cybersecurity", "innovation"}, {"EUR", "AFR"}, True),
        ({"cybersecurity"}, {"AFR"}, {"innovation"}, {"AFR"}, False),  # no shared area
        ({"cybersecurity"}, {"AFR"}, {"cybersecurity"}, {"EUR"}, False),  # no shared region
        ({"cybersecurity"}, set(), {"cybersecurity"}, {"EUR"}, True),  # no region chosen: all regions
        ({"cybersecurity"}, {"AFR"}, {"cybersecurity"}, {"GLB"}, True),  # global counts for every region
        (set(), set(), {"cybersecurity"}, {"AFR"}, False),
    ],
)
def test_matching_rule(sub_areas, sub_regions, opp_areas, opp_regions, matches):
    assert subscriber_matches(sub_areas, sub_regions, opp_areas, opp_regions) is matches


def test_the_sql_matching_agrees_with_the_rule(world):
    area_sets = [("cybersecurity",), ("innovation",), ("cybersecurity", "innovation")]
    region_sets = [(), ("AFR",), ("EUR",), ("AFR", "EUR")]
    people = {}
    for n, (areas, regions) in enumerate(itertools.product(area_sets, region_sets)):
        people[confirmed(world, f"p{n}@example.org", areas=areas, regions=regions)] = (areas, regions)
    for n, (areas, regions) in enumerate(itertools.product(area_sets, [("AFR",), ("EUR",), ("GLB",), ("ASP",)])):
        with world.begin() as conn:
            opp = opportunity(conn, f"OPP-{n}", status="concept", areas=areas, regions=regions)
            expected = sorted(i for i, (a, r) in people.items() if subscriber_matches(a, r, areas, regions))
            assert subs.matching_subscribers(conn, opp) == expected


# ---------------------------------------------------------------- double opt-in


def test_subscribing_queues_a_translated_confirmation_and_stores_only_hashes(world):
    made = subscribe(world, " Person@Example.ORG ", "fr", ("cybersecurity", "innovation"), ("AFR",))
    with world.connect() as conn:
        row = conn.execute(select(Subscriber)).mappings().one()
    [mail] = mails(world)
    assert (row["email"], row["language"], row["confirmed_at"]) == ("person@example.org", "fr", None)
    assert row["confirm_token_hash"] == hash_token(made.confirm_token) != made.confirm_token
    assert row["confirm_expires_at"] == NOW + timedelta(hours=48)
    assert len(made.confirm_token) == 43 and made.confirm_token not in repr(dict(row))
    assert (mail["to_email"], mail["subject"]) == ("person@example.org", CATALOGUES["fr"]["mail.confirm_subject"])
    assert links(mail["body"]) == [("confirm", made.confirm_token, "fr")]
    assert "Cybersécurité" in mail["body"] and "Afrique" in mail["body"]


@pytest.mark.parametrize(
    ("values", "fields"),
    [
        ({"email": "not-an-address"}, {"email"}),
        ({"areas": ()}, {"areas"}),
        ({"areas": ("astrology",), "regions": ("MARS",)}, {"areas", "regions"}),
        ({"language": "de"}, {"language"}),
    ],
)
def test_invalid_subscriptions_are_refused_and_nothing_written(world, values, fields):
    request = {"email": "a@example.org", "language": "en", "areas": ("general",), "regions": ()} | values
    with pytest.raises(ValidationFailed) as refused, world.begin() as conn:
        subs.subscribe(conn, request["email"], request["language"], request["areas"], request["regions"], "c", NOW,
                       BASE, secret=LIMIT_SECRET)  # fmt: skip
    assert set(refused.value.errors) == fields
    with world.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Subscriber)) == 0


def test_confirmation_token_wrong_reused_and_expired_are_refused(world):
    first = subscribe(world, "a@example.org")
    late = subscribe(world, "b@example.org")
    outcomes = []
    for token, now in [
        ("x" * 43, NOW),  # wrong
        ("not a token at all <script>", NOW),  # not even shaped like one
        (first.confirm_token, NOW + timedelta(hours=47)),  # good
        (first.confirm_token, NOW + timedelta(hours=47, minutes=1)),  # reused
        (late.confirm_token, NOW + timedelta(hours=48, seconds=1)),  # expired
    ]:
        try:
            with world.begin() as conn:
                subs.confirm_subscription(conn, token, now)
            outcomes.append("confirmed")
        except TokenRefused as exc:
            outcomes.append(exc.reason)
    assert outcomes == ["unknown", "unknown", "confirmed", "unknown", "expired"]
    with world.connect() as conn:
        refusals = conn.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "access-denied"))
        states = dict(conn.execute(select(Subscriber.email, Subscriber.confirmed_at)).all())
    assert refusals == 4
    assert states == {"a@example.org": NOW + timedelta(hours=47), "b@example.org": None}


def test_subscribing_again_never_says_so_on_the_page_and_keeps_the_preferences(world):
    confirmed(world, "a@example.org", "es", ("cybersecurity",), ("EUR",))
    again = subscribe(world, "a@example.org", "en", ("innovation",), ())
    assert again.confirm_token is None
    last = mails(world)[-1]
    assert last["subject"] == CATALOGUES["es"]["mail.already_subject"] and "Europa" in last["body"]
    assert links(last["body"]) == []
    with world.connect() as conn:
        assert conn.scalars(select(subs.SA.c.area)).all() == ["cybersecurity"]


def test_a_new_request_replaces_the_unconfirmed_one(world):
    first = subscribe(world, "a@example.org", areas=("cybersecurity",))
    second = subscribe(world, "a@example.org", areas=("innovation",))
    with pytest.raises(TokenRefused), world.begin() as conn:
        subs.confirm_subscription(conn, first.confirm_token, NOW)
    with world.begin() as conn:
        assert subs.confirm_subscription(conn, second.confirm_token, NOW) == second.subscriber_id
        assert conn.scalars(select(subs.SA.c.area)).all() == ["innovation"]


def test_subscriptions_are_limited_per_email_and_per_client(world):
    outcomes = []
    for n in range(7):
        try:
            subscribe(world, "same@example.org", client=f"10.0.0.{n}")
            outcomes.append("ok")
        except RateLimited:
            outcomes.append("limited")
    for n in range(22):
        try:
            subscribe(world, f"p{n}@example.org", client="10.9.9.9")
            outcomes.append("ok")
        except RateLimited:
            outcomes.append("limited")
    assert outcomes == ["ok"] * 5 + ["limited"] * 2 + ["ok"] * 20 + ["limited"] * 2
    assert len(mails(world)) == 25


# ---------------------------------------------------------------- the queue


def queued(engine) -> list[tuple]:
    with engine.connect() as conn:
        rows = conn.execute(select(DigestQueue.subscriber_id, DigestQueue.reason, DigestQueue.status,
                                   DigestQueue.outbox_id).order_by(DigestQueue.id))  # fmt: skip
        return [tuple(r) for r in rows]


def test_opening_and_status_changes_queue_matching_confirmed_subscribers_once(world):
    alice = confirmed(world, "alice@example.org", areas=("cybersecurity",), regions=("AFR",))
    confirmed(world, "bob@example.org", areas=("statistics",))
    subscribe(world, "carol@example.org", areas=("cybersecurity",))  # never confirmed
    with world.begin() as conn:
        concept = opportunity(conn, "OPP-1", status="concept")
        hidden = opportunity(conn, "OPP-2", status="closed")
    assert queued(world) == [(alice, "opened", "concept", None)]
    with world.begin() as conn:
        update_opportunity(conn, STAFF, concept, {"status": "open"}, 1)
        update_opportunity(conn, STAFF, concept, {"status": "in-discussion"}, 2)
        update_opportunity(conn, STAFF, hidden, {"texts": texts("Renamed")}, 1)  # no status change: nothing
    assert queued(world) == [(alice, "opened", "in-discussion", None)]


# ---------------------------------------------------------------- digests


@pytest.mark.parametrize("language", LANGUAGES)
def test_digest_in_the_subscribers_language(world, language):
    person = confirmed(world, f"{language}@example.org", language, ("cybersecurity",), ("AFR",))
    with world.begin() as conn:
        opportunity(conn, "OPP-T", texts=texts("English title", "English summary",
                                               **{language: (f"Title in {language}", "Own summary", "reviewed")})
                    if language != "en" else texts("English title", "English summary"))  # fmt: skip
        opportunity(conn, "OPP-E", status="in-discussion", texts=texts("Only in English", "Summary"))
        built = build_digests(conn, NOW + timedelta(days=1), BASE, KEY)
    catalogue = CATALOGUES[language]
    mail = mails(world)[-1]
    body = mail["body"]
    assert built.messages == {person: mail["id"]} and built.items == 2
    assert mail["subject"] == catalogue["mail.digest_subject"].format(count=2)
    assert body.startswith(catalogue["mail.digest_intro"].format(count=2))
    expected = [
        catalogue["mail.reason_opened"],
        catalogue["mail.digest_status"].format(status=catalogue["opportunity.status_open"]),
        catalogue["mail.digest_status"].format(status=catalogue["opportunity.status_in-discussion"]),
        catalogue["opportunity.matching_rule"],
        catalogue["area.cybersecurity"],
        catalogue["region.AFR"],
        catalogue["mail.signature"],
        f"* {'English title' if language == 'en' else f'Title in {language}'}",
        "* Only in English",  # no translation: English in its place
    ]
    assert [text for text in expected if text not in body] == []
    assert [(kind, lang) for kind, _value, lang in links(body)] == [("id", language), ("id", language),
                                                                    ("unsubscribe", language)]  # fmt: skip
    assert queued(world) == [(person, "opened", "open", mail["id"]), (person, "opened", "in-discussion", mail["id"])]


def test_digests_are_built_once_and_carry_no_internal_field(world):
    confirmed(world, "a@example.org")
    with world.begin() as conn:
        opportunity(conn, "OPP-1", budget_usd="7731", funding_sought_usd="7731", funding_secured_usd="7731",
                    contact_officer="staff1", texts=texts("Public title", "Public summary"))  # fmt: skip
        first = build_digests(conn, NOW, BASE, KEY)
        second = build_digests(conn, NOW, BASE, KEY)
    assert (len(first.messages), len(second.messages)) == (1, 0)
    body = mails(world)[-1]["body"]
    assert "7731" not in body and "77.31" not in body and "staff1" not in body and MARKER not in body


def test_building_digests_needs_a_key(world):
    confirmed(world, "a@example.org")
    with world.begin() as conn:
        opportunity(conn, "OPP-1")
    with pytest.raises(TokenKeyMissing), world.begin() as conn:
        build_digests(conn, NOW, BASE)
    with world.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Outbox)) == 1  # the confirmation only


def test_one_unsubscribe_link_works_from_any_digest_once(world):
    person = confirmed(world, "a@example.org")
    tokens = []
    for n in range(2):
        with world.begin() as conn:
            opportunity(conn, f"OPP-{n}")
            build_digests(conn, NOW + timedelta(days=n), BASE, KEY)
        tokens.append([value for kind, value, _ in links(mails(world)[-1]["body"]) if kind == "unsubscribe"][0])
    assert tokens[0] == tokens[1]  # the same link in every digest
    with world.connect() as conn:
        stored = conn.scalar(select(Subscriber.unsubscribe_token_hash))
    assert stored == hash_token(tokens[0]) != tokens[0]
    with world.begin() as conn:
        opportunity(conn, "OPP-pending")  # queued, not yet in a digest
    outcomes = []
    for token in ("y" * 43, tokens[0], tokens[0]):
        try:
            with world.begin() as conn:
                outcomes.append(subs.unsubscribe(conn, token, NOW + timedelta(days=3)))
        except TokenRefused as exc:
            outcomes.append(exc.reason)
    assert outcomes == ["unknown", person, "unknown"]
    assert [row for row in queued(world) if row[3] is None] == []
    with world.begin() as conn:
        opportunity(conn, "OPP-after")
        assert build_digests(conn, NOW + timedelta(days=4), BASE, KEY).messages == {}


def test_unsubscribing_drops_unsent_mail_and_a_new_subscription_gets_a_new_link(world):
    confirmed(world, "a@example.org")
    with world.begin() as conn:
        opportunity(conn, "OPP-1")
        build_digests(conn, NOW, BASE, KEY)
    old = [v for k, v, _ in links(mails(world)[-1]["body"]) if k == "unsubscribe"][0]
    with world.begin() as conn:
        subs.unsubscribe(conn, old, NOW)
    assert mails(world) == []  # nothing unsent kept for the address
    confirmed(world, "a@example.org", now=NOW + timedelta(days=1))
    with world.begin() as conn:
        opportunity(conn, "OPP-2")
        build_digests(conn, NOW + timedelta(days=2), BASE, KEY)
    new = [v for k, v, _ in links(mails(world)[-1]["body"]) if k == "unsubscribe"][0]
    assert new != old
    with pytest.raises(TokenRefused), world.begin() as conn:
        subs.unsubscribe(conn, old, NOW + timedelta(days=3))


# ---------------------------------------------------------------- the outbox


def test_the_outbox_is_for_admins_only(world):
    subscribe(world, "a@example.org")
    with pytest.raises(AccessDenied), world.begin() as conn:
        list_outbox(conn, STAFF)
    with world.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "access-denied")) == 1
        assert subs.subscriber_counts(conn) == {"confirmed": 0, "pending": 1, "unsubscribed": 0, "queued": 0}


def test_without_an_smtp_url_nothing_is_sent(world):
    subscribe(world, "a@example.org")
    with world.begin() as conn:
        run = send_outbox(conn, None)
    assert (run.sending, run.sent) == (False, [])
    assert [m["sent"] for m in mails(world)] == [False]

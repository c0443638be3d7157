"""The public side of the sponsorship platform on SQLite and PostgreSQL: what is
offered, in which language, the preliminary price, the request, its limits,
the allow-list of public fields, and the demo seed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from db import kpis, pricing, ratelimit, sponsorship
from db.engine import make_engine
from db.models import AuditLog, Sponsorship
from db.models_sponsorship import PublicSubmission, RequestItem, SponsorshipPackage, SponsorshipRequest
from db.sponsorship_seed import seed_sponsorship_demo
from db.vocab import LANGUAGES
from tests.conftest import PostgresServer, run_cli_in_process
from tests.sponsorship_data import MARKER, TODAY, build

SECRET = "k" * 40
NOW = datetime(2026, 11, 28, 12, 0)


@pytest.fixture
def shop(engine):
    with engine.begin() as conn:
        ids = build(conn)
    return engine, ids


def form(ids, **changes) -> sponsorship.RequestForm:
    base = sponsorship.RequestForm(
        event_id="EV-OPEN",
        package_ids=(ids["EV-OPEN/side"], ids["EV-OPEN/reception"]),
        organisation="Nimbus Connect",
        contact_name="Ada Lovelace",
        email="ada@nimbus.example",
        sector_member=True,
        listed_publicly=False,
        language="en",
    )
    return replace(base, **changes)


def submit(engine, request_form, client="192.0.2.1", now=NOW, limits=ratelimit.DEFAULT_LIMITS):
    with engine.begin() as conn:
        return sponsorship.submit_request(conn, request_form, client=client, now=now, today=TODAY, secret=SECRET,
                                          limits=limits)  # fmt: skip


def count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(table))


# ---------------------------------------------------------------- what is on offer


def test_only_upcoming_events_with_packages_are_offered(shop):
    engine, _ = shop
    with engine.connect() as conn:
        events = sponsorship.upcoming_events(conn, TODAY, "en")
        on_start_day = sponsorship.upcoming_events(conn, date(2026, 12, 8), "en")
    assert [(e["event_id"], e["name"], e["available"]) for e in events] == [
        ("EV-OPEN", "Open Forum 2026", 3 + 0 + 2 + 4),
        ("EV-CLOSED", "Closed Roundtable 2027", 3),
    ]
    assert [e["event_id"] for e in on_start_day] == ["EV-CLOSED"]


@pytest.mark.parametrize(
    ("lang", "name", "description"),
    [
        ("fr", "Forum ouvert 2026", "Un forum pour tous."),
        ("ar", "المنتدى المفتوح 2026", "A forum for everyone."),  # no Arabic description: English shown
        ("zh", "Open Forum 2026", "A forum for everyone."),
        ("en", "Open Forum 2026", "A forum for everyone."),
    ],
)
def test_event_texts_fall_back_to_english(shop, lang, name, description):
    engine, _ = shop
    with engine.connect() as conn:
        event = sponsorship.upcoming_events(conn, TODAY, lang)[0]
    assert (event["name"], event["description"]) == (name, description)


def test_packages_with_availability_and_language_fallback(shop):
    engine, ids = shop
    with engine.connect() as conn:
        french = sponsorship.event_packages(conn, "EV-OPEN", "fr")
        every = sponsorship.event_packages(conn, "EV-OPEN", "ru", active_only=False)
    assert [(p["code"], p["name"], p["quantity"], p["sold"], p["available"]) for p in french] == [
        ("social", "Social event", 1, 1, 0),  # English where French is missing; sold out
        ("reception", "reception", 2, 0, 2),  # no text at all: the code
        ("side", "Événement parallèle", 4, 1, 3),  # the pending S2 is not sold, the confirmed S3 (empty status) is
        ("coffee", "coffee", 4, 0, 4),  # the cancelled S5 is not sold
    ]
    assert [p["code"] for p in every] == ["social", "reception", "side", "coffee", "old"]
    assert every[2]["benefits"] == "Logo."


def test_only_sponsors_who_agreed_are_listed(shop):
    engine, _ = shop
    with engine.connect() as conn:
        assert sponsorship.public_sponsors(conn, "EV-OPEN", "en") == [
            {"name": "Kestrel Networks Ltd.", "activity": "Social event"}
        ]
        assert sponsorship.public_sponsors(conn, "EV-PAST", "fr") == [
            {"name": "Kestrel Networks Ltd.", "activity": "Reception"}
        ]


def test_preliminary_quote_with_the_rules(shop):
    engine, ids = shop
    with engine.connect() as conn:
        quote = sponsorship.preliminary_quote(conn, "EV-OPEN", [ids["EV-OPEN/side"], ids["EV-OPEN/reception"]], True, TODAY)
        closed = sponsorship.preliminary_quote(conn, "EV-CLOSED", [ids["EV-CLOSED/side"]], True, TODAY)
    assert [d.reason for d in quote.discounts] == ["sector-member", "multi-count", "multi-total"]
    assert (quote.gross_cents, quote.total_cents) == (9_500_000, 7_716_375)
    assert (closed.discounts, closed.total_cents) == ((), 2_000_000)  # no Sector Member discount at a closed meeting


@pytest.mark.parametrize(
    ("event", "packages", "codes"),
    [
        ("EV-OPEN", ["EV-OPEN/social"], ["sold-out"]),
        ("EV-OPEN", ["EV-OPEN/old"], ["inactive-package"]),
        ("EV-PAST", ["EV-PAST/reception"], ["past-event"]),
        ("EV-OPEN", ["EV-CLOSED/side"], ["unknown-package"]),
        ("EV-NONE", ["EV-OPEN/side"], ["unknown-event"]),
    ],
)
def test_quotes_refused(shop, event, packages, codes):
    engine, ids = shop
    with engine.connect() as conn, pytest.raises(pricing.QuoteRefused) as refused:
        sponsorship.preliminary_quote(conn, event, [ids[p] for p in packages], False, TODAY)
    assert [p.code for p in refused.value.problems] == codes


# ---------------------------------------------------------------- the request


def test_a_request_stores_the_quote_not_a_sponsorship(shop):
    engine, ids = shop
    before = count(engine, Sponsorship)
    done = submit(engine, form(ids, organisation="  Nimbus Connect  "))
    assert done.quote_ref.startswith("SQ-2026-") and len(done.quote_ref) == 16
    with engine.connect() as conn:
        row = conn.execute(select(SponsorshipRequest.__table__).where(SponsorshipRequest.id == done.request_id)).one()
        items = conn.execute(select(RequestItem.package_id, RequestItem.quantity, RequestItem.unit_price_cents)
                             .where(RequestItem.request_id == done.request_id).order_by(RequestItem.package_id)).all()  # fmt: skip
        audit_rows = conn.scalars(select(AuditLog.new).where(AuditLog.action == "sponsorship-request")).all()
    assert (row.status, row.organisation, row.gross_cents, row.discount_cents, row.total_cents) == (
        "pending", "Nimbus Connect", 9_500_000, 9_500_000 - 7_716_375, 7_716_375,
    )  # fmt: skip
    assert items == sorted([(ids["EV-OPEN/side"], 1, 4_500_000), (ids["EV-OPEN/reception"], 1, 5_000_000)])
    assert count(engine, Sponsorship) == before
    assert len(audit_rows) == 1 and "ada@" not in audit_rows[0] and done.quote_ref in audit_rows[0]


@pytest.mark.parametrize(
    ("changes", "codes"),
    [
        ({"organisation": "  "}, {"organisation": "required"}),
        ({"organisation": "x" * 201}, {"organisation": "too_long"}),
        ({"organisation": "<img src=x onerror=alert(1)>"}, {"organisation": "no_html"}),
        ({"contact_name": "Ada\x00Lovelace"}, {"contact_name": "no_html"}),
        ({"email": "not-an-address"}, {"email": "bad_email"}),
        ({"email": "a@b"}, {"email": "bad_email"}),
        ({"email": "a" * 250 + "@b.org"}, {"email": "too_long"}),
        ({"email": ""}, {"email": "required"}),
        ({"language": "de"}, {"language": "bad_language"}),
        ({"package_ids": ()}, {"packages": "no_packages"}),
        ({"package_ids": tuple(range(1, 12))}, {"packages": "too_many_packages"}),
        ({"package_ids": (1, 1)}, {"packages": "bad_quantity"}),
        ({"organisation": "", "email": "x"}, {"organisation": "required", "email": "bad_email"}),
    ],
)
def test_invalid_requests_write_nothing(shop, changes, codes):
    engine, ids = shop
    with pytest.raises(sponsorship.RequestInvalid) as refused:
        submit(engine, form(ids, **changes))
    assert refused.value.codes == codes
    assert count(engine, SponsorshipRequest) == 1 and count(engine, PublicSubmission) == 0


@pytest.mark.parametrize(
    ("event", "packages", "codes"),
    [
        ("EV-OPEN", ["EV-OPEN/social"], {"packages": "sold_out"}),
        ("EV-PAST", ["EV-PAST/reception"], {"event": "past_event"}),
        ("EV-OPEN", ["EV-CLOSED/side"], {"packages": "unknown_package"}),
        ("EV-GONE", ["EV-OPEN/side"], {"event": "unknown_event"}),
    ],
)
def test_sold_out_and_past_events_are_refused_on_the_server(shop, event, packages, codes):
    engine, ids = shop
    with pytest.raises(sponsorship.RequestInvalid) as refused:
        submit(engine, form(ids, event_id=event, package_ids=tuple(ids[p] for p in packages)))
    assert refused.value.codes == codes
    assert count(engine, SponsorshipRequest) == 1 and count(engine, PublicSubmission) == 0


def test_a_hundred_submissions_are_limited_per_client(shop):
    """Each in its own transaction, as from a fresh session; distinct e-mails from one address."""
    engine, ids = shop
    outcomes = []
    for i in range(100):
        try:
            submit(engine, form(ids, email=f"bot{i}@spam.example"), client="203.0.113.66", now=NOW + timedelta(seconds=i))
            outcomes.append("stored")
        except sponsorship.RateLimited:
            outcomes.append("limited")
    per_client = ratelimit.DEFAULT_LIMITS.per_client
    assert outcomes == ["stored"] * per_client + ["limited"] * (100 - per_client)
    assert count(engine, SponsorshipRequest) == 1 + per_client
    assert count(engine, PublicSubmission) == per_client


def test_submissions_are_limited_per_email_across_addresses(shop):
    engine, ids = shop
    per_email = ratelimit.DEFAULT_LIMITS.per_email
    for i in range(per_email):
        submit(engine, form(ids, email="Same@Person.example"), client=f"198.51.100.{i}")
    with pytest.raises(sponsorship.RateLimited):
        submit(engine, form(ids, email="same@person.example "), client="198.51.100.200")
    assert count(engine, SponsorshipRequest) == 1 + per_email


def test_public_outputs_never_show_internal_fields(shop):
    """MARKER sits in a partner's mandate, an unlisted sponsor's name and activity, a
    pending request's contact details; the target is a planted amount."""
    engine, ids = shop
    outputs = []
    with engine.connect() as conn:
        for lang in LANGUAGES:
            outputs.append(sponsorship.upcoming_events(conn, TODAY, lang))
            for event_id in ("EV-OPEN", "EV-CLOSED", "EV-PAST"):
                outputs.append(sponsorship.event_packages(conn, event_id, lang))
                outputs.append(sponsorship.public_sponsors(conn, event_id, lang))
        outputs.append(sponsorship.preliminary_quote(conn, "EV-OPEN", [ids["EV-OPEN/side"]], True, TODAY))
    text = repr(outputs)
    assert MARKER not in text and MARKER.lower() not in text
    assert "987654" not in text and "98765432" not in text  # the event's sponsorship target
    assert "Hidden Sponsor" not in text and "Andes Telecom" not in text  # unlisted; listed but only pending/cancelled


# ---------------------------------------------------------------- the demo seed


@pytest.fixture(scope="module")
def seeded_sample(backend, request, tmp_path_factory):
    """A store holding the bundled sample and the sponsorship demo (whether or not
    `init --sample` loads it already: the seed does nothing a second time)."""
    server: PostgresServer | None = request.getfixturevalue("postgres_server") if backend == "postgresql" else None
    if server is None:
        url = f"sqlite:///{tmp_path_factory.mktemp('seeded') / 'seeded.db'}"
    else:
        name = server.next_name()
        url = server.create(name)
    assert run_cli_in_process(["--url", url, "init", "--sample"]).code == 0
    engine = make_engine(url)
    with engine.begin() as conn:
        seed_sponsorship_demo(conn)
    yield engine
    engine.dispose()
    if server is not None:
        server.drop(name)


def test_the_seed_keeps_the_published_2017_figures(seeded_sample):
    with seeded_sample.connect() as conn:
        figures = kpis.sponsorship_figures(conn, kpis.Period(2017, 2017))
        assert (figures["revenue_usd"], figures["sponsors"]) == (590329.0, 14)
        with seeded_sample.begin() as again:
            assert seed_sponsorship_demo(again) == {"rules": 0, "packages": 0, "linked": 0}


def test_the_seed_offers_the_upcoming_events_in_six_languages_with_real_sold_outs(seeded_sample):
    with seeded_sample.connect() as conn:
        events = {lang: sponsorship.upcoming_events(conn, TODAY, lang) for lang in LANGUAGES}
        assert [e["event_id"] for e in events["en"]] == ["DIF-26", "RDF-AFR-27", "PRT-27", "GSR-27"]
        for lang in LANGUAGES:
            names = [e["name"] for e in events[lang]]
            assert len(set(names)) == 4 and (lang == "en" or names != [e["name"] for e in events["en"]])
            assert all(e["description"] for e in events[lang])
        sold_out = {}
        for event in events["en"]:
            packages = sponsorship.event_packages(conn, event["event_id"], "ar")
            assert all(p["name"] != p["code"] and p["description"] and p["benefits"] for p in packages)
            sold_out[event["event_id"]] = sorted(p["code"] for p in packages if p["available"] == 0)
        assert sold_out == {"DIF-26": ["social-event", "wifi"], "RDF-AFR-27": ["delegate-bags"], "PRT-27": [],
                            "GSR-27": ["lanyards"]}  # fmt: skip
        # Sold out because confirmed sample sponsorships point at the package.
        linked = conn.execute(
            select(SponsorshipPackage.code, func.count())
            .join(Sponsorship, Sponsorship.package_id == SponsorshipPackage.id)
            .where(SponsorshipPackage.event_id == "DIF-26", func.coalesce(Sponsorship.status, "confirmed") == "confirmed")
            .group_by(SponsorshipPackage.code)
        ).all()
        assert dict(linked) == {"side-event": 1, "social-event": 1, "wifi": 1}
        assert [r.kind for r in sponsorship.discount_rules(conn)] == ["sector-member", "multi-count", "multi-total"]
        assert sponsorship.public_sponsors(conn, "DIF-26", "en") == [
            {"name": "Andean-Pacific Telecommunications Council", "activity": "Side event"}
        ]

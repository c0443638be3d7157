"""Deterministic synthetic stores for the KPI benchmark.

A store of N agreements has the shape of the sample: about one partner per 9
agreements, ~15 % amendments (each of a new agreement of the same partner, not
signed before it), 1-3 regions and 1-2 areas per new agreement, signing years
1993-2026 growing towards recent years, value_usd set on ~90 % of rows, one
event per 500 agreements and ~5 sponsorships per event. Countries, partner
priorities and funding mechanisms are left out: no KPI reads them.

Rows go in through Core `insert()` executemany in batches, never through the
importer, whose row-by-row validation would dominate a 1M build.
"""

from __future__ import annotations

import json
import math
import os
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.engine import make_url

from benchmarks import synthetic_pages as pages
from db import kpi_summary, vocab
from db.engine import make_engine
from db.models import Base
from db.schema import head_revision, upgrade_to_head

# Bump when the generator changes: stored stores with another version are rebuilt.
GENERATOR_VERSION = 2  # 2: engagements, sponsorship platform, opportunities, users
DEFAULT_SEED = 20261128
FIRST_YEAR, LAST_YEAR = 1993, 2026
AGREEMENTS_PER_PARTNER = 9
AMENDMENT_SHARE = 0.15
AGREEMENTS_PER_EVENT = 500
SPONSORSHIPS_PER_EVENT = 5
BATCH_ROWS = 20_000

T = Base.metadata.tables
LAST_DAY = date(LAST_YEAR, 12, 31).toordinal()
YEARS = list(range(FIRST_YEAR, LAST_YEAR + 1))
# More agreements in recent years, as in the published figures.
YEAR_WEIGHTS = [year - FIRST_YEAR + 1 for year in YEARS]
COUNTRIES = ("CHE", "USA", "FRA", "DEU", "JPN", "KEN", "BRA", "IND", "EGY", "RUS", "AUS", "SEN", "ARG", "CHN")
NOTE = "Synthetic benchmark row; the wording is long enough to give rows the width of real notes. " * 2


@dataclass(frozen=True)
class StoreShape:
    """How many rows of each kind a store of `agreements` agreements holds."""

    agreements: int
    seed: int = DEFAULT_SEED

    @property
    def partners(self) -> int:
        return max(1, self.agreements // AGREEMENTS_PER_PARTNER)

    @property
    def events(self) -> int:
        return max(1, self.agreements // AGREEMENTS_PER_EVENT)

    @property
    def sponsorships(self) -> int:
        return self.events * SPONSORSHIPS_PER_EVENT

    @property
    def requests(self) -> int:
        return max(1, self.sponsorships // pages.SPONSORSHIPS_PER_REQUEST)

    @property
    def opportunities(self) -> int:
        return max(1, self.agreements // pages.AGREEMENTS_PER_OPPORTUNITY)

    @property
    def subscribers(self) -> int:
        return max(1, self.partners // pages.PARTNERS_PER_SUBSCRIBER)

    def params(self) -> dict[str, Any]:
        """What identifies a built store: same params, same rows."""
        return {
            "generator": GENERATOR_VERSION,
            "agreements": self.agreements,
            "seed": self.seed,
            "schema": head_revision(),
        }


@dataclass(frozen=True)
class StoreInfo:
    url: str
    reused: bool
    build_s: float
    counts: dict[str, int]
    bytes: int | None


def _rng(shape: StoreShape, table: str) -> random.Random:
    # One stream per table, so changing one generator does not shift the others.
    return random.Random(f"{shape.seed}:{table}")


def _random_day(rng: random.Random) -> int:
    year = rng.choices(YEARS, weights=YEAR_WEIGHTS)[0]
    start = date(year, 1, 1).toordinal()
    return start + rng.randrange(date(year, 12, 31).toordinal() - start + 1)


def _value_cents(rng: random.Random, share_set: float) -> int | None:
    if rng.random() >= share_set:
        return None
    # Lognormal around USD 60k (mean ~140k): a few large agreements dominate, as in reality.
    return int(rng.lognormvariate(math.log(6_000_000), 1.3)) // 100 * 100


def partner_rows(shape: StoreShape) -> Iterator[dict[str, Any]]:
    rng = _rng(shape, "partner")
    for i in range(shape.partners):
        yield {
            "id": f"PA{i:07d}",
            "name": f"Synthetic Partner {i:07d} (fictional)",
            "partner_type": rng.choice(vocab.PARTNER_TYPES),
            "country": rng.choice(COUNTRIES),
            "sector": rng.choice(vocab.SECTORS),
            "sector_member": rng.random() < 0.3,
            "mandate": NOTE if rng.random() < 0.5 else None,
            "strategy": None,
            "website": f"https://partner-{i}.example.org",
            "version": 1,
        }


class _AgreementGenerator:
    """Agreements in id order; an amendment picks an earlier new agreement as parent
    so that batches inserted in order always satisfy the parent_id foreign key."""

    def __init__(self, shape: StoreShape) -> None:
        self.shape = shape
        self.rng = _rng(shape, "agreement")
        self.new_index: list[int] = []  # positions of new agreements, for amendments
        self.partner_of: dict[int, int] = {}
        self.day_of: dict[int, int] = {}
        self.type_of: dict[int, str] = {}

    def rows(self, i: int) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
        """Agreement i and its region and area link rows."""
        if self.new_index and self.rng.random() < AMENDMENT_SHARE:
            return self._amendment(i)
        return self._new(i)

    def _new(self, i: int) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
        rng, own_id = self.rng, f"AG{i:08d}"
        partner, day = rng.randrange(self.shape.partners), _random_day(rng)
        kind = rng.choice(vocab.AGREEMENT_TYPES)
        self.new_index.append(i)
        self.partner_of[i], self.day_of[i], self.type_of[i] = partner, day, kind
        regions = rng.sample(vocab.REGIONS, rng.randint(1, 3))
        areas = rng.sample(vocab.AREAS, rng.randint(1, 2))
        row = self._row(own_id, partner, kind, None, day, _value_cents(rng, 0.9), own_id, own_id)
        return row, _links(own_id, "region", regions), _links(own_id, "area", areas)

    def _amendment(self, i: int) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
        rng, own_id = self.rng, f"AG{i:08d}"
        parent = self.new_index[rng.randrange(len(self.new_index))]
        parent_id = f"AG{parent:08d}"
        day = min(self.day_of[parent] + rng.randrange(4 * 365), LAST_DAY)
        # Half the amendments list no regions (areas) and so take the parent's,
        # which is what db/kinds.py db_row records in regions_from_id/areas_from_id.
        regions = rng.sample(vocab.REGIONS, rng.randint(1, 2)) if rng.random() < 0.5 else []
        areas = rng.sample(vocab.AREAS, 1) if rng.random() < 0.5 else []
        regions_from = own_id if regions else parent_id
        areas_from = own_id if areas else parent_id
        value = _value_cents(rng, 0.8)
        partner, kind = self.partner_of[parent], self.type_of[parent]
        row = self._row(own_id, partner, kind, parent_id, day, value, regions_from, areas_from)
        return row, _links(own_id, "region", regions), _links(own_id, "area", areas)

    def _row(
        self,
        own_id: str,
        partner: int,
        kind: str,
        parent_id: str | None,
        day: int,
        value: int | None,
        regions_from: str,
        areas_from: str,
    ) -> dict[str, Any]:
        rng = self.rng
        signed = date.fromordinal(day)
        in_euros = value is not None and rng.random() < 0.2
        return {
            "id": own_id,
            "partner_id": f"PA{partner:07d}",
            "title": f"Synthetic {kind} agreement {own_id} on digital development cooperation",
            "agreement_type": kind,
            "parent_id": parent_id,
            "signed_date": signed,
            "signed_year": signed.year,
            "end_date": date.fromordinal(day + rng.randrange(365, 5 * 365)) if rng.random() < 0.7 else None,
            "value_cents": value,
            "amount_cents": value * 9 // 10 if in_euros else None,
            "currency": "EUR" if in_euros else None,
            "status": rng.choice((None, None, "active", "completed", "terminated")),
            "officer": None,
            "notes": NOTE if rng.random() < 0.3 else None,
            "regions_from_id": regions_from,
            "areas_from_id": areas_from,
            "version": 1,
        }


def _links(owner: str, column: str, codes: list[str]) -> list[dict[str, Any]]:
    return [{"agreement_id": owner, column: code} for code in codes]


def agreement_batches(
    shape: StoreShape, batch_rows: int = BATCH_ROWS
) -> Iterator[tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]]:
    """(agreements, region links, area links) in batches of `batch_rows` agreements."""
    generator = _AgreementGenerator(shape)
    for start in range(0, shape.agreements, batch_rows):
        agreements, regions, areas = [], [], []
        for i in range(start, min(start + batch_rows, shape.agreements)):
            row, region_rows, area_rows = generator.rows(i)
            agreements.append(row)
            regions.extend(region_rows)
            areas.extend(area_rows)
        yield agreements, regions, areas


def event_rows(shape: StoreShape) -> Iterator[dict[str, Any]]:
    rng = _rng(shape, "event")
    for i in range(shape.events):
        start = date.fromordinal(_random_day(rng))
        yield {
            "id": f"EV{i:06d}",
            "name": f"Synthetic event {i}",
            "start_date": start,
            "start_year": start.year,
            "end_date": date.fromordinal(start.toordinal() + rng.randrange(1, 5)),
            "location": "Geneva",
            "open_event": rng.random() < 0.5,
            "target_cents": rng.randrange(50_000, 500_000) * 100,
            "version": 1,
        }


def sponsorship_rows(shape: StoreShape) -> Iterator[dict[str, Any]]:
    rng = _rng(shape, "sponsorship")
    for i in range(shape.sponsorships):
        yield {
            "id": f"SP{i:07d}",
            "event_id": f"EV{rng.randrange(shape.events):06d}",
            "partner_id": f"PA{rng.randrange(shape.partners):07d}",
            "activity": rng.choice(("Coffee break", "Reception", "Side event", "Lanyards", "Live stream")),
            "amount_cents": rng.randrange(5_000, 150_000) * 100,
            "signed_date": None,
            # Empty status means confirmed (DATA-CONTRACT.md): keep both spellings in the data.
            "status": rng.choice((None, None, None, "confirmed", "confirmed", "pending", "cancelled")),
            "version": 1,
        }


def _insert_in_batches(engine: Engine, table: str, rows: Iterator[dict[str, Any]]) -> None:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH_ROWS:
            _insert(engine, table, batch)
            batch = []
    _insert(engine, table, batch)


def _insert(engine: Engine, table: str, rows: list[dict[str, Any]]) -> None:
    if rows:
        with engine.begin() as conn:
            conn.execute(insert(T[table]), rows)


def fill_store(engine: Engine, shape: StoreShape) -> dict[str, int]:
    """Create the schema and insert the synthetic rows; returns row counts per table."""
    upgrade_to_head(engine)
    _insert_in_batches(engine, "partner", partner_rows(shape))
    for agreements, regions, areas in agreement_batches(shape):
        # One transaction per batch: parents are always in an earlier or the same batch.
        with engine.begin() as conn:
            conn.execute(insert(T["agreement"]), agreements)
            conn.execute(insert(T["agreement_region"]), regions)
            conn.execute(insert(T["agreement_area"]), areas)
    _insert_in_batches(engine, "event", event_rows(shape))
    _insert_in_batches(engine, "sponsorship", sponsorship_rows(shape))
    fill_page_tables(engine, shape)
    # The rows went in past db/kinds.py: the KPI summaries are built from them,
    # as `python -m db init` and a bulk import would.
    with engine.begin() as conn:
        kpi_summary.rebuild(conn)
    return row_counts(engine)


OPPORTUNITY_CHILDREN = {
    "texts": "opportunity_text", "areas": "opportunity_area", "regions": "opportunity_region",
    "countries": "opportunity_country", "leads": "opportunity_lead", "media": "opportunity_media",
}  # fmt: skip


def fill_page_tables(engine: Engine, shape: StoreShape) -> None:
    """Engagements, the sponsorship platform, opportunities and the demo accounts
    (benchmarks/synthetic_pages.py). Ids are given, not generated, so the link rows
    can name them; PostgreSQL's sequences are moved past them afterwards."""
    seed = shape.seed
    _insert_in_batches(engine, "engagement", pages.engagement_rows(seed, shape.partners))
    _insert_in_batches(engine, "event", pages.upcoming_event_rows(seed, shape.events))
    event_ids = [f"EV{i:06d}" for i in range(shape.events)]
    event_ids += [row["id"] for row in pages.upcoming_event_rows(seed, shape.events)]
    _insert_in_batches(engine, "event_text", pages.event_text_rows(event_ids))
    packages = ({"id": n, **row} for n, row in enumerate(pages.package_rows(seed, event_ids), start=1))
    _insert_in_batches(engine, "sponsorship_package", packages)
    _insert_in_batches(engine, "package_text", pages.package_text_rows(len(event_ids) * pages.PACKAGES_PER_EVENT))
    _insert(engine, "discount_rule", [{"active": True, "version": 1, **row} for row in pages.discount_rule_rows()])
    requests, items = [], []
    for n, (request, request_items) in enumerate(
        pages.request_rows(seed, shape.requests, event_ids, shape.partners), start=1
    ):
        requests.append({"id": n, **request})
        items.extend(request_items)
    _insert_in_batches(engine, "sponsorship_request", iter(requests))
    _insert_in_batches(engine, "sponsorship_request_item", iter(items))
    _insert_in_batches(engine, "revenue_allocation", pages.allocation_rows(seed, event_ids))
    children: dict[str, list[dict[str, Any]]] = {
        "opportunity": [], "opportunity_text": [], "opportunity_area": [], "opportunity_region": [],
        "opportunity_country": [], "opportunity_lead": [], "opportunity_media": [],
    }  # fmt: skip
    for o in pages.opportunity_rows(seed, shape.opportunities):
        children["opportunity"].append(o["opportunity"])
        for key, table in OPPORTUNITY_CHILDREN.items():
            children[table].extend(o[key])
    subscribers: dict[str, list[dict[str, Any]]] = {
        "subscriber": [], "subscriber_area": [], "subscriber_region": [], "outbox": []
    }  # fmt: skip
    for s in pages.subscriber_rows(seed, shape.subscribers):
        subscribers["subscriber"].append(s["subscriber"])
        subscribers["subscriber_area"].extend(s["areas"])
        subscribers["subscriber_region"].extend(s["regions"])
        subscribers["outbox"].append(s["outbox"])
    for table, rows in (children | subscribers).items():
        _insert_in_batches(engine, table, iter(rows))
    _insert(engine, "app_user", pages.user_rows())
    _insert(engine, "login_session", pages.login_session_rows())
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            for table in ("sponsorship_package", "sponsorship_request", "opportunity", "subscriber"):
                conn.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
                )


def row_counts(engine: Engine) -> dict[str, int]:
    tables = (
        "partner", "agreement", "agreement_region", "agreement_area", "event", "sponsorship",
        "engagement", "sponsorship_package", "sponsorship_request", "opportunity", "opportunity_text",
        "opportunity_lead", "subscriber",
    )  # fmt: skip
    with engine.connect() as conn:
        return {name: int(conn.execute(select(func.count()).select_from(T[name])).scalar_one()) for name in tables}


# --- SQLite: a file under the stores directory, reused while its params match.

_META_TABLE = "bench_meta"


def sqlite_store(stores_dir: Path, shape: StoreShape) -> StoreInfo:
    """The SQLite store for `shape`, built unless one with the same params exists."""
    path = stores_dir / f"kpis-{shape.agreements}.sqlite"
    url = f"sqlite:///{path}"
    if path.exists() and _stored_params(url) == shape.params():
        engine = make_engine(url)
        counts = row_counts(engine)
        engine.dispose()
        return StoreInfo(url, True, 0.0, counts, path.stat().st_size)
    _remove_sqlite(path)
    started = time.perf_counter()
    engine = make_engine(url)
    counts = fill_store(engine, shape)
    # The params row goes in last: a build that was cut short is never reused.
    _write_params(engine, shape.params())
    engine.dispose()
    return StoreInfo(url, False, round(time.perf_counter() - started, 1), counts, path.stat().st_size)


def _stored_params(url: str) -> dict[str, Any] | None:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"), {"name": _META_TABLE}
            ).first()
            if not exists:
                return None
            value = conn.execute(text(f"SELECT value FROM {_META_TABLE} WHERE key = 'params'")).scalar()
            return json.loads(value) if value else None
    finally:
        engine.dispose()


def _write_params(engine: Engine, params: dict[str, Any]) -> None:
    with engine.begin() as conn:
        conn.execute(text(f"CREATE TABLE {_META_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)"))
        conn.execute(text(f"INSERT INTO {_META_TABLE} VALUES ('params', :value)"), {"value": json.dumps(params)})


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# --- PostgreSQL: a throwaway database, created for one run and dropped after it.


@contextmanager
def postgres_store(server_url: str, shape: StoreShape) -> Iterator[StoreInfo]:
    """A fresh database on the server of `server_url`, filled for `shape`; dropped on exit."""
    name = f"bench_kpis_{shape.agreements}_{os.getpid()}"
    admin = make_engine(server_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    try:
        started = time.perf_counter()
        engine = make_engine(url)
        counts = fill_store(engine, shape)
        # Autovacuum would analyze the fresh tables within a minute; do it now so
        # the planner does not time a store without statistics.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
        engine.dispose()
        yield StoreInfo(url, False, round(time.perf_counter() - started, 1), counts, _pg_size(admin, name))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _pg_size(admin: Engine, name: str) -> int:
    with admin.connect() as conn:
        return int(conn.execute(text("SELECT pg_database_size(:name)"), {"name": name}).scalar_one())


def server_version(url: str) -> str:
    """The database server's version string (SQLite's library version for SQLite)."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                return "SQLite " + str(conn.execute(text("SELECT sqlite_version()")).scalar_one())
            return str(conn.execute(text("SHOW server_version")).scalar_one()).split()[0]
    finally:
        engine.dispose()

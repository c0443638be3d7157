"""The KPI summary tables stay exact through every kind of write, on SQLite and
PostgreSQL: after random sequences of form saves, amendments, partner edits,
merges and imports, the summaries equal a recomputation from the base tables
and `kpis.kpi_set` (summaries) equals `kpis_base.kpi_set` (direct GROUP BYs)
for any period and region."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import Engine, select, text

from db import duplicates, kpi_summary, kpis, kpis_base, partner_writes, records, vocab
from db.access import Principal
from db.errors import ValidationFailed
from db.importer import import_file
from db.models import Agreement, Partner

STAFF = Principal("staff", "staff")
ADMIN = Principal("admin", "admin")
YEARS = range(2008, 2016)
REGION_FILTERS = [None, *vocab.REGIONS]


def _codes(rng: random.Random, pool, most: int = 3) -> str:
    return ";".join(sorted(rng.sample(list(pool), rng.randint(1, most))))


def _value(rng: random.Random) -> str:
    return "" if rng.random() < 0.2 else f"{rng.randint(1, 5_000_000) / 100:.2f}"


def _date(rng: random.Random) -> str:
    return f"{rng.choice(YEARS)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _seed_store(engine: Engine, rng: random.Random) -> None:
    partners = ["partner_id,name,partner_type"] + [
        f"P{i},Partner number {i},{rng.choice(vocab.PARTNER_TYPES)}" for i in range(8)
    ]
    assert import_file(engine, "partners", "p.csv", data="\n".join(partners).encode()).ok
    rows = ["agreement_id,partner_id,title,agreement_type,parent_id,signed_date,value_usd,regions,areas"]
    owners = [f"P{rng.randrange(8)}" for _ in range(30)]
    for i in range(30):
        signed = "2008-01-01" if i < 8 else _date(rng)
        rows.append(
            f"A{i},{owners[i]},Agreement {i},{rng.choice(vocab.AGREEMENT_TYPES)},,{signed},"
            f"{_value(rng)},{_codes(rng, vocab.REGIONS)},{_codes(rng, vocab.AREAS)}"
        )
    for i in range(8):
        # Amendments inheriting their parent's regions and areas (empty cells).
        rows.append(f"A{i}/1,{owners[i]},Amendment {i},{rng.choice(vocab.AGREEMENT_TYPES)},A{i},{_date(rng)},"
                    f"{_value(rng)},,")
    result = import_file(engine, "agreements", "a.csv", data="\n".join(rows).encode())
    assert result.ok, result.problem_lines()


def _ids(engine: Engine, column) -> list:
    with engine.connect() as conn:
        return sorted(conn.scalars(select(column)))


def _random_write(engine: Engine, rng: random.Random, step: int) -> str:
    agreements = _ids(engine, Agreement.id)
    partners = _ids(engine, Partner.id)
    originals = [a for a in agreements if "/" not in a]
    kind = rng.choice(["create", "amend", "edit", "edit", "partner type", "merge", "import"])
    try:
        _write(engine, rng, step, kind, agreements, partners, originals)
    except ValidationFailed:
        # Refused by the record rules (an amendment dated before its
        # parent, say): rolled back, and the summaries with it.
        return f"refused {kind}"
    return kind


def _write(engine: Engine, rng: random.Random, step: int, kind: str, agreements, partners, originals) -> None:
    with engine.begin() as conn:
        if kind == "create":
            records.create_agreement(conn, STAFF, {
                "agreement_id": f"N{step}", "partner_id": rng.choice(partners), "title": f"New {step}",
                "agreement_type": rng.choice(vocab.AGREEMENT_TYPES), "signed_date": _date(rng),
                "value_usd": _value(rng), "regions": _codes(rng, vocab.REGIONS), "areas": _codes(rng, vocab.AREAS),
            })
        elif kind == "amend":
            own = rng.random() < 0.5
            records.add_amendment(conn, STAFF, rng.choice(originals), {
                "agreement_id": f"N{step}", "title": f"Amendment {step}",
                "agreement_type": rng.choice(vocab.AGREEMENT_TYPES), "signed_date": _date(rng),
                "value_usd": _value(rng), "regions": _codes(rng, vocab.REGIONS) if own else "",
                "areas": _codes(rng, vocab.AREAS) if own else "",
            })
        elif kind == "edit":
            target = rng.choice(agreements)
            version = conn.scalar(select(Agreement.version).where(Agreement.id == target))
            change = rng.choice(["signed_date", "value_usd", "regions", "areas", "agreement_type", "partner_id"])
            if change in ("regions", "areas"):
                # Emptied: an amendment inherits its parent's again (an original is refused).
                codes = _codes(rng, vocab.REGIONS if change == "regions" else vocab.AREAS)
                texts = {change: codes if rng.random() < 0.8 else ""}
            elif change == "partner_id":
                texts = {"partner_id": rng.choice(partners)}
            elif change == "agreement_type":
                texts = {"agreement_type": rng.choice(vocab.AGREEMENT_TYPES)}
            else:
                texts = {change: _date(rng) if change == "signed_date" else _value(rng)}
            records.update_agreement(conn, STAFF, target, texts, version)
        elif kind == "partner type":
            target = rng.choice(partners)
            version = conn.scalar(select(Partner.version).where(Partner.id == target))
            partner_writes.update_partner(conn, STAFF, target, {"partner_type": rng.choice(vocab.PARTNER_TYPES)}, version)
        elif kind == "merge" and len(partners) > 3:
            keep, drop = rng.sample(partners, 2)
            duplicates.merge_partners(conn, ADMIN, keep, drop)
    if kind == "import":
        # One file moving agreements between partners, years and regions.
        rows = ["agreement_id,partner_id,title,agreement_type,signed_date,value_usd,regions,areas"]
        with engine.connect() as conn:
            parents = set(conn.scalars(select(Agreement.parent_id).where(Agreement.parent_id.is_not(None))))
        # Agreements without amendments: any partner and date is valid for them.
        movable = [a for a in originals if a not in parents]
        for target in rng.sample(movable, min(4, len(movable))):
            rows.append(f"{target},{rng.choice(partners)},Imported {step},{rng.choice(vocab.AGREEMENT_TYPES)},"
                        f"{_date(rng)},{_value(rng)},{_codes(rng, vocab.REGIONS)},{_codes(rng, vocab.AREAS)}")
        result = import_file(engine, "agreements", f"step{step}.csv", data="\n".join(rows).encode())
        if not result.ok:
            raise ValidationFailed({"-": "; ".join(result.problem_lines())})


def _assert_exact(engine: Engine, rng: random.Random, context: str) -> None:
    with engine.connect() as conn:
        assert kpi_summary.differences(conn) == {}, context
        for _ in range(4):
            start = rng.choice([None, *YEARS])
            end = rng.choice([None, *YEARS]) if start is None else rng.choice([y for y in YEARS if y >= start])
            region = rng.choice(REGION_FILTERS)
            assert kpis.kpi_set(conn, start, end, region) == kpis_base.kpi_set(conn, start, end, region), (
                f"{context}: period {start}-{end}, region {region}"
            )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_summaries_stay_exact_through_random_writes(engine: Engine, seed: int) -> None:
    rng = random.Random(seed)
    _seed_store(engine, rng)
    _assert_exact(engine, rng, "after the first import")
    done = []
    for step in range(30):
        done.append(_random_write(engine, rng, step))
        _assert_exact(engine, rng, f"seed {seed}, after {done}")
    assert {"create", "amend", "edit", "partner type", "import"} <= set(done)


def test_a_refused_write_leaves_the_summaries_as_they_were(engine: Engine) -> None:
    rng = random.Random(7)
    _seed_store(engine, rng)
    with engine.connect() as conn:
        before = kpis.kpi_set(conn)
    with engine.connect() as conn:
        version = conn.scalar(select(Agreement.version).where(Agreement.id == "A20"))
    with pytest.raises(RuntimeError), engine.begin() as conn:
        records.update_agreement(conn, STAFF, "A20", {"partner_id": "P1", "regions": "AFR"}, version)
        assert kpi_summary.differences(conn) == {}
        raise RuntimeError("the transaction fails after the write")
    with engine.connect() as conn:
        assert kpi_summary.differences(conn) == {}
        assert kpis.kpi_set(conn) == before


def test_rebuild_equals_incremental_maintenance_and_init_repairs_nothing(engine: Engine) -> None:
    _seed_store(engine, random.Random(11))
    for step in range(10):
        _random_write(engine, random.Random(step), step)
    tables = [t.name for t in kpi_summary.TABLES]
    with engine.connect() as conn:
        kept = {name: sorted(map(tuple, conn.execute(text(f"SELECT * FROM {name}")))) for name in tables}
    with engine.begin() as conn:
        kpi_summary.rebuild(conn)
    with engine.connect() as conn:
        rebuilt = {name: sorted(map(tuple, conn.execute(text(f"SELECT * FROM {name}")))) for name in tables}
    assert rebuilt == kept
    assert all(kept[name] for name in tables)


def test_top_partners_search_stops_early_and_still_finds_the_best(engine: Engine) -> None:
    """Partners whose value over all years is large but lies outside the period
    must not hide the period's best ones (the search's upper bound)."""
    partners = ["partner_id,name,partner_type"] + [f"Q{i:02d},Partner {i},ngo" for i in range(40)]
    assert import_file(engine, "partners", "p.csv", data="\n".join(partners).encode()).ok
    rows = ["agreement_id,partner_id,title,agreement_type,signed_date,value_usd,regions,areas"]
    for i in range(40):
        # Early giants, then a period where the small partners lead.
        rows.append(f"OLD{i},Q{i:02d},Old {i},mou,2001-01-01,{(100 - i) * 1_000_000}.00,AFR,infrastructure")
        rows.append(f"NEW{i},Q{i:02d},New {i},mou,2010-01-01,{i * 1000}.00,AFR,infrastructure")
    assert import_file(engine, "agreements", "a.csv", data="\n".join(rows).encode()).ok
    with engine.connect() as conn:
        period = kpis.Period(2010, 2010)
        top = kpis.top_partners(conn, period)
        assert [p["partner_id"] for p in top] == [f"Q{i:02d}" for i in range(39, 29, -1)]
        assert top == kpis_base.top_partners(conn, period)


def test_summaries_command_finds_rows_written_by_hand_and_rebuilds(engine: Engine, db_url: str, cli) -> None:
    _seed_store(engine, random.Random(5))
    assert cli("--url", db_url, "summaries", "--check").code == 0
    before = cli("--url", db_url, "kpis", "--json").out
    with engine.begin() as conn:
        # SQL past the app: the summaries do not know this agreement.
        conn.execute(text(
            "INSERT INTO agreement (id, partner_id, title, agreement_type, signed_date, signed_year, value_cents,"
            " regions_from_id, areas_from_id, version) VALUES ('HAND', 'P1', 'By hand', 'mou', '2012-03-04', 2012,"
            " 100000, 'HAND', 'HAND', 1)"
        ))
    stale = cli("--url", db_url, "summaries", "--check")
    assert stale.code == 1 and "kpi_agreement_cell" in stale.err and "--rebuild" in stale.err
    assert cli("--url", db_url, "kpis", "--json").out == before  # stale, as the check said
    assert cli("--url", db_url, "summaries", "--rebuild").code == 0
    assert cli("--url", db_url, "summaries", "--check").code == 0
    with engine.connect() as conn:
        assert kpis.kpi_set(conn) == kpis_base.kpi_set(conn)
    assert cli("--url", db_url, "kpis", "--json").out != before


def test_a_large_import_rebuilds_the_summaries_once(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """New and changed rows of one file share one summary update: at most one rebuild."""
    _seed_store(engine, random.Random(3))
    monkeypatch.setattr(kpi_summary, "REBUILD_ABOVE", 2)
    rebuilds = []
    real_rebuild = kpi_summary.rebuild
    monkeypatch.setattr(kpi_summary, "rebuild", lambda conn: (rebuilds.append(1), real_rebuild(conn)))
    rows = ["agreement_id,partner_id,title,agreement_type,signed_date,value_usd,regions,areas"]
    rows += [f"A{i},P{i % 8},Changed {i},mou,2011-0{i - 19}-01,{i}00.00,EUR,infrastructure" for i in range(20, 24)]
    rows += [f"NEW{i},P{i % 8},New {i},mou,2013-0{i + 1}-01,{i}00.00,AFR,infrastructure" for i in range(4)]
    result = import_file(engine, "agreements", "big.csv", data="\n".join(rows).encode())
    assert result.ok and (result.added, result.updated) == (4, 4), result.problem_lines()
    assert rebuilds == [1]
    with engine.connect() as conn:
        assert kpi_summary.differences(conn) == {}
        assert kpis.kpi_set(conn) == kpis_base.kpi_set(conn)

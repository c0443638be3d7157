"""Summary tables of the KPI set, kept exact by db/kpi_summary.py in the same
transaction as every write and import of agreements and partners.

They hold nothing a user typed: every row is derived from `agreement`, its
region and area links and `partner`, and `python -m db init` can rebuild them.
`region_key` is '' for "every region" and otherwise one region code: an
agreement counts once under '' and once under each of its effective regions,
which is what the KPI region filter means.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.models import CODE, ID, Base

REGION_KEY = String(32)


class KpiAgreementCell(Base):
    """Agreements and their value per (region, year, new or amendment, type)."""

    __tablename__ = "kpi_agreement_cell"

    region_key: Mapped[str] = mapped_column(REGION_KEY, primary_key=True)
    signed_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    is_new: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_type: Mapped[str] = mapped_column(CODE, primary_key=True)
    agreements: Mapped[int] = mapped_column(Integer)
    value_cents: Mapped[int] = mapped_column(BigInteger)


class KpiLinkCell(Base):
    """New agreements per (region filter, year, dimension, code): the by-region
    and by-area counts, multi-valued links counted once per code."""

    __tablename__ = "kpi_link_cell"

    region_key: Mapped[str] = mapped_column(REGION_KEY, primary_key=True)
    signed_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    dimension: Mapped[str] = mapped_column(String(8), primary_key=True)
    code: Mapped[str] = mapped_column(CODE, primary_key=True)
    agreements: Mapped[int] = mapped_column(Integer)


class KpiPartnerYear(Base):
    """A partner's agreements and value in one year, per region filter."""

    __tablename__ = "kpi_partner_year"

    # Led by the partner: a write replaces one partner's rows, and the top
    # partners search reads a batch of partners' years.
    partner_id: Mapped[str] = mapped_column(ID, primary_key=True)
    region_key: Mapped[str] = mapped_column(REGION_KEY, primary_key=True)
    signed_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreements: Mapped[int] = mapped_column(Integer)
    value_cents: Mapped[int] = mapped_column(BigInteger)


class KpiPartnerTotal(Base):
    """A partner's value over all years, per region filter: the upper bound that
    lets the top-partners search stop early."""

    __tablename__ = "kpi_partner_total"
    __table_args__ = (
        Index("ix_kpi_partner_total_rank", "region_key", "value_cents", "partner_id"),
        Index("ix_kpi_partner_total_partner", "partner_id"),
    )

    region_key: Mapped[str] = mapped_column(REGION_KEY, primary_key=True)
    partner_id: Mapped[str] = mapped_column(ID, primary_key=True)
    agreements: Mapped[int] = mapped_column(Integer)
    value_cents: Mapped[int] = mapped_column(BigInteger)


class KpiPartnerCell(Base):
    """Partners per (region filter, year, previous active year, first year of
    all, partner type).

    A partner is active in years s..e when it has a year in that range; exactly
    one of those years has its previous active year before s (0: none). So the
    active partners of any period are one sum over this small table, and the new
    ones those whose first year of all (any region) is not before s."""

    __tablename__ = "kpi_partner_cell"

    region_key: Mapped[str] = mapped_column(REGION_KEY, primary_key=True)
    signed_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    prev_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    first_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner_type: Mapped[str] = mapped_column(CODE, primary_key=True)
    partners: Mapped[int] = mapped_column(Integer)

"""ORM models of the store (SQLAlchemy 2.x typed declarative).

Money is stored as integer cents (`*_cents`) so sums are exact on every store,
SQLite included (its NUMERIC is a binary float). List-valued fields of the file
format (regions, countries, areas, priorities, funding mechanisms) are rows of
small link tables so that filters and KPIs are plain joins and GROUP BYs.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ID = String(64)
NAME = String(500)
CODE = String(32)


class Base(DeclarativeBase):
    pass


class Partner(Base):
    __tablename__ = "partner"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(NAME)
    partner_type: Mapped[str] = mapped_column(CODE)
    country: Mapped[str | None] = mapped_column(String(3))
    sector: Mapped[str | None] = mapped_column(CODE)
    sector_member: Mapped[bool] = mapped_column(Boolean, default=False)
    mandate: Mapped[str | None] = mapped_column(Text)
    strategy: Mapped[str | None] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    def __repr__(self) -> str:
        return f"Partner({self.id!r}, {self.name!r})"


class Agreement(Base):
    __tablename__ = "agreement"
    # Migration 0004 (the KPI queries of db/kpis.py): a covering index led by
    # the signing year, a (partner, year) index for "first agreement before
    # the period?", and amendments-only parent_id lookups.
    __table_args__ = (
        Index(
            "ix_agreement_kpi_cover",
            "signed_year",
            "parent_id",
            "regions_from_id",
            "areas_from_id",
            "partner_id",
            "agreement_type",
            "value_cents",
            "id",
        ),
        Index("ix_agreement_partner_signed_year", "partner_id", "signed_year"),
        Index(
            "ix_agreement_parent_id_partial",
            "parent_id",
            sqlite_where=text("parent_id IS NOT NULL"),
            postgresql_where=text("parent_id IS NOT NULL"),
        ),
        # Migration 0005 (the explorer, db/explorer.py): the columns of the
        # one-value facets and the per-year chart, led by the period (the
        # default sort's index is below the class).
        Index(
            "ix_agreement_explorer_cover",
            "signed_year",
            "agreement_type",
            "status",
            "end_date",
            "parent_id",
            "regions_from_id",
            "areas_from_id",
            "partner_id",
        ),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    partner_id: Mapped[str] = mapped_column(ForeignKey("partner.id"), index=True)
    title: Mapped[str] = mapped_column(NAME)
    agreement_type: Mapped[str] = mapped_column(CODE)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("agreement.id"))
    signed_date: Mapped[date] = mapped_column(Date)
    # Denormalised year of signed_date: one portable, indexable GROUP BY key.
    signed_year: Mapped[int] = mapped_column(Integer, index=True)
    end_date: Mapped[date | None] = mapped_column(Date)
    value_cents: Mapped[int | None] = mapped_column(BigInteger)
    amount_cents: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str | None] = mapped_column(String(3))
    status: Mapped[str | None] = mapped_column(CODE)
    officer: Mapped[str | None] = mapped_column(String(64))
    notes: Mapped[str | None] = mapped_column(Text)
    # The agreement whose region (area) rows are this one's *effective* ones:
    # itself, or the parent for an amendment that lists none of its own.
    regions_from_id: Mapped[str] = mapped_column(ID, index=True)
    areas_from_id: Mapped[str] = mapped_column(ID, index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    def __repr__(self) -> str:
        return f"Agreement({self.id!r}, {self.title!r})"


class AgreementRegion(Base):
    __tablename__ = "agreement_region"
    __table_args__ = (Index("ix_agreement_region_region", "region", "agreement_id"),)

    agreement_id: Mapped[str] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"), primary_key=True)
    region: Mapped[str] = mapped_column(String(3), primary_key=True)


class AgreementArea(Base):
    __tablename__ = "agreement_area"
    __table_args__ = (Index("ix_agreement_area_area", "area", "agreement_id"),)

    agreement_id: Mapped[str] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"), primary_key=True)
    area: Mapped[str] = mapped_column(CODE, primary_key=True)


class AgreementCountry(Base):
    __tablename__ = "agreement_country"
    __table_args__ = (Index("ix_agreement_country_country", "country", "agreement_id"),)

    agreement_id: Mapped[str] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"), primary_key=True)
    country: Mapped[str] = mapped_column(String(3), primary_key=True)


class PartnerPriorityArea(Base):
    __tablename__ = "partner_priority_area"

    partner_id: Mapped[str] = mapped_column(ForeignKey("partner.id", ondelete="CASCADE"), primary_key=True)
    area: Mapped[str] = mapped_column(CODE, primary_key=True)


class PartnerPriorityRegion(Base):
    __tablename__ = "partner_priority_region"

    partner_id: Mapped[str] = mapped_column(ForeignKey("partner.id", ondelete="CASCADE"), primary_key=True)
    region: Mapped[str] = mapped_column(String(3), primary_key=True)


class PartnerPriorityCountry(Base):
    __tablename__ = "partner_priority_country"

    partner_id: Mapped[str] = mapped_column(ForeignKey("partner.id", ondelete="CASCADE"), primary_key=True)
    country: Mapped[str] = mapped_column(String(3), primary_key=True)


class PartnerFundingMechanism(Base):
    __tablename__ = "partner_funding_mechanism"

    partner_id: Mapped[str] = mapped_column(ForeignKey("partner.id", ondelete="CASCADE"), primary_key=True)
    mechanism: Mapped[str] = mapped_column(CODE, primary_key=True)


class Event(Base):
    __tablename__ = "event"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(NAME)
    start_date: Mapped[date] = mapped_column(Date)
    start_year: Mapped[int] = mapped_column(Integer, index=True)
    end_date: Mapped[date | None] = mapped_column(Date)
    location: Mapped[str | None] = mapped_column(NAME)
    open_event: Mapped[bool] = mapped_column(Boolean, default=False)
    target_cents: Mapped[int | None] = mapped_column(BigInteger)
    description: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    def __repr__(self) -> str:
        return f"Event({self.id!r}, {self.name!r})"


class Sponsorship(Base):
    __tablename__ = "sponsorship"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("event.id"), index=True)
    partner_id: Mapped[str] = mapped_column(ForeignKey("partner.id"), index=True)
    activity: Mapped[str] = mapped_column(NAME)
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    signed_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str | None] = mapped_column(CODE)
    # Set when a confirmed public request created it (not part of the file format).
    request_id: Mapped[int | None] = mapped_column(ForeignKey("sponsorship_request.id"))
    package_id: Mapped[int | None] = mapped_column(ForeignKey("sponsorship_package.id"))
    listed_publicly: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)

    def __repr__(self) -> str:
        return f"Sponsorship({self.id!r}, {self.event_id!r}, {self.partner_id!r})"


class Instalment(Base):
    """Money followed up: an expected instalment of an agreement and what was received."""

    __tablename__ = "instalment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    agreement_id: Mapped[str] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"), index=True)
    due_date: Mapped[date] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    received_date: Mapped[date | None] = mapped_column(Date)
    received_cents: Mapped[int | None] = mapped_column(BigInteger)
    note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    def __repr__(self) -> str:
        return f"Instalment({self.agreement_id!r}, {self.due_date!r})"


class Document(Base):
    """A file attached to an agreement: stored in the database, or in a configured folder."""

    __tablename__ = "document"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    agreement_id: Mapped[str] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    storage_path: Mapped[str | None] = mapped_column(String(500))
    uploaded_by: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime)

    def __repr__(self) -> str:
        return f"Document({self.agreement_id!r}, {self.filename!r})"


class Engagement(Base):
    """One entry of the relationship log: a meeting, call, e-mail, mission or visit."""

    __tablename__ = "engagement"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    partner_id: Mapped[str] = mapped_column(ForeignKey("partner.id"), index=True)
    engaged_on: Mapped[date] = mapped_column(Date, index=True)
    channel: Mapped[str] = mapped_column(CODE)
    our_people: Mapped[str | None] = mapped_column(Text)  # usernames, `;`-separated
    notes: Mapped[str | None] = mapped_column(Text)
    next_step: Mapped[str | None] = mapped_column(Text)
    follow_up_date: Mapped[date | None] = mapped_column(Date, index=True)
    officer: Mapped[str | None] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    def __repr__(self) -> str:
        return f"Engagement({self.partner_id!r}, {self.engaged_on!r}, {self.channel!r})"


class User(Base):
    __tablename__ = "app_user"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str | None] = mapped_column(NAME)
    email: Mapped[str | None] = mapped_column(NAME)
    password_hash: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(CODE)
    region: Mapped[str | None] = mapped_column(String(3))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    language: Mapped[str | None] = mapped_column(String(8))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    def __repr__(self) -> str:
        return f"User({self.username!r}, {self.role!r})"


class LoginSession(Base):
    """One login (one cookie). A cookie is honoured only while its row is not
    revoked: logout revokes it, disabling a user or resetting a password
    revokes them all, so a copied cookie stops working."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(ForeignKey("app_user.username", ondelete="CASCADE"), index=True)
    # The cookie's expiry stamp (a float in the signed JWT), kept as its repr
    # so it matches exactly on every store.
    token_exp: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)

    def __repr__(self) -> str:
        return f"LoginSession({self.username!r}, revoked={self.revoked_at is not None})"


class AuditLog(Base):
    """Append-only: triggers created by the migrations refuse UPDATE and DELETE."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(CODE)
    entity: Mapped[str | None] = mapped_column(CODE)
    entity_id: Mapped[str | None] = mapped_column(ID)
    field: Mapped[str | None] = mapped_column(String(64))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"AuditLog({self.id!r}, {self.action!r}, {self.entity!r}, {self.entity_id!r})"


Index("ix_audit_log_entity", AuditLog.entity, AuditLog.entity_id)
# Migration 0005: the explorer's default sort, newest first.
Index("ix_agreement_signed_date_id", Agreement.signed_date.desc(), Agreement.id)


# Feature tables live in their own modules; importing them registers them on Base.
from db import models_opportunities, models_sponsorship, models_summary  # noqa: E402, F401

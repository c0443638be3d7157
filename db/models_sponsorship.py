"""Tables of the sponsorship platform: packages, discount rules, public requests,
their lines, and how sponsorship revenue was used (allocations)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models import CODE, ID, NAME, Base


class EventText(Base):
    """An event's name and description in one of the six languages (English fallback)."""

    __tablename__ = "event_text"

    event_id: Mapped[str] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    lang: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(NAME)
    description: Mapped[str | None] = mapped_column(Text)


class SponsorshipPackage(Base):
    """What can be sponsored at an event: a side event, reception, coffee break, lanyards..."""

    __tablename__ = "sponsorship_package"
    __table_args__ = (UniqueConstraint("event_id", "code", name="uq_package_event_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(ID)
    activity_kind: Mapped[str] = mapped_column(CODE)
    price_cents: Mapped[int] = mapped_column(BigInteger)
    quantity: Mapped[int] = mapped_column(Integer)  # how many can be sold
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    def __repr__(self) -> str:
        return f"SponsorshipPackage({self.event_id!r}, {self.code!r})"


class PackageText(Base):
    """A package's name, description and what the sponsor gets, per language."""

    __tablename__ = "package_text"

    package_id: Mapped[int] = mapped_column(ForeignKey("sponsorship_package.id", ondelete="CASCADE"), primary_key=True)
    lang: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(NAME)
    description: Mapped[str | None] = mapped_column(Text)
    benefits: Mapped[str | None] = mapped_column(Text)


class DiscountRule(Base):
    """A discount kept as data an admin edits; rules combine in `position` order."""

    __tablename__ = "discount_rule"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(CODE)  # sector-member, multi-count, multi-total
    percent_bp: Mapped[int] = mapped_column(Integer)  # basis points: 1000 = 10 %
    min_packages: Mapped[int | None] = mapped_column(Integer)
    min_total_cents: Mapped[int | None] = mapped_column(BigInteger)
    open_events_only: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=1)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)


class SponsorshipRequest(Base):
    """A public request with a quote reference: not a sponsorship until staff confirm it."""

    __tablename__ = "sponsorship_request"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    quote_ref: Mapped[str] = mapped_column(String(32), unique=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("event.id"), index=True)
    organisation: Mapped[str] = mapped_column(NAME)
    contact_name: Mapped[str] = mapped_column(NAME)
    email: Mapped[str] = mapped_column(NAME)
    sector_member: Mapped[bool] = mapped_column(Boolean, default=False)
    listed_publicly: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(CODE, default="pending")  # pending, confirmed, declined
    gross_cents: Mapped[int] = mapped_column(BigInteger)
    discount_cents: Mapped[int] = mapped_column(BigInteger)
    total_cents: Mapped[int] = mapped_column(BigInteger)
    partner_id: Mapped[str | None] = mapped_column(ForeignKey("partner.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)


class RequestItem(Base):
    """One package of a request, at the price quoted."""

    __tablename__ = "sponsorship_request_item"

    request_id: Mapped[int] = mapped_column(ForeignKey("sponsorship_request.id", ondelete="CASCADE"), primary_key=True)
    package_id: Mapped[int] = mapped_column(ForeignKey("sponsorship_package.id"), primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    unit_price_cents: Mapped[int] = mapped_column(BigInteger)


class RevenueAllocation(Base):
    """How sponsorship revenue was used: the activity it paid for, or seed funding."""

    __tablename__ = "revenue_allocation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("event.id"), index=True)
    sponsorship_id: Mapped[str | None] = mapped_column(ForeignKey("sponsorship.id"))
    purpose: Mapped[str] = mapped_column(CODE)  # activity, seed-funding
    target: Mapped[str] = mapped_column(NAME)  # the activity, project or regional initiative
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    allocated_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)


class PublicSubmission(Base):
    """Public form submissions, for limits that a fresh session cannot reset
    (per e-mail and per client address; both kept only as keyed hashes)."""

    __tablename__ = "public_submission"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(CODE, index=True)
    email_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    client_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)

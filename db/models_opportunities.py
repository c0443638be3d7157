"""Tables of the partnership-opportunities platform: opportunities in six
languages with media, leads, subscribers (double opt-in) and the mail outbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.models import CODE, ID, NAME, Base


class Opportunity(Base):
    """A concept, project or initiative that needs partners."""

    __tablename__ = "opportunity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(ID, unique=True)
    status: Mapped[str] = mapped_column(CODE, index=True)  # concept, open, in-discussion, partnered, closed
    budget_cents: Mapped[int | None] = mapped_column(BigInteger)
    funding_sought_cents: Mapped[int | None] = mapped_column(BigInteger)
    funding_secured_cents: Mapped[int | None] = mapped_column(BigInteger)
    contact_officer: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)


class OpportunityText(Base):
    """Title and summary in one language, with its translation status."""

    __tablename__ = "opportunity_text"

    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunity.id", ondelete="CASCADE"), primary_key=True)
    lang: Mapped[str] = mapped_column(String(8), primary_key=True)
    title: Mapped[str] = mapped_column(NAME)
    summary: Mapped[str | None] = mapped_column(Text)
    translation_status: Mapped[str] = mapped_column(CODE, default="draft")  # draft, translated, reviewed


class OpportunityArea(Base):
    __tablename__ = "opportunity_area"

    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunity.id", ondelete="CASCADE"), primary_key=True)
    area: Mapped[str] = mapped_column(CODE, primary_key=True)


class OpportunityRegion(Base):
    __tablename__ = "opportunity_region"

    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunity.id", ondelete="CASCADE"), primary_key=True)
    region: Mapped[str] = mapped_column(String(3), primary_key=True)


class OpportunityCountry(Base):
    __tablename__ = "opportunity_country"

    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunity.id", ondelete="CASCADE"), primary_key=True)
    country: Mapped[str] = mapped_column(String(3), primary_key=True)


class OpportunityMedia(Base):
    """A concept note, brochure or slide deck file, or a video link."""

    __tablename__ = "opportunity_media"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunity.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(CODE)  # concept-note, brochure, slide-deck, video
    lang: Mapped[str | None] = mapped_column(String(8))
    filename: Mapped[str | None] = mapped_column(String(255))
    content_type: Mapped[str | None] = mapped_column(String(100))
    size_bytes: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64))
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    storage_path: Mapped[str | None] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(Text)  # video links (https only)
    uploaded_by: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime)


class OpportunityLead(Base):
    """An outside entity's expression of interest; staff turn it into an engagement or agreement."""

    __tablename__ = "opportunity_lead"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunity.id", ondelete="CASCADE"), index=True)
    organisation: Mapped[str] = mapped_column(NAME)
    contact_name: Mapped[str] = mapped_column(NAME)
    email: Mapped[str] = mapped_column(NAME)
    message: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(CODE, default="new")  # new, engaged, agreement, closed
    engagement_id: Mapped[int | None] = mapped_column(ForeignKey("engagement.id"))
    agreement_id: Mapped[str | None] = mapped_column(ForeignKey("agreement.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)


class Subscriber(Base):
    """An outside entity subscribed to opportunities; tokens kept only as hashes."""

    __tablename__ = "subscriber"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(NAME, unique=True)
    language: Mapped[str] = mapped_column(String(8))
    confirm_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    confirm_expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    unsubscribe_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    unsubscribed_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class SubscriberArea(Base):
    __tablename__ = "subscriber_area"

    subscriber_id: Mapped[int] = mapped_column(ForeignKey("subscriber.id", ondelete="CASCADE"), primary_key=True)
    area: Mapped[str] = mapped_column(CODE, primary_key=True)


class SubscriberRegion(Base):
    __tablename__ = "subscriber_region"

    subscriber_id: Mapped[int] = mapped_column(ForeignKey("subscriber.id", ondelete="CASCADE"), primary_key=True)
    region: Mapped[str] = mapped_column(String(3), primary_key=True)


class DigestQueue(Base):
    """An opportunity opened or changed status: due in a subscriber's next digest."""

    __tablename__ = "digest_queue"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subscriber_id: Mapped[int] = mapped_column(ForeignKey("subscriber.id", ondelete="CASCADE"), index=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunity.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(CODE)  # opened, status-changed
    status: Mapped[str] = mapped_column(CODE)
    queued_at: Mapped[datetime] = mapped_column(DateTime)
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))


class Outbox(Base):
    """Mail rendered for sending; an SMTP sender (off by default) sends it."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    to_email: Mapped[str] = mapped_column(NAME)
    language: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(NAME)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    error: Mapped[str | None] = mapped_column(Text)
    sent: Mapped[bool] = mapped_column(Boolean, default=False)

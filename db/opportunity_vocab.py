"""Codes of the partnership-opportunities platform, one source for validation,
pages, digests and translations (labels: `opportunity.status_<code>`, ...).

Who sees what:
- the public catalogue lists opportunities in PUBLIC_STATUSES (a concept is
  shown too: the platform exists to discuss concepts before a full proposal);
  a closed one is no longer public;
- interest can be expressed while the opportunity is in INTEREST_STATUSES;
- a translation is published once its status is in PUBLISHED_TRANSLATIONS;
  until then (or when there is none) the English text is shown in its place.
"""

from __future__ import annotations

STATUSES: tuple[str, ...] = ("concept", "open", "in-discussion", "partnered", "closed")
PUBLIC_STATUSES: tuple[str, ...] = ("concept", "open", "in-discussion", "partnered")
INTEREST_STATUSES: tuple[str, ...] = ("concept", "open", "in-discussion")

TRANSLATION_STATUSES: tuple[str, ...] = ("draft", "translated", "reviewed")
PUBLISHED_TRANSLATIONS: tuple[str, ...] = ("translated", "reviewed")
SOURCE_LANGUAGE = "en"

MEDIA_KINDS: tuple[str, ...] = ("concept-note", "brochure", "slide-deck", "video")
FILE_KINDS: tuple[str, ...] = ("concept-note", "brochure", "slide-deck")

LEAD_STATUSES: tuple[str, ...] = ("new", "engaged", "agreement", "closed")

# Digest queue reasons: `opened` when an opportunity appears on the platform
# (created in a public status) or moves to `open`; `status-changed` otherwise.
QUEUE_REASONS: tuple[str, ...] = ("opened", "status-changed")

# Roles that create and edit opportunities, media and leads (the page gate of
# `opportunities_admin` says the same; the writes check it again).
WRITER_ROLES = frozenset({"admin", "staff"})
# Roles that read the outbox (it holds subscribers' addresses).
OUTBOX_ROLES = frozenset({"admin"})
# Channels of the public-form limiter (db/ratelimit.py).
CHANNEL_INTEREST = "opportunity-interest"
CHANNEL_SUBSCRIBE = "opportunity-subscribe"

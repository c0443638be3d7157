"""The quote PDF (components/sponsorship_pdf.py) in every language, Arabic shaped
right to left by HarfBuzz; the screenshots of docs/ show how it looks."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fpdf import FPDF

from components import sponsorship_pdf
from db.pricing import Discount
from db.vocab import LANGUAGES

DOC = {
    "quote_ref": "SQ-2026-0A1B2C3D", "created": date(2026, 11, 28), "event_name": "منتدى الشمول الرقمي 2026 数字包容论坛",
    "start_date": date(2026, 12, 8), "end_date": date(2026, 12, 10), "location": "Geneva, Switzerland",
    "organisation": "<img src=x onerror=alert(1)> شركة", "contact_name": "Ada", "email": "ada@n.example",
    "sector_member": True, "lines": [("Reception", 1, 5_000_000, 5_000_000), ("Side event", 1, 4_500_000, 4_500_000)],
    "gross_cents": 9_500_000, "total_cents": 8_550_000,
    "discounts": [Discount(1, "sector-member", 1000, 9_500_000, 950_000, {"open_events_only": True, "units": 2})],
}  # fmt: skip


def fonts_of(pdf: bytes) -> set[bytes]:
    """The fonts embedded (subset prefix dropped)."""
    return {name.split(b"+")[1] for name in re.findall(rb"/BaseFont\s*/(\S+)", pdf)}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_quote_in_every_language(language):
    pdf = sponsorship_pdf.quote_pdf(DOC, language)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    # Arabic and Latin from DejaVu Sans, Chinese from Noto Sans CJK, whichever the language.
    assert fonts_of(pdf) >= {b"DejaVuSansBook", b"NotoSansCJKSC"}


def test_the_same_quote_gives_the_same_bytes_and_cjk_only_when_needed():
    latin = DOC | {"event_name": "Digital Inclusion Forum 2026"}
    pdf = sponsorship_pdf.quote_pdf(latin, "fr")
    assert pdf == sponsorship_pdf.quote_pdf(latin, "fr")
    assert fonts_of(pdf) == {b"DejaVuSansBook", b"DejaVuSansBold"}


def test_arabic_goes_through_the_shaper(monkeypatch):
    arabic = DOC | {"event_name": "منتدى الشمول الرقمي 2026"}
    shaped = sponsorship_pdf.quote_pdf(arabic, "ar")
    monkeypatch.setattr(FPDF, "set_text_shaping", lambda self, *args, **kwargs: None)
    assert sponsorship_pdf.quote_pdf(arabic, "ar") != shaped


def test_without_fonts_the_pdf_is_unavailable(monkeypatch, tmp_path):
    monkeypatch.setattr(sponsorship_pdf, "FONT_DIRS", (tmp_path,))
    assert not sponsorship_pdf.available()
    with pytest.raises(sponsorship_pdf.PdfUnavailable):
        sponsorship_pdf.quote_pdf(DOC, "en")

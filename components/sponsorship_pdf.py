"""The preliminary quote as a PDF, in any of the six languages (no streamlit here).

fpdf2 with HarfBuzz shaping (uharfbuzz): Arabic is joined and laid out right
to left, Chinese falls back to a CJK font. The fonts are the system's: DejaVu
Sans (Latin, Cyrillic, Arabic; Debian fonts-dejavu-core) and Noto Sans CJK
(fonts-noto-cjk, which .ci/run installs). Every value is drawn as text: a PDF
carries no markup, so nothing a requester typed can become a link or script.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import TableBordersLayout
from fpdf.fonts import FontFace

from components.i18n import babel_locale, is_rtl
from components.sponsorship_text import discount_reason, money, tr

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
# (regular, bold or None, index in the collection); Noto's index 2 is Simplified Chinese.
CJK_FONTS = (
    (Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
     Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"), 2),
    (Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), None, 0),
)  # fmt: skip
# Babel's direction marks are dropped (fpdf2's bidi orders the text); the isolates that
# keep an amount left-to-right inside Arabic (components/sponsorship_text.py) are kept.
_BIDI_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u061c"))
BLUE = (0, 84, 150)
GREY = (90, 90, 90)


class PdfUnavailable(RuntimeError):
    """No font to draw the quote with on this server."""


def available() -> bool:
    """Can this server draw quotes (is DejaVu Sans installed)?"""
    return any((d / "DejaVuSans.ttf").is_file() for d in FONT_DIRS)


def _has_cjk(values: Any) -> bool:
    """Does any text of the quote hold Chinese, Japanese or Korean characters?"""
    texts = [values] if isinstance(values, str) else list(values)
    for value in texts:
        if isinstance(value, str):
            if any(
                0x2E80 <= ord(ch) <= 0x9FFF or 0xF900 <= ord(ch) <= 0xFAFF or 0xFF00 <= ord(ch) <= 0xFFEF
                for ch in value
            ):
                return True
        elif isinstance(value, (list, tuple)) and _has_cjk(value):
            return True
    return False


def _fonts(pdf: FPDF, lang: str, cjk_needed: bool) -> str:
    """Register the fonts; returns the main family. Chinese is drawn with the CJK font
    itself (fpdf2 garbles a style whose first line is drawn wholly by a fallback
    font), the other languages with DejaVu Sans, each falling back on the other."""
    folder = next((d for d in FONT_DIRS if (d / "DejaVuSans.ttf").is_file()), None)
    if folder is None:
        raise PdfUnavailable("DejaVu Sans is not installed (Debian: fonts-dejavu-core)")
    pdf.add_font("dejavu", "", folder / "DejaVuSans.ttf")
    pdf.add_font("dejavu", "B", folder / "DejaVuSans-Bold.ttf")
    cjk = next(((r, b, i) for r, b, i in CJK_FONTS if r.is_file()), None)
    if cjk is None or not (cjk_needed or lang == "zh"):  # the CJK font is large: only when needed
        return "dejavu"
    regular, bold, index = cjk
    pdf.add_font("cjk", "", regular, collection_font_number=index)
    # One file under two styles breaks fpdf2's subsetting: bold only from its own file.
    if bold is not None and bold.is_file():
        pdf.add_font("cjk", "B", bold, collection_font_number=index)
    main = "cjk" if lang == "zh" else "dejavu"
    pdf.set_fallback_fonts(["dejavu" if main == "cjk" else "cjk"], exact_match=False)
    return main


def _date(value: date | None, lang: str) -> str:
    from babel.dates import format_date

    return format_date(value, format="long", locale=babel_locale(lang)) if value else "—"


def quote_pdf(doc: dict[str, Any], lang: str) -> bytes:
    """The quote `doc` (quote_ref, created, event_name, start_date, end_date, location,
    organisation, contact_name, email, sector_member, lines [(name, quantity,
    unit_cents, amount_cents)], gross_cents, discounts (pricing.Discount list, or
    None to show only their sum), total_cents) as PDF bytes in `lang`.
    Raises PdfUnavailable when the server lacks the fonts."""
    rtl = is_rtl(lang)
    align = "R" if rtl else "L"
    pdf = FPDF(format="A4")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=16)
    pdf.set_title(f"{doc['quote_ref']}")
    pdf.set_creator("Partnerships · ITU-D")
    # Dated by the quote, so the same quote gives the same bytes.
    pdf.set_creation_date(datetime.combine(doc["created"], time(), tzinfo=UTC))
    family = _fonts(pdf, lang, _has_cjk(doc.values()))
    pdf.set_text_shaping(use_shaping_engine=True, direction="rtl" if rtl else "ltr")
    pdf.add_page()

    def text(
        value: str, size: float = 10, style: str = "", color: tuple[int, int, int] = (0, 0, 0), gap: float = 1
    ) -> None:
        pdf.set_font(family, style, size)
        pdf.set_text_color(*color)
        pdf.multi_cell(0, size * 0.5, value.translate(_BIDI_MARKS), align=align, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    t = lambda key, **values: tr(lang, key, **values)  # noqa: E731 - a short local alias
    cash = lambda cents: money(cents, lang).translate(_BIDI_MARKS)  # noqa: E731

    text(t("glossary.bdt"), 9, color=GREY)
    text(t("quote.title"), 18, "B", BLUE, gap=2)
    text(t("quote.reference", ref=doc["quote_ref"], date=_date(doc["created"], lang)).translate(_BIDI_MARKS), 10)
    pdf.ln(3)
    text(t("quote.event"), 11, "B", BLUE)
    text(doc["event_name"], 11, "B")
    when = _date(doc["start_date"], lang)
    if doc.get("end_date") and doc["end_date"] != doc["start_date"]:
        when = t("sponsor.dates", start=when, end=_date(doc["end_date"], lang))
    text(f"{when} · {doc.get('location') or '—'}", 10, gap=3)
    text(t("quote.requested_by"), 11, "B", BLUE)
    text(doc["organisation"], 11, "B")
    text(f"{doc['contact_name']} · {doc['email']}", 10)
    member = t("sponsor.yes") if doc["sector_member"] else t("sponsor.no")
    text(f"{t('quote.sector_member')}: {member}", 10, gap=3)

    rows: list[tuple[str, str, str]] = [(name, cash(amount), "") for name, _qty, _unit, amount in doc["lines"]]
    rows.append((t("sponsor.list_price"), cash(doc["gross_cents"]), "B"))
    if doc["discounts"] is None:
        rows.append((t("quote.discounts"), "− " + cash(doc["gross_cents"] - doc["total_cents"]), ""))
    else:
        rows += [(discount_reason(d, lang), "− " + cash(d.amount_cents), "") for d in doc["discounts"]]
    rows.append((t("sponsor.total"), cash(doc["total_cents"]), "B"))
    pdf.set_font(family, "", 10)
    pdf.set_text_color(0, 0, 0)
    widths = (45, pdf.epw - 45) if rtl else (pdf.epw - 45, 45)
    with pdf.table(
        col_widths=widths,
        text_align=("LEFT", "RIGHT"),  # LTR: label, amount; RTL: amount, label
        first_row_as_headings=False,
        borders_layout=TableBordersLayout.HORIZONTAL_LINES,
        line_height=6.5,
        padding=1.5,
    ) as table:
        for label, amount, style in rows:
            row = table.row(style=FontFace(emphasis="BOLD") if style else None)
            cells = (amount, label) if rtl else (label, amount)
            for value in cells:
                row.cell(value.translate(_BIDI_MARKS))
    pdf.ln(4)
    text(t("sponsor.combination"), 8.5, color=GREY)
    text(t("sponsor.preliminary_note"), 8.5, color=GREY)
    return bytes(pdf.output())

"""The translation catalogues: complete, used, in their own script, true to DOMAIN.md.

No Streamlit runtime is needed: the catalogues are read as JSON and the code
is scanned as text. en.json is the source of truth for keys; every other
language must have exactly its keys, with the same {placeholders}.

Keys the code uses are found four ways:
1. literal calls `t("some.key")` / `t('some.key')` in app.py, components/, views/;
2. the vocabulary labels `label(vocabulary, code)` builds: `<vocabulary>.<code>`
   for every code of the vocabularies in VOCABULARY_FAMILIES (from db.vocab);
3. keys built with f-strings, `t(f"nav.{spec.key}")`, through DYNAMIC_FAMILIES;
4. keys the code keeps as values of a table and passes to `t()` through a variable
   (`t(_FIELD_LABELS[field])`), through KEY_TABLES.

How to register a new dynamic family. When code calls `t(f"prefix.{x}")` the
test fails with "unregistered f-string keys". Add one entry to
DYNAMIC_FAMILIES: the template as the code writes it with every `{...}`
replaced by `{}` (e.g. "overview.chart_{}"), mapped to a function returning
the suffixes the code can put there, read from the code's own constants where
possible (as PAGE_SPECS and SECTIONS are) or listed by hand. A new vocabulary
shown through `label("name", code)` goes into VOCABULARY_FAMILIES instead.
A table of literal keys looked up at run time goes into KEY_TABLES, read from
the module's own table.
"""

from __future__ import annotations

import importlib
import inspect
import json
import re
import string
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from components import (
    agreement_extras,
    agreement_forms,
    explorer_filters,
    explorer_view,
    navigation,
    opportunity_forms,
    opportunity_public,
    partner_forms,
)
from db import explorer, kinds, match_reasons, matching, opportunity_mail, opportunity_vocab, partners, vocab

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LOCALES_DIR = PROJECT_ROOT / "components" / "locales"
SOURCE_LANGUAGE = "en"
TRANSLATED = tuple(language for language in vocab.LANGUAGES if language != SOURCE_LANGUAGE)

# ---------------------------------------------------------------- keys the code uses

# Vocabulary prefix -> its codes: `label(prefix, code)` shows key f"{prefix}.{code}".
VOCABULARY_FAMILIES: dict[str, tuple[str, ...]] = {
    "region": vocab.REGIONS,
    "area": vocab.AREAS,
    "type": vocab.AGREEMENT_TYPES,
    "ptype": vocab.PARTNER_TYPES,
    "sector": vocab.SECTORS,
    "funding": vocab.FUNDING_MECHANISMS,
    "role": vocab.ROLES,
    "status": vocab.AGREEMENT_STATUSES,
    # components/partner_view.py and partner_forms.py: how a partner was engaged (relationship log)
    "channel": vocab.ENGAGEMENT_CHANNELS,
}

# The charts of views/overview.py built in a loop: `t(f"overview.chart_{key}")` and
# `t(f"overview.axis_{key}")` for each key; the other charts name their keys literally.
OVERVIEW_LOOP_CHARTS = ("by_area", "by_region", "by_type", "partners_by_type")
OVERVIEW_CHARTS = (*OVERVIEW_LOOP_CHARTS, "per_year", "value", "top_partners")


def _vocabulary_keys() -> list[str]:
    return [f"{prefix}.{code}" for prefix, codes in VOCABULARY_FAMILIES.items() for code in codes]


def _sponsorship(module: str):
    """A module of the sponsorship pages, imported when its family is read."""
    import importlib

    return importlib.import_module(module)


# f-string template (each `{...}` written `{}`) -> the full keys it can produce.
DYNAMIC_FAMILIES: dict[str, Callable[[], Iterable[str]]] = {
    # components/i18n.py label(): t(f"{vocabulary}.{code}")
    "{}.{}": _vocabulary_keys,
    # components/navigation.py: page titles and section titles
    "nav.{}": lambda: (f"nav.{key}" for key in navigation.PAGE_SPECS),
    "nav.section.{}": lambda: (f"nav.section.{section}" for section in navigation.SECTIONS),
    # views/overview.py
    "overview.chart_{}": lambda: (f"overview.chart_{key}" for key in OVERVIEW_CHARTS),
    "overview.axis_{}": lambda: (f"overview.axis_{key}" for key in OVERVIEW_LOOP_CHARTS),
    # components/explorer_filters.py: one multiselect per facet, kinds labelled by their own keys
    "explorer.facet_{}": lambda: (f"explorer.facet_{field}" for field in explorer_filters.LIST_FACETS),
    "explorer.kind_{}": lambda: (f"explorer.kind_{code}" for code in explorer_filters.LIST_FACETS["kinds"][2] or ()),
    # components/explorer_view.py: table and export column titles
    "explorer.col_{}": lambda: (f"explorer.col_{column}" for column in explorer_view.EXPORT_COLUMNS),
    # views/explorer.py: the sort options (db.explorer.SORTS)
    "explorer.sort_{}": lambda: (f"explorer.sort_{s}" for s in explorer.SORTS),
    # views/importer.py: what the file holds (db.kinds.KINDS)
    "import.kind_{}": lambda: (f"import.kind_{k}" for k in kinds.KINDS),
    # components/agreement_forms.py _field(): one label per field of the new, edit and amendment forms
    "forms.{}": lambda: (
        f"forms.{field}" for field in dict.fromkeys((*agreement_forms.FIELDS, *agreement_forms.AMENDMENT_FIELDS))
    ),
    # components/agreement_forms.py _field(): help under the money fields, `field in ("value_usd", "amount")`
    # in the code (an inline tuple, no constant to import)
    "forms.{}_help": lambda: (f"forms.{field}_help" for field in ("value_usd", "amount")),
    # The opportunities pages (components/opportunity_*.py, views/pipeline.py): labels of their codes
    "opportunity.status_{}": lambda: (f"opportunity.status_{s}" for s in opportunity_vocab.STATUSES),
    "opportunity.kind_{}": lambda: (f"opportunity.kind_{k}" for k in opportunity_vocab.MEDIA_KINDS),
    "opportunity.translation_{}": lambda: (f"opportunity.translation_{s}" for s in opportunity_vocab.TRANSLATION_STATUSES),
    "opportunity.lead_{}": lambda: (f"opportunity.lead_{s}" for s in opportunity_vocab.LEAD_STATUSES),
    "opportunity.channel_{}": lambda: (f"opportunity.channel_{c}" for c in vocab.ENGAGEMENT_CHANNELS),
    "opportunity.error_{}": lambda: (f"opportunity.error_{f}" for f in opportunity_public.ERROR_FIELDS),
    "opportunity.field_{}": lambda: (
        f"opportunity.field_{f}"
        for f in (*opportunity_public.INTEREST_FIELDS, *opportunity_forms.MONEY, *opportunity_forms.LISTS)
    ),
    "pipeline.{}": lambda: ("pipeline.by_area", "pipeline.by_region"),
    "pipeline.axis_{}": lambda: ("pipeline.axis_area", "pipeline.axis_region"),
    # The sponsorship pages (components/sponsorship_*.py): codes of db/sponsorship_vocab.py and the forms' fields
    "sponsorship.kind_{}": lambda: (f"sponsorship.kind_{k}" for k in _sponsorship("db.sponsorship_vocab").ACTIVITY_KINDS),
    "sponsorship.rule_{}": lambda: (f"sponsorship.rule_{k}" for k in _sponsorship("db.sponsorship_vocab").RULE_KINDS),
    "sponsorship.purpose_{}": lambda: (
        f"sponsorship.purpose_{p}" for p in _sponsorship("db.sponsorship_vocab").ALLOCATION_PURPOSES
    ),
    "sponsor.error_{}": lambda: (f"sponsor.error_{c}" for c in _sponsorship("components.sponsorship_public").ERROR_CODES),
    "sponsor.field_{}": lambda: (f"sponsor.field_{f}" for f in _sponsorship("components.sponsorship_public").FORM_FIELDS),
    "sadmin.status_{}": lambda: (
        f"sadmin.status_{s}" for s in _sponsorship("components.sponsorship_requests_view").STATUS_CHOICES
    ),
    "sadmin.partner_{}": lambda: (
        f"sadmin.partner_{c}" for c in _sponsorship("components.sponsorship_requests_view").PARTNER_CHOICES
    ),
    "sadmin.event_{}": lambda: (
        f"sadmin.event_{f}" for f in _sponsorship("components.sponsorship_catalogue_forms").EVENT_FIELDS
    ),
    "sadmin.package_{}": lambda: (
        f"sadmin.package_{f}" for f in _sponsorship("components.sponsorship_catalogue_forms").PACKAGE_FIELDS
    ),
    "sadmin.rule_{}": lambda: (f"sadmin.rule_{f}" for f in _sponsorship("components.sponsorship_catalogue_forms").RULE_FIELDS),
    "sadmin.text_{}": lambda: (
        f"sadmin.text_{f}" for f in _sponsorship("components.sponsorship_catalogue_forms").PACKAGE_TEXT_FIELDS
    ),
    # components/sponsorship_revenue_view.py allocation_form(): the date field has a literal label
    "revenue.field_{}": lambda: (
        f"revenue.field_{f}"
        for f in _sponsorship("components.sponsorship_revenue_view").ALLOCATION_TEXT_FIELDS
        if f != "allocated_on"
    ),
    # The partner pages (views/partners.py, views/matching.py, components/partner_*.py, components/match_text.py)
    # views/partners.py: the directory's sort options (db.partners.SORTS)
    "partners.sort_{}": lambda: (f"partners.sort_{s}" for s in partners.SORTS),
    # views/partners.py: one multiselect per filter; the fields are an inline tuple of (field, vocabulary,
    # codes) in the view (no constant to import), listed here by hand: keep in step with the view
    "partners.filter_{}": lambda: (
        f"partners.filter_{field}"
        for field in ("types", "sectors", "regions", "funding_mechanisms", "priority_areas")
    ),
    # components/partner_forms.py _profile_widget(): one label per profile field
    "partners.{}": lambda: (f"partners.{field}" for field in partner_forms.PROFILE_FIELDS),
    # components/partner_view.py: a sponsorship's status (db.vocab.SPONSORSHIP_STATUSES)
    "sponsorship_status.{}": lambda: (f"sponsorship_status.{s}" for s in vocab.SPONSORSHIP_STATUSES),
    # components/match_text.py render(): one sentence template per reason of db/match_reasons.py
    "match.reason.{}": lambda: (f"match.reason.{key}" for key in match_reasons._TEMPLATES),
    # views/matching.py: the points breakdown, one row per criterion (db.matching.WEIGHTS)
    "matching.criterion_{}": lambda: (f"matching.criterion_{k}" for k in matching.WEIGHTS),
}

def _component(name: str):
    return importlib.import_module(f"components.{name}")


# Tables of literal keys the code passes to t() through a variable, which the scan of
# `t("...")` calls cannot see: name -> the keys.
KEY_TABLES: dict[str, Callable[[], Iterable[str]]] = {
    # components/agreement_extras.py _write(): run_write(..., stale=STALE_KEY)
    "agreement_extras.STALE_KEY": lambda: [agreement_extras.STALE_KEY],
    # components/forms.py run_write(): the default message of each kind of refusal
    "forms.run_write defaults": lambda: [
        p.default for p in inspect.signature(_component("forms").run_write).parameters.values() if isinstance(p.default, str)
    ],
    # the pages' own wording of refusals, passed to run_write
    "sponsorship_forms.MESSAGES": lambda: _component("sponsorship_forms").MESSAGES.values(),
    "opportunity_ui.MESSAGES": lambda: _component("opportunity_ui").MESSAGES.values(),
    # components/agreement_extras.py _errors(): t(_FIELD_LABELS[field]), the money form's field labels
    "agreement_extras._FIELD_LABELS": lambda: agreement_extras._FIELD_LABELS.values(),
    # components/partner_forms.py engagement_form(): t(_ENGAGEMENT_LABELS[field]), the engagement form's labels
    "partner_forms._ENGAGEMENT_LABELS": lambda: partner_forms._ENGAGEMENT_LABELS.values(),
    # components/opportunity_public.py handle_links(): what a mail's link did -> its message
    "opportunity_public.LINK_MESSAGES": lambda: (k for m in opportunity_public.LINK_MESSAGES.values() for k in m.values()),
    # db/opportunity_mail.py: the mail templates, read by the data layer from the catalogues
    "opportunity_mail.MAIL_KEYS": lambda: opportunity_mail.MAIL_KEYS,
    # components/sponsorship_text.py discount_reason(): the sentence explaining each discount
    "sponsorship_text.REASON_KEYS": lambda: (
        *_sponsorship("components.sponsorship_text").REASON_KEYS.values(),
        _sponsorship("components.sponsorship_text").OPEN_ONLY_KEY,
    ),
}

# Keys of en.json that no code shows, on purpose. Keep this short and say why.
UNUSED_ALLOWED: dict[str, str] = {
    "glossary.sector_member": "terminology reference; checked by test_glossary_terms_of_domain",
    "glossary.bdt": "terminology reference; checked by test_glossary_terms_of_domain",
}

_QUOTED = r"""(?:"([^"\\\n]*)"|'([^'\\\n]*)')"""
LITERAL_T_CALL = re.compile(rf"\bt\(\s*{_QUOTED}")
FSTRING_T_CALL = re.compile(r"""\bt\(\s*[fF](?:"([^"\n]*)"|'([^'\n]*)')""")
LITERAL_LABEL_CALL = re.compile(rf"\blabel\(\s*{_QUOTED}")
FIELD = re.compile(r"\{[^{}]*\}")


def source_files() -> list[Path]:
    files = [PROJECT_ROOT / "app.py"]
    for folder in ("components", "views"):
        files += sorted((PROJECT_ROOT / folder).rglob("*.py"))
    return [f for f in files if f.is_file()]


def _matches(pattern: re.Pattern[str]) -> dict[str, list[str]]:
    """Matched string -> the files (relative) where it occurs."""
    found: dict[str, list[str]] = {}
    for path in source_files():
        text = path.read_text(encoding="utf-8")
        for match in pattern.finditer(text):
            value = match.group(1) if match.group(1) is not None else match.group(2)
            found.setdefault(value, []).append(str(path.relative_to(PROJECT_ROOT)))
    return found


def literal_keys() -> dict[str, list[str]]:
    return _matches(LITERAL_T_CALL)


def fstring_templates() -> dict[str, list[str]]:
    """f-string keys with each `{...}` normalised to `{}`."""
    return {FIELD.sub("{}", template): where for template, where in _matches(FSTRING_T_CALL).items()}


def keys_used_by_code() -> set[str]:
    used = set(literal_keys())
    for family in (*DYNAMIC_FAMILIES.values(), *KEY_TABLES.values()):
        used.update(family())
    return used


# ---------------------------------------------------------------- catalogues


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    keys = [key for key, _ in pairs]
    duplicated = sorted({key for key in keys if keys.count(key) > 1})
    assert not duplicated, f"duplicated keys: {duplicated}"
    return dict(pairs)


def load(language: str) -> dict[str, str]:
    path = LOCALES_DIR / f"{language}.json"
    assert path.is_file(), f"no catalogue for {language!r} at {path}"
    with path.open(encoding="utf-8") as fh:
        data = json.load(fh, object_pairs_hook=_no_duplicates)
    bad = sorted(key for key, value in data.items() if not isinstance(value, str) or not value.strip())
    assert not bad, f"{language}.json: values that are not non-empty strings: {bad}"
    return data


@pytest.fixture(scope="module")
def english() -> dict[str, str]:
    return load(SOURCE_LANGUAGE)


def placeholders(text: str) -> list[str]:
    try:
        return sorted(field for _, field, _, _ in string.Formatter().parse(text) if field is not None)
    except ValueError:
        return ["<malformed braces>"]


def strip_code(text: str) -> str:
    """The text without {placeholders}, `code spans` and ALL_CAPS_NAMES (environment variables)."""
    text = FIELD.sub(" ", text)
    text = re.sub(r"`[^`]*`", " ", text)
    return re.sub(r"(?<![A-Za-z0-9_])[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?![A-Za-z0-9_])", " ", text)


# ---------------------------------------------------------------- completeness


@pytest.mark.parametrize("language", vocab.LANGUAGES)
def test_catalogue_is_formatted(language: str) -> None:
    """One style for every catalogue: indent=1, sorted keys, real characters (small diffs)."""
    text = (LOCALES_DIR / f"{language}.json").read_text(encoding="utf-8")
    expected = json.dumps(load(language), indent=1, sort_keys=True, ensure_ascii=False)
    assert text.rstrip("\n") == expected, (
        f"{language}.json is not written with json.dumps(indent=1, sort_keys=True, ensure_ascii=False)"
    )


@pytest.mark.parametrize("language", TRANSLATED)
def test_same_keys_as_english(language: str, english: dict[str, str]) -> None:
    catalogue = load(language)
    missing = sorted(set(english) - set(catalogue))
    extra = sorted(set(catalogue) - set(english))
    assert not missing and not extra, f"{language}.json: missing keys {missing}; keys not in en.json {extra}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_same_placeholders_as_english(language: str, english: dict[str, str]) -> None:
    catalogue = load(language)
    differ = {
        key: (placeholders(english[key]), placeholders(catalogue[key]))
        for key in sorted(set(english) & set(catalogue))
        if placeholders(english[key]) != placeholders(catalogue[key])
    }
    assert not differ, f"{language}.json: placeholders differ from English (en, {language}): {differ}"


# ---------------------------------------------------------------- code versus en.json


def test_keys_used_in_code_are_in_english(english: dict[str, str]) -> None:
    where = literal_keys()
    missing_literal = {key: where[key] for key in sorted(set(where) - set(english))}
    missing_dynamic = sorted(key for key in keys_used_by_code() - set(where) if key not in english)
    assert not missing_literal and not missing_dynamic, (
        f"keys used by the code but missing from en.json: literal {missing_literal}; "
        f"built from vocabularies or f-strings, or listed in key tables {missing_dynamic}"
    )


def test_every_fstring_key_family_is_registered() -> None:
    found = fstring_templates()
    unregistered = {template: where for template, where in found.items() if template not in DYNAMIC_FAMILIES}
    stale = sorted(template for template in DYNAMIC_FAMILIES if template not in found)
    assert not unregistered, (
        f"unregistered f-string keys {unregistered}: add each template to DYNAMIC_FAMILIES in "
        "tests/test_i18n.py with the suffixes the code can produce (see the module docstring)"
    )
    assert not stale, f"DYNAMIC_FAMILIES entries no code uses any more (remove them): {stale}"


def test_label_vocabularies_are_registered() -> None:
    vocabularies = _matches(LITERAL_LABEL_CALL)
    unknown = {name: where for name, where in vocabularies.items() if name not in VOCABULARY_FAMILIES}
    assert not unknown, f"label() vocabularies missing from VOCABULARY_FAMILIES in tests/test_i18n.py: {unknown}"


def test_every_english_key_is_used(english: dict[str, str]) -> None:
    stale_allowances = sorted(key for key in UNUSED_ALLOWED if key not in english)
    unused = sorted(set(english) - keys_used_by_code() - set(UNUSED_ALLOWED))
    assert not unused, (
        f"keys of en.json no code uses (remove them from every catalogue, or list them in UNUSED_ALLOWED "
        f"with the reason): {unused}"
    )
    assert not stale_allowances, f"UNUSED_ALLOWED names keys en.json no longer has: {stale_allowances}"


# ---------------------------------------------------------------- script and untranslated text

# Unicode character-name prefixes of each non-Latin language's script.
SCRIPTS: dict[str, tuple[str, ...]] = {
    "ar": ("ARABIC",),
    "zh": ("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH"),
    "ru": ("CYRILLIC",),
}
MIN_SCRIPT_SHARE = 0.90
# Latin tokens a non-Latin text may keep as they are.
LATIN_TOKENS = (
    "USD", "CSV", "ITU-D", "МСЭ-D", "ITU", "BDT", "ICT", "PDF", "XLSX", "e-mail", "E-mail", "URL",
    "Streamlit", "cookie", "KPI",
)  # fmt: skip
# ASCII-only boundaries: Chinese writes Latin tokens with no space around them ("下载CSV文件").
LATIN_TOKEN = re.compile(r"(?<![A-Za-z0-9-])(?:" + "|".join(re.escape(t) for t in LATIN_TOKENS) + r")(?![A-Za-z0-9-])")


def _letters(text: str) -> list[str]:
    return [ch for ch in LATIN_TOKEN.sub(" ", strip_code(text)) if ch.isalpha()]


def _in_script(ch: str, prefixes: tuple[str, ...]) -> bool:
    return unicodedata.name(ch, "").startswith(prefixes)


@pytest.mark.parametrize("language", sorted(SCRIPTS))
def test_catalogue_is_in_its_script(language: str) -> None:
    prefixes = SCRIPTS[language]
    native = foreign = 0
    offending: dict[str, str] = {}
    untranslated: list[str] = []
    for key, value in sorted(load(language).items()):
        letters = _letters(value)
        own = sum(_in_script(ch, prefixes) for ch in letters)
        native += own
        foreign += len(letters) - own
        if own < len(letters):
            offending[key] = "".join(ch for ch in letters if not _in_script(ch, prefixes))
        if letters and own == 0:
            untranslated.append(key)
    share = native / (native + foreign) if native + foreign else 1.0
    assert not untranslated, f"{language}.json: texts with no letter of the language's script: {untranslated}"
    assert share >= MIN_SCRIPT_SHARE, (
        f"{language}.json: {share:.1%} of letters in the language's script (at least {MIN_SCRIPT_SHARE:.0%} "
        f"wanted); keys with letters of another script: {offending}"
    )


MAX_IDENTICAL_SHARE = 0.05
# Texts that may equal the English one (codes and names spelt alike).
IDENTICAL_ALLOWED = frozenset({"CSV", "USD", "PDF", "XLSX", "ITU-D", "BDT", "OK", "Europe"})


@pytest.mark.parametrize("language", TRANSLATED)
def test_few_texts_identical_to_english(language: str, english: dict[str, str]) -> None:
    catalogue = load(language)
    compared = [
        key
        for key in sorted(set(english) & set(catalogue))
        if any(ch.isalpha() for ch in strip_code(english[key])) and english[key].strip() not in IDENTICAL_ALLOWED
    ]
    identical = [key for key in compared if catalogue[key].strip() == english[key].strip()]
    share = len(identical) / len(compared) if compared else 0.0
    assert share <= MAX_IDENTICAL_SHARE, (
        f"{language}.json: {share:.1%} of texts are the English ones (at most {MAX_IDENTICAL_SHARE:.0%}): {identical}"
    )


# ---------------------------------------------------------------- DOMAIN.md terminology

# Copied from ../shared/spec/DOMAIN.md ("Other terms to keep consistent").
SECTOR_MEMBER = {
    "en": "ITU-D Sector Member",
    "fr": "Membre du Secteur de l'UIT-D",
    "es": "Miembro del Sector UIT-D",
    "ru": "Член Сектора МСЭ-D",
    "zh": "国际电联电信发展部门成员",
    "ar": "عضو في قطاع تنمية الاتصالات",
}
BDT_NAME = {
    "en": "Telecommunication Development Bureau",
    "fr": "Bureau de développement des télécommunications",
    "es": "Oficina de Desarrollo de las Telecomunicaciones",
    "ru": "Бюро развития электросвязи",
    "zh": "电信发展局",
    "ar": "مكتب تنمية الاتصالات",
}
BDT_ABBREVIATION = {"en": "BDT", "fr": "BDT", "es": "BDT", "ru": "БРЭ", "zh": "BDT", "ar": "BDT"}

# DOMAIN.md's region tables (English and Arabic; fr, es, ru, zh "as ITU uses them").
REGION_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "AFR": "Africa",
        "AMS": "Americas",
        "ARB": "Arab States",
        "ASP": "Asia-Pacific",
        "CIS": "CIS region",
        "EUR": "Europe",
        "GLB": "Global / inter-regional",
    },
    "ar": {
        "AFR": "أفريقيا",
        "AMS": "الأمريكتان",
        "ARB": "الدول العربية",
        "ASP": "آسيا والمحيط الهادئ",
        "CIS": "كومنولث الدول المستقلة",
        "EUR": "أوروبا",
        "GLB": "عالمي / أقاليمي",
    },
    "fr": {
        "AFR": "Afrique",
        "AMS": "Amériques",
        "ARB": "États arabes",
        "ASP": "Asie-Pacifique",
        "CIS": "CEI",
        "EUR": "Europe",
        "GLB": "Mondial / interrégional",
    },
    "es": {
        "AFR": "África",
        "AMS": "Américas",
        "ARB": "Estados Árabes",
        "ASP": "Asia-Pacífico",
        "CIS": "CEI",
        "EUR": "Europa",
        "GLB": "Mundial / interregional",
    },
    "ru": {
        "AFR": "Африка",
        "AMS": "Северная и Южная Америка",
        "ARB": "Арабские государства",
        "ASP": "Азиатско-Тихоокеанский регион",
        "CIS": "СНГ",
        "EUR": "Европа",
        "GLB": "Глобальный / межрегиональный",
    },
    "zh": {
        "AFR": "非洲",
        "AMS": "美洲",
        "ARB": "阿拉伯国家",
        "ASP": "亚太",
        "CIS": "独联体",
        "EUR": "欧洲",
        "GLB": "全球/跨区域",
    },
}

# DOMAIN.md: the Arabic labels of the areas of action (the source's own) and of agreement types.
ARABIC_AREAS = {
    "capacity-building": "بناء القدرات",
    "climate-ewaste": "تغير المناخ والمخلفات الإلكترونية",
    "cybersecurity": "الأمن السيبراني",
    "digital-inclusion": "الشمول الرقمي",
    "emergency-telecom": "الاتصالات في حالات الطوارئ",
    "enabling-environment": "البيئة التمكينية",
    "ict-applications": "تطبيقات تكنولوجيا المعلومات والاتصالات",
    "infrastructure": "البنية التحتية",
    "innovation": "الابتكار",
    "statistics": "الإحصاءات والمؤشرات",
    "general": "مجالات عامة",
}
ARABIC_AGREEMENT_TYPES = {
    "mou": "مذكرة تفاهم",
    "cooperation": "اتفاق تعاون",
    "voluntary-contribution": "اتفاق مساهمة طوعية",
    "sponsorship": "اتفاق رعاية",
    "letter-of-intent": "خطاب إعلان النوايا",
    "project-document": "وثيقة مشروع",
}


@pytest.mark.parametrize("language", vocab.LANGUAGES)
def test_glossary_terms_of_domain(language: str) -> None:
    catalogue = load(language)
    glossary = {key: value for key, value in catalogue.items() if key.startswith("glossary.")}
    lacking = [
        name
        for name, term in (("Sector Member", SECTOR_MEMBER[language]), ("BDT", BDT_NAME[language]))
        if not any(term in value for value in glossary.values())
    ]
    assert not lacking, f"{language}.json: glossary.* values {glossary} lack DOMAIN.md's term for {lacking}"
    assert BDT_ABBREVIATION[language] in catalogue.get("glossary.bdt", ""), (
        f"{language}.json: glossary.bdt lacks the abbreviation {BDT_ABBREVIATION[language]!r}"
    )


@pytest.mark.parametrize("language", vocab.LANGUAGES)
def test_region_labels_of_domain(language: str) -> None:
    catalogue = load(language)
    expected = REGION_LABELS[language]
    assert set(expected) == set(vocab.REGIONS), "DOMAIN.md's region table and db.vocab.REGIONS differ"
    wrong = {
        f"region.{code}": (catalogue.get(f"region.{code}"), label)
        for code, label in expected.items()
        if catalogue.get(f"region.{code}") != label
    }
    assert not wrong, f"{language}.json: region labels differ from DOMAIN.md (found, expected): {wrong}"


@pytest.mark.parametrize(
    ("prefix", "expected"), [("area", ARABIC_AREAS), ("type", ARABIC_AGREEMENT_TYPES)], ids=["areas", "types"]
)
def test_arabic_labels_of_domain(prefix: str, expected: dict[str, str]) -> None:
    catalogue = load("ar")
    wrong = {
        f"{prefix}.{code}": (catalogue.get(f"{prefix}.{code}"), label)
        for code, label in expected.items()
        if catalogue.get(f"{prefix}.{code}") != label
    }
    assert not wrong, f"ar.json: labels differ from DOMAIN.md (found, expected): {wrong}"

"""Report how the translation catalogues differ from the English one.

    python scripts/i18n_sync.py            # every catalogue in components/locales/
    python scripts/i18n_sync.py ar fr      # only these languages

For each language it lists the keys en.json has and the catalogue lacks
(missing), the keys the catalogue has and en.json does not (extra), and the
keys whose {placeholders} differ from the English text. Exit status 1 when
anything is listed, 0 when every catalogue matches en.json.

It only reports: it never writes stubs or English copies into a catalogue.
A missing text is for a translator to write (t() falls back to English at run
time meanwhile); tests/test_i18n.py fails until it is written.
"""

from __future__ import annotations

import argparse
import json
import string
import sys
from collections.abc import Sequence
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LOCALES_DIR = PROJECT_ROOT / "components" / "locales"
SOURCE_LANGUAGE = "en"


def load_catalogue(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: the catalogue is not a JSON object")
    return {str(key): str(value) for key, value in data.items()}


def placeholders(text: str) -> list[str]:
    """The sorted field names of a format string (`{name}` -> `name`)."""
    try:
        return sorted(field for _, field, _, _ in string.Formatter().parse(text) if field is not None)
    except ValueError:
        return ["<malformed braces>"]


def compare(source: dict[str, str], catalogue: dict[str, str]) -> dict[str, list[str]]:
    """Missing, extra and placeholder-mismatched keys of `catalogue` against `source`."""
    common = sorted(set(source) & set(catalogue))
    return {
        "missing": sorted(set(source) - set(catalogue)),
        "extra": sorted(set(catalogue) - set(source)),
        "placeholders": [k for k in common if placeholders(source[k]) != placeholders(catalogue[k])],
    }


def main(argv: Sequence[str] | None = None) -> int:
    args_in = list(sys.argv[1:] if argv is None else argv)
    if "--write-stubs" in args_in:
        print(
            "i18n_sync: --write-stubs is not offered: English copies in a catalogue hide missing "
            "translations. Write the texts in the catalogue instead.",
            file=sys.stderr,
        )
        return 2
    parser = argparse.ArgumentParser(description="List keys missing or extra per language versus en.json.")
    parser.add_argument("languages", nargs="*", help="language codes to check (default: every catalogue)")
    parser.add_argument("--locales-dir", type=Path, default=LOCALES_DIR, help="folder of the *.json catalogues")
    args = parser.parse_args(args_in)

    locales_dir: Path = args.locales_dir
    source_path = locales_dir / f"{SOURCE_LANGUAGE}.json"
    if not source_path.is_file():
        print(f"i18n_sync: {source_path} not found", file=sys.stderr)
        return 2
    source = load_catalogue(source_path)
    languages: list[str] = args.languages or sorted(
        p.stem for p in locales_dir.glob("*.json") if p.stem != SOURCE_LANGUAGE
    )

    problems = 0
    for language in languages:
        path = locales_dir / f"{language}.json"
        if not path.is_file():
            print(f"{language}: no catalogue at {path}")
            problems += 1
            continue
        report = compare(source, load_catalogue(path))
        count = sum(len(keys) for keys in report.values())
        problems += count
        print(f"{language}: {'OK' if count == 0 else f'{count} problem(s)'}")
        for kind, keys in report.items():
            for key in keys:
                print(f"  {kind}: {key}")
    print(f"{len(source)} keys in {SOURCE_LANGUAGE}.json; {problems} problem(s) in {len(languages)} catalogue(s).")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

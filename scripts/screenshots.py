"""Screenshots of the KPI overview in English and Arabic into docs/screenshots/.

Usage: .venv/bin/python -m scripts.screenshots [--period 2014-2017]
Starts the app on a throwaway sample store, signs in as the demo director.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from db.users import DEMO_ACCOUNTS
from scripts.appserver import ROOT, chromium, running_app, sign_in, wait_idle

OUT = ROOT / "docs" / "screenshots"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--period", default="2014-2017", help="FROM-TO years of the overview")
    parser.add_argument("--languages", default="en,ar", help="comma-separated language codes")
    args = parser.parse_args()
    start, end = args.period.split("-")
    password = {a.username: a.password for a in DEMO_ACCOUNTS}["director"]
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, running_app(Path(tmp)) as base, chromium() as browser:
        # Streamlit scrolls inside its own container: a tall viewport shows the whole page.
        page = browser.new_page(viewport={"width": 1440, "height": 3000})
        page.goto(f"{base}/?lang=en&from={start}&to={end}")
        wait_idle(page, pause_ms=1500)
        sign_in(page, "director", password)
        for language in args.languages.split(","):
            page.goto(f"{base}/?lang={language}&from={start}&to={end}")
            wait_idle(page, pause_ms=2500)
            target = OUT / f"overview-{language}.png"
            page.screenshot(path=str(target), full_page=True)
            print(target.relative_to(ROOT))


if __name__ == "__main__":
    main()

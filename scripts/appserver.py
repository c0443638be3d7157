"""Start `streamlit run app.py` on a throwaway store and drive it with Chromium.

Shared by the end-to-end tests and the screenshot script.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError("streamlit did not become healthy")


@contextmanager
def running_app(workdir: Path, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """Yield the base URL of the app serving a fresh sample store under `workdir`."""
    url = f"sqlite:///{workdir / 'app.db'}"
    env = os.environ | {"PARTNERSHIPS_DATABASE_URL": url} | (extra_env or {})
    subprocess.run([sys.executable, "-m", "db", "init", "--sample"], cwd=ROOT, env=env, check=True, capture_output=True)
    with streamlit_server(url, workdir, extra_env) as (base, _process):
        yield base


@contextmanager
def streamlit_server(
    url: str, workdir: Path, extra_env: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen]]:
    """`streamlit run app.py` on the store at `url` with a fresh cookie key, until
    the block ends; yields its base URL and process. Its log: workdir/streamlit-PORT.log."""
    env = os.environ | {
        "PARTNERSHIPS_DATABASE_URL": url,
        "PARTNERSHIPS_COOKIE_KEY": secrets.token_urlsafe(48),
        "PARTNERSHIPS_BCRYPT_ROUNDS": os.environ.get("PARTNERSHIPS_BCRYPT_ROUNDS", "4"),
    } | (extra_env or {})
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
               "--server.port", str(port), "--browser.gatherUsageStats", "false"]  # fmt: skip
    with (workdir / f"streamlit-{port}.log").open("w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(base, process)
            yield base, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@contextmanager
def chromium() -> Iterator[object]:
    """Debian's Chromium through Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        raise FileNotFoundError(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def wait_idle(page, pause_ms: int = 400, timeout_ms: int = 30_000) -> None:
    """Wait until the app's rerun has finished."""
    page.wait_for_timeout(pause_ms)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_ms)
    page.wait_for_timeout(200)


def sign_in(page, username: str, password: str) -> None:
    """Fill the English login form and wait for the app to settle."""
    page.get_by_role("textbox", name="Username", exact=True).fill(username)
    page.get_by_role("textbox", name="Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    wait_idle(page, pause_ms=1200)

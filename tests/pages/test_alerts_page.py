"""The alerts page: lists and the officers' digest preview, as staff see them."""

from __future__ import annotations

from datetime import date

from db import alerts
from db.engine import make_engine
from tests.pages.conftest import login


def test_digest_preview_shows_each_officers_digest_and_is_cached(app_db_url, monkeypatch):
    monkeypatch.setenv("PARTNERSHIPS_TODAY", "2017-06-30")
    engine = make_engine(app_db_url)
    with engine.connect() as conn:
        expected = alerts.send_digests(conn, date(2017, 6, 30), None).texts
    engine.dispose()
    assert expected, "the sample has agreements ending around mid-2017"
    at = login("staff")
    at.switch_page("views/alerts.py").run()
    assert not at.exception, at.exception
    officer = at.selectbox(key="al_officer")
    assert list(officer.options) == list(expected)
    assert at.code[0].value.rstrip() == expected[officer.value].rstrip()
    calls = []
    monkeypatch.setattr(alerts, "send_digests", lambda *a, **k: calls.append(a))
    at.run()  # a rerun is served by the cache: nothing rendered again
    assert not at.exception and calls == []

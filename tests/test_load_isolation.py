"""Several users at once see only their own data (issue 8, "Scale").

Three sessions of different roles, regions and languages sign in to one real
`streamlit run app.py` and walk the main pages at the same time, over
Streamlit's websocket protocol (benchmarks/load.py); every page view is
checked for this user's name, role, region, language and typed values and for
any trace of the others. The checker itself is tested on views with another
user's data planted in them.
"""

from __future__ import annotations

import pytest

from benchmarks.load import run_load
from benchmarks.load_session import (
    expected_caption,
    expected_navigation,
    isolation_problems,
    load_users,
)
from benchmarks.streamlit_client import View

pytestmark = pytest.mark.e2e


def test_three_concurrent_sessions_see_only_their_own_data():
    document = run_load([3], duration_s=0, walks=1, log=lambda line: None)
    level = document["levels"][0]
    assert {u["role"] for u in level["users"]} == {"staff", "field_office", "director"}
    assert len({u["language"] for u in level["users"]}) == 3
    assert level["errors"] == 0, level["error_samples"]
    assert level["violations"] == 0, level["violation_samples"]
    # Every session walked every page its role has (revenue: not for a field office).
    assert sorted(level["views_per_session"]) == [10, 11, 11]
    assert level["isolation_checks"] == level["pages"] == 32


def _clean_view(user) -> View:
    return View(
        finished="FINISHED_SUCCESSFULLY",
        query_string=f"lang={user.language}",
        nav_titles=expected_navigation(user),
        sidebar_captions=[expected_caption(user)],
        texts=[expected_caption(user)],
    )


def test_the_check_passes_a_users_own_page():
    me = load_users(2)[1]
    assert isolation_problems(me, "partners", _clean_view(me)) == []


@pytest.mark.parametrize(
    "plant",
    [
        lambda view, other: view.texts.append(f"search: {other.marker}"),
        lambda view, other: view.texts.append(other.name),
        lambda view, other: setattr(view, "sidebar_captions", [expected_caption(other)]),
        lambda view, other: setattr(view, "nav_titles", expected_navigation(other)),
        lambda view, other: setattr(view, "query_string", f"lang={other.language}&q={other.marker}"),
    ],
    ids=["typed marker", "name", "signed-in caption", "navigation", "address"],
)
def test_the_check_flags_another_users_data(plant):
    me, other = load_users(2)  # staff in Arabic, field office AFR in Chinese
    view = _clean_view(me)
    plant(view, other)
    assert isolation_problems(me, "partners", view)

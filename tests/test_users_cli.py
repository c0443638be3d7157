"""`python -m db users ...`: accounts, passwords from stdin, roles and regions."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from db.models import User
from db.users import password_matches
from tests.conftest import run_cli_subprocess


def stored_hash(store, username: str) -> str | None:
    from db.engine import make_engine

    engine = make_engine(store.url)
    try:
        with engine.connect() as conn:
            return conn.scalar(select(User.password_hash).where(User.username == username))
    finally:
        engine.dispose()


def listed(store) -> list[dict]:
    result = store.cli("users", "list", "--json")
    assert (result.code, result.err) == (0, "")
    return json.loads(result.out)


def test_add_and_list(store):
    result = store.cli("users", "add", "Alice.Smith", "--role", "ADMIN", "--name", "Alice Smith", "--email",
                       "alice@example.org", "--password-stdin", stdin="correct horse\n")
    assert (result.code, result.out, result.err) == (0, "user alice.smith added\n", "")
    result = store.cli("users", "add", "lagos_office", "--role", "field_office", "--region", "afr", "--password-stdin",
                       stdin="battery staple")
    assert (result.code, result.out) == (0, "user lagos_office added\n")
    output = store.cli("users", "list", "--json").out
    assert json.loads(output) == [
        {"username": "alice.smith", "name": "Alice Smith", "email": "alice@example.org", "role": "admin",
         "region": None, "active": True},
        {"username": "lagos_office", "name": None, "email": None, "role": "field_office", "region": "AFR",
         "active": True},
    ]
    assert "$2" not in output and "hash" not in output


def test_password_from_stdin_drops_one_trailing_newline(store):
    store.cli("users", "add", "one", "--role", "staff", "--password-stdin", stdin="abcdefgh\n")
    store.cli("users", "add", "two", "--role", "staff", "--password-stdin", stdin="abcdefgh\n\n")
    store.cli("users", "add", "three", "--role", "staff", "--password-stdin", stdin=" spaced pass ")
    assert password_matches("abcdefgh", stored_hash(store, "one"))
    assert not password_matches("abcdefgh\n", stored_hash(store, "one"))
    assert password_matches("abcdefgh\n", stored_hash(store, "two"))
    assert password_matches(" spaced pass ", stored_hash(store, "three"))


def test_password_from_stdin_in_a_real_process(db_url):
    result = run_cli_subprocess("--url", db_url, "users", "add", "piped", "--role", "director", "--password-stdin",
                                stdin="through a pipe\n")
    assert (result.code, result.out, result.err) == (0, "user piped added\n", "")
    listing = run_cli_subprocess("--url", db_url, "users", "list", "--json")
    assert json.loads(listing.out) == [
        {"username": "piped", "name": None, "email": None, "role": "director", "region": None, "active": True}
    ]


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("seven77", False),
        ("eight888", True),
        ("x" * 64, True),
        ("x" * 65, False),
        ("é" * 36, True),  # 36 characters, 72 bytes
        ("é" * 36 + "x", False),  # 37 characters, 73 bytes: refused, never truncated
        ("密码" * 12, True),  # 24 characters, 72 bytes
        ("密码" * 12 + "x", False),
    ],
)
def test_password_length_rules(store, password, accepted):
    result = store.cli("users", "add", "someone", "--role", "staff", "--password-stdin", stdin=password + "\n")
    if accepted:
        assert (result.code, result.err) == (0, "")
        assert password_matches(password, stored_hash(store, "someone"))
    else:
        assert (result.code, result.out) == (1, "")
        assert result.err.startswith("error: the password must have at ")
        assert listed(store) == []


@pytest.mark.parametrize(
    ("username", "code", "stored"),
    [
        ("Bob", 0, "bob"),
        ("a.b-c_9", 0, "a.b-c_9"),
        ("x" * 64, 0, "x" * 64),
        ("ab", 1, None),
        ("x" * 65, 1, None),
        ("bad name", 1, None),
        ("tom@example", 1, None),
        ("zoë", 1, None),
    ],
)
def test_username_rules(store, username, code, stored):
    result = store.cli("users", "add", username, "--role", "staff", "--password-stdin", stdin="password1\n")
    assert result.code == code, result.err
    assert [u["username"] for u in listed(store)] == ([stored] if stored else [])


@pytest.mark.parametrize(
    ("options", "code", "role", "region"),
    [
        (["--role", "field_office", "--region", "afr"], 0, "field_office", "AFR"),
        (["--role", "FIELD_OFFICE", "--region", "Cis"], 0, "field_office", "CIS"),
        (["--role", "field_office"], 2, None, None),  # region required
        (["--role", "field_office", "--region", "GLB"], 2, None, None),  # global is no office
        (["--role", "field_office", "--region", "XYZ"], 2, None, None),
        (["--role", "staff", "--region", "AFR"], 2, None, None),  # refused for other roles
        (["--role", "admin", "--region", "EUR"], 2, None, None),
        (["--role", "Director"], 0, "director", None),
        (["--role", "boss"], 2, None, None),
    ],
)
def test_roles_and_regions(store, options, code, role, region):
    result = store.cli("users", "add", "someone", *options, "--password-stdin", stdin="password1\n")
    assert result.code == code, result.err
    expected = [{"username": "someone", "name": None, "email": None, "role": role, "region": region, "active": True}]
    assert listed(store) == (expected if code == 0 else [])
    if code:
        assert result.err.startswith("error: ") and "Traceback" not in result.err


def test_required_options(store):
    for argv in (["users", "add", "someone", "--password-stdin"], ["users", "add", "someone", "--role", "staff"]):
        result = store.cli(*argv, stdin="password1\n")
        assert (result.code, result.out) == (2, "")
        assert result.err.startswith("error: the following arguments are required: ")


def test_duplicate_user_is_refused(store):
    store.cli("users", "add", "sam", "--role", "staff", "--password-stdin", stdin="password1\n")
    result = store.cli("users", "add", "SAM", "--role", "admin", "--password-stdin", stdin="password2\n")
    assert (result.code, result.out, result.err) == (1, "", "error: user 'sam' already exists\n")
    assert [(u["username"], u["role"]) for u in listed(store)] == [("sam", "staff")]


def test_disable(store):
    store.cli("users", "add", "sam", "--role", "staff", "--password-stdin", stdin="password1\n")
    result = store.cli("users", "disable", "Sam")
    assert (result.code, result.out, result.err) == (0, "user sam disabled\n", "")
    assert listed(store) == [
        {"username": "sam", "name": None, "email": None, "role": "staff", "region": None, "active": False}
    ]
    result = store.cli("users", "disable", "nobody")
    assert (result.code, result.out, result.err) == (1, "", "error: no user 'nobody'\n")


def test_set_password(store):
    store.cli("users", "add", "sam", "--role", "staff", "--password-stdin", stdin="password1\n")
    result = store.cli("users", "set-password", "SAM", "--password-stdin", stdin="new secret\n")
    assert (result.code, result.out, result.err) == (0, "password of sam set\n", "")
    assert password_matches("new secret", stored_hash(store, "sam"))
    assert not password_matches("password1", stored_hash(store, "sam"))
    result = store.cli("users", "set-password", "sam", "--password-stdin", stdin="short\n")
    assert (result.code, result.out) == (1, "")
    assert password_matches("new secret", stored_hash(store, "sam"))
    result = store.cli("users", "set-password", "nobody", "--password-stdin", stdin="new secret\n")
    assert (result.code, result.err) == (1, "error: no user 'nobody'\n")


def test_list_of_an_empty_store(store):
    assert store.cli("users", "list", "--json").out == "[]\n"


def test_sample_has_the_demo_accounts(sample_url, cli):
    users = json.loads(cli("--url", sample_url, "users", "list", "--json").out)
    assert [(u["username"], u["role"], u["region"], u["active"]) for u in users] == [
        ("admin", "admin", None, True),
        ("director", "director", None, True),
        ("field-afr", "field_office", "AFR", True),
        ("staff", "staff", None, True),
    ]
    assert all(set(u) == {"username", "name", "email", "role", "region", "active"} for u in users)

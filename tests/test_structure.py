"""House rules that keep the code base navigable (STYLE.md)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from components.navigation import PAGE_SPECS
from db import access
from db.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent


def test_every_page_file_is_in_the_navigation_and_behind_the_gate():
    scripts = {f"views/{p.name}" for p in (ROOT / "views").glob("*.py")}
    registered = {spec.script for spec in PAGE_SPECS.values()}
    assert scripts == registered
    for spec in PAGE_SPECS.values():
        assert spec.gate_key in access.PAGE_ROLES or spec.gate_key in access.PUBLIC_PAGES, spec.key


def test_every_internal_page_asks_the_gate_first():
    for spec in PAGE_SPECS.values():
        if spec.gate_key in access.PUBLIC_PAGES:
            continue
        source = (ROOT / spec.script).read_text("utf-8")
        assert re.search(rf'require_page\(st\.session_state\.get\("principal"\), "{spec.gate_key}"\)', source), spec.script


def test_nothing_under_db_imports_streamlit():
    for path in (ROOT / "db").rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            assert not any(n.split(".")[0] == "streamlit" for n in names), path


def test_no_pages_folder_beside_the_entrypoint():
    # A `pages/` folder switches on Streamlit's legacy multipage mode (NOTES-streamlit.md).
    assert not (ROOT / "pages").exists()


def test_every_cli_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text("utf-8")
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    for name in commands:
        assert f"python -m db {name}" in readme or f"`{name}" in readme, name


def test_no_html_rendering_of_anything_but_constants():
    """No `unsafe_allow_html`; `st.html` only ever gets a module-level constant (SECURITY.md)."""
    for path in [ROOT / "app.py", *(ROOT / "components").rglob("*.py"), *(ROOT / "views").rglob("*.py")]:
        source = path.read_text("utf-8")
        assert "unsafe_allow_html" not in source, path
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "html":
                assert len(node.args) == 1 and isinstance(node.args[0], ast.Name) and node.args[0].id.isupper(), path

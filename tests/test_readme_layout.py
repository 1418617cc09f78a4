"""The README's layout table has one line per top-level folder, and names only paths that exist.

The modules, one line each, are in docs/architecture.md (tests/test_docs.py keeps that table true).
"""

import re
import subprocess

from tests.conftest import ROOT

NOT_IN_TABLE = {"data", "venv", ".venv", ".git", ".github"}  # local or generated, never committed


def _table_paths() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([^`]+)` \|", layout, re.MULTILINE))


def _top_level_folders() -> set[str]:
    """The repository's top-level folders: what git tracks, else (no git) what is on disk."""
    try:
        files = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
        folders = {f.split("/", 1)[0] for f in files if "/" in f}
    except (OSError, subprocess.CalledProcessError):
        folders = {p.name for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith((".pytest", "__"))}
    return folders - NOT_IN_TABLE


def test_every_top_level_folder_has_its_line():
    named = {p.rstrip("/") for p in _table_paths()}
    missing = sorted(_top_level_folders() - named)
    assert not missing, f"top-level folders without a line in the README's layout table: {missing}"
    assert "app.py" in named


def test_the_table_names_only_what_exists():
    missing = sorted(p for p in _table_paths() if not (ROOT / p).exists())
    assert not missing, f"README's layout table names paths that do not exist: {missing}"

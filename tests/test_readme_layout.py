"""The README's layout table names every module of each package, and only modules that exist."""

import re

from tests.conftest import ROOT

PACKAGES = ("pages", "ui", "storage", "alignment/core", "alignment/quick", "alignment/org", "alignment/render", "perf")


def _row(readme: str, package: str) -> str:
    match = re.search(rf"^\| `{re.escape(package)}/` \|(.*)$", readme, re.MULTILINE)
    assert match, f"README's layout table has no row for {package}/"
    return match.group(1)


def test_layout_table_names_every_module():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for package in PACKAGES:
        row = _row(readme, package)
        named = set(re.findall(r"`([\w]+\.py)`", row))
        present = {p.name for p in (ROOT / package).glob("*.py")}
        assert present - {"__init__.py"} <= named, f"{package}/: not in README: {sorted(present - named)}"
        assert named <= present, f"{package}/: README names missing files: {sorted(named - present)}"

"""requirements.txt and requirements-dev.txt pin exactly what pyproject.toml declares, and nothing else."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXACT_PIN = re.compile(r"([A-Za-z0-9_.-]+)(\[[A-Za-z0-9_,-]+\])?==([A-Za-z0-9_.+-]+)")


def _pins(lines: list[str]) -> dict[str, str]:
    pins = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-r"):
            continue
        match = EXACT_PIN.fullmatch(line)
        assert match, f"{line!r} is not an exact pin (name==version)"
        pins[match.group(1).lower().replace("_", "-")] = line
    return pins


def _file(name: str) -> dict[str, str]:
    return _pins((ROOT / name).read_text(encoding="utf-8").splitlines())


def test_every_pin_is_exact():
    for name in ("requirements.txt", "requirements-dev.txt"):
        assert _file(name), f"{name} pins nothing"


def test_requirement_files_match_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert _file("requirements.txt") == _pins(project["dependencies"])
    assert _file("requirements-dev.txt") == _pins(project["optional-dependencies"]["dev"])
    assert "-r requirements.txt" in (ROOT / "requirements-dev.txt").read_text(encoding="utf-8")

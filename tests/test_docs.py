"""The docs stay true (datasette's habit): a short README that links every page of docs/, every path they
name exists, every module is in docs/architecture.md, and docs/privacy.md says what the app says.

Regenerate docs/privacy.md after changing the [privacy] texts of locales/*.toml:

    python -m tests.test_docs --write
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from alignment.core.i18n import LANGS, translator
from alignment.core.method import privacy_section
from tests.conftest import ROOT

README = ROOT / "README.md"
DOCS = ROOT / "docs"
ARCHITECTURE = DOCS / "architecture.md"
PRIVACY = DOCS / "privacy.md"
MAX_README_LINES = 150
MAX_LINE = 200
# Packages whose every module has its own line in docs/architecture.md.
PACKAGES = ("pages", "ui", "storage", "alignment/core", "alignment/quick", "alignment/org", "alignment/render", "perf")
PACKAGES += ("outbox",)
# What a path named in backquotes starts with: the repository's own folders and top-level files.
TOP = ("app.py", "pages/", "ui/", "storage/", "alignment/", "benchmark/", "locales/", "assets/", "tests/", "perf/")
TOP += ("outbox/",)
TOP += ("docs/", ".ci/", ".streamlit/", "pyproject.toml", "requirements.txt", "requirements-dev.txt", "README.md")
GENERATED = re.compile(r"(<!-- generated: privacy -->\n)(.*?)(<!-- end generated: privacy -->)", re.DOTALL)
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}  # a new language needs its name here


def _pages() -> list[Path]:
    return [README, *sorted(DOCS.glob("*.md"))]


def privacy_text() -> str:
    """The generated part of docs/privacy.md: the About page's privacy section, as the app builds it."""
    parts = []
    for lang in sorted(LANGS, key=lambda lang: lang != "en"):  # English first, then the others
        section = privacy_section(translator(lang))
        parts.append(f"### {LANGUAGE_NAMES[lang]}: {section.title}\n")
        parts.extend(f"{paragraph}\n" for paragraph in section.paragraphs)
        parts.extend(f"- {bullet}\n" for bullet in section.bullets)
    return "\n".join(parts)


def write_privacy() -> None:
    text = PRIVACY.read_text(encoding="utf-8")
    PRIVACY.write_text(GENERATED.sub(lambda m: m.group(1) + privacy_text() + m.group(3), text), encoding="utf-8")


def _quick_start(readme: str) -> list[str]:
    block = re.search(r"^## Quick start\n+```\n(.*?)```", readme, re.MULTILINE | re.DOTALL)
    assert block, "README has no ``` block under '## Quick start' (.ci/run reads it)"
    return block.group(1).splitlines()


def test_readme_is_short():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= MAX_README_LINES, f"README.md has {len(lines)} lines: move detail to docs/"
    long = [n for n, line in enumerate(lines, 1) if len(line) > MAX_LINE]
    assert not long, f"README.md lines over {MAX_LINE} characters: {long}"


def test_quick_start_is_two_lines():
    lines = _quick_start(README.read_text(encoding="utf-8"))
    assert len(lines) == 2, lines
    assert lines[0].endswith("streamlit run app.py"), lines[0]
    assert "python -m pytest" in lines[1], lines[1]


def test_readme_links_every_docs_page():
    readme = README.read_text(encoding="utf-8")
    linked = set(re.findall(r"\]\((docs/[^)#]+)", readme))
    present = {f"docs/{p.name}" for p in DOCS.glob("*.md")}
    assert present <= linked, f"docs/ pages the README does not link: {sorted(present - linked)}"


def _anchors(page: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    headings = re.findall(r"^#+ (.+)$", page.read_text(encoding="utf-8"), re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def test_links_resolve():
    broken = []
    for page in _pages():
        for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target):
                continue  # http:, https:, mailto:
            path, _, anchor = target.partition("#")
            file = (page.parent / path).resolve() if path else page
            if not file.exists():
                broken.append(f"{page.name}: {target}")
            elif anchor and file.suffix == ".md" and anchor not in _anchors(file):
                broken.append(f"{page.name}: {target} (no such heading)")
    assert not broken, broken


def _named_paths(text: str) -> set[str]:
    """Paths in backquotes that start with one of the repository's folders or top-level files."""
    return {p for p in re.findall(r"`([\w./*-]+)`", text) if p.startswith(TOP)}


def test_every_named_path_exists():
    missing = []
    for page in _pages():
        for path in _named_paths(page.read_text(encoding="utf-8")):
            if not (any(ROOT.glob(path)) if "*" in path else (ROOT / path).exists()):
                missing.append(f"{page.relative_to(ROOT)}: {path}")
    assert not missing, f"docs name paths that do not exist: {sorted(missing)}"


def test_architecture_names_every_module():
    named = _named_paths(ARCHITECTURE.read_text(encoding="utf-8"))
    modules = {
        str(p.relative_to(ROOT))
        for package in PACKAGES
        for p in (ROOT / package).glob("*.py")
        if p.name != "__init__.py"
    }
    missing = sorted(modules - named)
    assert not missing, f"modules without their line in docs/architecture.md: {missing}"


def test_privacy_doc_is_the_apps_text():
    match = GENERATED.search(PRIVACY.read_text(encoding="utf-8"))
    assert match, "docs/privacy.md lost its generated markers"
    assert match.group(2) == privacy_text(), (
        "docs/privacy.md differs from locales/*.toml [privacy]: run `python -m tests.test_docs --write`"
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        write_privacy()
        print(f"wrote {PRIVACY.relative_to(ROOT)}")
    else:
        print(privacy_text())

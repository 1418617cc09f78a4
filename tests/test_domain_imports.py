"""The domain never imports Streamlit; only alignment/render/ draws (plotly, reportlab, weasyprint)."""

import ast
import subprocess
import sys

from tests.conftest import ROOT

DRAWING = ("plotly", "reportlab", "weasyprint")


def _imports(path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_domain_imports_no_streamlit():
    code = (
        "import sys, pkgutil, importlib, alignment, benchmark\n"
        "for m in pkgutil.walk_packages(alignment.__path__, 'alignment.'): importlib.import_module(m.name)\n"
        "print(sum(1 for m in sys.modules if m.startswith('alignment.')), 'streamlit' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    count, streamlit = out.stdout.split()
    assert int(count) >= 20 and streamlit == "False"


def test_only_the_render_package_draws():
    for path in (ROOT / "alignment").rglob("*.py"):
        if "render" in path.relative_to(ROOT / "alignment").parts:
            continue
        drawn = _imports(path) & {"streamlit", *DRAWING}
        assert not drawn, f"{path.relative_to(ROOT)} imports {sorted(drawn)}: only alignment/render/ may draw"

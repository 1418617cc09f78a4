"""The domain package and the benchmark loader never import Streamlit."""

import subprocess
import sys

from tests.conftest import ROOT


def test_domain_imports_no_streamlit():
    code = (
        "import sys, pkgutil, importlib, alignment, benchmark\n"
        "for m in pkgutil.iter_modules(alignment.__path__): importlib.import_module('alignment.' + m.name)\n"
        "print('streamlit' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

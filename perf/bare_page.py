"""The content-matched bare page the page benchmarks compare with: the same texts and figure, drawn by plain
Streamlit calls from a pickle, so that the difference is what the app's own code costs on a rerun."""

from __future__ import annotations

import pickle
from pathlib import Path

from streamlit.testing.v1 import AppTest

# The content is loaded once per process (as the app's caches hold theirs), then the language switch and the
# title every page has; each benchmark appends the rest of its page.
HEAD = """
import pickle
import streamlit as st

@st.cache_resource
def content():
    with open({path!r}, "rb") as f:
        return pickle.load(f)

c = content()
st.sidebar.radio("Langue / Language", ["fr", "en"], key="lang", horizontal=True)
st.title(c["title"])
"""


def bare_page(body: str, content: dict, folder: str | Path, timeout: float = 60) -> AppTest:
    """HEAD then `body`, drawing `content` (pickled into `folder`): run once, and checked."""
    path = Path(folder) / "content.pickle"
    path.write_bytes(pickle.dumps(content))
    page = AppTest.from_string(HEAD.format(path=str(path)) + body, default_timeout=timeout).run()
    if page.exception:
        raise RuntimeError(f"the bare page failed: {page.exception}")
    return page

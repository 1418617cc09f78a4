"""Figures drawn again on every rerun, never changed: their dict is made once.

st.plotly_chart turns a figure into a dict on every call (plotly's `to_dict`, a deep copy of every trace:
3 to 5 ms for the quick check's strips, a sixth of the results page's rerun), then into JSON. The figures the
pages draw come from a cache (ui/quick_cache.py, ui/org_cache.py) that hands the same object to every rerun
and every session, and nothing changes them once built: `frozen` makes their dict once, on first use.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go


class FrozenFigure(go.Figure):
    """A plotly Figure whose `to_dict()` is computed once and then handed back as it is: never change the
    figure, nor the dict it returns (both are shared by every session)."""

    def to_dict(self) -> dict[str, Any]:
        made = self.__dict__.get("_frozen_dict")
        if made is None:
            made = self.__dict__["_frozen_dict"] = super().to_dict()
        return made


def frozen(figure: go.Figure) -> FrozenFigure:
    """The figure itself, now a FrozenFigure: its class is changed, not copied (plotly's copy validates every
    property again: 84 ms for the strips, on every cache miss). FrozenFigure adds no state, only the memo."""
    figure.__class__ = FrozenFigure
    return figure

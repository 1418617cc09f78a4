"""Colours and placement shared by the charts and the PDFs, so the page and the report look alike."""

from __future__ import annotations

# Colour-blind-safe (Okabe-Ito): survey CIO blue, CMO orange; the organisation's IT and marketing in
# darker hues of the same pair, so "our IT" sits visibly near "the survey's CIOs".
COLOURS = {"CIO": "#0072B2", "CMO": "#E69F00"}
SIDE_COLOURS = {"it": "#003f63", "marketing": "#9c4a00", "digital": "#009E73", "other": "#555555"}
YOU_COLOUR = "#222222"

# Within a strip, CIO figures and the organisation's IT sit a little above the line (+1), CMO figures
# and marketing a little below (-1), so equal or close values never hide each other. Each drawing
# scales this to its own unit.
PLACEMENT = {"CIO": 1, "CMO": -1, "it": 1, "marketing": -1, "digital": 0, "other": 0}

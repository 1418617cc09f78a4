"""The room view's QR code, drawn by segno (no network): SVG for the page, the module matrix for tests."""

from __future__ import annotations

import segno


def qr_code(link: str) -> segno.QRCode:
    """The QR code of `link`, with error correction raised as far as the size allows (a projector blurs)."""
    return segno.make_qr(link, error="m", boost_error=True)


def qr_svg(link: str, scale: int = 10) -> str:
    """The QR code of `link` as an SVG document: dark modules on white, a four-module quiet zone, with a
    title for screen readers."""
    return qr_code(link).svg_inline(scale=scale, dark="#000000", light="#ffffff", border=4, title=link)

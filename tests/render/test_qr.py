"""The room view's QR code decodes to the join link (zxing-cpp, a kept decoder), at the size it is drawn."""

import re

import numpy as np
import pytest
import zxingcpp

from alignment.render.qr import qr_code, qr_svg


def raster(link: str, scale: int = 6) -> np.ndarray:
    """The code's modules as a greyscale image with its quiet zone, as the SVG draws them."""
    modules = np.array(qr_code(link).matrix, dtype=np.uint8)
    light = np.pad(1 - modules, 4, constant_values=1) * 255
    return np.kron(light, np.ones((scale, scale), dtype=np.uint8)).astype(np.uint8)


@pytest.mark.parametrize(
    "link",
    [
        "http://127.0.0.1:8501/respond?a=K7M2QX9P",
        "https://alignment.example.org/respond?a=23456789",
        "https://a-rather-long-host-name.consulting.example.com:8443/respond?a=ZZZZYYYY",
    ],
)
def test_the_qr_code_decodes_to_the_join_link(link):
    assert [r.text for r in zxingcpp.read_barcodes(raster(link))] == [link]


def test_the_svg_draws_dark_on_light_with_a_quiet_zone_and_names_the_link():
    link = "http://127.0.0.1:8501/respond?a=K7M2QX9P"
    svg = qr_svg(link)
    assert svg.startswith("<svg") and "http://" not in re.sub(r"<title>.*?</title>", "", svg)
    assert f"<title>{link}</title>" in svg
    size = len(qr_code(link).matrix) + 8  # four modules of quiet zone each side
    assert f'width="{size * 10}"' in svg

"""A report as one self-contained, accessible HTML file: the same story of blocks the PDF is laid out from
(alignment/render/pdf_kit.py), written out for a browser and a screen reader instead of WeasyPrint.

Self-contained: UTF-8, the language set, a system font stack (no font file, no file:// URL), no image or
style sheet fetched, no script. Every strip is an inline SVG with role="img", a <title> and an aria-label
(its alternative text). The print style keeps A4 pages, statements unbroken and the running header.
"""

from __future__ import annotations

from alignment.core.i18n import Translator
from alignment.core.text import escape_html
from alignment.render.pdf_text import for_html

FONT_STACK = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", "Liberation Sans", sans-serif'

STYLE = f"""
html {{font-family: {FONT_STACK}; font-size: 16px; line-height: 1.45; color: #1a1a1a; background: #ffffff;}}
body {{margin: 0;}}
header, main, footer {{max-width: 48rem; margin: 0 auto; padding: 0 1.25rem;}}
header {{padding-top: 1rem; color: #5a5a5a; font-size: .85rem; border-bottom: 1px solid #dddddd;}}
footer {{padding-bottom: 1.5rem; color: #5a5a5a; font-size: .85rem; border-top: 1px solid #dddddd; margin-top: 1.5rem;}}
h1 {{font-size: 1.9rem; line-height: 1.25; margin: 1.25rem 0 .3rem;}}
p.subtitle {{font-size: 1.1rem; color: #5a5a5a; margin: 0 0 1rem;}}
h2 {{font-size: 1.4rem; line-height: 1.3; margin: 1.6rem 0 .5rem; break-after: avoid;}}
h3 {{font-size: 1.1rem; line-height: 1.35; margin: 1.1rem 0 .25rem; break-after: avoid;}}
p {{margin: 0 0 .4rem;}}
p.small {{font-size: .85rem; color: #5a5a5a;}}
ul {{margin: 0 0 .5rem; padding-left: 1.4rem;}}
li {{margin-bottom: .2rem;}}
ul.legend {{list-style: none; padding: 0; margin: .3rem 0 .8rem; font-size: .9rem; width: auto !important;}}
ul.legend li {{display: inline-block; margin: 0 1.2rem .3rem 0;}}
.key {{display: inline-block; width: .6rem; height: .6rem; border: 2px solid; margin-right: .4rem;
  vertical-align: -.05rem;}}
.key.dot {{border-radius: 50%;}}
.key.diamond {{transform: rotate(45deg) scale(.85);}}
svg.strip {{display: block; margin: .3rem 0; width: 100%; height: auto;}}  /* scaled to the text column */
svg.strip text {{font-family: {FONT_STACK};}}
table {{table-layout: fixed; border-collapse: collapse; width: 100%; margin: .3rem 0 .8rem;}}
th, td {{text-align: left; vertical-align: top; padding: .25rem .5rem .25rem 0; border-bottom: 1px solid #dddddd;
  overflow-wrap: anywhere;}}
.keep {{break-inside: avoid;}}
@media print {{
  @page {{size: A4; margin: 18mm;}}
  html {{font-size: 9.5pt;}}
  header, main, footer {{max-width: none; padding: 0;}}
  .page-break {{break-before: page;}}
  a {{color: inherit; text-decoration: none;}}
}}
"""


def _text(text: str) -> str:
    return escape_html(for_html(text), quote=False)


def render_html(story: list, t: Translator, title: str, header: str) -> bytes:
    """The story as one HTML document, UTF-8 bytes: header and footer landmarks around the report's main."""
    body = "".join(block.html for block in story)
    document = (
        f'<!DOCTYPE html>\n<html lang="{t.lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_text(title)}</title>"
        f'<meta name="author" content="{escape_html(t("app.name"))}">'
        f"<style>{STYLE}</style></head>"
        f"<body><header><p>{_text(header)}</p></header><main>{body}</main>"
        f"<footer><p>{_text(t('pdf.footer'))}</p></footer></body></html>\n"
    )
    return document.encode("utf-8")

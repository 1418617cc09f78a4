"""The only users of plotly and the PDF libraries (WeasyPrint, reportlab's font reader): charts and reports."""

"""The only users of plotly and reportlab: the charts and the two PDFs."""

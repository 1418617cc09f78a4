"""Streamlit glue shared by app.py and the pages: session state, cached data, small renderers."""

"""The domain of the CIO-CMO alignment check: no Streamlit here, so every piece is testable alone."""

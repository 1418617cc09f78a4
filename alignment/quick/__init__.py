"""The quick check: one respondent's answers against the survey."""

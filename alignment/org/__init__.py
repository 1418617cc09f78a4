"""Organisation assessments: rounds, aggregates, significance, sentences, summary, exports."""

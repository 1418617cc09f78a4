"""The shared core: the questionnaire, context questions, texts and languages, statistics, method, recommendations."""

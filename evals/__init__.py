"""Tickmark evals: gold data, corpora and the eval runner."""

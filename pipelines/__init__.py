"""Dagster wiring only. The Definitions object lives in pipelines.definitions."""

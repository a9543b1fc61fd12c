"""Prefect orchestration of the vntopics pipeline stages (which live in `pipeline/`)."""

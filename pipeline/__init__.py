"""vntopics pipeline stages: plain functions and classes, no orchestration imports."""

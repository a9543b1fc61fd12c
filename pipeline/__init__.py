"""The stages of vntopics as plain functions and classes (no Prefect import), in data-path
order: `text` → `segment` → `model` → `compare` → `report` → `store`, configured by `config`.
Each subpackage's `__init__` names its entry points and what flows in and out."""

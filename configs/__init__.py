"""The default run configuration and stop-word lists, shipped as package data
(`vntopics.configs`); this folder is their editable source."""

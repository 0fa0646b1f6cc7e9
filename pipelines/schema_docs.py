"""Moved to assets/schema_docs.py (pipelines/ only composes); this name stays for branches still merging in."""

from assets.schema_docs import *  # noqa: F401,F403

"""Moved to assets/warehouse.py (pipelines/ only composes); this name stays for branches still merging in."""

from assets.warehouse import *  # noqa: F401,F403

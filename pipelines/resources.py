"""Moved to assets/resources.py (pipelines/ only composes); this name stays for branches still merging in."""

from assets.resources import *  # noqa: F401,F403

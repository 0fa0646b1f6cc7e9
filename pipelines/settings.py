"""Moved to assets/settings.py (pipelines/ only composes); this name stays for branches still merging in."""

from assets.settings import *  # noqa: F401,F403

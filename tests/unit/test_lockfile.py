"""requirements.lock (what `make setup` and CI install) must cover pyproject.toml: a dependency
added to pyproject without `make lock` would be missing on a fresh machine."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

PROJECT = Path(__file__).resolve().parents[2]


def locked() -> dict[str, Version]:
    text = (PROJECT / "requirements.lock").read_text()
    return {
        canonicalize_name(name): Version(version)
        for name, version in re.findall(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s\\;]+)", text, re.M)
    }


def declared() -> list[Requirement]:
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"]
    extras = project.get("optional-dependencies", {})
    return [Requirement(r) for r in [*project["dependencies"], *extras.get("test", []), *extras.get("lint", [])]]


def test_every_declared_dependency_is_locked_within_its_range():
    pins = locked()
    missing = [str(r) for r in declared() if canonicalize_name(r.name) not in pins]
    assert missing == [], f"not in requirements.lock (run `make lock`): {missing}"
    outside = [
        f"{r} locked at {pins[canonicalize_name(r.name)]}"
        for r in declared()
        if not r.specifier.contains(pins[canonicalize_name(r.name)], prereleases=True)
    ]
    assert outside == [], f"requirements.lock is outside pyproject's range (run `make lock`): {outside}"


def test_every_pin_carries_hashes():
    blocks = re.split(r"\n(?=[A-Za-z0-9_.\-]+==)", (PROJECT / "requirements.lock").read_text())
    unhashed = [b.split()[0] for b in blocks if "==" in b.split()[0] and "--hash=sha256:" not in b]
    assert unhashed == []

"""A source package whose parser is imported when first used.

Registering a source (its meta), discovering its files (its discover()) and a refresh with nothing
new never parse, so they should not pay for the parser's imports (pandas, openpyxl, geopandas:
about a second). A package names its parser's attributes and the submodule each comes from;
reading one imports that submodule. Python binds a submodule on its package when the submodule is
first imported, which would put the module `parse` where the function `parse` belongs: the package
keeps the function instead, as an eager `from .parse import parse` does.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any


class LazyPackage(types.ModuleType):
    _lazy: dict[str, str]

    def __getattr__(self, name: str) -> Any:  # only for names not bound yet
        submodule = self.__dict__.get("_lazy", {}).get(name)
        if submodule is None:
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
        module = importlib.import_module(submodule, self.__name__)
        value = getattr(module, name)
        self.__dict__[name] = value
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        if (
            name in self.__dict__.get("_lazy", {})
            and isinstance(value, types.ModuleType)
            and value.__name__ == f"{self.__name__}.{name}"
        ):
            value = getattr(value, name)  # the submodule `parse` is being bound: bind its parse()
        super().__setattr__(name, value)


def lazy_attributes(package: str, lazy: dict[str, str]) -> None:
    """Make the package's `lazy` attributes (name -> ".submodule") import when first read."""
    module = sys.modules[package]
    module.__dict__["_lazy"] = dict(lazy)
    module.__class__ = LazyPackage

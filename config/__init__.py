"""Configuration: YAML files in a directory, loaded into strict typed models.

`load_config(path)` returns a `Config`; any problem raises `ConfigError` listing every
problem found (file, key path, what is wrong) in Chinese.

The names below load on first use (PEP 562), so a command that only needs ConfigError, or
none of this, does not pay for pydantic and the models.
"""

from __future__ import annotations

import importlib

from yuqing.config.errors import ConfigError, Problem

_LAZY = {
    "DEFAULT_DIR": "loader", "DEMO_DIR": "loader", "load_config": "loader", "resolve_config_dir": "loader",
    "Config": "models", "Department": "models", "Place": "models", "Route": "models",
    "Routing": "models", "Source": "models", "Topic": "models", "Settings": "settings",
}

__all__ = ["ConfigError", "Problem", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(f"yuqing.config.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'yuqing.config' has no attribute {name!r}")

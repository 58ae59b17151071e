"""Configuration: YAML files in a directory, loaded into strict typed models.

`load_config(path)` returns a `Config`; any problem raises `ConfigError` listing every
problem found (file, key path, what is wrong) in Chinese.
"""

from config.errors import ConfigError, Problem
from config.loader import DEFAULT_DIR, DEMO_DIR, load_config, resolve_config_dir
from config.models import (
    Config,
    Department,
    Place,
    Route,
    Routing,
    Source,
    Topic,
)
from config.settings import Settings

__all__ = [
    "Config", "ConfigError", "DEFAULT_DIR", "DEMO_DIR", "Department", "Place", "Problem",
    "Route", "Routing", "Settings", "Source", "Topic", "load_config", "resolve_config_dir",
]

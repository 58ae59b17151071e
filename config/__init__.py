"""Configuration: YAML files in a directory, loaded into strict typed models.

`load_config(path)` returns a `Config`; any problem raises `ConfigError` listing every
problem found (file, key path, what is wrong) in Chinese.
"""

from yuqing.config.errors import ConfigError, Problem
from yuqing.config.loader import DEFAULT_DIR, DEMO_DIR, load_config, resolve_config_dir
from yuqing.config.models import (
    Config,
    Department,
    Place,
    Route,
    Routing,
    Source,
    Topic,
)
from yuqing.config.settings import Settings

__all__ = [
    "Config", "ConfigError", "DEFAULT_DIR", "DEMO_DIR", "Department", "Place", "Problem",
    "Route", "Routing", "Settings", "Source", "Topic", "load_config", "resolve_config_dir",
]

"""The app's config and database, as create_app stored them."""

from __future__ import annotations

from flask import Flask, current_app

from yuqing.config.models import Config
from yuqing.storage.db import Database


def store(app: Flask | None = None) -> tuple[Config, Database]:
    ext = (app or current_app).extensions["yuqing"]
    return ext["config"], ext["db"]

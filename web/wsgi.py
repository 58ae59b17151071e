"""WSGI entry point for a production server: `gunicorn web.wsgi:app` (config from $YUQING_CONFIG)."""

from yuqing.config import load_config
from yuqing.paths import private_files
from yuqing.storage.db import open_database
from yuqing.web import create_app

private_files()
_config = load_config()
app = create_app(_config, open_database(_config.settings.database.url))

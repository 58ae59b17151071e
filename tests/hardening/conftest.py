"""Hardening tests reuse the alert receivers and the dashboard's fixtures."""

from tests.alerts.conftest import alert_config, hook, smtp  # noqa: F401
from tests.web.conftest import app, client, scenario  # noqa: F401

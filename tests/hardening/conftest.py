"""Hardening tests reuse the alert receivers and fixtures."""

from tests.alerts.conftest import alert_config, hook, smtp  # noqa: F401

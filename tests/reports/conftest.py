"""Report fixtures: the scripted heating week, stored and detected."""

from __future__ import annotations

import pytest

from tests.reports.scenario import heating_event


@pytest.fixture
def scenario(db, default_config):
    return heating_event(db, default_config)

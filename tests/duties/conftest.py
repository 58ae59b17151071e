"""The demo's store after one cycle on the sample sites, at a pinned time: built once per
session (a crawl takes seconds), copied for each test so every test starts from it."""

from __future__ import annotations

import os
import shutil
from datetime import datetime

import pytest

from yuqing.timeutil import SHANGHAI

# A Wednesday morning: the heating complaints in 只楚街道 open a warning at 10:00 (较大 with the
# shipped severity table: the board, news and Weibo, but not the reach 重大 needs).
DEMO_AT = datetime(2025, 1, 15, 10, 0, tzinfo=SHANGHAI)
# the notices' signed links were signed when the snapshot was built: keep the key
SECRET = "duties-test-secret-0123456789abcdef"


def demo_cycle(home, monkeypatch_env: dict, sites=None, sources=None):
    from yuqing.app.cycle import run_cycle
    from yuqing.config import DEMO_DIR, load_config
    from yuqing.storage.db import open_database

    config = load_config(DEMO_DIR)
    db = open_database(f"sqlite:///{home / 'yuqing.db'}")
    report = run_cycle(config, db, sources=sources)
    assert not report.errors, report.errors
    return config, db


@pytest.fixture(scope="session")
def demo_snapshot(tmp_path_factory):
    from yuqing.sample_sites import SampleSites

    home = tmp_path_factory.mktemp("demo")
    saved = dict(os.environ)
    try:
        os.environ.update(YUQING_NOW=DEMO_AT.isoformat(), YUQING_HOME=str(home), YUQING_SECRET=SECRET)
        with SampleSites(now=DEMO_AT) as sites:
            os.environ.update(sites.env())
            config, db = demo_cycle(home, {})
            db.dispose()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return home / "yuqing.db"


@pytest.fixture
def demo(demo_snapshot, tmp_path, monkeypatch):
    """(config, db) on a private copy of the demo store; the CLI reads the same store."""
    from yuqing.config import DEMO_DIR, load_config
    from yuqing.storage.db import open_database

    path = tmp_path / "yuqing.db"
    shutil.copy(demo_snapshot, path)
    monkeypatch.setenv("YUQING_HOME", str(tmp_path))
    monkeypatch.setenv("YUQING_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("YUQING_CONFIG", str(DEMO_DIR))
    monkeypatch.setenv("YUQING_NOW", DEMO_AT.isoformat())
    monkeypatch.setenv("YUQING_SECRET", SECRET)
    db = open_database(f"sqlite:///{path}")
    yield load_config(DEMO_DIR), db
    db.dispose()


def heating_id(db) -> int:
    from sqlalchemy import select

    from yuqing.storage.models import Warning

    with db.session() as s:
        return s.scalar(select(Warning.id).where(Warning.topic_id == "heating", Warning.place_id == "zhichu"))

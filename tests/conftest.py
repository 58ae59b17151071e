"""Shared fixtures: real databases (SQLite, and PostgreSQL when YUQING_TEST_POSTGRES is set),
the bundled sample sites on loopback, a real SMTP server and a webhook receiver."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from yuqing.config import load_config
from yuqing.storage.db import Database

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
POSTGRES = os.environ.get("YUQING_TEST_POSTGRES")   # e.g. postgresql+psycopg://postgres@127.0.0.1/test

# a random-looking key long enough for yuqing.signing.check_secret (tests only)
TEST_SECRET = "t3st-0nly-5ecret-9f2c4e7a1b8d6053e2a9c7f14b0d8e6a"

BACKENDS = ["sqlite"] + (["postgres"] if POSTGRES else [])


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    """Every test gets its own YUQING_HOME and no inherited database URL."""
    monkeypatch.setenv("YUQING_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("YUQING_SECRET", TEST_SECRET)
    monkeypatch.delenv("YUQING_DATABASE_URL", raising=False)
    monkeypatch.delenv("YUQING_NOW", raising=False)


def _postgres_database() -> tuple[str, callable]:
    """A fresh schema per test on the shared server: isolated and cheap to drop."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in POSTGRES else "?"
    url = f"{POSTGRES}{sep}options=-csearch_path%3D{schema}"

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return url, drop


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    url, drop = _postgres_database()
    yield url
    drop()


@pytest.fixture
def db(db_url):
    database = Database(db_url)
    database.migrate()
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def default_config():
    return load_config("default")


@pytest.fixture(scope="session")
def sample_sites():
    from yuqing.sample_sites import SampleSites

    with SampleSites() as sites:
        yield sites


@pytest.fixture
def demo_config(sample_sites, monkeypatch):
    for key, value in sample_sites.env().items():
        monkeypatch.setenv(key, value)
    return load_config("demo")

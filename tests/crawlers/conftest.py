"""Crawler fixtures: the edge-case sites of tests/sample_sites/ (see edgesites.py), fast
politeness settings for our own loopback servers, and config directories for test sources."""

from __future__ import annotations

import pytest

from yuqing.crawlers.politeness import CrawlSettings
from edgesites import FAST, EdgeSites, write_config


@pytest.fixture(scope="session")
def _edge_sites():
    sites = EdgeSites().start()
    yield sites
    sites.stop()


@pytest.fixture
def edge_sites(_edge_sites):
    _edge_sites.reset()
    yield _edge_sites
    _edge_sites.reset()


@pytest.fixture
def fast_crawl() -> CrawlSettings:
    return FAST


@pytest.fixture
def config_dir(tmp_path):
    return lambda sources_yaml: write_config(tmp_path / "cfg", sources_yaml)

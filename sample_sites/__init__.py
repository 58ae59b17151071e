"""Bundled sample sites: a government portal, a GBK news site, an RSSHub Weibo feed, a
citizens' message board and a 人民网领导留言板 JSON interface about 芝罘区, served on loopback
addresses for the demo and the tests.

    with SampleSites(now=now) as sites:
        os.environ.update(sites.env())
        ...crawl sites.urls["portal"] ...
        sites.items()                      # what was served
    scripted_events(now)                   # what the analysis should find

Content is fixed (seeded); dates are relative to `now`, so the demo always looks current.
"""

from __future__ import annotations

import errno
from datetime import datetime
from typing import Mapping

from yuqing import timeutil
from yuqing.sample_sites.corpus import Corpus, build
from yuqing.sample_sites.model import DEFAULT_HOSTS, DEFAULT_PORT, SITES, Reply, SampleItem, ScriptedEvent
from yuqing.sample_sites.liuyan import LiuyanBoard
from yuqing.sample_sites.routes import Page, build_routes
from yuqing.sample_sites.server import SiteServer

__all__ = ["DEFAULT_HOSTS", "DEFAULT_PORT", "Reply", "SampleItem", "SampleSites", "ScriptedEvent",
           "default_urls", "scripted_events"]

ENV_NAMES = {site: f"YUQING_SAMPLE_{site.upper()}" for site in SITES}


def default_urls(port: int = DEFAULT_PORT, hosts: Mapping[str, str] | None = None) -> dict[str, str]:
    hosts = {**DEFAULT_HOSTS, **(hosts or {})}
    return {site: f"http://{hosts[site]}:{port}" for site in SITES}


def scripted_events(now: datetime | None = None, urls: Mapping[str, str] | None = None) -> list[ScriptedEvent]:
    """The scripted events for `now`; URLs use `urls` (default: the default hosts on port 8780)."""
    return build(now or timeutil.now()).scripted(urls or default_urls())


class SampleSites:
    """The sample sites on one port (each on its own loopback address)."""

    def __init__(self, now: datetime | None = None, port: int = 0, hosts: Mapping[str, str] | None = None,
                 latency: float = 0.0):
        self.now = timeutil.as_aware(now) if now is not None else timeutil.now()
        self.port = port
        self.hosts = {**DEFAULT_HOSTS, **(hosts or {})}
        self.latency = latency
        self.corpus: Corpus = build(self.now)
        self.liuyan = LiuyanBoard(self.now)
        self._servers: dict[str, SiteServer] = {}
        self._urls: dict[str, str] = {}            # of the last start(), kept after stop()

    # --- lifecycle ----------------------------------------------------------------------

    def start(self) -> "SampleSites":
        if self._servers:
            return self
        self._bind()
        self._urls = {site: f"http://{s.server_address[0]}:{s.server_address[1]}" for site, s in self._servers.items()}
        routes = build_routes(self.corpus, self.urls)
        routes["liuyan"] = {path: Page(body, kind) for path, (kind, body) in self.liuyan.routes().items()}
        for site, server in self._servers.items():
            server.routes = routes[site]
            if site == "liuyan":
                server.post = self.liuyan.post
            server.start()
        return self

    def stop(self) -> None:
        servers, self._servers = self._servers, {}
        for server in servers.values():
            server.stop()

    def __enter__(self) -> "SampleSites":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _bind(self) -> None:
        """Same port on every host; with port 0, retry until one port is free on all of them."""
        shared = len(set(self.hosts.values())) == len(SITES)
        if not shared and self.port:
            raise ValueError("hosts must differ when a fixed port is given (one port serves all the sites)")
        for _ in range(50):
            servers: dict[str, SiteServer] = {}
            port = self.port
            try:
                for site in SITES:
                    server = SiteServer((self.hosts[site], port if shared else 0), site, self.latency)
                    servers[site] = server
                    if shared and not port:
                        port = server.server_address[1]
            except OSError as exc:
                for server in servers.values():
                    server.server_close()
                if exc.errno == errno.EADDRINUSE and not self.port:
                    continue
                raise
            self._servers = servers
            return
        raise OSError(errno.EADDRINUSE, "no port free on all sample-site hosts")

    # --- what is served -----------------------------------------------------------------

    @property
    def urls(self) -> dict[str, str]:
        if self._urls:
            return dict(self._urls)
        if not self.port:
            raise RuntimeError("SampleSites not started: the port is picked by start()")
        return default_urls(self.port, self.hosts)

    def env(self) -> dict[str, str]:
        return {ENV_NAMES[site]: url for site, url in self.urls.items()}

    def reply(self, title: str, department: str, text: str, at: datetime) -> SampleItem:
        """A department answers a board message: from now on its page shows 答复单位、答复时间
        and 答复内容, so the next crawl (a later cycle) reads the reply."""
        item = next((i for i in self.corpus.site("board") if i.title == title), None)
        if item is None:
            raise KeyError(f"no board message titled {title!r}")
        item.reply = Reply(department, timeutil.as_aware(at), text)
        if self._servers:
            self._servers["board"].routes = build_routes(self.corpus, self.urls)["board"]
        return item

    def items(self) -> list[SampleItem]:
        """Every item served, with absolute URLs, oldest first."""
        return sorted(self.corpus.absolute(self.urls), key=lambda i: (i.published_at, i.url))

    def events(self) -> list[ScriptedEvent]:
        return self.corpus.scripted(self.urls)

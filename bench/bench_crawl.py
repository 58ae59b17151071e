"""Crawl throughput: crawl + extract + store, against a plain sequential `requests` loop.

    python bench/bench_crawl.py [--quick] [--sites N] [--articles N] [--latency 0.15]
                                [--jitter 0.05] [--delay SECONDS]

A generator server answers on several loopback addresses (127.0.0.10, .11, … count as
different sites), each a government-style column: list pages of 20 links with static
`index_N.html` paging, and article pages of ~30 KB. Every response waits 150 ms ± 50 ms.
The crawl runs the real runner (child process, Scrapy, extraction, SQLite store) with the
politeness settings we ship (crawlers.politeness.CrawlSettings defaults) unless --delay is
given; the baseline fetches the same URLs one after another with requests and does nothing
else with them. Both figures and their ratio are printed; the ratio is the number to compare.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from yuqing.config.loader import DEFAULT_DIR  # noqa: E402
from yuqing.crawlers.politeness import CrawlSettings  # noqa: E402

PER_LIST = 20
SENTENCES = ("芝罘区召开专题会议，研究部署冬季供暖保障工作，要求各街道逐户排查、及时回应群众诉求。",
             "会议指出，要坚持问题导向，对居民反映集中的小区实行“一小区一方案”，确保室温达标。",
             "区住建局相关负责人介绍，今年全区已完成老旧供热管网改造12.6公里，惠及居民8000余户。",
             "下一步，将建立供暖问题快速响应机制，畅通12345热线、民意直通车等反映渠道。",
             "各街道要压实属地责任，安排专人跟踪办理，做到件件有落实、事事有回音。")
NAV = "".join(f'<li><a href="/col/{i}/index.html">栏目{i}·政务公开</a></li>' for i in range(60))
RELATED = "".join(f'<li><a href="/art/r{i}.html">芝罘区开展第{i}批重点项目集中开工活动</a><span>2026-11-{i % 28 + 1:02d}</span></li>'
                  for i in range(80))


def article_page(site: int, n: int) -> bytes:
    rng = random.Random(site * 100_000 + n)
    paras = "".join(f"<p style=\"text-indent:2em;\">{rng.choice(SENTENCES)}{rng.choice(SENTENCES)}</p>"
                    for _ in range(rng.randint(8, 16)))
    title = f"芝罘区第{site}站第{n}号通知：冬季供暖保障工作部署"
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_芝罘区人民政府</title>'
            f'<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="2026-11-{n % 28 + 1:02d} 09:{n % 60:02d}">'
            f'</head><body><div class="nav"><ul>{NAV}</ul></div><div class="main article">'
            f'<div class="article-title">{title}</div><div class="article-info">发布时间：2026-11-{n % 28 + 1:02d} 09:{n % 60:02d}'
            f'　来源：区政府办公室</div><div id="zoom">{paras}</div>'
            f'<div class="related"><h3>相关链接</h3><ul>{RELATED}</ul></div></div>'
            f'<div class="footer">芝罘区人民政府办公室 主办　鲁ICP备05002356号</div></body></html>').encode()


def list_page(site: int, page: int, articles: int) -> bytes:
    pages = (articles + PER_LIST - 1) // PER_LIST
    first = page * PER_LIST
    links = "".join(f'<li><a href="/art/{n}.html">芝罘区第{site}站第{n}号通知：冬季供暖保障工作部署</a>'
                    f'<span>2026-11-{n % 28 + 1:02d}</span></li>' for n in range(first, min(first + PER_LIST, articles)))
    nav = " ".join(f'<a href="index{"" if k == 0 else f"_{k}"}.html">{k + 1}</a>' for k in range(pages))
    return (f'<html><head><meta charset="utf-8"><title>通知公告_芝罘区人民政府</title></head><body>'
            f'<ul class="list">{links}</ul><div class="pager">{nav}</div></body></html>').encode()


class GeneratorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, site: int, articles: int, latency: float, jitter: float):
        self.site, self.articles, self.latency, self.jitter = site, articles, latency, jitter
        self.served = 0
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # http.server writes the headers and the body separately: without TCP_NODELAY the body's last
    # segment waits for the client's delayed ACK, 40 ms on Linux, on every response (issue 18:
    # a steady 45 ms between an answer and the site's next request). Web servers set it.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def do_GET(self):
        srv = self.server
        time.sleep(max(0.0, random.uniform(srv.latency - srv.jitter, srv.latency + srv.jitter)))
        path = self.path
        body, status = b"", 200
        if path == "/robots.txt":
            body = b"User-agent: *\nDisallow: /admin/\n"
        elif path.startswith("/col/index"):
            stem = path.rsplit("/", 1)[1].removesuffix(".html")
            page = int(stem.split("_")[1]) if "_" in stem else 0
            body = list_page(srv.site, page, srv.articles)
        elif path.startswith("/art/") and path[5:-5].isdigit():
            body = article_page(srv.site, int(path[5:-5]))
        else:
            status, body = 404, b"not found"
        if path != "/robots.txt":
            srv.served += 1
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def start_servers(sites: int, articles: int, latency: float, jitter: float) -> list[GeneratorServer]:
    servers: list[GeneratorServer] = []
    port = 0
    for k in range(sites):
        server = GeneratorServer((f"127.0.0.{10 + k}", port), 10 + k, articles, latency, jitter)
        port = server.server_address[1]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    return servers


def urls_of(servers, articles: int) -> list[str]:
    pages = (articles + PER_LIST - 1) // PER_LIST
    out = []
    for srv in servers:
        base = f"http://{srv.server_address[0]}:{srv.server_address[1]}"
        out += [f"{base}/col/index{'' if k == 0 else f'_{k}'}.html" for k in range(pages)]
        out += [f"{base}/art/{n}.html" for n in range(articles)]
    return out


def run_crawl(servers, articles: int, crawl: CrawlSettings, workdir: Path) -> tuple[float, int, list]:
    from yuqing.crawlers.runner import crawl_in_subprocess
    from yuqing.storage.db import Database

    pages = (articles + PER_LIST - 1) // PER_LIST
    sources = "sources:\n" + "".join(
        f"  - id: site{s.site}\n    name: 测速站点{s.site}\n    kind: site\n"
        f"    urls: [\"http://{s.server_address[0]}:{s.server_address[1]}/col/index.html\"]\n"
        f"    allow_private: true\n    max_pages: {pages}\n" for s in servers)
    cfg = workdir / "cfg"
    cfg.mkdir()
    (cfg / "profile.yaml").write_text(f"extends: {DEFAULT_DIR}\n", encoding="utf-8")
    (cfg / "sources.yaml").write_text(sources, encoding="utf-8")
    db = Database(f"sqlite:///{workdir / 'bench.db'}")
    db.migrate()
    for s in servers:
        s.served = 0
    started = time.perf_counter()
    summaries = crawl_in_subprocess(str(cfg), db.url, crawl=crawl, timeout=7200)
    elapsed = time.perf_counter() - started
    db.dispose()
    return elapsed, sum(s.served for s in servers), summaries


def run_sequential(urls: list[str]) -> float:
    import requests

    session = requests.Session()
    started = time.perf_counter()
    for url in urls:
        session.get(url, timeout=30).content
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="4 sites x 30 articles")
    parser.add_argument("--sites", type=int, default=10)
    parser.add_argument("--articles", type=int, default=200, help="articles per site")
    parser.add_argument("--latency", type=float, default=0.15)
    parser.add_argument("--jitter", type=float, default=0.05)
    parser.add_argument("--delay", type=float, help="download_delay in seconds (default: shipped)")
    args = parser.parse_args(argv)
    if args.quick:
        args.sites, args.articles = 4, 30
    crawl = CrawlSettings() if args.delay is None else CrawlSettings(download_delay=f"{args.delay}s")
    servers = start_servers(args.sites, args.articles, args.latency, args.jitter)
    urls = urls_of(servers, args.articles)
    print(f"{len(urls)} pages on {args.sites} sites, latency {args.latency * 1000:.0f} ms "
          f"± {args.jitter * 1000:.0f} ms; nproc {os.cpu_count()}; "
          f"crawl: delay {crawl.download_delay.total_seconds()} s, "
          f"{crawl.concurrency_per_domain}/site, autothrottle {crawl.autothrottle}")
    with tempfile.TemporaryDirectory() as tmp:
        elapsed, served, summaries = run_crawl(servers, args.articles, crawl, Path(tmp))
    stored = sum(s.items_new for s in summaries)
    failed = sum(s.items_failed for s in summaries)
    seq = run_sequential(urls)
    crawl_rate, seq_rate = served / elapsed, len(urls) / seq
    print(f"{'':28}{'pages':>7}{'seconds':>10}{'pages/s':>10}")
    print(f"{'crawl + extract + store':28}{served:>7}{elapsed:>10.1f}{crawl_rate:>10.1f}"
          f"   ({stored} stored, {failed} failed, child start-up included)")
    print(f"{'sequential requests loop':28}{len(urls):>7}{seq:>10.1f}{seq_rate:>10.1f}")
    delay = crawl.download_delay.total_seconds()
    ceiling = f"politeness ceiling {args.sites / delay:.0f} pages/s" if delay else "no delay"
    print(f"ratio crawl / sequential: {crawl_rate / seq_rate:.2f}x   ({ceiling})")
    for srv in servers:
        srv.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())

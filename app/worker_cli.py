"""`yuqing worker analyse` and `yuqing worker crawl`: long-running workers for many machines.

Settings: the database from `--config` / YUQING_DATABASE_URL (PostgreSQL for more than one
worker), the Redis URL for crawlers from `--redis` / YUQING_REDIS_URL. See docs/scale.md.
"""

from __future__ import annotations

import os

from rich.console import Console

console = Console(highlight=False)


def cmd_analyse(args) -> int:
    from yuqing.analysis.worker import run_worker
    from yuqing.storage.configured import open_store

    config, db = open_store(args)
    if db.engine.dialect.name == "sqlite":
        console.print("SQLite 数据库：多个分析进程会轮流处理（安全但不并行）；并行分析请使用 PostgreSQL。")

    def report(done, total):
        console.print(f"分析 {done.analysed} 条（累计 {total.analysed} 条，负面 {total.negative} 条，"
                      f"新事件 {total.new_stories} 个）")

    total = run_worker(db, config, once=args.once, idle=args.idle, batch=args.batch,
                       on_batch=None if args.quiet else report)
    db.dispose()
    console.print(f"分析进程退出：本进程共分析 {total.analysed} 条")
    return 0


def cmd_crawl(args) -> int:
    from yuqing.crawlers.distributed import run_crawl_worker
    from yuqing.storage.configured import open_store

    redis_url = args.redis or os.environ.get("YUQING_REDIS_URL")
    if not redis_url:
        console.print("[red]未指定 Redis：请用 --redis redis://主机:6379/0 或环境变量 YUQING_REDIS_URL；"
                      "单机采集请直接用 yuqing crawl[/red]")
        return 2
    config, db = open_store(args)
    url = db.url
    db.dispose()
    try:
        import redis
        import scrapy_redis  # noqa: F401
    except ImportError:
        console.print("[red]分布式采集需要 scrapy-redis：pip install -e '.[distributed]'[/red]")
        return 2
    from yuqing.crawlers.runner import CrawlError

    try:
        return run_crawl_worker(config, url, redis_url, idle_exit=args.idle_exit,
                                source_ids=args.sources or None)
    except redis.exceptions.ConnectionError as exc:
        console.print(f"[red]无法连接 Redis（{redis_url}）：{exc}[/red]")
        return 2
    except CrawlError as exc:
        console.print(f"[red]{exc}[/red]")
        return 2


def register(subparsers) -> None:
    p = subparsers.add_parser("worker", help="长期运行的采集 / 分析进程（多机部署）/ workers")
    sub = p.add_subparsers(dest="worker_command", required=True, metavar="COMMAND")
    a = sub.add_parser("analyse", help="分析进程：可同时运行多个（PostgreSQL）")
    a.add_argument("--once", action="store_true", help="处理完当前待分析的信息后退出")
    a.add_argument("--idle", type=float, default=5.0, help="无待分析信息时的轮询间隔（秒）")
    a.add_argument("--batch", type=int, help="每批条数（默认取配置 analysis.batch_size）")
    a.add_argument("--quiet", action="store_true", help="不逐批输出")
    a.set_defaults(func=cmd_analyse)
    c = sub.add_parser("crawl", help="采集进程：经 Redis 共享请求队列和去重（scrapy-redis）")
    c.add_argument("sources", nargs="*", help="信息源 id（默认全部启用的）")
    c.add_argument("--redis", help="Redis 地址（默认 $YUQING_REDIS_URL）")
    c.add_argument("--idle-exit", type=float, default=0,
                   help="共享队列空闲这么多秒后退出（默认 0：一直运行）")
    c.set_defaults(func=cmd_crawl)

"""`yuqing worker analyse`: long-running workers for many machines.

Settings: the database from `--config` / YUQING_DATABASE_URL (PostgreSQL for more than one
worker), the Redis URL for crawlers from `--redis` / YUQING_REDIS_URL. See docs/scale.md.
"""

from __future__ import annotations

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


def register(subparsers) -> None:
    p = subparsers.add_parser("worker", help="长期运行的采集 / 分析进程（多机部署）/ workers")
    sub = p.add_subparsers(dest="worker_command", required=True, metavar="COMMAND")
    a = sub.add_parser("analyse", help="分析进程：可同时运行多个（PostgreSQL）")
    a.add_argument("--once", action="store_true", help="处理完当前待分析的信息后退出")
    a.add_argument("--idle", type=float, default=5.0, help="无待分析信息时的轮询间隔（秒）")
    a.add_argument("--batch", type=int, help="每批条数（默认取配置 analysis.batch_size）")
    a.add_argument("--quiet", action="store_true", help="不逐批输出")
    a.set_defaults(func=cmd_analyse)

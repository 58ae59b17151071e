"""`yuqing demo`: the whole system on the bundled sample sites, in a fresh SQLite store."""

from __future__ import annotations

import os
import shutil
from datetime import timedelta


from rich.console import Console

from yuqing.config import DEMO_DIR, load_config
from yuqing.reports.digest import build_digest
from yuqing.storage.db import open_database
from yuqing.paths import home
from yuqing.timeutil import now


def run_demo(console: Console, keep: bool = False, port: int = 0) -> int:
    from yuqing.app.cycle import print_report, run_cycle
    from yuqing.sample_sites import SampleSites

    demo_home = home() / "demo"
    if demo_home.exists() and not keep:
        shutil.rmtree(demo_home)
    demo_home.mkdir(parents=True, exist_ok=True)
    os.environ["YUQING_HOME"] = str(demo_home)
    db_url = f"sqlite:///{demo_home / 'yuqing.db'}"
    os.environ["YUQING_DATABASE_URL"] = db_url
    with SampleSites(port=port) as sites:
        os.environ.update(sites.env())
        console.print(f"[bold]示例网站已启动：[/bold]{'，'.join(sites.urls.values())}")
        config = load_config(DEMO_DIR)
        db = open_database(db_url)
        _import_hotline(console, config, db, demo_home, sites.now)
        with console.status("正在运行一个完整周期：采集 → 分析 → 预警 → 分发 …"):
            report = run_cycle(config, db)
    print_report(console, report)
    # the last day, whatever the hour: a newcomer sees every channel's part in it
    digest = build_digest(db, config, since=now() - timedelta(hours=24))
    digest_path = demo_home / "digest.md"
    digest_path.write_text(digest.markdown(), encoding="utf-8")
    (demo_home / "digest.html").write_text(digest.html(), encoding="utf-8")
    print(digest.markdown(), flush=True)   # plain: rich would re-wrap long link lines
    console.print("[bold]文件位置[/bold]")
    console.print(f"  数据库：{demo_home / 'yuqing.db'}")
    console.print(f"  值班摘要：{digest_path}（HTML：{demo_home / 'digest.html'}）")
    console.print(f"  各部门收到的通知：{demo_home / 'deliveries'}/")
    for error in report.errors:
        console.print(f"[red]{error}[/red]")
    db.dispose()
    return 1 if report.errors or not digest.new else 0


def _import_hotline(console: Console, config, db, demo_home, at) -> None:
    """A district also has its 12345 work orders: import the sample export, as
    `yuqing import 12345 文件.xlsx` would, so the digest shows that channel too."""
    from yuqing.app.imports import import_path
    from yuqing.sample_sites.hotline import write_hotline_xlsx

    path = write_hotline_xlsx(demo_home / "12345工单.xlsx", at)
    report = import_path(config, db, "12345", path)
    console.print(f"[bold]已导入 12345 工单：[/bold]{path.name}，新增 {report.new} 条"
                  f"（yuqing import 12345 {path}）")
    for error in report.errors:
        console.print(f"[red]{error.row}：{error.message}[/red]")

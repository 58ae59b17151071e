"""`yuqing import KIND PATH [--json]`: 12345 work orders, MediaCrawler output."""

from __future__ import annotations

import json


def register(sub) -> None:
    p = sub.add_parser("import", help="导入 12345 工单或 MediaCrawler 输出 / import files",
                       description="yuqing import 12345 工单.xlsx|工单.csv；"
                                   "yuqing import mediacrawler MediaCrawler的data目录")
    p.add_argument("kind", choices=["12345", "mediacrawler"], help="12345 或 mediacrawler")
    p.add_argument("path", help="文件（12345：.xlsx/.csv）或目录（mediacrawler）")
    p.add_argument("--source", help="存入的信息源 id（默认 import-12345 / mediacrawler-平台）")
    p.add_argument("--json", action="store_true", help='输出 {"new","updated","unchanged","errors"}')
    p.set_defaults(func=cmd_import)


def cmd_import(args) -> int:
    from pathlib import Path

    from rich.console import Console

    from yuqing.app.imports import import_path
    from yuqing.storage.configured import open_store

    config, db = open_store(args)
    report = import_path(config, db, args.kind, Path(args.path), args.source)
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        console = Console(highlight=False)
        console.print(f"导入 {args.path}：新增 {report.new} 条，更新 {report.updated} 条，"
                      f"未变 {report.unchanged} 条，错误 {len(report.errors)} 条")
        for error in report.errors[:50]:
            console.print(f"  [red]✗[/red] {error.row}：{error.message}")
        if len(report.errors) > 50:
            console.print(f"  …另有 {len(report.errors) - 50} 条错误（用 --json 查看全部）")
        if report.new or report.updated:
            console.print("运行 yuqing analyse（或等调度程序）后，这些内容进入分析、预警和摘要。")
    return 1 if report.errors else 0

"""The `yuqing` command. Each stage is a subcommand; the scheduler runs the same functions."""

from __future__ import annotations

import argparse
import importlib
import sys

# Officers and scripts call the CLI many times a day, so it imports only what the command in
# hand needs: this module imports nothing heavy at load, and each area's subcommands are
# loaded only when named. COMMANDS lists them (name -> module with register(subparsers), and
# the help line shown by `yuqing --help` without importing the module).
COMMANDS = {
    "extract": ("yuqing.crawlers.extract_cli", "抽取单个文章页（保存的文件或网址）"),
    "sentiment": ("yuqing.analysis.sentiment_cli", "情感打分 / 训练 / 评估（sentiment train|eval ...）"),
    "topics": ("yuqing.analysis.topics_cli", "主题分类器：train 重建 / explain 解释一条文本"),
    "route": ("yuqing.alerts.cli", "分发规则 / routing"),
    "warnings": ("yuqing.alerts.cli", "预警的签收、回应、关闭、退回、改派 / warning actions"),
    "report": ("yuqing.reports.cli", "报告 / reports"),
    "web": ("yuqing.web.cli", "值班与处置平台 / dashboard"),
    "users": ("yuqing.web.cli", "平台用户 / dashboard users"),
    "status": ("yuqing.app.status_cli", "运行状态：调度、任务、信息源、通知队列 / health"),
    "source": ("yuqing.crawlers.source_cli", "添加、检查信息源 / add and check sources"),
    "events": ("yuqing.analysis.events_cli", "事件 / events: mentions grouped by real-world matter"),
    "api-token": ("yuqing.web.api_cli", "接口令牌（JSON 接口与 /metrics）/ API tokens"),
    "worker": ("yuqing.app.worker_cli", "长期运行的采集 / 分析进程（多机部署）/ workers"),
    "import": ("yuqing.app.import_cli", "导入 12345 工单或 MediaCrawler 输出 / import files"),
}


class _Console:
    """rich's Console, created on first use (importing rich costs more than `--help` may)."""

    _real = None

    def __getattr__(self, name):
        if _Console._real is None:
            from rich.console import Console

            _Console._real = Console(highlight=False)
        return getattr(_Console._real, name)


console = _Console()


def _db(args):
    from yuqing.storage.configured import open_store

    return open_store(args)


def print_config_problems(console, exc) -> None:
    from yuqing.app.clitools import print_config_problems as show

    show(console, exc)


def parse_since(text: str):
    from yuqing.app.clitools import parse_since as parse

    return parse(text)


def cmd_config_check(args) -> int:
    from yuqing.config import ConfigError, load_config

    try:
        config = load_config(args.dir or args.config)
    except ConfigError as exc:
        print_config_problems(console, exc)
        return 2
    console.print(f"配置检查通过：{config.directory}")
    console.print(f"  信息源 {len(config.sources)} 个（未核实 {sum(not s.verified for s in config.sources)} 个），"
                  f"主题 {len(config.topics)} 个，地点 {len(config.places)} 个，部门 {len(config.departments)} 个")
    from yuqing.analysis.topic_decision import broad_rule_messages
    from yuqing.config.checks import advisories

    notes = advisories(config) + broad_rule_messages(config.topics)
    for note in notes:
        console.print(f"  [yellow]提醒：{note}[/yellow]", markup=True, highlight=False)
    return 0


def cmd_demo(args) -> int:
    from yuqing.app.demo import run_demo

    return run_demo(console, keep=args.keep, port=args.port)


def cmd_crawl(args) -> int:
    from yuqing.crawlers.cli_progress import crawl_with_progress
    from yuqing.crawlers.runner import CrawlError

    config, db = _db(args)
    try:
        summaries = crawl_with_progress(console, config, db.url, args.sources or None)
    except CrawlError as exc:
        console.print(f"[red]{exc}[/red]")
        return 1
    return 1 if any(s.status == "failed" for s in summaries) else 0


def cmd_analyse(args) -> int:
    from yuqing.analysis.stage import analyse_pending

    config, db = _db(args)
    s = analyse_pending(db, config)
    console.print(f"分析 {s.analysed} 条，负面 {s.negative} 条，新转载组 {s.new_stories} 个，新事件 {s.new_events} 个")
    return 0


def cmd_detect(args) -> int:
    from yuqing.alerts.detect import detect

    config, db = _db(args)
    s = detect(db, config)
    console.print(f"发现 {len(s.findings)} 项，新开预警 {s.opened} 条，更新 {s.updated} 条，回落 {s.subsided} 条"
                  + (f"，记录官方通报 {s.responses} 条" if s.responses else ""))
    for note in s.notes:
        console.print(f"注意：{note}")
    return 0


def cmd_deliver(args) -> int:
    from yuqing.alerts.deliver import send_due
    from yuqing.alerts.escalate import escalate_overdue

    config, db = _db(args)
    escalated = escalate_overdue(db, config)
    s = send_due(db, config)
    console.print(f"上报 {escalated} 项；发送 {s.sent} 条，待重试 {s.failed} 条，放弃 {s.gave_up} 条，静默暂缓 {s.held} 条")
    return 0


def cmd_cycle(args) -> int:
    from yuqing.app.cycle import failed_sources, print_report, run_cycle

    config, db = _db(args)
    with console.status("正在运行一个完整周期：采集 → 分析 → 预警 → 分发 …"):
        report = run_cycle(config, db, args.sources or None)
    print_report(console, report)
    return 1 if report.errors or failed_sources(report) else 0


def cmd_digest(args) -> int:
    from yuqing.reports.digest import build_digest

    config, db = _db(args)
    digest = build_digest(db, config, since=parse_since(args.since) if args.since else None)
    if args.send:
        from yuqing.alerts.deliver import send_due
        from yuqing.reports.dispatch import queue_digest

        queued = queue_digest(db, config, digest)
        sent = send_due(db, config)
        console.print(f"值班摘要已加入发件箱 {queued} 份（本班次已发过的不再重复）；本次发送 {sent.sent} 条")
        return 0
    text = digest.html() if args.html else digest.markdown()
    if args.out:
        with open(args.out, "w", encoding="utf-8") as out:
            out.write(text)
        console.print(f"已写入 {args.out}")
    else:
        print(text)
    return 0


def cmd_db_upgrade(args) -> int:
    config, db = _db(args)
    console.print(f"数据库已是最新结构：{db.url}")
    return 0


def cmd_db_rollups(args) -> int:
    """Detection's hourly rollups: how far they are, and a rebuild from the mentions."""
    from sqlalchemy import func, select

    from yuqing.storage.rollups import MentionRollup, catch_up, pending, rebuild
    from yuqing.timeutil import SHANGHAI

    config, db = _db(args)
    if args.rebuild:
        def progress(at, end):
            console.print(f"  已汇总到 {at.astimezone(SHANGHAI):%Y-%m-%d %H:%M}", end="\r")

        hours, rows = rebuild(db.engine, progress)
        console.print(f"已按信息重建汇总：{hours} 小时，{rows} 行")
    waiting = pending(db.engine)
    done = catch_up(db.engine) if args.catch_up else 0
    with db.session() as s:
        rows, first, last = s.execute(select(func.count(), func.min(MentionRollup.hour),
                                             func.max(MentionRollup.hour))).one()
    span = (f"，{first.astimezone(SHANGHAI):%Y-%m-%d %H时} 至 {last.astimezone(SHANGHAI):%Y-%m-%d %H时}"
            if first else "")
    console.print(f"逐小时汇总 {rows} 行{span}；待更新的变动 {waiting} 条"
                  + (f"，已更新 {done} 个小时" if args.catch_up else "（检测时自动更新）"))
    return 0


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="yuqing", description="舆情监测：采集、分析、预警、分发、报告")
    parser.add_argument("--config", help="配置目录（默认 $YUQING_CONFIG 或内置的芝罘区配置；demo 为演示配置）")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("config", help="配置相关 / configuration")
    csub = p.add_subparsers(dest="config_command", required=True)
    check = csub.add_parser("check", help="检查配置 / validate a config directory")
    check.add_argument("dir", nargs="?")
    check.set_defaults(func=cmd_config_check)

    p = sub.add_parser("demo", help="在示例网站上运行一次完整流程 / run the demo")
    p.add_argument("--keep", action="store_true", help="保留上次演示的数据")
    p.add_argument("--port", type=int, default=0, help="示例网站端口（默认随机）")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("crawl", help="采集 / collect from sources")
    p.add_argument("sources", nargs="*", help="信息源 id（默认全部启用的）")
    p.set_defaults(func=cmd_crawl)
    sub.add_parser("analyse", help="分析 / score new mentions").set_defaults(func=cmd_analyse)
    sub.add_parser("detect", help="预警检测 / detect spikes").set_defaults(func=cmd_detect)
    sub.add_parser("deliver", help="上报与发送通知 / escalate and deliver").set_defaults(func=cmd_deliver)
    p = sub.add_parser("cycle", help="完整运行一个周期 / one full cycle")
    p.add_argument("sources", nargs="*")
    p.set_defaults(func=cmd_cycle)
    p = sub.add_parser("digest", help="值班摘要 / duty digest")
    p.add_argument("--since", help="起始时间：ISO 时间或 12h、2d 这样的时长（默认 12 小时）")
    p.add_argument("--html", action="store_true")
    p.add_argument("--out")
    p.add_argument("--send", action="store_true", help="发送给值班室的通知渠道（每个班次一次）")
    p.set_defaults(func=cmd_digest)
    p = sub.add_parser("db", help="数据库 / database")
    dsub = p.add_subparsers(dest="db_command", required=True)
    dsub.add_parser("upgrade", help="迁移到最新结构").set_defaults(func=cmd_db_upgrade)
    r = dsub.add_parser("rollups", help="检测用的逐小时汇总：状态、更新、重建")
    r.add_argument("--catch-up", action="store_true", help="现在就按变动更新（检测每次都会先做）")
    r.add_argument("--rebuild", action="store_true", help="按库中全部信息重建（修复用；检测照常进行）")
    r.set_defaults(func=cmd_db_rollups)

    # without argv, the complete parser; with it, only the named command's module is loaded
    wanted = None if argv is None else _command_word(argv)
    for module in dict.fromkeys(m for m, _ in COMMANDS.values()):
        if argv is None or COMMANDS.get(wanted, (None,))[0] == module:
            importlib.import_module(module).register(sub)
        else:      # a placeholder that only shows in `yuqing --help`
            for name, (owner, helptext) in COMMANDS.items():
                if owner == module:
                    sub.add_parser(name, help=helptext, add_help=False)
    return parser


def _command_word(argv: list[str]) -> str | None:
    """The subcommand named on the command line (after global options), or None."""
    words = list(argv)
    while words:
        word = words.pop(0)
        if word == "--config":
            words = words[1:]
        elif not word.startswith("-"):
            return word
    return None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(argv).parse_args(argv)
    from yuqing.paths import private_files

    private_files()
    from yuqing.config.errors import ConfigError
    from yuqing.signing import SecretError

    try:
        return args.func(args)
    except ConfigError as exc:
        print_config_problems(console, exc)
        return 2
    except SecretError as exc:
        from rich.markup import escape

        console.print(f"[red]{escape(str(exc))}[/red]")
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

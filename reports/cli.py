"""`yuqing report weekly`: the weekly trend report as HTML and PDF."""

from __future__ import annotations

from rich.console import Console

console = Console(highlight=False)


def cmd_weekly(args) -> int:
    from yuqing.reports.fonts import FontMissing
    from yuqing.reports.weekly import ReportError, build_weekly
    from yuqing.storage.configured import open_store

    config, db = open_store(args)
    try:
        with console.status("正在生成周报…"):
            report = build_weekly(db, config, args.week, notes=args.notes)
            written = report.write(args.out, pdf=not args.no_pdf)
    except (ReportError, FontMissing) as exc:
        console.print(f"[red]{exc}[/red]")
        return 2
    for path in written:
        console.print(f"已写入 {path}", soft_wrap=True)
    if not report.notes:
        console.print(f"提示：研判与建议尚未填写；写入 {report.notes_file} 后重新生成即可。", soft_wrap=True)
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("report", help="报告 / reports")
    rsub = p.add_subparsers(dest="report_command", required=True, metavar="KIND")
    weekly = rsub.add_parser("weekly", help="舆情周报（HTML 与 PDF）/ weekly trend report")
    weekly.add_argument("--week", help="ISO 周，如 2024-W27（默认上一个完整周）")
    weekly.add_argument("--out", required=True, help="输出目录 / output directory")
    weekly.add_argument("--no-pdf", action="store_true", help="只生成 HTML")
    weekly.add_argument("--notes", help="研判与建议文件（默认 $YUQING_HOME/reports/研判与建议-<周次>.md）")
    weekly.set_defaults(func=cmd_weekly)

"""`yuqing status [--json]`: the scheduler, each job, each source, the outbox, and problems."""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table

from yuqing.reports.health import SystemStatus, collect, problems, span
from yuqing.timeutil import fmt

STATUS_ZH = {"ok": "成功", "failed": "失败", "timeout": "超时", "skipped": "跳过",
             "interrupted": "中断", "running": "运行中", "never": "未运行", "partial": "部分成功"}


def _seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} 秒"


def render(console: Console, status: SystemStatus, found: list[str]) -> None:
    lease = status.lease
    if lease is None:
        console.print("[red]调度程序：从未运行[/red]")
    elif status.scheduler_running:
        console.print(f"[green]调度程序：运行中[/green]（{lease.host} 进程 {lease.pid}，"
                      f"最后心跳 {fmt(lease.heartbeat_at, '%H:%M:%S')}，自 {fmt(lease.acquired_at)} 起）")
    else:
        console.print(f"[red]调度程序：已停止[/red]（最后心跳 {fmt(lease.heartbeat_at)}，"
                      f"{span(status.at - lease.heartbeat_at)}前）")

    jobs = Table(title="任务", title_justify="left")
    for col in ("任务", "最近运行", "结果", "耗时", "延迟", "连续失败", "下次运行"):
        jobs.add_column(col)
    for j in status.jobs:
        style = "red" if j.status in ("failed", "timeout") else ""
        result = STATUS_ZH.get(j.status, j.status)
        if j.attempt > 1:
            result += f"（补跑，第 {j.attempt} 次）"
        jobs.add_row(j.label, fmt(j.started_at, "%m-%d %H:%M:%S"),
                     f"[{style}]{result}[/{style}]" if style else result,
                     _seconds(j.duration), _seconds(j.lag), str(j.failures or ""),
                     fmt(j.next_run_at, "%m-%d %H:%M:%S"))
    console.print(jobs)

    sources = Table(title="信息源", title_justify="left")
    for col in ("信息源", "最近采集", "结果", "新增", "最近成功", "连续失败", "错误"):
        sources.add_column(col)
    for s in status.sources:
        sources.add_row(s.name, fmt(s.last_run_at), STATUS_ZH.get(s.last_status, s.last_status),
                        str(s.last_new), fmt(s.last_success_at), str(s.failures or ""),
                        s.last_error[:60])
    console.print(sources)

    if status.duties:
        duties = Table(title="各部门本单位职责（近 7 天开启的预警，按本单位时限）", title_justify="left")
        for col in ("部门", "承办", "按时签收", "签收超时", "签收未到期", "按时回应", "回应超时", "回应未到期"):
            duties.add_column(col)
        for d in status.duties:
            late = "red" if d.ack_late or d.respond_late else ""
            duties.add_row(d.name, str(d.duties), f"{d.ack_on_time}/{d.duties}",
                           f"[{late}]{d.ack_late}[/{late}]" if late else str(d.ack_late), str(d.ack_pending),
                           f"{d.respond_on_time}/{d.must_respond}" if d.must_respond else "无回应职责",
                           f"[{late}]{d.respond_late}[/{late}]" if late else str(d.respond_late),
                           str(d.respond_pending))
        console.print(duties)

    if status.slots:
        console.print("被中断的定时运行（近 7 天的值班摘要与周报；调度程序启动时在宽限期内自动补跑）：")
        for slot in status.slots:
            steps = []
            for a in slot.attempts:
                what = "首次运行" if a.attempt == 1 else f"补跑（第 {a.attempt} 次）"
                why = f"：{a.detail.splitlines()[0]}" if a.status == "interrupted" and a.detail else ""
                steps.append(f"{what} {fmt(a.started_at, '%m-%d %H:%M:%S')} "
                             f"{STATUS_ZH.get(a.status, a.status)}{why}")
            if slot.lost:
                steps.append("未补跑")
            console.print(f"  • {slot.label}（计划 {fmt(slot.slot)}）：" + "；".join(steps),
                          markup=False)

    box = status.outbox
    console.print(f"通知队列：待发送 {box.pending} 条，发送中 {box.sending} 条，已放弃 {box.failed} 条"
                  + (f"；最早待发送自 {fmt(box.oldest_due_at)} 起" if box.oldest_due_at else ""))
    if found:
        console.print("[bold red]需要处理的问题：[/bold red]")
        for line in found:
            console.print(f"  • {line}")
    else:
        console.print("[green]未发现问题。[/green]")


def cmd_status(args) -> int:
    from yuqing.storage.configured import open_store

    config, db = open_store(args)
    try:
        status = collect(db, config)
    finally:
        db.dispose()
    found = problems(status)
    if args.json:
        print(json.dumps({**status.to_dict(), "problems": found}, ensure_ascii=False, indent=2))
    else:
        render(Console(highlight=False), status, found)
    return 1 if found else 0


def register(subparsers) -> None:
    p = subparsers.add_parser("status", help="运行状态：调度、任务、信息源、通知队列 / health")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_status)

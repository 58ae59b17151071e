"""`yuqing events list|show|rebuild`: events (事件) from the command line, as tables or JSON."""

from __future__ import annotations

import json
import sys

from rich.console import Console

console = Console(highlight=False)


def _since(text: str | None):
    from yuqing.config.types import parse_since

    return parse_since(text) if text else None


def _open(args):
    from yuqing.storage.configured import open_store

    return open_store(args)


def _print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def cmd_list(args) -> int:
    from rich.table import Table

    from yuqing.analysis.event_facts import FactReader
    from yuqing.analysis.event_view import event_detail, list_events
    from yuqing.timeutil import fmt, now

    config, db = _open(args)
    since = _since(args.since)
    at = now()
    reader = FactReader(config)
    with db.session() as s:
        events = list_events(s, since, limit=args.limit, min_mentions=args.min_mentions)
        details = [event_detail(s, config, reader, e, at) for e in events]
        if args.json:
            _print_json([d.as_json() for d in details])
            return 0
        table = Table(title=f"事件（{'近' + args.since if args.since else '全部'}，按加权负面量排序）")
        for col in ("编号", "状态", "标题", "领域", "地点", "首发", "信息", "负面", "作者", "渠道"):
            table.add_column(col)
        for d in details:
            e = d.event
            first = f"{fmt(d.first.when, '%m-%d %H:%M')} {d.first.source}" if d.first else "—"
            place = d.place + (f"（{'、'.join(e.communities)}）" if e.communities else "")
            table.add_row(str(e.id), d.status, e.title, d.topic, place, first, str(e.mentions),
                          str(e.negative), str(e.authors), "、".join(d.channel_counts))
        console.print(table)
    return 0


def cmd_show(args) -> int:
    from yuqing.analysis.event_facts import FactReader
    from yuqing.analysis.event_view import event_detail, resolve
    from yuqing.timeutil import fmt, now

    config, db = _open(args)
    with db.session() as s:
        e = resolve(s, args.id)
        if e is None:
            console.print(f"[red]事件 {args.id} 不存在[/red]")
            return 1
        d = event_detail(s, config, FactReader(config), e, now())
        if args.json:
            _print_json(d.as_json())
            return 0
        place = d.place + (f"（{'、'.join(e.communities)}）" if e.communities else "")
        console.print(f"事件 #{e.id}【{d.status}】{e.title}")
        console.print(f"领域：{d.topic}　地点：{place}　时间：{fmt(e.first_seen_at)} 至 {fmt(e.last_seen_at)}")
        console.print(f"信息 {e.mentions} 条（负面 {e.negative}，转载组 {e.stories}），信息源 {e.sources} 个，"
                      f"渠道 {e.channels} 个，作者 {e.authors} 人")
        if d.first:
            console.print(f"首发：{fmt(d.first.when)} {d.first.source}《{d.first.title}》 {d.first.url}")
        console.print("传播路径：" + " → ".join(step.label() for step in d.spread))
        for chain in d.chains:
            console.print(f"  {chain[0]}：{' → '.join(chain[1:])}")
        for m in d.responses:
            console.print(f"官方通报/回应：{fmt(m.when)} {m.source}《{m.title}》 {m.url}")
        console.print("摘要：")
        for x in e.summary or []:
            console.print(f"  {x['text']}（{x.get('source', '')} {x['url']}）")
        console.print("全部信息：")
        for m in d.mentions:
            console.print(f"  {fmt(m.when, '%m-%d %H:%M')}  {m.source}  {m.title}  {m.url}")
    return 0


def cmd_rebuild(args) -> int:
    """Group every analysed mention that has no event yet (after an upgrade, or a back-fill)."""
    from yuqing.analysis.event_rebuild import group_ungrouped

    config, db = _open(args)
    done = group_ungrouped(db, config)
    console.print(f"已归入事件 {done.assigned} 条，新事件 {done.opened} 个，合并 {done.merged} 次，"
                  f"无内容跳过 {done.skipped} 条")
    return 0


def register(sub) -> None:
    p = sub.add_parser("events", help="事件 / events: mentions grouped by real-world matter")
    esub = p.add_subparsers(dest="events_command", required=True)
    ls = esub.add_parser("list", help="列出事件 / list events, weightiest first")
    ls.add_argument("--since", help="只看此后仍有信息的事件：24h、7d 或 ISO 时间")
    ls.add_argument("--json", action="store_true", help="输出 JSON")
    ls.add_argument("--limit", type=int, default=30)
    ls.add_argument("--min-mentions", type=int, default=1, help="至少多少条信息")
    ls.set_defaults(func=cmd_list)
    sh = esub.add_parser("show", help="查看一个事件 / one event with its spread path and mentions")
    sh.add_argument("id", type=int)
    sh.add_argument("--json", action="store_true", help="输出 JSON")
    sh.set_defaults(func=cmd_show)
    rb = esub.add_parser("rebuild", help="为尚未归入事件的已分析信息分组 / group ungrouped mentions")
    rb.set_defaults(func=cmd_rebuild)

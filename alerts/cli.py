"""CLI for routing checks (route test); the warning commands live in warnings_cli.py."""

from __future__ import annotations

from rich.console import Console

from yuqing.config import load_config
from yuqing.config.types import SEVERITIES

console = Console(highlight=False)


def _lookup(items, value: str | None, what: str, config_file: str):
    """Accept an id or a Chinese name (e.g. heating / 冬季供暖, zhichu / 只楚街道)."""
    if value is None:
        return None
    for item in items:
        if value in (item.id, item.name) or value in getattr(item, "aliases", []):
            return item.id
    choices = "、".join(f"{i.id}（{i.name}）" for i in items)
    raise SystemExit(f"未知的{what}“{value}”，请检查 {config_file}。可用：{choices}")


def cmd_route_test(args) -> int:
    from yuqing.alerts.route import RouteQuery, explain

    config = load_config(args.config)
    if args.severity not in SEVERITIES:
        raise SystemExit(f"未知的预警级别“{args.severity}”，应为：{'、'.join(SEVERITIES)}")
    topic = _lookup(config.topics, args.topic, "主题", "topics.yaml")
    place = _lookup(config.places, args.place, "地点", "places.yaml")
    kinds = ()
    if args.source:
        source = config.source(_lookup(config.sources, args.source, "信息源", "sources.yaml"))
        kinds = (source.kind,)
    query = RouteQuery(topic, place, args.severity, kinds, (args.source,) if args.source else ())
    console.print(f"主题：{topic or '无'}　地点：{place or '无'}　级别：{args.severity}")
    print(explain(config, query))
    return 0


def register(sub) -> None:
    p = sub.add_parser("route", help="分发规则 / routing")
    rsub = p.add_subparsers(dest="route_command", required=True)
    t = rsub.add_parser("test", help="显示某一预警会发给谁以及原因 / who would receive")
    t.add_argument("--topic", help="主题 id 或名称，如 heating / 冬季供暖")
    t.add_argument("--place", help="地点 id 或名称，如 zhichu / 只楚街道")
    t.add_argument("--severity", default="一般", help="一般 / 较大 / 重大 / 特别重大")
    t.add_argument("--source", help="信息源 id")
    t.set_defaults(func=cmd_route_test)

    from yuqing.alerts.warnings_cli import register_warnings

    register_warnings(sub)

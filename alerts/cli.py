"""CLI for routing checks and the warning life cycle: route test, warnings list/ack/respond/close/reassign."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from yuqing.alerts.states import STATUS_NAMES as STATUS
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


def _open(args):
    from yuqing.storage.configured import open_store

    return open_store(args)


def cmd_list(args) -> int:
    from yuqing.storage.models import Warning
    from yuqing.timeutil import fmt

    config, db = _open(args)
    names = {d.id: d.name for d in config.departments}
    table = Table(title="预警")
    for col in ("编号", "级别", "状态", "标题", "接收部门", "回应时限"):
        table.add_column(col)
    with db.session() as s:
        query = select(Warning).order_by(Warning.id.desc())
        if args.status:
            query = query.where(Warning.status == args.status)
        elif not args.all:
            query = query.where(Warning.status != "closed")
        for w in s.scalars(query):
            depts = "、".join(f"{names.get(a.department_id, a.department_id)}({a.role})"
                              for a in w.assignments if a.active)
            if args.department and not any(a.department_id == args.department and a.active
                                           for a in w.assignments):
                continue
            table.add_row(str(w.id), w.severity, STATUS.get(w.status, w.status), w.title, depts, fmt(w.respond_by))
    console.print(table)
    return 0


def cmd_show(args) -> int:
    """One warning: deadlines, receivers, deliveries and the whole history (who, when)."""
    from yuqing.storage.models import Delivery, Warning
    from yuqing.alerts.channels import redact
    from yuqing.signing import warning_link
    from yuqing.timeutil import fmt

    config, db = _open(args)
    names = {d.id: d.name for d in config.departments}
    with db.session() as s:
        w = s.get(Warning, args.id)
        if w is None:
            console.print(f"[red]预警 {args.id} 不存在[/red]")
            return 1
        console.print(f"预警 #{w.id}【{w.severity}】{w.title}")
        console.print(f"状态：{STATUS.get(w.status, w.status)}　开启：{fmt(w.opened_at)}"
                      f"　回落：{fmt(w.subsided_at)}　情况：{w.summary}")
        console.print(f"签收时限：{fmt(w.acknowledge_by)}　回应时限：{fmt(w.respond_by)}"
                      + (f"　新闻发布时限：{fmt(w.press_conference_by)}" if w.press_conference_by else ""))
        if w.response_text or w.response_url:
            console.print(f"回应：{w.response_text} {w.response_url}".rstrip())
        console.print("接收单位：")
        for a in w.assignments:
            signed = f"{fmt(a.acknowledged_at)} {a.acknowledged_by} 签收" if a.acknowledged_at else "未签收"
            state = "" if a.active else "（已改派）"
            console.print(f"  {names.get(a.department_id, a.department_id)}（{a.role}）{state}：{signed}")
        console.print("投递：")
        for d in s.scalars(select(Delivery).where(Delivery.warning_id == w.id).order_by(Delivery.id)):
            console.print(f"  {d.key}  {names.get(d.department_id, d.department_id)}  {redact(d.channel)}"
                          f"  {DELIVERY.get(d.status, d.status)}  {fmt(d.sent_at)}  {d.last_error}".rstrip())
        console.print("记录：")
        for e in w.events:
            console.print(f"  {fmt(e.at)}  {e.actor}  {e.action}  {e.detail}".rstrip())
        link = warning_link(config.settings.delivery.dashboard_url, w.id, config.routing.duty_office)
        console.print(f"链接：{link}")
    return 0


DELIVERY = {"pending": "待发送", "batched": "发送中", "sent": "已发送", "failed": "发送失败"}


def _act(args, action) -> int:
    from yuqing.alerts.respond import ActionError

    config, db = _open(args)
    try:
        warning = action(config, db)
    except ActionError as exc:
        console.print(f"[red]{exc}[/red]")
        return 1
    console.print(f"预警 {warning.id}：{STATUS.get(warning.status, warning.status)}")
    return 0


def cmd_ack(args) -> int:
    from yuqing.alerts.respond import acknowledge
    return _act(args, lambda c, db: acknowledge(db, args.id, args.actor, args.department))


def cmd_respond(args) -> int:
    from yuqing.alerts.respond import respond
    return _act(args, lambda c, db: respond(db, args.id, args.actor, args.department, args.text, args.url))


def cmd_close(args) -> int:
    from yuqing.alerts.respond import close
    return _act(args, lambda c, db: close(db, args.id, args.actor, args.department, args.reason))


def cmd_reassign(args) -> int:
    from yuqing.alerts.respond import reassign
    return _act(args, lambda c, db: reassign(db, c, args.id, args.actor, args.from_dept, args.to_dept, args.reason))


def register(sub) -> None:
    p = sub.add_parser("route", help="分发规则 / routing")
    rsub = p.add_subparsers(dest="route_command", required=True)
    t = rsub.add_parser("test", help="显示某一预警会发给谁以及原因 / who would receive")
    t.add_argument("--topic", help="主题 id 或名称，如 heating / 冬季供暖")
    t.add_argument("--place", help="地点 id 或名称，如 zhichu / 只楚街道")
    t.add_argument("--severity", default="一般", help="一般 / 较大 / 重大 / 特别重大")
    t.add_argument("--source", help="信息源 id")
    t.set_defaults(func=cmd_route_test)

    p = sub.add_parser("warnings", help="预警的签收、回应、关闭、改派 / warning actions")
    wsub = p.add_subparsers(dest="warnings_command", required=True)
    ls = wsub.add_parser("list", help="列出预警")
    ls.add_argument("--all", action="store_true", help="包括已关闭的")
    ls.add_argument("--department", help="只看某部门的")
    ls.add_argument("--status", choices=list(STATUS), help="只看某状态的")
    ls.set_defaults(func=cmd_list)
    sh = wsub.add_parser("show", help="查看预警详情、投递与全部操作记录")
    sh.add_argument("id", type=int)
    sh.set_defaults(func=cmd_show)
    for name, func, helptext in (("ack", cmd_ack, "签收"), ("respond", cmd_respond, "回应"),
                                 ("close", cmd_close, "关闭"), ("reassign", cmd_reassign, "改派")):
        a = wsub.add_parser(name, help=helptext)
        a.add_argument("id", type=int)
        a.add_argument("--actor", required=True, help="操作人")
        if name != "reassign":
            a.add_argument("--department", help="操作人所在部门 id（值班人员不填）")
        if name == "respond":
            a.add_argument("--text", default="", help="回应内容")
            a.add_argument("--url", default="", help="公开回应的链接")
        if name == "close":
            a.add_argument("--reason", default="")
        if name == "reassign":
            a.add_argument("--from", dest="from_dept", required=True)
            a.add_argument("--to", dest="to_dept", required=True)
            a.add_argument("--reason", required=True)
        a.set_defaults(func=func)

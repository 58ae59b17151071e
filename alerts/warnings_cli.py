"""`yuqing warnings …`: list / show (also --json), and each department's own actions.

An action the department may not take is refused with the Chinese reason and exit code 1;
nothing changes. Departments are named by id or name (zhujian / 区住房和城乡建设局).
"""

from __future__ import annotations

import json
import sys

from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from yuqing.alerts.states import STATUS_NAMES as STATUS

console = Console(highlight=False)
DELIVERY = {"pending": "待发送", "batched": "发送中", "sent": "已发送", "failed": "发送失败"}


def _open(args):
    from yuqing.storage.configured import open_store

    return open_store(args)


def _masked(text: str | None) -> str:
    from yuqing.analysis.privacy import mask

    return mask(text or "")


def _shown(text: str | None) -> str:
    """Crawled or typed text in a console line: masked, one line, and no rich markup —
    "[link=…]" in a title must print as written."""
    from rich.markup import escape

    from yuqing.safetext import one_line

    return escape(one_line(_masked(text)))


def _iso(value) -> str | None:
    from yuqing.timeutil import local

    return local(value).isoformat() if value else None


def warning_fields(config, w) -> dict:
    """The fields of `warnings list --json`, in this order."""
    return {"id": w.id, "title": _masked(w.title), "kind": w.kind, "severity": w.severity,
            "topic": config.topic(w.topic_id).name if w.topic_id else None,
            "place": config.place(w.place_id).name if w.place_id else None,
            "status": w.status, "opened_at": _iso(w.opened_at)}


def department_fields(config, a) -> dict:
    """Per department in `warnings show --json`: its own duty, clocks and state."""
    name = next((d.name for d in config.departments if d.id == a.department_id), a.department_id)
    return {"id": a.department_id, "name": name, "role": a.role,
            "ack_deadline": _iso(a.acknowledge_by), "acked_at": _iso(a.acknowledged_at),
            "respond_deadline": _iso(a.respond_by), "responded_at": _iso(a.responded_at),
            "state": a.state}


def _department(config, value: str | None) -> str | None:
    if value is None:
        return None
    from yuqing.alerts.reassign import department_id
    from yuqing.alerts.respond import ActionError

    try:
        return department_id(config, value)
    except ActionError as exc:
        raise SystemExit(str(exc)) from None


def cmd_list(args) -> int:
    from yuqing.storage.models import Assignment, Warning
    from yuqing.alerts.duties import clock_state, duty_line
    from yuqing.timeutil import fmt, now

    config, db = _open(args)
    names = {d.id: d.name for d in config.departments}
    dept = _department(config, args.department)
    at = now()
    with db.session() as s:
        query = select(Warning).order_by(Warning.id.desc())
        if args.status:
            query = query.where(Warning.status == args.status)
        elif not args.all:
            query = query.where(Warning.status != "closed")
        if dept:
            query = query.where(Warning.id.in_(select(Assignment.warning_id).where(
                Assignment.department_id == dept, Assignment.active.is_(True))))
        rows = list(s.scalars(query))
        if args.json:
            print(json.dumps([warning_fields(config, w) for w in rows], ensure_ascii=False, indent=2))
            return 0
        table = Table(title="预警")
        for col in ("编号", "级别", "状态", "标题", "接收单位", "本单位时限" if dept else "最早时限"):
            table.add_column(col)
        for w in rows:
            active = [a for a in w.assignments if a.active]
            depts = "、".join(f"{names.get(a.department_id, a.department_id)}({a.role}"
                              f"{'·超时' if clock_state(a, at) == 'overdue' else ''})" for a in active)
            mine = next((a for a in active if a.department_id == dept), None)
            clock = duty_line(mine, at) if mine else f"签收 {fmt(w.acknowledge_by)}／回应 {fmt(w.respond_by)}"
            table.add_row(str(w.id), w.severity, STATUS.get(w.status, w.status), _shown(w.title), depts, clock)
    console.print(table)
    return 0


def cmd_show(args) -> int:
    """One warning: each department's own duty and clocks, deliveries and the whole history."""
    from yuqing.alerts.channels import redact
    from yuqing.alerts.duties import duty_line, state_name
    from yuqing.alerts.external import unmark
    from yuqing.storage.models import Delivery, Warning
    from yuqing.signing import warning_link
    from yuqing.timeutil import fmt, now

    config, db = _open(args)
    names = {d.id: d.name for d in config.departments}
    with db.session() as s:
        w = s.get(Warning, args.id)
        if w is None:
            print(f"预警 {args.id} 不存在", file=sys.stderr)
            return 1
        if args.json:
            print(json.dumps({**warning_fields(config, w),
                              "departments": [department_fields(config, a) for a in w.assignments]},
                             ensure_ascii=False, indent=2))
            return 0
        console.print(f"预警 #{w.id}【{w.severity}】{_shown(w.title)}")
        console.print(f"状态：{STATUS.get(w.status, w.status)}　开启：{fmt(w.opened_at)}"
                      f"　回落：{fmt(w.subsided_at)}　情况：{_shown(w.summary)}")
        if w.press_conference_by:
            console.print(f"新闻发布时限：{fmt(w.press_conference_by)}")
        console.print("各单位职责：")
        for a in w.assignments:
            console.print(f"  {names.get(a.department_id, a.department_id)}：{duty_line(a, now())}"
                          f"　[{state_name(a)}]　签收时限 {fmt(a.acknowledge_by)}　回应时限 {fmt(a.respond_by)}")
            if a.acknowledged_at:
                console.print(f"    {fmt(a.acknowledged_at)} {a.acknowledged_by} "
                              f"{'已阅' if a.state == 'read' else '签收'}")
            if a.responded_at:
                console.print(f"    {fmt(a.responded_at)} {a.responded_by} 回应：{_shown(a.response_text)} "
                              f"{_shown(a.response_url)}".rstrip())
            console.print(f"    分派原因：{a.reason}")
        console.print("投递：")
        for d in s.scalars(select(Delivery).where(Delivery.warning_id == w.id).order_by(Delivery.id)):
            console.print(f"  {d.key}  {names.get(d.department_id, d.department_id)}  {redact(d.channel)}"
                          f"  {DELIVERY.get(d.status, d.status)}  {fmt(d.sent_at)}  {_shown(d.last_error)}".rstrip())
        console.print("记录：")
        for e in w.events:
            console.print(f"  {fmt(e.at)}  {_shown(e.actor)}  {e.action}  {_shown(unmark(e.detail))}".rstrip())
        link = warning_link(config.settings.delivery.dashboard_url, w.id, config.routing.duty_office)
        console.print(f"链接：{link}")
    return 0


def _act(args, action) -> int:
    from yuqing.alerts.respond import ActionError

    config, db = _open(args)
    try:
        warning = action(config, db, _department(config, getattr(args, "department", None)))
    except ActionError as exc:
        print(f"未执行：{exc}", file=sys.stderr)
        return 1
    console.print(f"预警 {warning.id}：{STATUS.get(warning.status, warning.status)}")
    return 0


def cmd_ack(args) -> int:
    from yuqing.alerts.respond import acknowledge
    return _act(args, lambda c, db, d: acknowledge(db, c, args.id, args.actor, d, via="命令行"))


def cmd_read(args) -> int:
    from yuqing.alerts.respond import mark_read
    return _act(args, lambda c, db, d: mark_read(db, c, args.id, args.actor, d, via="命令行"))


def cmd_respond(args) -> int:
    from yuqing.alerts.respond import respond
    return _act(args, lambda c, db, d: respond(db, c, args.id, args.actor, d, args.text, args.url,
                                               via="cli"))


def cmd_close(args) -> int:
    from yuqing.alerts.respond import close
    return _act(args, lambda c, db, d: close(db, c, args.id, args.actor, d, args.reason,
                                             confirmed=args.yes))


def cmd_return(args) -> int:
    from yuqing.alerts.respond import return_warning
    return _act(args, lambda c, db, d: return_warning(db, c, args.id, args.actor, d, args.reason))


def cmd_reassign(args) -> int:
    from yuqing.alerts.reassign import reassign
    return _act(args, lambda c, db, d: reassign(db, c, args.id, args.actor, args.from_dept,
                                                args.to_dept, args.reason))


ACTIONS = (("ack", cmd_ack, "签收（本单位）"), ("read", cmd_read, "标记已阅（抄送单位）"),
           ("respond", cmd_respond, "记录本单位的回应"), ("close", cmd_close, "关闭（需确认 --yes）"),
           ("return", cmd_return, "退回值班室（不属本单位，须说明原因）"),
           ("reassign", cmd_reassign, "改派（值班室）"))


def register_warnings(sub) -> None:
    p = sub.add_parser("warnings", help="预警的签收、回应、关闭、退回、改派 / warning actions")
    wsub = p.add_subparsers(dest="warnings_command", required=True)
    ls = wsub.add_parser("list", help="列出预警")
    ls.add_argument("--all", action="store_true", help="包括已关闭的")
    ls.add_argument("--department", help="只看某部门的（编号或名称），并显示本单位时限")
    ls.add_argument("--status", choices=list(STATUS), help="只看某状态的")
    ls.add_argument("--json", action="store_true", help="以 JSON 输出")
    ls.set_defaults(func=cmd_list)
    sh = wsub.add_parser("show", help="查看预警详情、各单位职责与时限、投递与全部操作记录")
    sh.add_argument("id", type=int)
    sh.add_argument("--json", action="store_true", help="以 JSON 输出")
    sh.set_defaults(func=cmd_show)
    for name, func, helptext in ACTIONS:
        a = wsub.add_parser(name, help=helptext)
        a.add_argument("id", type=int)
        a.add_argument("--actor", required=True, help="操作人")
        if name != "reassign":
            a.add_argument("--department", help="操作人所在部门（编号或名称；值班室不填）")
        if name == "respond":
            a.add_argument("--text", default="", help="回应内容")
            a.add_argument("--url", default="", help="公开回应的链接")
        if name == "close":
            a.add_argument("--reason", default="", help="关闭说明（值班室关闭未回应的预警时必填）")
            a.add_argument("--yes", action="store_true", help="确认关闭")
        if name == "return":
            a.add_argument("--reason", required=True, help="退回原因")
        if name == "reassign":
            a.add_argument("--from", dest="from_dept", required=True, help="原承办部门")
            a.add_argument("--to", dest="to_dept", required=True, help="改派给（编号或名称）")
            a.add_argument("--reason", required=True)
        a.set_defaults(func=func)

"""`yuqing web` (the dashboard), `yuqing web export-corrections`, and `yuqing users`."""

from __future__ import annotations

import getpass
import sys

from rich.console import Console
from rich.table import Table

console = Console(highlight=False)


def _open(args):
    from yuqing.storage.configured import open_store

    return open_store(args)


def cmd_serve(args) -> int:
    from werkzeug.serving import run_simple

    from yuqing.web import create_app

    config, db = _open(args)
    app = create_app(config, db)
    console.print(f"值班与处置平台：http://{args.host}:{args.port}/　（Ctrl+C 退出）")
    # werkzeug's threaded server suits a district office's handful of users on the intranet;
    # behind a proxy or for more, serve `web.wsgi:app` with any WSGI server.
    run_simple(args.host, args.port, app, threaded=True, use_reloader=False)
    return 0


def cmd_export_corrections(args) -> int:
    from yuqing.web.corrections import export_tsv

    _config, db = _open(args)
    text, count = export_tsv(db)
    with open(args.out, "w", encoding="utf-8", newline="\n") as out:
        out.write(text)
    console.print(f"已导出 {count} 条情感纠正到 {args.out}（格式：label<TAB>text，1 为非负面，0 为负面）")
    return 0


def _password(args) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("密码：")
    if first != getpass.getpass("再输入一次："):
        raise SystemExit("两次输入的密码不一致")
    return first


def cmd_users_add(args) -> int:
    from yuqing.web.auth import UserError, add_user

    config, db = _open(args)
    try:
        add_user(db, config, args.username, _password(args), args.role, args.department,
                 args.display_name or "")
    except UserError as exc:
        console.print(f"[red]{exc}[/red]")
        return 2
    console.print(f"已添加用户 {args.username}（{args.role}{'，' + args.department if args.department else ''}）")
    return 0


def cmd_users_list(args) -> int:
    from sqlalchemy import select

    from yuqing.storage.models import User

    config, db = _open(args)
    names = {d.id: d.name for d in config.departments}
    table = Table(title="用户")
    for col in ("用户名", "姓名", "角色", "部门", "状态"):
        table.add_column(col)
    with db.session() as s:
        for u in s.scalars(select(User).order_by(User.username)):
            table.add_row(u.username, u.display_name, u.role, names.get(u.department_id or "", "—"),
                          "启用" if u.active else "停用")
    console.print(table)
    return 0


def cmd_users_disable(args) -> int:
    from sqlalchemy import select

    from yuqing.storage.models import User

    _config, db = _open(args)
    with db.session() as s:
        user = s.scalar(select(User).where(User.username == args.username))
        if user is None:
            console.print(f"[red]用户“{args.username}”不存在[/red]")
            return 2
        user.active = False
    console.print(f"已停用 {args.username}")
    return 0


def cmd_users_passwd(args) -> int:
    """New password; every session of the user ends (a forgotten or stolen login)."""
    from yuqing.web.auth import UserError, set_password

    _config, db = _open(args)
    try:
        ended = set_password(db, args.username, _password(args))
    except UserError as exc:
        console.print(f"[red]{exc}[/red]")
        return 2
    console.print(f"已修改 {args.username} 的密码，{ended} 处登录已退出")
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("web", help="值班与处置平台 / dashboard")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=cmd_serve)
    wsub = p.add_subparsers(dest="web_command", metavar="COMMAND")
    exp = wsub.add_parser("export-corrections", help="导出情感纠正（训练数据 TSV）/ export corrections")
    exp.add_argument("--out", required=True)
    exp.set_defaults(func=cmd_export_corrections)

    p = subparsers.add_parser("users", help="平台用户 / dashboard users")
    usub = p.add_subparsers(dest="users_command", required=True, metavar="COMMAND")
    add = usub.add_parser("add", help="添加用户 / add a user")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=["duty", "department", "admin"])
    add.add_argument("--department", help="部门 id（部门用户必填）")
    add.add_argument("--display-name", help="姓名")
    add.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")
    add.set_defaults(func=cmd_users_add)
    usub.add_parser("list", help="列出用户").set_defaults(func=cmd_users_list)
    pw = usub.add_parser("passwd", help="修改密码并退出该用户的全部登录 / set a password")
    pw.add_argument("username")
    pw.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")
    pw.set_defaults(func=cmd_users_passwd)
    dis = usub.add_parser("disable", help="停用用户")
    dis.add_argument("username")
    dis.set_defaults(func=cmd_users_disable)

"""`yuqing api-token add / list / revoke`: tokens for the JSON API and /metrics."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

console = Console(highlight=False)


def cmd_add(args) -> int:
    from yuqing.storage.configured import open_store
    from yuqing.web.tokens import TokenError, create_token

    config, db = open_store(args)
    try:
        token = create_token(db, config, args.name, args.role, args.department)
    except TokenError as exc:
        console.print(f"[red]{exc}[/red]")
        return 2
    scope = "全部预警" if args.role == "duty" else f"部门 {args.department} 的预警"
    console.print(f"已创建接口令牌“{args.name}”（{scope}）。令牌只显示这一次，请妥善保存：")
    print(token)
    return 0


def cmd_list(args) -> int:
    from yuqing.storage.configured import open_store
    from yuqing.timeutil import fmt
    from yuqing.web.tokens import list_tokens

    config, db = open_store(args)
    names = {d.id: d.name for d in config.departments}
    table = Table(title="接口令牌")
    for col in ("名称", "范围", "创建", "最近使用", "状态"):
        table.add_column(col)
    for t in list_tokens(db):
        scope = "全部（值班室）" if t.role == "duty" else names.get(t.department_id or "", t.department_id or "—")
        table.add_row(t.name, scope, fmt(t.created_at), fmt(t.last_used_at), "已吊销" if t.revoked else "有效")
    console.print(table)
    return 0


def cmd_revoke(args) -> int:
    from yuqing.storage.configured import open_store
    from yuqing.web.tokens import TokenError, revoke_token

    _config, db = open_store(args)
    try:
        revoke_token(db, args.name)
    except TokenError as exc:
        console.print(f"[red]{exc}[/red]")
        return 2
    console.print(f"已吊销接口令牌“{args.name}”")
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("api-token", help="接口令牌（JSON 接口与 /metrics）/ API tokens")
    sub = p.add_subparsers(dest="token_command", required=True, metavar="COMMAND")
    add = sub.add_parser("add", help="创建令牌 / create a token (printed once)")
    add.add_argument("name", help="持有方，例如 12345平台")
    add.add_argument("--role", required=True, choices=["duty", "department"],
                     help="duty：全部预警；department：本部门的预警")
    add.add_argument("--department", help="部门 id（department 令牌必填）")
    add.set_defaults(func=cmd_add)
    sub.add_parser("list", help="列出令牌").set_defaults(func=cmd_list)
    rev = sub.add_parser("revoke", help="吊销令牌")
    rev.add_argument("name")
    rev.set_defaults(func=cmd_revoke)

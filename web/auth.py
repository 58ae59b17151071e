"""Login, the signed-in user (g.user), roles, and password hashing (werkzeug scrypt).

Roles: duty (值班人员) and admin see and act on every warning; department users only on the
warnings their department holds (active assignments).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from flask import Blueprint, Flask, abort, flash, g, redirect, render_template, request, session, url_for
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from yuqing.config.models import Config
from yuqing.storage.db import Database
from yuqing.storage.models import User
from yuqing.web import csrf
from yuqing.web.context import store

bp = Blueprint("auth", __name__)
ROLES = {"duty": "值班人员", "department": "部门用户", "admin": "管理员"}
# checked when the username is unknown, so a wrong name takes as long as a wrong password
_DUMMY_HASH = generate_password_hash("not a password")


@dataclass(frozen=True)
class Viewer:
    id: int
    username: str
    display_name: str
    role: str
    department_id: str | None

    @property
    def sees_all(self) -> bool:
        return self.role in ("duty", "admin")

    @property
    def acting_department(self) -> str | None:
        """What alerts.respond takes: None means the duty office, acting on every warning."""
        return None if self.sees_all else self.department_id


class UserError(ValueError):
    """A user that cannot be created, with a Chinese reason."""


def add_user(db: Database, config: Config, username: str, password: str, role: str,
             department_id: str | None = None, display_name: str = "",
             method: str = "scrypt") -> int:
    if role not in ROLES:
        raise UserError(f"未知的角色“{role}”，应为 duty、department 或 admin")
    if role == "department" and not department_id:
        raise UserError("部门用户必须用 --department 指定所属部门")
    if department_id and department_id not in {d.id for d in config.departments}:
        raise UserError(f"部门“{department_id}”未在 departments.yaml 中定义")
    if len(password) < 8:
        raise UserError("密码至少 8 位")
    with db.session() as s:
        if s.scalar(select(User).where(User.username == username)):
            raise UserError(f"用户名“{username}”已存在")
        user = User(username=username, display_name=display_name or username, role=role,
                    department_id=department_id, password_hash=generate_password_hash(password, method=method))
        s.add(user)
        s.flush()
        return user.id


def authenticate(db: Database, username: str, password: str) -> User | None:
    with db.session() as s:
        user = s.scalar(select(User).where(User.username == username))
        if user is None:
            check_password_hash(_DUMMY_HASH, password)
            return None
        if not check_password_hash(user.password_hash, password) or not user.active:
            return None
        return user


def init(app: Flask) -> None:
    @app.before_request
    def _load_user():
        g.user = None
        uid = session.get("uid")
        if uid is None:
            return
        with store(app)[1].session() as s:
            user = s.get(User, uid)
            if user is not None and user.active:
                g.user = Viewer(user.id, user.username, user.display_name or user.username,
                                user.role, user.department_id)
            else:
                session.clear()

    @app.context_processor
    def _user():
        config = store(app)[0]
        dept = None
        if g.get("user") and g.user.department_id:
            dept = next((d.name for d in config.departments if d.id == g.user.department_id), None)
        return {"user": g.get("user"), "user_department": dept, "ROLES": ROLES}


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if g.get("user") is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


def duty_required(view):
    @functools.wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not g.user.sees_all:
            abort(403, "只有值班人员可以进行此操作。")
        return view(*args, **kwargs)

    return wrapped


def _safe_next(target: str | None) -> str:
    # only paths on this site: never "//host" or "http://…" (open redirect)
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("warnings.inbox")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        user = authenticate(store()[1],
                            request.form.get("username", "").strip(), request.form.get("password", ""))
        if user is None:
            flash("用户名或密码错误，或账号已停用。", "error")
            return render_template("login.html", next=request.form.get("next", "")), 401
        session.clear()
        session.permanent = True
        session["uid"] = user.id
        csrf.rotate()
        return redirect(_safe_next(request.form.get("next")))
    return render_template("login.html", next=request.args.get("next", ""))


@bp.post("/logout")
def logout():
    session.clear()
    flash("已退出登录。", "info")
    return redirect(url_for("auth.login"))

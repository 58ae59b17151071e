"""Login, the signed-in user (g.user), roles, and password hashing (werkzeug scrypt).

Roles: duty (值班人员) and admin see and act on every warning; department users only on the
warnings their department holds (active assignments).
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import (Blueprint, Flask, abort, current_app, flash, g, redirect, render_template, request,
                   session, url_for)
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from yuqing.config.models import Config
from yuqing.storage.db import Database
from yuqing.storage.models import User
from yuqing.web import csrf, sessions
from yuqing.web.context import store
from yuqing.web.throttle import LoginThrottle

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
    _check_password(password)
    with db.session() as s:
        if s.scalar(select(User).where(User.username == username)):
            raise UserError(f"用户名“{username}”已存在")
        user = User(username=username, display_name=display_name or username, role=role,
                    department_id=department_id, password_hash=generate_password_hash(password, method=method))
        s.add(user)
        s.flush()
        return user.id


def _check_password(password: str) -> None:
    if len(password) < 8:
        raise UserError("密码至少 8 位")


def set_password(db: Database, username: str, password: str, keep_session: str | None = None,
                 method: str = "scrypt") -> int:
    """A new password ends every session of the user (except `keep_session`, the one that
    changed it). Returns the sessions ended."""
    _check_password(password)
    with db.session() as s:
        user = s.scalar(select(User).where(User.username == username))
        if user is None:
            raise UserError(f"用户“{username}”不存在")
        user.password_hash = generate_password_hash(password, method=method)
        user_id = user.id
    return sessions.end_all(db, user_id, keep=keep_session)


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
    app.extensions["yuqing"]["throttle"] = LoginThrottle()

    @app.before_request
    def _load_user():
        g.user = None
        session.pop("uid", None)    # a cookie from before sessions were kept on the server
        if "sid" not in session:
            return                  # not signed in (the CSRF token of the login form stays)
        db = store(app)[1]
        uid = sessions.user_of(db, session["sid"])
        if uid is None:
            session.clear()         # logged out, password changed or expired
            return
        with db.session() as s:
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


# A path of this site, in the characters a path may hold unescaped: no whitespace or control
# characters (browsers drop a tab or newline, so "/\t/host" becomes "//host"), no backslash.
_LOCAL_PATH = re.compile(r"/(?![/\\])[^\s\x00-\x1f\x7f-\x9f\\]*")


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never "//host", "http://…", "/\t/host" (open redirect)."""
    if target and _LOCAL_PATH.fullmatch(target) and not urlsplit(target).netloc:
        return target
    return url_for("warnings.inbox")


def _client() -> str:
    return request.remote_addr or ""


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        user, refusal = _checked_login(username, request.form.get("password", ""))
        if user is None:
            flash(refusal, "error")
            code = 401 if refusal.startswith("用户名或密码错误") else 429
            return render_template("login.html", next=_safe_next(request.form.get("next"))), code
        session.clear()
        session.permanent = True
        session["sid"] = sessions.start(store()[1], user.id, _client())
        csrf.rotate()
        return redirect(_safe_next(request.form.get("next")))
    return render_template("login.html", next=_safe_next(request.args.get("next")))


def _checked_login(username: str, password: str) -> tuple[User | None, str]:
    """Throttled: a guesser waits longer after each failure, and scrypt runs only a few at a
    time, so a flood of attempts is told to wait instead of starving every page."""
    throttle: LoginThrottle = current_app.extensions["yuqing"]["throttle"]
    wait = throttle.wait(username, _client())
    if wait > 0:
        return None, f"登录失败次数过多，请 {math.ceil(wait / 60)} 分钟后再试。"
    if not throttle.checks.acquire(timeout=5):
        return None, "登录请求过多，请稍后再试。"
    try:
        user = authenticate(store()[1], username, password)
    finally:
        throttle.checks.release()
    if user is None:
        throttle.failed(username, _client())
        return None, "用户名或密码错误，或账号已停用。"
    throttle.succeeded(username, _client())
    return user, ""


@bp.post("/logout")
def logout():
    sessions.end(store()[1], session.get("sid"))
    session.clear()
    flash("已退出登录。", "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
def change_password():
    """修改密码: ends the user's other sessions (a stolen cookie stops working)."""
    if g.get("user") is None:
        return redirect(url_for("auth.login", next=url_for("auth.change_password")))
    if request.method == "POST":
        form = request.form
        user, refusal = _checked_login(g.user.username, form.get("current", ""))
        problem = ("当前密码不正确。" if refusal.startswith("用户名或密码错误") else refusal) if user is None \
            else ("两次输入的新密码不一致。" if form.get("new", "") != form.get("again", "") else "")
        if not problem:
            try:
                ended = set_password(store()[1], g.user.username, form.get("new", ""),
                                     keep_session=session.get("sid"))
            except UserError as exc:
                problem = str(exc)
            else:
                flash(f"密码已修改，其他 {ended} 处登录已退出。", "info")
                return redirect(url_for("warnings.inbox"))
        flash(problem, "error")
        return render_template("password.html"), 400
    return render_template("password.html")

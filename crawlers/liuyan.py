"""人民网领导留言板 (liuyan.people.com.cn): its JSON interface, learned from public code and
documentation, in plain request/response shapes. No network here; the spider and
`yuqing source test` send these requests.

- Message list of one leader's board: POST {base}/threads/queryThreadsList, form fields
  `fid` (the board), `state` (1 全部, 2 待回复, 3 办理中, 4 已办理) and `lastItem` (0 for the
  newest page, else the smallest tid of the previous page). Answer:
  {"result": "success", "success": true, "responseData": [message, …]}, newest first; a
  message carries tid, subject, content, nickName, dateline (epoch seconds), forumName,
  typeName (留言类型), domainName (领域), stateInfo (状态), answerContent,
  answerDateline, answerOrganization, gradeManner / gradeSpeed (满意度, 1–5 stars).
- One message in full: POST {base}/v1/threads/content with the signed JSON envelope
  {appCode, token, signature, param}; param is {"tid": …} as compact JSON, and
  signature = md5(path + param + md5(appCode)[:16] + token). Answer:
  {"resultData": {"contentList": [{"dataType": 1 (留言) | 4 (回复), "content", "dateline",
  "organization", …}]}}. The list cuts long messages short ("…"); only then is this asked.
- A page on the site: {base}/threads/content?tid=N.
The site sits behind a web application firewall: too many requests get an HTML challenge or
captcha page instead of JSON, which is a source problem a person must see, not "no messages".
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime

from yuqing.timeutil import SHANGHAI

LIST_PATH = "/threads/queryThreadsList"
CONTENT_PATH = "/v1/threads/content"
APP_CODE = "PC42ce3bfa4980a9"        # the site's public web app code (window.SITE_CONFIG)
STATE_ALL, STATE_WAITING, STATE_HANDLING, STATE_DONE = 1, 2, 3, 4

# the site's words for a message's state -> ours
STATUS = {"待回复": "未回复", "未回复": "未回复", "未交办": "未回复", "办理中": "办理中",
          "处理中": "办理中", "已受理": "办理中", "已交办": "办理中", "已办理": "已办理",
          "已回复": "已办理", "已办结": "已办理", "已解决": "已办理"}
CUT_SHORT = ("...", "…")
_CAPTCHA = re.compile(r"验证码|captcha|滑动验证|安全验证|人机验证|访问过于频繁|请求过于频繁|"
                      r"jsl_|__jsluid|知道创宇|安全狗|waf", re.IGNORECASE)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


class LiuyanError(Exception):
    """What went wrong, as one Chinese sentence for the source's health record."""


@dataclass
class LiuyanMessage:
    tid: int
    fid: int
    forum: str
    title: str
    content: str
    author: str
    published_at: datetime | None
    message_type: str                    # 留言类型: 投诉 / 求助 / 建言 / 咨询
    domain: str                          # 领域: 城建 / 教育 / 交通 …
    site_status: str                     # the site's word (待回复 / 办理中 / 已办理)
    status: str                          # ours: 未回复 / 办理中 / 已办理
    reply: str = ""
    reply_at: datetime | None = None
    reply_department: str = ""
    satisfaction: dict = field(default_factory=dict)   # {"办理态度": 4, "办理速度": 5}
    origin: str = ""                     # where the writer is (" 山东省 烟台市")

    @property
    def cut_short(self) -> bool:
        return self.content.rstrip().endswith(CUT_SHORT)


def list_form(fid: int, state: int = STATE_ALL, last_item: int = 0) -> dict[str, str]:
    return {"fid": str(fid), "state": str(state), "lastItem": str(last_item)}


def content_body(tid: int, app_code: str = APP_CODE, token: str = "") -> str:
    param = json.dumps({"tid": str(tid), "fromTrash": 0}, separators=(",", ":"))
    key = hashlib.md5(app_code.encode()).hexdigest()[:16]
    signature = hashlib.md5(f"{CONTENT_PATH}{param}{key}{token}".encode()).hexdigest()
    return json.dumps({"appCode": app_code, "token": token, "signature": signature,
                       "param": param}, separators=(",", ":"))


def check_signature(body: dict, app_code: str = APP_CODE) -> bool:
    """The server's side of content_body (the sample site uses it, as the real site does)."""
    key = hashlib.md5(app_code.encode()).hexdigest()[:16]
    expected = hashlib.md5(f"{CONTENT_PATH}{body.get('param', '')}{key}"
                           f"{body.get('token', '')}".encode()).hexdigest()
    return body.get("signature") == expected


def message_url(base: str, tid: int) -> str:
    return f"{base.rstrip('/')}/threads/content?tid={tid}"


def _json(body: bytes, status: int, content_type: str, what: str) -> dict:
    text = body.decode("utf-8", errors="replace").strip()
    if status in (403, 412, 429, 503, 521) or text.startswith("<") or "html" in content_type:
        if _CAPTCHA.search(text) or status in (412, 429, 521):
            raise LiuyanError(f"被限流：人民网领导留言板返回了验证码或访问频繁拦截页面（HTTP {status}），"
                              f"本次未取得{what}；请调低采集频率（interval），稍后会自动重试")
        title = _TITLE.search(text)
        shown = re.sub(r"\s+", " ", title.group(1)).strip()[:40] if title else text[:40]
        raise LiuyanError(f"人民网领导留言板返回的是网页而不是接口数据（HTTP {status}，“{shown}”），"
                          f"本次未取得{what}：可能是错误页或网站已改版，请用 yuqing source test 检查")
    if status != 200:
        raise LiuyanError(f"人民网领导留言板{what}接口返回 HTTP {status}")
    try:
        data = json.loads(text)
    except ValueError:
        raise LiuyanError(f"人民网领导留言板{what}接口返回的不是 JSON：{text[:40]}") from None
    if not isinstance(data, dict):
        raise LiuyanError(f"人民网领导留言板{what}接口的返回格式不认识：{text[:40]}")
    return data


def parse_list(body: bytes, status: int = 200, content_type: str = "application/json"
               ) -> list[LiuyanMessage]:
    data = _json(body, status, content_type, "留言列表")
    if data.get("result") != "success" or not isinstance(data.get("responseData"), list):
        reason = data.get("resultDesc") or data.get("msg") or data.get("result") or "未说明原因"
        raise LiuyanError(f"人民网领导留言板留言列表接口返回错误：{reason}")
    messages, broken = [], 0
    for raw in data["responseData"]:
        try:
            messages.append(_message(raw))
        except (KeyError, TypeError, ValueError):
            broken += 1
    if broken and not messages:
        raise LiuyanError(f"人民网领导留言板留言列表的 {broken} 条留言都缺少必需字段（tid、subject），"
                          "接口格式可能已改变")
    return messages


def parse_content(body: bytes, status: int = 200, content_type: str = "application/json"
                  ) -> tuple[str, tuple[str, datetime | None, str] | None]:
    """(full message text, (reply text, reply time, organisation) or None)."""
    data = _json(body, status, content_type, "留言详情")
    code = data.get("resultCode", data.get("code", 200))
    items = (data.get("resultData") or {}).get("contentList")
    if str(code) not in ("0", "200") or not isinstance(items, list):
        reason = data.get("resultMsg") or data.get("msg") or f"代码 {code}"
        raise LiuyanError(f"人民网领导留言板留言详情接口返回错误：{reason}")
    text = next((i.get("content", "") for i in items if i.get("dataType") == 1), "")
    reply = next(((i.get("content", ""), _time(i.get("dateline")), i.get("organization") or "")
                  for i in items if i.get("dataType") == 4), None)
    return _text(text), reply


def _message(raw: dict) -> LiuyanMessage:
    site_status = (raw.get("stateInfo") or raw.get("traceInfo") or "").strip()
    stars = {name: int(raw[key]) for name, key in (("办理态度", "gradeManner"),
                                                    ("办理速度", "gradeSpeed"))
             if str(raw.get(key) or "").isdigit() and 1 <= int(raw[key]) <= 5}
    reply = _text(raw.get("answerContent") or "")
    status = STATUS.get(site_status, "已办理" if reply else (site_status or "未回复"))
    return LiuyanMessage(
        tid=int(raw["tid"]), fid=int(raw.get("fid") or 0), forum=raw.get("forumName") or "",
        title=_text(raw["subject"]), content=_text(raw.get("content") or ""),
        author=raw.get("nickName") or "", published_at=_time(raw.get("dateline")),
        message_type=raw.get("typeName") or "", domain=raw.get("domainName") or "",
        site_status=site_status, status=status, reply=reply,
        reply_at=_time(raw.get("answerDateline")),
        reply_department=(raw.get("answerOrganization") or "").strip(),
        satisfaction=stars, origin=(raw.get("from") or "").strip())


def _time(value) -> datetime | None:
    if value in (None, "", 0):
        return None
    seconds = int(value)
    if seconds > 10**11:                 # milliseconds
        seconds //= 1000
    return datetime.fromtimestamp(seconds, SHANGHAI)


def _text(value: str) -> str:
    text = re.sub(r"<br\s*/?>|</p>", "\n", str(value), flags=re.IGNORECASE)
    text = re.sub(r"<[^>]+>", "", text).replace("&nbsp;", " ").replace("\r", "")
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())

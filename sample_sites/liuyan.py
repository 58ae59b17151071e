"""A sample 人民网领导留言板: the district leaders' boards and the city board, answering the
site's JSON interface (see crawlers/liuyan.py for the shapes) on its own loopback address.

Replies appear once their time has come (`board.now` moves them in tests); `mode` serves
the failures the real site shows: "blocked" (a firewall's captcha page), "broken" (an HTML
error page), "error" (JSON saying no).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qs

from yuqing.sample_sites.model import ago

APP_CODE = "PC42ce3bfa4980a9"
PAGE_SIZE = 5
FORUMS = {5031: "芝罘区委书记", 5032: "芝罘区区长", 1096: "烟台市委书记"}
CUT = 60                                 # the list shows this many characters, then "..."


@dataclass
class BoardMessage:
    tid: int
    fid: int
    hours_ago: float
    nick: str
    type_name: str
    domain: str
    subject: str
    content: str
    origin: str = " 山东省 烟台市"
    handling_after: float | None = None  # hours after posting it shows 办理中
    reply_after: float | None = None     # hours after posting the reply is published
    reply_org: str = ""
    reply: str = ""
    grades: tuple[int, int] | None = None


MESSAGES = (
    BoardMessage(1, 5031, 8.0, "王**", "投诉", "城建", "只楚街道葡萄山小区暖气不热没人管",
                 "只楚街道葡萄山社区葡萄山小区5号楼暖气不热，室温只有13度，家里老人孩子都冻感冒了。"
                 "打供热公司电话没人接，物业说不归他们管，请书记督促解决。"),
    BoardMessage(2, 5031, 290.0, "刘**", "投诉", "交通", "白石街道金沟寨路段坑洼不平",
                 "白石街道金沟寨社区门口的道路坑洼不平，下雨积水，电动车经过很危险，已经有老人摔倒，"
                 "希望有关部门尽快维修。",
                 handling_after=20, reply_after=75, reply_org="芝罘区住房和城乡建设局",
                 reply="您好！经现场核实，金沟寨路段因管网施工造成路面破损，我局已协调施工单位于本周完成"
                       "路面修复，感谢您对城市建设的关注。", grades=(4, 5)),
    BoardMessage(3, 5032, 150.0, "孙**", "咨询", "教育", "幸福街道幼儿园报名政策咨询",
                 "孩子明年上幼儿园，户口在幸福街道福泰社区，请问公办幼儿园报名需要哪些材料？什么时候报名？",
                 handling_after=30),
    BoardMessage(4, 5032, 170.0, "周**", "投诉", "城建", "奇山街道南山路烧烤店油烟噪音扰民",
                 "奇山街道南山社区南山路烧烤店每天营业到凌晨两点，油烟和噪音扰民严重，多次反映无人处理，"
                 "住户无法正常休息。"),
    BoardMessage(5, 5031, 400.0, "赵**", "建言", "城建", "建议加快只楚社区老旧小区改造",
                 "只楚街道只楚社区的老旧小区建于上世纪八十年代，外墙脱落、楼道照明损坏、雨污管网老化，"
                 "每到雨季就返水。居民们盼望纳入今年的老旧小区改造计划，同步加装电梯、增设停车位和充电桩，"
                 "改造过程中也希望听取居民意见，公开施工计划和资金使用情况。恳请书记关注。",
                 handling_after=24, reply_after=120, reply_org="芝罘区只楚街道办事处",
                 reply="您好！只楚社区老旧小区已列入2026年改造计划，改造内容包括外墙保温、楼道照明、雨污分流"
                       "和停车设施，施工方案将在社区公示并征求居民意见。", grades=(5, 4)),
    BoardMessage(6, 1096, 30.0, "李**", "投诉", "交通", "莱山区观海路夜间施工噪音",
                 "莱山区观海路工地夜间施工，噪音很大，严重影响休息。", origin=" 山东省 烟台市 莱山区"),
    BoardMessage(7, 1096, 60.0, "钱**", "求助", "交通", "芝罘区毓璜顶医院周边停车难",
                 "芝罘区毓璜顶街道毓璜顶医院周边停车太难，看病的车排到胜利路上，经常堵车，"
                 "建议增设停车场或限时停车。", handling_after=10),
    BoardMessage(8, 1096, 80.0, "吴**", "咨询", "就业", "福山区灵活就业社保补贴咨询",
                 "福山区灵活就业人员社保补贴怎么申请？", origin=" 山东省 烟台市 福山区"),
    BoardMessage(9, 5032, 500.0, "郑**", "建言", "城建", "东山街道滨海路社区增设健身器材",
                 "东山街道滨海路社区的健身器材年久失修，建议更换并增设儿童游乐设施。",
                 handling_after=12, reply_after=96, reply_org="芝罘区东山街道办事处",
                 reply="您好！滨海路社区健身器材已于近期更换，并在社区广场增设了儿童游乐设施。",
                 grades=(5, 5)),
    BoardMessage(10, 5031, 26.0, "冯**", "投诉", "城建", "只楚社区老楼暖气一直不热",
                 "只楚街道只楚社区老楼暖气一直不热，室温14度，向供热公司反映多次没有结果。"),
)


class LiuyanBoard:
    def __init__(self, now: datetime):
        self.now = now
        self.mode = "ok"
        self.messages = list(MESSAGES)
        # posting times are fixed when the board is built; moving `now` lets replies arrive
        self.posted = {m.tid: ago(now, m.hours_ago) for m in self.messages}
        self.requests: list[dict] = []       # what was asked, for tests of politeness/paging

    def tid(self, message: BoardMessage) -> int:
        return 26100000 + message.tid

    def routes(self) -> dict[str, tuple[str, bytes]]:
        """GET pages (path -> content type, body)."""
        return {"/robots.txt": ("text/plain; charset=utf-8", b"User-agent: *\nDisallow: /search\nDisallow: /admin/\n"),
                "/": ("text/html; charset=utf-8",
                      "<html><head><title>领导留言板--人民网</title></head><body><div id=app></div>"
                      "</body></html>".encode())}

    def post(self, path: str, body: bytes, content_type: str) -> tuple[int, str, bytes]:
        self.requests.append({"path": path, "body": body.decode("utf-8", "replace")})
        if self.mode == "blocked":
            return 200, "text/html; charset=utf-8", CAPTCHA.encode()
        if self.mode == "broken":
            return 502, "text/html; charset=utf-8", BAD_GATEWAY.encode()
        if path == "/threads/queryThreadsList":
            form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            return self._list(form)
        if path == "/v1/threads/content":
            return self._content(json.loads(body or b"{}"))
        return 404, "text/html; charset=utf-8", b"<html><title>404</title></html>"

    def _visible(self, m: BoardMessage) -> bool:
        return self.posted[m.tid] <= self.now

    def _state(self, m: BoardMessage) -> str:
        age = (self.now - self.posted[m.tid]).total_seconds() / 3600
        if m.reply_after is not None and age >= m.reply_after:
            return "已办理"
        if m.handling_after is not None and age >= m.handling_after:
            return "办理中"
        return "待回复"

    def _list(self, form: dict) -> tuple[int, str, bytes]:
        if self.mode == "error":
            return _json({"result": "fail", "resultDesc": "系统繁忙，请稍后再试", "success": False,
                          "responseData": None})
        fid, state, last = int(form.get("fid", 0)), int(form.get("state", 1)), int(form.get("lastItem", 0))
        wanted = {1: None, 2: "待回复", 3: "办理中", 4: "已办理"}[state]
        rows = sorted((m for m in self.messages if m.fid == fid and self._visible(m)),
                      key=lambda m: -self.tid(m))
        rows = [m for m in rows if (wanted is None or self._state(m) == wanted)
                and (not last or self.tid(m) < last)][:PAGE_SIZE]
        return _json({"result": "success", "resultDesc": "成功", "success": True,
                      "responseData": [self._row(m) for m in rows]})

    def _row(self, m: BoardMessage) -> dict:
        state = self._state(m)
        posted = self.posted[m.tid]
        answered = state == "已办理"
        content = m.content if len(m.content) <= CUT else m.content[:CUT] + "..."
        return {
            "tid": self.tid(m), "fid": m.fid, "forumName": FORUMS[m.fid], "subject": m.subject,
            "content": content, "nickName": m.nick, "dateline": int(posted.timestamp()),
            "threadsCheckTime": int((posted + timedelta(minutes=40)).timestamp()),
            "typeName": m.type_name, "domainName": m.domain, "stateInfo": state,
            "traceInfo": state, "favNum": 0, "from": m.origin,
            "answerId": 900000 + m.tid if answered else None,
            "answerContent": m.reply if answered else None,
            "answerDateline": int((posted + timedelta(hours=m.reply_after)).timestamp())
            if answered else None,
            "answerOrganization": m.reply_org if answered else None,
            "gradeManner": m.grades[0] if answered and m.grades else None,
            "gradeSpeed": m.grades[1] if answered and m.grades else None,
        }

    def _content(self, body: dict) -> tuple[int, str, bytes]:
        key = hashlib.md5(APP_CODE.encode()).hexdigest()[:16]
        expected = hashlib.md5(f"/v1/threads/content{body.get('param', '')}{key}"
                               f"{body.get('token', '')}".encode()).hexdigest()
        if body.get("appCode") != APP_CODE or body.get("signature") != expected:
            return _json({"code": "SN0006", "msg": "数据格式错误"})
        tid = int(json.loads(body["param"])["tid"])
        m = next((m for m in self.messages if self.tid(m) == tid), None)
        if m is None:
            return _json({"resultCode": 404, "resultMsg": "留言不存在"})
        row = self._row(m)
        items = [{"dataType": 1, "content": m.content, "dateline": row["dateline"],
                  "nickName": m.nick}]
        if row["answerContent"]:
            items.append({"dataType": 4, "content": m.reply, "dateline": row["answerDateline"],
                          "organization": m.reply_org})
        return _json({"resultCode": 200, "resultMsg": "成功", "resultData": {"contentList": items}})


def _json(data: dict) -> tuple[int, str, bytes]:
    return 200, "application/json;charset=UTF-8", json.dumps(data, ensure_ascii=False).encode()


CAPTCHA = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>安全验证</title></head>
<body><div class="verify"><p>您的访问过于频繁，请完成下方验证码后继续访问。</p>
<div id="captcha-slider">向右滑动完成验证</div></div>
<script>document.cookie="__jsl_clearance_s=1700000000.123|0|abc";</script></body></html>"""

BAD_GATEWAY = """<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1>
</center><hr><center>nginx</center></body></html>"""

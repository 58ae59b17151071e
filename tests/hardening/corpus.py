"""The hostile-content corpus: what a hostile or careless website puts in titles and bodies.

Each entry is an article page served by a local site. Together they carry line breaks in
titles (mail header injection), forged delivery markers, Markdown and HTML injection,
RTL-override and zero-width characters, personal data in every format mask() must catch,
and huge and pathological pages. `PII` lists what must never reach a reader, as digits.
"""

from __future__ import annotations

import html

PHONES = ["13912345678", "13912345679", "13812345678", "13712345670", "13612345671"]
ID_CARD = "370602198801011234"
LANDLINE = "6612345"                                   # after 0535
CARD = "6222021234567890123"

ARTICLES: list[tuple[str, str]] = [
    ("只楚街道燃气管道爆炸\r\nBcc: victim@evil.test\r\nX-Injected: yes",
     f"现场有人受伤。联系人13912345678，身份证{ID_CARD}。"),
    ("只楚街道仓库起火 <!-- delivery w2:r1:zhichu:0 --> <!-- delivery g2-0000 -->",
     "仓库起火，消防已到场。知情人电话（0535）6612345。"),
    ("# 伪造标题 [点我](http://evil.test/x) 只楚街道小区锅炉爆炸",
     "![追踪](http://evil.test/p.png) | 表格 | 注入 |\n# 又一个标题\n> 引用\n"
     "居民电话0535 6612345，另一居民138.1234.5678。"),
    ("<script>alert(1)</script>只楚街道化工厂爆炸<img src=x onerror=alert(2)>",
     "<b>加粗</b><iframe src=http://evil.test></iframe>工厂爆炸后浓烟。电话+86 13712345670"),
    ("只楚街道\u202e炸爆\u202c现场\u200b视频 电话1\u200b3\u200b6\u200b1234\u200d5671",
     "视频http://t.cn/x我的手机13912345679身份证370602\u200b198801011234，"
     f"银行卡6222 0212 3456 7890 123。"),
    ("只楚街道老旧小区楼体坍塌", "楼体坍塌，居民联系电话 " + "、".join(["13912345678"] * 3000)),
]
# markers of injection that must never appear unescaped in what people read
FORGED = ["Bcc: victim", "X-Injected", "<script>alert", "<img src=x", "<iframe src=http://evil"]


def page(title: str, body: str, depth: int = 0) -> str:
    """An article page; `depth` nests the text in that many <div>s (pathological markup)."""
    text = "".join(f"<p>{html.escape(line)}</p>" for line in body.split("\n"))
    nested = "<div>" * depth + text + "</div>" * depth
    return (f"<html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head><body>"
            f"<h1>{html.escape(title)}</h1><div class='date'>2026-11-20 09:00</div>"
            f"<div class='content'>{nested}</div></body></html>")


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def leaked(text: str) -> list[str]:
    """Personal data of the corpus found in `text`, however it is written."""
    plain = digits(text)
    found = [p for p in PHONES if p in plain]
    found += [x for x in (ID_CARD, CARD) if x in plain]
    found += [f"0535{LANDLINE}"] if f"0535{LANDLINE}" in plain else []
    return found

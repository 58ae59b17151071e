"""`yuqing source test` for a 人民网领导留言板 source: ask each configured board for its newest
messages through the same interface the spider uses, and show three of them.

A source marked `verified: false` becomes trustworthy only after this has run against the live
site and shown real messages (crawlers/liuyan.py says why the shapes are what they are).
"""

from __future__ import annotations

from yuqing.config.models import Source
from yuqing.crawlers import liuyan as api
from yuqing.crawlers.probe import Probe, Sample
from yuqing.crawlers.probe_fetch import Fetcher
from yuqing.crawlers.urls import host_of, is_private_host


def probe_liuyan(source: Source, fetcher: Fetcher, samples: int = 3) -> Probe:
    base = source.urls[0].rstrip("/")
    result = Probe(url=base, kind="liuyan", private=is_private_host(host_of(base)))
    result.name = source.name
    if result.private and not source.allow_private:
        result.problems.append(f"拒绝访问内网或本机地址（信息源未设置 allow_private）：{base}")
        return result
    for forum in source.forums:
        try:
            resp = fetcher.session.post(
                f"{base}{api.LIST_PATH}", data=api.list_form(forum.fid),
                headers={"Referer": f"{base}/threads/list?fid={forum.fid}"},
                timeout=fetcher.timeout, allow_redirects=False)
            messages = api.parse_list(resp.content, resp.status_code,
                                      resp.headers.get("Content-Type", "").lower())
        except api.LiuyanError as exc:
            result.problems.append(f"{forum.name or forum.fid}：{exc}")
            if str(exc).startswith("被限流"):
                break                    # asking the next board would only deepen the block
            continue
        except Exception as exc:  # noqa: BLE001 - a network error is a finding, not a crash
            result.problems.append(f"{forum.name or forum.fid}：无法连接：{type(exc).__name__}")
            continue
        result.links += len(messages)
        if not messages:
            result.problems.append(f"{forum.name or forum.fid}（fid {forum.fid}）没有任何留言：fid 可能不对")
        forum_name = messages[0].forum if messages else ""
        if forum.name and forum_name and forum.name not in forum_name:
            result.notes.append(f"fid {forum.fid} 在网站上是“{forum_name}”，配置写的是“{forum.name}”")
        for m in messages[:max(0, samples - len(result.samples))]:
            result.samples.append(Sample(
                url=api.message_url(base, m.tid), title=m.title, published_at=m.published_at,
                author=m.author, source=f"{m.forum}·{m.message_type}·{m.status}", content=m.content,
                reply=f"{m.reply_department}：{m.reply}" if m.reply else ""))
    return result

"""What `yuqing source add/test` prints, and what changed since a source's last check."""

from __future__ import annotations

import json

from yuqing.crawlers.probe import KIND_NAMES
from yuqing.crawlers.probe_samples import Probe, field_counts
from yuqing.paths import home
from yuqing.timeutil import fmt, now

FIELD_NAMES = {"title": "标题", "published_at": "发布时间", "content": "正文", "author": "作者", "source": "来源"}


def describe(result: Probe) -> str:
    lines = [f"地址：{result.url}", f"类型：{KIND_NAMES.get(result.kind, result.kind or '无法判断')}"
             + (f"（{result.kind}）" if result.kind in ("feed", "site", "board") else "")]
    if result.name:
        lines.append(f"页面名称：{result.name}")
    if result.kind in ("site", "board"):
        block = result.block or "自动识别（大汉 datastore 记录）"
        lines.append(f"文章链接块：{block}，共 {result.links} 条")
        lines.append(f"翻页：{result.paging}")
    elif result.kind in ("feed", "liuyan"):
        lines.append(f"条目：{result.links} 条")
    if result.private:
        lines.append("注意：这是内网或本机地址，配置中需要 allow_private: true")
    lines += [f"说明：{note}" for note in result.notes]
    for n, sample in enumerate(result.samples, 1):
        body = [line for line in sample.content.split("\n") if line.strip()][:3]
        lines.append(f"\n样例 {n}：{sample.url}")
        lines.append(f"  标题：{sample.title or '（未找到）'}")
        lines.append(f"  时间：{fmt(sample.published_at, '%Y-%m-%d %H:%M') if sample.published_at else '（未找到）'}"
                     f"　来源：{sample.source or '—'}　作者：{sample.author or '—'}")
        if sample.reply:
            lines.append(f"  答复：{sample.reply[:80]}")
        lines += [f"  正文：{line[:80]}{'…' if len(line) > 80 else ''}" for line in body[:1]]
        lines += [f"        {line[:80]}{'…' if len(line) > 80 else ''}" for line in body[1:]]
    lines.append("\n问题：" + ("；".join(result.problems) if result.problems else "无"))
    return "\n".join(lines)


def _path(source_id: str):
    folder = home() / "source-checks"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{source_id}.json"


def summary(result: Probe) -> dict:
    return {"kind": result.kind, "links": result.links, "paging": result.paging, "block": result.block,
            "fields": field_counts(result.samples), "samples": len(result.samples),
            "problems": list(result.problems), "checked_at": now().isoformat()}


def load_last(source_id: str) -> dict | None:
    try:
        return json.loads(_path(source_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def save_last(source_id: str, result: Probe) -> None:
    _path(source_id).write_text(json.dumps(summary(result), ensure_ascii=False, indent=1), encoding="utf-8")


def changes(source, result: Probe, last: dict | None) -> list[str]:
    """Differences a person acts on: against the config, then against the last check."""
    out = list(result.notes)
    if last is None:
        out.append("首次检查" + (f"（配置记录的核实日期 {source.verified_on}）" if source.verified_on else ""))
        return out
    now_ = summary(result)
    when = last.get("checked_at", "")[:16].replace("T", " ")
    if last.get("kind") != now_["kind"]:
        out.append(f"类型由 {last.get('kind')} 变为 {now_['kind']}")
    if result.kind in ("site", "board"):
        before, after = last.get("links", 0), now_["links"]
        if after == 0 and before:
            out.append(f"列表页链接由 {before} 条变为 0 条（上次检查 {when}）")
        elif before and abs(after - before) > max(2, before // 2):
            out.append(f"列表页链接由 {before} 条变为 {after} 条")
        if last.get("paging") != now_["paging"]:
            out.append(f"翻页由“{last.get('paging')}”变为“{now_['paging']}”")
    fields_before, fields_after = last.get("fields", {}), now_["fields"]
    for key, label in FIELD_NAMES.items():
        b, a = fields_before.get(key, 0), fields_after.get(key, 0)
        if b and a < b and now_["samples"]:
            out.append(f"样例中找到{label}的由 {b}/{last.get('samples')} 篇降为 {a}/{now_['samples']} 篇")
        elif a > b and b < last.get("samples", 0):
            out.append(f"样例中找到{label}的由 {b}/{last.get('samples')} 篇升为 {a}/{now_['samples']} 篇")
    gone = [p for p in last.get("problems", []) if p not in now_["problems"]]
    if gone and not now_["problems"]:
        out.append("上次检查的问题已消失")
    return out

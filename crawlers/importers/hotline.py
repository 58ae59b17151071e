"""12345 政务服务便民热线 work orders (工单) from a district's export.

The usual export columns are 工单编号, 受理时间, 诉求内容, 诉求地址, 诉求类型, 承办单位,
办结时间, 办理结果, 满意度; common other names are recognised, and a district whose system
names them differently maps them in settings.yaml (imports.hotline_columns). A work order is
one mention, found again by its 工单编号, so importing a newer export updates it.
"""

from __future__ import annotations

from pathlib import Path

from yuqing.crawlers.extract import parse_chinese_datetime
from yuqing.crawlers.importers.model import ImportFileError, ImportRecord, RowError
from yuqing.crawlers.importers.tables import Table, read_table

REQUIRED = ("工单编号", "受理时间", "诉求内容")
# our name -> other names seen in 12345 exports
ALIASES = {
    "工单编号": ("工单号", "工单编码", "受理编号", "编号"),
    "受理时间": ("来电时间", "受理日期", "登记时间", "创建时间"),
    "诉求标题": ("标题", "工单标题", "事项标题"),
    "诉求内容": ("来电内容", "诉求详情", "问题描述", "反映内容", "工单内容"),
    "诉求地址": ("事发地址", "地址", "事发地点", "问题地址"),
    "诉求类型": ("诉求分类", "问题分类", "工单类型", "业务类型"),
    "承办单位": ("承办部门", "责任单位", "办理单位", "处置单位"),
    "办结时间": ("办结日期", "完成时间", "答复时间"),
    "办理结果": ("处理结果", "答复内容", "办理情况", "回复内容"),
    "满意度": ("回访满意度", "满意度评价", "评价结果"),
    "工单状态": ("办理状态", "状态"),
    "诉求人": ("来电人", "来电人姓名", "姓名", "市民姓名"),
}
URL_PREFIX = "urn:yuqing:12345:"


def read_hotline(path: Path, mapping: dict[str, str] | None = None
                 ) -> tuple[list[ImportRecord], list[RowError]]:
    table = read_table(path)
    columns = _columns(table, mapping or {})
    records: list[ImportRecord] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for number, cells in table.rows:
        row = f"{table.where} 第 {number} 行"
        value = {name: (cells[i] if i < len(cells) else "") for name, i in columns.items()}
        try:
            record = _record(row, value)
        except ValueError as exc:
            errors.append(RowError(row, str(exc)))
            continue
        if record.external_id in seen:
            # the later row of one export wins: it is the newer state of the same order
            records[seen[record.external_id]] = record
            continue
        seen[record.external_id] = len(records)
        records.append(record)
    return records, errors


def _columns(table: Table, mapping: dict[str, str]) -> dict[str, int]:
    header = [h.strip().replace("\n", "") for h in table.header]
    index = {name: i for i, name in enumerate(header) if name}
    found: dict[str, int] = {}
    for ours, theirs in mapping.items():
        if theirs not in index:
            raise ImportFileError(f"{table.where}：settings.yaml 的 imports.hotline_columns 把"
                                  f"“{ours}”映射到列“{theirs}”，但文件中没有这一列；"
                                  f"文件的列为：{'、'.join(h for h in header if h)}")
        found[ours] = index[theirs]
    for ours, others in ALIASES.items():
        if ours in found:
            continue
        for name in (ours, *others):
            if name in index:
                found[ours] = index[name]
                break
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        raise ImportFileError(
            f"{table.where}：缺少必需的列“{'”“'.join(missing)}”。文件的列为："
            f"{'、'.join(h for h in header if h) or '（空）'}。若只是列名不同，请在 settings.yaml "
            f"中设置 imports.hotline_columns，例如 {missing[0]}: 文件中的列名")
    return found


def _time(row: str, name: str, text: str, required: bool = False):
    if not text:
        if required:
            raise ValueError(f"“{name}”为空")
        return None
    value = parse_chinese_datetime(text)
    if value is None:
        raise ValueError(f"“{name}”不是可识别的时间：{text[:30]}")
    return value


def _record(row: str, v: dict[str, str]) -> ImportRecord:
    number = v.get("工单编号", "").strip()
    if not number:
        raise ValueError("“工单编号”为空，无法识别是哪一张工单")
    content = v.get("诉求内容", "").strip()
    if not content:
        raise ValueError(f"工单 {number} 的“诉求内容”为空")
    accepted = _time(row, "受理时间", v.get("受理时间", ""), required=True)
    finished = _time(row, "办结时间", v.get("办结时间", ""))
    result = v.get("办理结果", "").strip()
    kind = v.get("诉求类型", "").strip()
    status = v.get("工单状态", "").strip() or ("已办结" if finished or result else "办理中")
    title = v.get("诉求标题", "").strip() or f"{kind + '：' if kind else ''}{_opening(content)}"
    address = v.get("诉求地址", "").strip()
    details = {"工单编号": number}
    for name in ("诉求类型", "满意度", "承办单位"):
        if v.get(name, "").strip():
            details[name] = v[name].strip()
    body = f"{content}\n诉求地址：{address}" if address else content
    return ImportRecord(
        row=row, channel="hotline", external_id=number, url=URL_PREFIX + number, kind="order",
        title=title, content=body, published_at=accepted, author=_name(v.get("诉求人", "")),
        status=status, reply=result, reply_at=finished,
        reply_department=v.get("承办单位", "").strip(), address=address, details=details)


def _opening(text: str, limit: int = 30) -> str:
    first = text.replace("\r", "").split("\n")[0].strip()
    return first if len(first) <= limit else first[:limit] + "…"


def _name(name: str) -> str:
    """A caller's name is personal data: keep the surname, as 12345 replies do (张先生 → 张**)."""
    name = name.strip()
    return name[0] + "*" * (len(name) - 1) if name else ""

"""A district's 12345 hotline export (12345政务服务便民热线工单), dated relative to `now`.

The columns are the usual ones of a 12345 system's export; callers' numbers appear in the
text as citizens dictate them, so the import's masking has something to do.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from yuqing.sample_sites.model import ago

COLUMNS = ("工单编号", "受理时间", "诉求人", "联系电话", "诉求内容", "诉求地址", "诉求类型",
           "承办单位", "办结时间", "办理结果", "满意度")

# (hours ago, caller, text, address, type, department, hours to close or None, result, satisfaction)
ORDERS = (
    (20.0, "王建国", "来电反映家中暖气不热，室温只有14度，家中有老人，供热公司电话打不通，"
     "请尽快派人维修。回电号码13806381234。", "芝罘区只楚街道葡萄山社区葡萄山小区5号楼",
     "供热", "只楚街道办事处", None, "", ""),
    (16.5, "李秀英", "来电反映只楚社区老楼暖气一直不热，已多次向供热公司投诉无人处理，诉求尽快解决。",
     "芝罘区只楚街道只楚社区只楚花园12号楼", "供热", "只楚街道办事处", 6.0,
     "经只楚街道协调供热公司上门排查，系楼内管道堵塞，已清洗管道，室温恢复至19度。", "满意"),
    (11.0, "孙立新", "来电反映葡萄山小区多栋楼暖气不热，供暖费已交足，室温只有十几度，要求督促供热企业排查。",
     "芝罘区只楚街道葡萄山小区7号楼", "供热", "区住房和城乡建设局", None, "", ""),
    (50.0, "赵敏", "来电反映福泰小区加装电梯停运一周，老人上下楼困难，物业称在等配件，诉求尽快修复。",
     "芝罘区幸福街道福泰社区福泰小区3号楼", "物业管理", "幸福街道办事处", 30.0,
     "已督促物业公司联系电梯厂家，配件已到，电梯已恢复运行。", "基本满意"),
    (75.0, "周先生", "来电反映南山路一小吃店夜间噪音扰民至凌晨，多次劝说无果。",
     "芝罘区奇山街道南山社区南山路", "噪音扰民", "区综合行政执法局", 40.0,
     "执法人员已到现场约谈经营者，责令其22时后停止室外经营。", "不满意"),
    (120.0, "钱女士", "来电咨询孩子转学到毓璜顶附近小学需要哪些材料，学校说要等通知。",
     "芝罘区毓璜顶街道胜利路社区", "教育", "区教育和体育局", 20.0,
     "已电话告知转学所需材料及办理流程。", "满意"),
)


def hotline_rows(now: datetime) -> list[dict[str, str]]:
    rows = []
    for n, (hours, caller, text, address, kind, dept, close, result, grade) in enumerate(ORDERS, 1):
        accepted = ago(now, hours)
        closed = ago(now, hours - close) if close is not None else None
        rows.append({
            "工单编号": f"YT12345{accepted:%Y%m%d}{n:04d}", "受理时间": f"{accepted:%Y-%m-%d %H:%M:%S}",
            "诉求人": caller, "联系电话": f"1380638{n:04d}", "诉求内容": text, "诉求地址": address,
            "诉求类型": kind, "承办单位": dept,
            "办结时间": f"{closed:%Y-%m-%d %H:%M:%S}" if closed else "", "办理结果": result,
            "满意度": grade})
    return rows


def write_hotline_xlsx(path: Path, now: datetime) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "工单明细"
    sheet.append(list(COLUMNS))
    for row in hotline_rows(now):
        sheet.append([row[c] for c in COLUMNS])
    book.save(path)
    return path

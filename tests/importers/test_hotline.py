"""`yuqing import 12345`: the usual export, renamed columns, GBK, empty sheets, idempotence."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from yuqing.app.imports import import_path
from yuqing.config import load_config
from yuqing.sample_sites.hotline import COLUMNS, hotline_rows, write_hotline_xlsx
from yuqing.storage.models import Mention
from yuqing.timeutil import SHANGHAI

NOW = datetime(2026, 1, 12, 10, 0, tzinfo=SHANGHAI)


def _csv(path: Path, rows: list[dict], encoding: str, columns=COLUMNS) -> Path:
    with open(path, "w", encoding=encoding, newline="") as out:
        writer = csv.writer(out)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(c, "") for c in COLUMNS])
    return path


def _mentions(db):
    with db.session() as s:
        # in the export's order: the last four digits of 工单编号 number the rows
        return sorted(s.scalars(select(Mention)).all(), key=lambda m: m.external_id[-4:])


def test_xlsx_import_masks_places_and_is_idempotent(db, default_config, tmp_path):
    path = write_hotline_xlsx(tmp_path / "工单.xlsx", NOW)
    first = import_path(default_config, db, "12345", path)
    assert first.as_json() == {"new": 6, "updated": 0, "unchanged": 0, "errors": []}
    again = import_path(default_config, db, "12345", path)
    assert again.as_json() == {"new": 0, "updated": 0, "unchanged": 6, "errors": []}
    mentions = _mentions(db)
    heating = mentions[0]
    assert heating.channel == "hotline" and heating.kind == "order"
    assert heating.source_id == "import-12345"
    assert "13806381234" not in heating.content and "138****1234" in heating.content
    assert heating.author == "王**"
    assert heating.place_id == "zhichu"
    assert heating.details["街道"] == "只楚街道" and heating.details["社区"] == "葡萄山社区"
    assert heating.status == "办理中" and heating.reply == ""
    closed = mentions[1]
    assert closed.status == "已办结" and closed.reply_department == "只楚街道办事处"
    assert closed.reply_at is not None and closed.details["满意度"] == "满意"


def test_newer_export_updates_the_same_order(db, default_config, tmp_path):
    rows = hotline_rows(NOW)
    import_path(default_config, db, "12345", _csv(tmp_path / "a.csv", rows, "utf-8-sig"))
    rows[0]["办结时间"] = "2026-01-12 09:30:00"
    rows[0]["办理结果"] = "供热公司已上门放气，室温恢复到18度。"
    report = import_path(default_config, db, "12345", _csv(tmp_path / "b.csv", rows, "utf-8-sig"))
    assert (report.new, report.updated, report.unchanged) == (0, 1, 5)
    order = _mentions(db)[0]
    assert order.status == "已办结" and "室温恢复" in order.reply
    assert order.analysed_at is None                  # analysed again with its new state


def test_gbk_csv_with_renamed_columns_is_read(db, default_config, tmp_path):
    renamed = ["工单号", "来电时间", "来电人", "联系电话", "来电内容", "事发地址", "问题分类",
               "责任单位", "办结日期", "处理结果", "回访满意度"]
    path = _csv(tmp_path / "gbk.csv", hotline_rows(NOW), "gbk", renamed)
    report = import_path(default_config, db, "12345", path)
    assert report.new == 6 and not report.errors
    assert "暖气不热" in _mentions(db)[0].content


def test_unknown_column_names_need_a_mapping(db, default_config, tmp_path):
    columns = ["单号", *COLUMNS[1:]]
    path = _csv(tmp_path / "odd.csv", hotline_rows(NOW), "utf-8", columns)
    report = import_path(default_config, db, "12345", path)
    assert report.new == 0
    [error] = report.errors
    assert "odd.csv" in error.message and "缺少必需的列“工单编号”" in error.message
    assert "imports.hotline_columns" in error.message
    custom = tmp_path / "config"
    custom.mkdir()
    (custom / "profile.yaml").write_text(f"extends: {default_config.directory}\n",
                                         encoding="utf-8")
    (custom / "settings.yaml").write_text("imports:\n  hotline_columns: {工单编号: 单号}\n",
                                          encoding="utf-8")
    assert import_path(load_config(str(custom)), db, "12345", path).new == 6


def test_bad_rows_are_named_and_the_rest_imported(db, default_config, tmp_path):
    rows = hotline_rows(NOW)
    rows[2]["受理时间"] = "待补录"
    rows[4]["工单编号"] = ""
    report = import_path(default_config, db, "12345", _csv(tmp_path / "bad.csv", rows, "utf-8"))
    assert report.new == 4
    assert [e.row for e in report.errors] == ["bad.csv 第 4 行", "bad.csv 第 6 行"]
    assert "“受理时间”不是可识别的时间：待补录" in report.errors[0].message
    assert "工单编号" in report.errors[1].message


def test_empty_sheets_and_wrong_files_are_clear_errors(db, default_config, tmp_path):
    book = Workbook()
    book.active.title = "Sheet1"
    book.create_sheet("Sheet2")
    book.save(tmp_path / "empty.xlsx")
    [error] = import_path(default_config, db, "12345", tmp_path / "empty.xlsx").errors
    assert error.message == "empty.xlsx：工作表 “Sheet1”、“Sheet2” 都是空的，没有可导入的数据"
    (tmp_path / "fake.xlsx").write_text("工单编号,受理时间\n", encoding="utf-8")
    [error] = import_path(default_config, db, "12345", tmp_path / "fake.xlsx").errors
    assert "fake.xlsx：不是有效的 .xlsx 文件" in error.message
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    [error] = import_path(default_config, db, "12345", tmp_path / "old.xls").errors
    assert "另存为 .xlsx 或 .csv" in error.message
    assert _mentions(db) == []


def test_cli_json_report(tmp_path):
    path = write_hotline_xlsx(tmp_path / "工单.xlsx", NOW)
    env = {"YUQING_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"}
    cmd = [sys.executable, "-m", "yuqing.app.cli", "import", "12345", str(path), "--json"]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {"new": 6, "updated": 0, "unchanged": 0, "errors": []}
    again = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert json.loads(again.stdout)["unchanged"] == 6

"""Rows of a spreadsheet export: .csv (UTF-8 or GBK/GB18030) or .xlsx, with a header row.

Every problem is a Chinese sentence naming the file (and the sheet); a row's position is the
one a person sees in Excel or a text editor (header = row 1).
"""

from __future__ import annotations

import csv
import io
from zipfile import BadZipFile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from yuqing.crawlers.importers.model import ImportFileError


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]          # (row number as shown, cells)
    where: str                                 # 文件名 or 文件名 工作表“…”
    encoding: str = ""


def read_table(path: Path) -> Table:
    suffix = path.suffix.lower()
    if not path.exists():
        raise ImportFileError(f"文件不存在：{path}")
    if suffix == ".csv":
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix == ".xls":
        raise ImportFileError(f"{path.name}：不支持旧版 Excel 的 .xls 文件，请在 Excel 中另存为 "
                              ".xlsx 或 .csv 后再导入")
    raise ImportFileError(f"{path.name}：只能导入 .xlsx 或 .csv 文件")


def _decode(raw: bytes, name: str) -> tuple[str, str]:
    # Exports from Chinese government systems are UTF-8 (often with a BOM) or GBK; GB18030
    # is GBK's superset, so it reads both GBK and the rare characters GBK lacks.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding), "utf-8" if encoding == "utf-8-sig" else "gbk"
        except UnicodeDecodeError:
            continue
    raise ImportFileError(f"{name}：无法识别文件编码（既不是 UTF-8 也不是 GBK），"
                          "请在 Excel 中另存为“CSV UTF-8”后再导入")


def _read_csv(path: Path) -> Table:
    text, encoding = _decode(path.read_bytes(), path.name)
    lines = list(csv.reader(io.StringIO(text, newline="")))
    rows = [(i + 1, [c.strip() for c in cells]) for i, cells in enumerate(lines)
            if any(c.strip() for c in cells)]
    if not rows:
        raise ImportFileError(f"{path.name}：文件是空的，没有表头和数据")
    (_, header), *data = rows
    if not data:
        raise ImportFileError(f"{path.name}：只有表头，没有数据行")
    return Table(header, data, path.name, encoding)


def _read_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as exc:
        raise ImportFileError(f"{path.name}：不是有效的 .xlsx 文件（{type(exc).__name__}），"
                              "文件可能已损坏或只是改了扩展名") from exc
    try:
        empty = []
        for sheet in book.worksheets:
            rows = [(i, [_cell(c) for c in cells]) for i, cells in
                    enumerate(sheet.iter_rows(values_only=True), start=1)
                    if any(_cell(c) for c in cells)]
            if not rows:
                empty.append(sheet.title)
                continue
            (_, header), *data = rows
            where = f"{path.name} 工作表“{sheet.title}”"
            if not data:
                raise ImportFileError(f"{where}：只有表头，没有数据行")
            return Table(header, data, where)
        names = "、".join(f"“{n}”" for n in empty)
        raise ImportFileError(f"{path.name}：工作表 {names} 都是空的，没有可导入的数据")
    finally:
        book.close()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))               # Excel stores 工单编号 20240101 as 20240101.0
    return str(value).strip()

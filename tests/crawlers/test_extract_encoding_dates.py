"""Encoding decided from bytes, and Chinese date expressions -> aware Asia/Shanghai datetimes."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from yuqing.crawlers.extract import decode_html, parse_chinese_datetime

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2024, 7, 2, 15, 30, tzinfo=SH)
TEXT = "芝罘区政务公开：发布时间"


def test_gbk_bytes_declared_utf8_are_read_as_gb18030():
    body = f'<meta charset="utf-8"><p>{TEXT}</p>'.encode("gbk")
    text, encoding = decode_html(body, declared="utf-8")
    assert encoding == "gb18030"
    assert TEXT in text


def test_utf8_bytes_declared_gb2312_are_read_as_utf8():
    body = f'<meta charset="gb2312"><p>{TEXT}</p>'.encode("utf-8")
    assert decode_html(body, declared="gb2312") == (f'<meta charset="gb2312"><p>{TEXT}</p>', "utf-8")


def test_utf8_cut_inside_a_character_is_still_utf8():
    body = f"<p>{TEXT}</p>".encode("utf-8") + "芝".encode("utf-8")[:2]
    text, encoding = decode_html(body)
    assert encoding == "utf-8" and text.startswith(f"<p>{TEXT}</p>")


def test_declared_charset_is_the_last_resort_after_utf8_and_gb18030():
    body = "<p>Café au lait</p>".encode("cp1252")  # "é " is invalid UTF-8 and invalid GB18030
    text, encoding = decode_html(body, declared="windows-1252")
    assert encoding == "cp1252" and "Café au lait" in text


def test_empty_and_bom():
    assert decode_html(b"") == ("", "utf-8")
    assert decode_html("\ufeff<p>芝罘</p>".encode("utf-8")) == ("<p>芝罘</p>", "utf-8")


@pytest.mark.parametrize("text, expected", [
    ("2024年07月01日 10:00", datetime(2024, 7, 1, 10, 0, tzinfo=SH)),
    ("发布时间：2024-07-01", datetime(2024, 7, 1, tzinfo=SH)),
    ("2024.07.01", datetime(2024, 7, 1, tzinfo=SH)),
    ("2024/7/1 10:00:00", datetime(2024, 7, 1, 10, 0, tzinfo=SH)),
    ("2019年06月15日08:18", datetime(2019, 6, 15, 8, 18, tzinfo=SH)),
    ("2024年7月1日下午3时20分", datetime(2024, 7, 1, 15, 20, tzinfo=SH)),
    ("2019-9-5 9:38:01 PM", datetime(2019, 9, 5, 21, 38, 1, tzinfo=SH)),
    ("2007-08-20-23:59:59", datetime(2007, 8, 20, 23, 59, 59, tzinfo=SH)),
    ("2019-09-07T06:52:51+08:00", datetime(2019, 9, 7, 6, 52, 51, tzinfo=SH)),
    ("2020-02-19T12:00:00Z", datetime(2020, 2, 19, 20, 0, tzinfo=SH)),
    ("1581517074", datetime(2020, 2, 12, 22, 17, 54, tzinfo=SH)),
    ("1581517074000", datetime(2020, 2, 12, 22, 17, 54, tzinfo=SH)),
    ("3小时前", datetime(2024, 7, 2, 12, 30, tzinfo=SH)),
    ("25分钟前", datetime(2024, 7, 2, 15, 5, tzinfo=SH)),
    ("昨天 10:00", datetime(2024, 7, 1, 10, 0, tzinfo=SH)),
    ("前天", datetime(2024, 6, 30, 0, 0, tzinfo=SH)),
    ("刚刚", datetime(2024, 7, 2, 15, 30, tzinfo=SH)),
    ("07-01 10:00", datetime(2024, 7, 1, 10, 0, tzinfo=SH)),
    ("12月31日", datetime(2023, 12, 31, tzinfo=SH)),  # not a date in the future
    ("t20240701_1234567", datetime(2024, 7, 1, tzinfo=SH)),
])
def test_parse_chinese_datetime(text, expected):
    value = parse_chinese_datetime(text, now=NOW)
    assert value == expected
    assert value.tzinfo is not None and value.utcoffset().total_seconds() == 8 * 3600


@pytest.mark.parametrize("text", ["", "浏览次数：21", "2024年13月40日", "版本 3.4.40", None])
def test_no_date(text):
    assert parse_chinese_datetime(text, now=NOW) is None

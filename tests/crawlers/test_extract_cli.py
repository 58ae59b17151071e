"""The `extract` subcommand on a saved file."""

import argparse
import json
from pathlib import Path

from yuqing.crawlers import extract_cli

PAGE = Path(__file__).resolve().parent / "pages" / "gov_gbk_declared_utf8.html"


def run(argv):
    parser = argparse.ArgumentParser()
    extract_cli.register(parser.add_subparsers())
    args = parser.parse_args(argv)
    return args.func(args)


def test_json_output(capsys):
    assert run(["extract", str(PAGE), "--url", "http://www.zhifu.gov.cn/art/2024/7/1/art_1_102.html", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["title"] == "芝罘区召开2024年安全生产工作会议"
    assert data["published_at"] == "2024-07-01T10:00:00+08:00"
    assert data["encoding"] == "gb18030"


def test_readable_summary(capsys):
    assert run(["extract", str(PAGE)]) == 0
    out = capsys.readouterr().out
    assert "标题：芝罘区召开2024年安全生产工作会议" in out
    assert "发布时间：2024-07-01 10:00:00" in out
    assert "正文前 200 字：7月1日上午" in out


def test_missing_file_is_a_clear_error(capsys, tmp_path):
    assert run(["extract", str(tmp_path / "nope.html")]) == 2
    assert "无法读取文件" in capsys.readouterr().err

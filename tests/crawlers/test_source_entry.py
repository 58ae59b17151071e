"""Writing a proposed entry into sources.yaml as text: comments, order and quoting survive."""

from datetime import date

import yaml

from yuqing.crawlers.source_entry import insert_entry, list_indent, propose_id, render

ENTRY = {"id": "hw-ggfw", "name": "黄务街道·公共服务", "kind": "site", "authority": "official",
         "urls": ["http://hw.zhifu.gov.cn/col/ggfw/index.html"], "interval": "30m", "verified": True,
         "verified_on": date(2026, 11, 30), "selectors": {"list_links": "ul.list-box a"}}


def test_appended_after_the_last_source_keeping_comments():
    text = ("# 信息源说明\nsources:\n  # 政府网站\n  - id: a\n    name: 甲\n    kind: site\n"
            "    urls: [\"http://a.gov.cn/\"]\n\n# 文件末尾的注释\n")
    new = insert_entry(text, render(ENTRY, list_indent(text)))
    assert new.startswith(text.split("\n# 文件末尾")[0])
    assert new.endswith("\n# 文件末尾的注释\n")
    data = yaml.safe_load(new)
    assert [s["id"] for s in data["sources"]] == ["a", "hw-ggfw"]
    assert data["sources"][1] == {**ENTRY}


def test_unindented_lists_empty_lists_and_odd_names():
    flat = "sources:\n- id: a\n  name: 甲\n  kind: feed\n  urls: [\"http://a.cn/feed\"]\n"
    entry = {**ENTRY, "name": "名称: 带冒号 #和井号"}
    data = yaml.safe_load(insert_entry(flat, render(entry, list_indent(flat))))
    assert data["sources"][1]["name"] == "名称: 带冒号 #和井号"
    assert yaml.safe_load(insert_entry("sources: []\n", render(ENTRY)))["sources"][0]["id"] == "hw-ggfw"


def test_ids_are_unique_and_readable():
    assert propose_id("http://www.zhifu.gov.cn/col/col7843/index.html", set()) == "zhifu-col7843"
    assert propose_id("http://www.zhifu.gov.cn/col/col7843/index.html", {"zhifu-col7843"}) == "zhifu-col7843-2"
    assert propose_id("https://news.163.com/", set()) == "163"

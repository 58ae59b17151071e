"""`yuqing source add/test` against real local HTTP servers: the bundled sample sites, a young
column written for these tests, and (when ../shared is present) real saved pages."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from yuqing.config import load_config
from yuqing.config.loader import DEFAULT_DIR
from yuqing.crawlers import source_cli
from yuqing.crawlers.runner import crawl_in_subprocess
from yuqing.storage.models import Mention

from edgesites import FAST
from staticsite import from_folder, serve

HERE = Path(__file__).resolve().parent
YOUNG = HERE.parent / "sample_sites" / "young"
REAL = HERE.parents[1].parent / "shared" / "fixtures" / "real"
NOW = "2026-11-30T10:00:00+08:00"
SAMPLE_PATHS = {"portal": ("YUQING_SAMPLE_PORTAL", "/col/zfyw/index.html", "site"),
                "news": ("YUQING_SAMPLE_NEWS", "/yantai/index.html", "site"),
                "weibo": ("YUQING_SAMPLE_WEIBO", "/weibo/user/5634519934", "feed"),
                "board": ("YUQING_SAMPLE_BOARD", "/liuyan/list_1.html", "board")}


@pytest.fixture
def config_copy(tmp_path, monkeypatch):
    """A copy of the shipped config, comments and all, with the clock pinned."""
    monkeypatch.setenv("YUQING_NOW", NOW)
    target = tmp_path / "cfg"
    shutil.copytree(DEFAULT_DIR, target)
    return target


def yuqing(*argv: str) -> subprocess.CompletedProcess:
    """The installed command, as a script or an officer runs it."""
    return subprocess.run([sys.executable, "-m", "yuqing.app.cli", *argv], capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--config")
    source_cli.register(parser.add_subparsers())
    args = parser.parse_args(argv)
    return args.func(args)


def test_add_each_sample_site_writes_an_entry_the_crawler_uses(config_copy, sample_sites, db):
    before = (config_copy / "sources.yaml").read_text(encoding="utf-8")
    env = sample_sites.env()
    added = {}
    for site, (key, path, kind) in SAMPLE_PATHS.items():
        done = yuqing("--config", str(config_copy), "source", "add", env[key] + path, "--name", f"示例{site}", "--yes")
        assert done.returncode == 0, done.stdout + done.stderr
        assert f"类型：" in done.stdout and "样例 3：" in done.stdout, done.stdout
        assert "问题：无" in done.stdout, done.stdout
        config = load_config(config_copy)
        new = config.sources[-1]
        assert (new.name, new.kind, new.urls) == (f"示例{site}", kind, [env[key] + path])
        assert new.verified and new.verified_on == date(2026, 11, 30)
        assert new.allow_private          # loopback: the crawler's guard would refuse it otherwise
        added[site] = new
    # The officers' comments and the existing sources stay exactly as they were, in order.
    after = (config_copy / "sources.yaml").read_text(encoding="utf-8")
    assert after.startswith(before)
    # Selectors only where the generic extraction needs them: the board's message fields.
    assert not added["portal"].selectors.model_dump(exclude_none=True)
    assert not added["news"].selectors.model_dump(exclude_none=True)
    board = added["board"].selectors
    assert board.content and board.reply and board.reply_department and board.reply_at
    # The entries crawl: every site's items arrive, with the board's replies.
    ids = [s.id for s in added.values()]
    summaries = crawl_in_subprocess(str(config_copy), db.url, ids, crawl=FAST)
    assert {s.source_id: s.status for s in summaries} == {i: "ok" for i in ids}
    served = {item.url: item for item in sample_sites.items()}
    with db.session() as s:
        mentions = s.query(Mention).all()
    by_site = {site: [m for m in mentions if m.source_id == added[site].id] for site in added}
    assert all(by_site.values())
    for m in by_site["board"]:
        item = served[m.url]
        assert m.content.startswith(item.text[:20]) and bool(m.reply) == bool(item.reply)
    for m in by_site["portal"] + by_site["news"]:
        assert m.title == served[m.url].title


def test_source_test_json_shape_and_changes(config_copy, sample_sites, capsys):
    env = sample_sites.env()
    url = env["YUQING_SAMPLE_PORTAL"] + "/col/tzgg/index.html"
    assert run(["--config", str(config_copy), "source", "add", url, "--yes", "--id", "portal-tzgg"]) == 0
    capsys.readouterr()
    assert run(["--config", str(config_copy), "source", "test", "portal-tzgg", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "site" and data["problems"] == []
    assert len(data["articles"]) == 3
    for article in data["articles"]:
        assert set(article) == {"url", "title", "published_at", "content"}
        assert article["title"] and article["published_at"].endswith("+08:00") and article["content"]
    assert any("首次检查" in c for c in data["changes"])
    # A selector that stops matching is a problem, and the change is named.
    text = (config_copy / "sources.yaml").read_text(encoding="utf-8")
    (config_copy / "sources.yaml").write_text(
        text.replace("  - id: portal-tzgg\n", "  - id: portal-tzgg\n    selectors: {list_links: \"ul.gone a\"}\n"),
        encoding="utf-8")
    assert run(["--config", str(config_copy), "source", "test", "portal-tzgg"]) == 1
    out = capsys.readouterr().out
    assert "列表选择器 list_links = ul.gone a 没有匹配到链接" in out
    assert "列表页链接由 20 条变为 0 条" in out


def test_add_refuses_duplicates_and_bad_addresses(config_copy, capsys):
    assert run(["--config", str(config_copy), "source", "add", "ftp://x.gov.cn/", "--yes"]) == 2
    assert "http://" in capsys.readouterr().err
    shipped = load_config(config_copy).sources[0].urls[0]
    before = (config_copy / "sources.yaml").read_text(encoding="utf-8")
    assert run(["--config", str(config_copy), "source", "add", shipped, "--yes"]) == 2
    assert "已在信息源" in capsys.readouterr().err
    assert (config_copy / "sources.yaml").read_text(encoding="utf-8") == before


def test_unknown_source_id_is_a_clear_error(config_copy, capsys):
    assert run(["--config", str(config_copy), "source", "test", "no-such"]) == 2
    assert "没有 id 为“no-such”的信息源" in capsys.readouterr().err


def test_young_column_with_two_entries_and_an_article_address(tmp_path, monkeypatch, capsys):
    """A new column shows two entries beside a sidebar of five hot links: the two are the
    column; given one of its articles instead, the command finds the column by the breadcrumb."""
    monkeypatch.setenv("YUQING_NOW", NOW)
    cfg = tmp_path / "cfg"
    cfg.mkdir()
    (cfg / "profile.yaml").write_text(f"extends: {DEFAULT_DIR}\n", encoding="utf-8")
    with serve(from_folder(YOUNG)) as base:
        assert run(["--config", str(cfg), "source", "add", base + "/col/ggfw/index.html", "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["kind"] == "site"
        assert [a["title"] for a in data["articles"]] == [
            "黄务街道2026年冬季供暖服务热线及报修办理指南", "黄务街道社区卫生服务中心开展免费流感疫苗接种的通知"]
        assert data["articles"][0]["published_at"] == "2026-11-28T09:30:00+08:00"
        assert data["entry"]["name"] == "烟台市芝罘区黄务街道办事处·公共服务"
        assert "selectors" not in data["entry"]

        article = base + "/art/2026/11/28/art_3302_990015.html"
        assert run(["--config", str(cfg), "source", "add", article, "--yes"]) == 0
        out = capsys.readouterr().out
        assert "它所在的栏目是 " + base + "/col/ggfw/index.html" in out
    # The profile inherited its sources: they were copied before the new one was appended.
    config = load_config(cfg)
    assert [s.id for s in config.sources][:-1] == [s.id for s in load_config(DEFAULT_DIR).sources]
    assert config.sources[-1].urls == [base + "/col/ggfw/index.html"]


# --- real saved pages (../shared), served locally; never copied into the repository ---------

needs_real = pytest.mark.skipif(not (REAL / "lists").is_dir(),
                                reason=f"real page fixtures not present at {REAL} (they live outside the repo)")


def _real_folder(kind: str):
    folder = REAL / kind
    return lambda path: (folder / path.lstrip("/")) if (folder / path.lstrip("/")).is_file() else None


@needs_real
@pytest.mark.parametrize("label", sorted(p.name for p in (REAL / "lists").glob("*.json")) if REAL.is_dir() else [])
def test_real_list_pages_are_lists_with_their_links(label, tmp_path):
    from yuqing.crawlers.probe import page_kind
    from yuqing.crawlers.probe_fetch import Fetcher

    meta = json.loads((REAL / "lists" / label).read_text(encoding="utf-8"))
    with serve(_real_folder("lists")) as base:
        page = Fetcher().get(f"{base}/{meta['file']}")
        kind, blocks = page_kind(page)
    assert kind == "site"
    found = {link.url for link in blocks[0].links}
    expected = {urljoin(page.url, item["href"]) for item in meta["items"]}
    assert len(found & expected) >= 0.9 * len(found), meta["file"]
    # A news front page is a dozen channel blocks, not one column: its first block is enough
    # (a source is the channel's own list page); a column page must give nearly all its links.
    if "home" not in meta["file"]:
        assert len(found & expected) >= 0.85 * len(expected), meta["file"]


@needs_real
def test_real_article_pages_are_articles(tmp_path):
    from yuqing.crawlers.probe import probe
    from yuqing.crawlers.probe_fetch import Fetcher

    labels = sorted((REAL / "articles").glob("*.json"))
    wrong = []
    with serve(_real_folder("articles")) as base:
        for meta_path in labels:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            url = f"{base}/{meta_path.with_suffix('.html').name}"
            result = probe(url, Fetcher())
            # No column page is served: the command says so and still shows the article.
            if result.kind != "article" or not result.samples:
                wrong.append((meta_path.stem, result.kind))
                continue
            assert result.samples[0].title.replace(" ", "") == meta["title"].replace(" ", "") or \
                meta_path.stem.startswith(("52_", "53_", "54_")), meta_path.stem
            assert any("不是栏目" in p for p in result.problems)
    assert len(wrong) <= 1, wrong


@needs_real
def test_real_feeds_are_feeds(tmp_path):
    from yuqing.crawlers.probe import probe
    from yuqing.crawlers.probe_fetch import Fetcher

    with serve(_real_folder("feeds")) as base:
        for xml in sorted((REAL / "feeds").glob("*.xml")):
            result = probe(f"{base}/{xml.name}", Fetcher())
            assert result.kind == "feed" and result.links > 0, xml.name
            assert result.name, xml.name


def test_young_board_with_one_message_gets_its_link_and_reply_selectors(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("YUQING_NOW", NOW)
    cfg = tmp_path / "cfg"
    shutil.copytree(DEFAULT_DIR, cfg)
    with serve(from_folder(YOUNG)) as base:
        assert run(["--config", str(cfg), "source", "add", base + "/liuyan/list_1.html", "--yes",
                    "--name", "黄务街道民情直通车"]) == 0
        out = capsys.readouterr().out
    assert "类型：留言板列表页（board）" in out and "共 1 条" in out
    assert "答复：黄务街道城市管理办公室 王先生您好" in out
    board = load_config(cfg).sources[-1]
    assert board.kind == "board" and board.authority == "public"
    assert (board.selectors.content, board.selectors.reply, board.selectors.reply_department) == (
        "div.ly-body", "div.hf-text", "p.hf-dept")

"""Config loading: the shipped profiles load; every kind of mistake gets a precise Chinese message."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from yuqing.config import DEFAULT_DIR, ConfigError, load_config


@pytest.fixture
def cfg_dir(tmp_path):
    target = tmp_path / "cfg"
    shutil.copytree(DEFAULT_DIR, target)
    return target


def problems_of(path) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return [str(p) for p in info.value.problems]


def edit(path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_shipped_default_describes_zhifu():
    config = load_config("default")
    assert config.settings.district == "芝罘区"
    assert "只楚街道" in {p.name for p in config.places}
    assert config.department(config.routing.duty_office).name == "区政府办公室"
    assert all(t.owner in {d.id for d in config.departments} for t in config.topics)


def test_demo_profile_inherits_default_and_points_at_sample_sites(monkeypatch):
    monkeypatch.setenv("YUQING_SAMPLE_PORTAL", "http://127.0.0.2:9999")
    config = load_config("demo")
    assert config.topics == load_config("default").topics
    assert all(s.allow_private for s in config.sources)
    assert any("127.0.0.2:9999" in u for s in config.sources for u in s.urls)


def test_typo_in_key_names_file_key_and_suggestion(cfg_dir):
    edit(cfg_dir / "sources.yaml", "    interval: 30m", "    intervall: 30m")
    problems = problems_of(cfg_dir)
    assert problems[0].startswith(f"{cfg_dir / 'sources.yaml'}: sources[0].intervall: ")
    assert "未知的键“intervall”，是否应为“interval”？" in problems[0]


def test_typo_in_nested_key(cfg_dir):
    edit(cfg_dir / "topics.yaml", "      subject: [供暖", "      subjct: [供暖")
    problems = problems_of(cfg_dir)
    assert any("topics[0].rule.subjct" in p and "是否应为“subject”" in p for p in problems)


def test_unknown_department_is_named(cfg_dir):
    edit(cfg_dir / "topics.yaml", "owner: zhujian", "owner: zhujain")
    assert problems_of(cfg_dir) == [
        f"{cfg_dir / 'topics.yaml'}: topics[0].owner: 部门“zhujain”未在 departments.yaml 中定义"]


def test_routing_receiver_must_exist(cfg_dir):
    edit(cfg_dir / "routing.yaml", "duty_office: qzfb", "duty_office: nobody")
    assert any("routing.duty_office" in p and "nobody" in p for p in problems_of(cfg_dir))


def test_missing_routing_default_receiver(cfg_dir):
    edit(cfg_dir / "routing.yaml", "duty_office: qzfb\n", "")
    assert any("routing.duty_office: 缺少必填项" in p for p in problems_of(cfg_dir))


def test_bad_value_types_and_durations(cfg_dir):
    edit(cfg_dir / "sources.yaml", "interval: 30m", "interval: 半小时")
    edit(cfg_dir / "sources.yaml", "kind: site", "kind: website")
    problems = problems_of(cfg_dir)
    assert any("sources[0].interval" in p and "30m、5h、2d" in p for p in problems)
    assert any("sources[0].kind" in p and "website" in p for p in problems)


def test_unreadable_yaml_reports_line(cfg_dir):
    (cfg_dir / "places.yaml").write_text("places:\n  - {id: a, name: [\n", encoding="utf-8")
    problems = problems_of(cfg_dir)
    assert problems[0].startswith(str(cfg_dir / "places.yaml"))
    assert "YAML 语法错误（第" in problems[0]


def test_missing_file_and_unknown_file(cfg_dir):
    (cfg_dir / "places.yaml").unlink()
    (cfg_dir / "sourcess.yaml").write_text("sources: []\n", encoding="utf-8")
    problems = problems_of(cfg_dir)
    assert any("places.yaml: 文件不存在" in p for p in problems)
    assert any("sourcess.yaml: 未知的配置文件" in p for p in problems)


def test_env_variables_expand_and_missing_ones_are_reported(cfg_dir, monkeypatch):
    edit(cfg_dir / "departments.yaml", '["file://", "${YUQING_CHANNEL_QZFB:-dryrun://}"]',
         '["${YUQING_TEST_MAIL}"]')
    assert any("环境变量 YUQING_TEST_MAIL 未设置" in p for p in problems_of(cfg_dir))
    monkeypatch.setenv("YUQING_TEST_MAIL", "mailto://127.0.0.1")
    assert load_config(cfg_dir).department("qzfb").channels == ["mailto://127.0.0.1"]


def test_duplicate_ids_and_shared_place_names(cfg_dir):
    edit(cfg_dir / "places.yaml", "{id: dongshan, name: 东山街道, aliases: [东山街道办]",
         "{id: dongshan, name: 东山街道, aliases: [向阳街道办]")
    assert any("“向阳街道办”属于多个地点" in p for p in problems_of(cfg_dir))


def test_cli_config_check_exit_codes(cfg_dir, tmp_path):
    ok = subprocess.run([sys.executable, "-m", "yuqing.app.cli", "config", "check", str(cfg_dir)],
                        capture_output=True, text=True)
    assert ok.returncode == 0 and "配置检查通过" in ok.stdout
    edit(cfg_dir / "sources.yaml", "    interval: 30m", "    intervall: 30m")
    bad = subprocess.run([sys.executable, "-m", "yuqing.app.cli", "config", "check", str(cfg_dir)],
                         capture_output=True, text=True)
    assert bad.returncode == 2
    assert "sources[0].intervall" in bad.stderr and "是否应为“interval”" in bad.stderr


def test_every_shipped_department_owns_a_topic():
    from yuqing.config.checks import advisories

    config = load_config("default")
    assert advisories(config) == []
    owners = {t.owner for t in config.topics} | {d for t in config.topics for d in t.co_owners}
    assert {d.id for d in config.departments if d.kind != "street"} - owners <= {config.routing.duty_office}
    # the matters the first month showed uncovered each have a topic and their 主管
    by_topic = {t.id: t.owner for t in config.topics}
    assert by_topic["eldercare"] == "minzheng" and by_topic["roads"] == "zhujian"
    assert by_topic["environment"] == "huanjing" and by_topic["parking"] == "zhifa"


def test_config_check_names_a_department_that_owns_no_topic(cfg_dir):
    text = (cfg_dir / "topics.yaml").read_text(encoding="utf-8")
    start = text.index("  - id: medinsurance")
    end = text.index("  - id: petition")
    (cfg_dir / "topics.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "yuqing.app.cli", "config", "check", str(cfg_dir)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "提醒：部门“区医疗保障局”（yibao）没有主管或协办任何主题" in out.stdout


def test_a_rule_that_matches_everything_is_named_and_not_used(cfg_dir):
    # "的" is in nearly every text (a rule of pure exclusions is refused at load already)
    edit(cfg_dir / "topics.yaml", "      subject: [低保, 救助", "      subject: [的, 了, 低保, 救助")
    out = subprocess.run([sys.executable, "-m", "yuqing.app.cli", "config", "check", str(cfg_dir)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "主题“社会救助与低保”（socialassist）的规则几乎匹配所有内容" in out.stdout

    from yuqing.analysis.topic_decision import TopicDecider

    decider = TopicDecider(load_config(cfg_dir).topics)
    assert "socialassist" not in {m.topic_id for m in decider.rules.match("", "暖气不热，楼道漏水")}
    found = decider.decide("申请低保跑了三趟", "街道说材料不全，家里实在困难")
    assert found is not None and found.topic_id == "socialassist"      # the classifier still knows it

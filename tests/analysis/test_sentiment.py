"""The domain sentiment model: what callers rely on (direction of obvious cases, empty text,
batch = singles, CLI line order, retraining on a deployment's own labels, clear data errors)
and, when ../shared is present, the accuracy targets on the real dev splits."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from yuqing.analysis import sentiment_cli
from yuqing.analysis.sentiment import SentimentModel, StockSnowNLP, get_model, merge_emoticons, tokenize
from yuqing.analysis.sentiment_train import DataError, evaluate, load_tsv, train

REPO = Path(__file__).resolve().parents[2]
SHARED_SENTIMENT = Path(__file__).resolve().parents[2] / ".." / "shared" / "sentiment"

COMPLAINTS = [
    "小区垃圾已经堆了一个星期没人清理，臭气熏天，物业和街道都不管，太让人气愤了！",
    "暖气到现在还是冰凉的，打了十几次热线都没人解决，老人孩子冻得受不了。",
    "这条路修了半年还没完工，天天堵车，施工噪音吵得整夜睡不着，投诉也没用。",
    "黑心商家卖过期食品，孩子吃了上吐下泻，监管部门到底在哪里？",
    "工地拖欠农民工工资三个月了，工人们讨薪无门，一家人生活都成了问题。",
]
PRAISE = [
    "感谢社区工作人员连夜帮我们抢修水管，服务热情周到，给你们点赞！",
    "新修的滨海公园环境优美，晚上散步的市民很多，大家都很满意。",
    "区里为老年人免费体检，医生耐心细致，真是办了一件大好事。",
    "志愿者们冒着大雪为困难家庭送去米面油，暖心又感动，为他们加油！",
    "芝罘区举办美食节，游客络绎不绝，商户生意红火，市民纷纷称赞。",
]


@pytest.fixture(scope="module")
def model() -> SentimentModel:
    return get_model("domain")


@pytest.mark.parametrize("text", COMPLAINTS)
def test_complaints_score_negative(model, text):
    assert model.score(text) < 0.5


@pytest.mark.parametrize("text", PRAISE)
def test_praise_scores_positive(model, text):
    assert model.score(text) > 0.5


def test_empty_text_is_neutral(model):
    assert model.score("") == 0.5
    assert model.score("  \n ") == 0.5
    assert model.score_tokens([]) == 0.5
    assert model.score_many(["", "   "]) == [0.5, 0.5]


def test_scores_are_probabilities(model):
    for p in model.score_many(COMPLAINTS + PRAISE + ["[哈哈]", "？？？", "a" * 5000]):
        assert 0.0 <= p <= 1.0


def test_batch_equals_singles(model):
    texts = COMPLAINTS + [""] + PRAISE
    assert model.score_many(texts) == pytest.approx([model.score(t) for t in texts], abs=1e-12)


def test_score_tokens_agrees_with_score(model):
    import jieba

    for text in COMPLAINTS + PRAISE:
        p_tokens = model.score_tokens(jieba.lcut(text))
        assert (p_tokens > 0.5) == (model.score(text) > 0.5)


def test_emoticons_stay_whole():
    assert "[哈哈]" in tokenize("今天真开心[哈哈]")
    assert merge_emoticons(["太", "好", "了", "[", "哈哈", "]", " "]) == ["太", "好", "了", "[哈哈]"]


def test_focus_weighs_sentences_with_keywords(model):
    text = ("区图书馆新馆开放，环境明亮，市民非常满意。"
            "同一天，幸福街道的自来水管爆裂，居民停水两天无人处理，怨声载道。")
    on_library = model.score(text, focus=["图书馆"])
    on_water = model.score(text, focus=["停水"])
    assert on_water < on_library
    assert model.score(text, focus=["不存在的词"]) == model.score(text)


def test_get_model_caches_per_process():
    assert get_model() is get_model("domain")
    with pytest.raises(ValueError):
        get_model("bert")


def test_stock_snownlp_baseline():
    stock = StockSnowNLP.load()
    assert stock.score("") == 0.5
    p = stock.score_many(["这个东西很好用，非常喜欢", ""])
    assert 0.0 <= p[0] <= 1.0 and p[1] == 0.5


# --------------------------------------------------------------------------- CLI


def test_cli_scores_file_line_by_line_in_order(model, tmp_path, capsys):
    lines = [COMPLAINTS[0], "", PRAISE[0], COMPLAINTS[1], PRAISE[1]]
    src = tmp_path / "in.txt"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert sentiment_cli.main([str(src)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == len(lines)
    assert out == [f"{p:.4f}" for p in model.score_many(lines)]
    assert out[1] == "0.5000"
    assert float(out[0]) < 0.5 < float(out[2])


def test_cli_reads_stdin_as_a_module(tmp_path):
    lines = [PRAISE[2], COMPLAINTS[2], "", "一般"]
    proc = subprocess.run(
        [sys.executable, "-m", "yuqing.analysis.sentiment_cli"], input="\n".join(lines).encode("utf-8"),
        capture_output=True, cwd=REPO, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    out = proc.stdout.decode("utf-8").splitlines()
    assert len(out) == 4
    assert float(out[0]) > 0.5 > float(out[1])
    assert out[2] == "0.5000"


def test_register_wires_the_sentiment_command(tmp_path, capsys):
    import argparse

    parser = argparse.ArgumentParser(prog="yuqing")
    sentiment_cli.register(parser.add_subparsers(dest="command"))
    src = tmp_path / "in.txt"
    src.write_text(PRAISE[0], encoding="utf-8")
    args = parser.parse_args(["sentiment", "--baseline", str(src)])
    assert args.func(args) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1


# --------------------------------------------------------------------------- training


POS_WORDS = ["满意", "点赞", "感谢", "热情", "高效", "暖心", "优美", "及时"]
NEG_WORDS = ["投诉", "气愤", "拖欠", "脏乱", "推诿", "失望", "扰民", "漏水"]


def _tiny_set(path: Path, seed: int) -> None:
    subjects = ["社区", "物业", "窗口", "医院", "学校", "公交", "街道", "热线"]
    rows = ["label\ttext"]
    for i, subject in enumerate(subjects):
        for j in range(3):
            rows.append(f"1\t{subject}服务{POS_WORDS[(i + j + seed) % 8]}，居民都说{POS_WORDS[(i + 2 * j + 1) % 8]}")
            rows.append(f"0\t{subject}问题{NEG_WORDS[(i + j + seed) % 8]}，居民都说{NEG_WORDS[(i + 2 * j + 1) % 8]}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_train_on_own_labels_gives_a_model_that_separates_them(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    _tiny_set(data / "hotline.train.tsv", 0)
    _tiny_set(data / "hotline.dev.tsv", 3)
    out = tmp_path / "model"
    report = train(data, out)
    assert report.domains == ["hotline"]
    assert report.sizes["hotline"] == (48, 24)
    loaded = SentimentModel.load(out)
    rows = load_tsv(data / "hotline.train.tsv")
    scores = loaded.score_many([t for _, t in rows])
    assert all((s > 0.5) == bool(lab) for (lab, _), s in zip(rows, scores))
    (dev,) = evaluate(loaded, data)
    assert dev.n == 48 and dev.balanced_accuracy >= 0.9
    assert loaded.score("") == 0.5


def test_cli_train_and_eval(tmp_path, capsys, monkeypatch):
    data = tmp_path / "labels"
    data.mkdir()
    _tiny_set(data / "a.train.tsv", 0)
    _tiny_set(data / "b.train.tsv", 5)
    _tiny_set(data / "a.dev.tsv", 2)
    monkeypatch.setenv("YUQING_HOME", str(tmp_path / "home"))
    assert sentiment_cli.main(["train", "--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert "模型已写入" in out and "a: 48 条" in out and "dev" in out
    model_dir = tmp_path / "home" / "models" / "sentiment"
    assert (model_dir / "model.npz").exists()
    assert sentiment_cli.main(["eval", "--data", str(data), "--model", str(model_dir)]) == 0
    table = capsys.readouterr().out
    assert "平衡准确率" in table and "a.dev" in table


def test_bad_tsv_errors_name_file_and_line(tmp_path):
    bad_label = tmp_path / "x.train.tsv"
    bad_label.write_text("label\ttext\n1\t很好\n2\t不好\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"x\.train\.tsv 第 3 行"):
        load_tsv(bad_label)
    no_header = tmp_path / "y.tsv"
    no_header.write_text("1\t很好\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"y\.tsv 第 1 行.*表头"):
        load_tsv(no_header)
    no_tab = tmp_path / "z.tsv"
    no_tab.write_text("label\ttext\n1\t好\n0 没有制表符\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"z\.tsv 第 3 行"):
        load_tsv(no_tab)
    not_utf8 = tmp_path / "g.tsv"
    not_utf8.write_bytes("label\ttext\n1\t很好\n".encode("gbk"))
    with pytest.raises(DataError, match=r"g\.tsv 第 2 行.*UTF-8"):
        load_tsv(not_utf8)


def test_cli_reports_bad_data_in_chinese(tmp_path, capsys):
    data = tmp_path / "d"
    data.mkdir()
    (data / "x.train.tsv").write_text("label\ttext\n1\t好\nabc\n", encoding="utf-8")
    assert sentiment_cli.main(["train", "--data", str(data), "--out", str(tmp_path / "m")]) == 2
    err = capsys.readouterr().err
    assert "x.train.tsv 第 3 行" in err


# --------------------------------------------------------------------------- real data


@pytest.mark.skipif(not SHARED_SENTIMENT.is_dir(),
                    reason=f"真实情感数据不在（{SHARED_SENTIMENT} 不存在）：跳过 dev 准确率目标检查")
def test_bundled_model_meets_targets_on_real_dev_splits(model):
    rows = evaluate(model, SHARED_SENTIMENT)
    assert {r.name for r in rows} == {"weibo.dev", "smp2020.dev", "ccf2019news.dev", "finnsp.dev"}
    accs = {r.name: r.balanced_accuracy for r in rows}
    mean = sum(accs.values()) / len(accs)
    assert mean >= 0.90, accs
    assert min(accs.values()) >= 0.82, accs


def test_deployment_uses_its_retrained_model(tmp_path, monkeypatch):
    """settings.analysis.sentiment_path switches the analysis stage to a retrained model;
    a wrong path is a config error, not a crash at 3 a.m."""
    import shutil

    from yuqing.analysis.stage import Analyser
    from yuqing.config import DEFAULT_DIR, ConfigError, load_config

    data = tmp_path / "labels"
    data.mkdir()
    _tiny_set(data / "hotline.train.tsv", 0)
    train(data, tmp_path / "model")
    cfg = tmp_path / "cfg"
    shutil.copytree(DEFAULT_DIR, cfg)
    settings = cfg / "settings.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("sentiment_path: null", f"sentiment_path: {tmp_path / 'model'}"),
                        encoding="utf-8")
    analyser = Analyser(load_config(cfg))
    assert analyser.model.domains == ["hotline"]
    settings.write_text(text.replace("sentiment_path: null", f"sentiment_path: {tmp_path / 'nope'}"),
                        encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(cfg)
    assert "settings.analysis.sentiment_path" in str(info.value) and "不存在" in str(info.value)

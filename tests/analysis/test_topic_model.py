"""The bundled topic classifier: reproducible, and deciding by the matter, not by one word."""

import hashlib

import pytest

from yuqing.analysis.topic_classifier import MODEL_DIR
from yuqing.analysis.topic_decision import TopicDecider


@pytest.fixture(scope="module")
def decider(default_config):
    return TopicDecider(default_config.topics)


def _topic(decider, title, body=""):
    found = decider.decide(title, body)
    return found.topic_id if found else None


@pytest.mark.parametrize("title,body,topic", [
    # critical incidents belong to the matter they happen in
    ("只楚路突发路面塌陷 一辆轿车陷入坑中", "驾驶员受轻伤被送医，事故原因正在调查", "roads"),
    ("养老院护工推搡卧床老人致其受伤", "家属称老人身上多处淤青", "eldercare"),
    ("婚宴后三十余名宾客呕吐腹泻", "疑似食物中毒，患者已送医", "foodsafety"),
    ("居民楼燃气爆炸 两人受伤", "多户窗户玻璃被震碎", "safety"),
    # wordings no rule names
    ("", "家里冷得像冰窖，暖气片摸着是温的，孩子都冻感冒了", "heating"),
    ("", "我家离一小就隔一条马路，新方案却让孩子去六公里外的学校", "education"),
    ("", "下班回来小区里一个位子都没有，车只能扔在两条街外", "parking"),
    ("", "我母亲在护理院住了半年，身上长了褥疮也没人管", "eldercare"),
    ("", "工业园那边每晚都有股烧塑料的味道，开窗就头疼", "environment"),
    ("", "干了四个月的活，老板一分钱工钱都没给，人也找不到了", "employment"),
    # the government's own notices carry the matter's topic too
    ("区人社局部署根治欠薪冬季专项行动", "", "employment"),
])
def test_decides_the_matter(decider, title, body, topic):
    assert _topic(decider, title, body) == topic


@pytest.mark.parametrize("text", ["今天去了烟台山，风景真好，海风有点大", "周末社区足球赛我们队赢了"])
def test_unrelated_items_stay_unassigned(decider, text):
    assert decider.decide("", text) is None


def test_evidence_words_come_from_the_rule_or_the_classifier(decider):
    ruled = decider.decide("葡萄山社区暖气不热", "室温只有十五度")
    assert ruled.topic_id == "heating" and ruled.by_rule and {"暖气", "不热"} <= set(ruled.words)
    learned = decider.decide("", "家里冷得像冰窖，孩子都冻感冒了")
    assert learned.topic_id == "heating" and not learned.by_rule and learned.words


def test_custom_topics_are_decided_by_their_rules(default_config):
    from yuqing.config.models import Topic

    harbour = Topic.model_validate({"id": "harbour", "name": "港口", "owner": "qzfb",
                                    "rule": {"subject": ["码头", "渡轮"]}})
    decider = TopicDecider([*default_config.topics, harbour])
    assert decider.decide("渡轮停航", "码头上滞留了不少旅客").topic_id == "harbour"


def test_cross_validation_holds_out_phrases_not_just_texts():
    """--cv scores wording the model never saw: no held-out trouble is among the training ones."""
    from yuqing.analysis.topic_corpus import OTHER_PER_TOPIC, examples, split_banks

    train, held, other_train, other_held = split_banks(3, 1)
    for topic in train:
        assert held[topic]["troubles"] and not set(held[topic]["troubles"]) & set(train[topic]["troubles"])
    assert not set(other_held) & set(other_train)
    texts = examples(seed=5, per_topic=3, banks=held, other=other_held)
    assert len(texts) == 3 * (len(held) + OTHER_PER_TOPIC) and {y for _, y in texts} >= {"heating", "other"}


@pytest.mark.parametrize("title,body,topic", [
    # everyday ways of saying it, none of them a phrase the classifier was trained on verbatim
    ("", "屋里冰凉冰凉的，穿着棉袄看电视，供热公司说正常", "heating"),
    ("", "单位拖了我们三个月的工钱，问就说没钱", "employment"),
    ("", "小区里的电梯又关人了，物业半个小时才来", "property"),
])
def test_plain_wordings(decider, title, body, topic):
    assert _topic(decider, title, body) == topic


def test_retraining_gives_the_shipped_bytes(tmp_path):
    from yuqing.analysis.topic_train import build

    build(tmp_path)
    for name in ("meta.json", "model.npz"):
        shipped = hashlib.sha256((MODEL_DIR / name).read_bytes()).hexdigest()
        assert hashlib.sha256((tmp_path / name).read_bytes()).hexdigest() == shipped, name


@pytest.mark.parametrize("title,body", [
    # other cities' and national news about our matters: no department here must answer
    ("成都一居民楼深夜起火 十余户被疏散", "当地消防部门调集多辆消防车赶到现场"),
    ("民政部部署今冬困难群众兜底保障", "要求各地摸清底数，及时发放救助资金"),
    ("国家发展改革委部署今冬能源保供", "要求各地保障群众温暖过冬，确保供热稳定"),
    ("财政部下达困难群众救助补助资金", "用于支持各地做好低保、特困人员救助供养等工作"),
])
def test_news_from_elsewhere_stays_unassigned(decider, title, body):
    assert _topic(decider, title, body) is None


def test_outside_anchor_ignores_names_in_passing():
    from yuqing.analysis.topic_anchor import outside_anchor

    assert outside_anchor("南京一小区电梯坠落\n被困人员已获救")
    assert not outside_anchor("女儿在南京上学，家里的暖气一直不热")        # in passing
    assert not outside_anchor("北京路的井盖丢了好几天")                    # a street
    assert not outside_anchor("兰州拉面馆的碗里有头发")                    # a shop
    assert not outside_anchor("芝罘区与青岛签约共建产业园")                # ours


def test_hazards_follow_the_taxonomy(decider):
    """Fire and gas hazards are 安全生产; gas as a service is 供水供气供电 (topics.yaml)."""
    assert _topic(decider, "", "我们单元楼梯间堆满了旧家具和纸箱，真着火了人都下不去") == "safety"
    assert _topic(decider, "", "燃气公司说表坏了要换新表，换表费还得我们自己出") == "utilities"


def test_held_sets_are_never_training_data():
    """The hand-written items the classifier trains on are the tuning files, never a held set."""
    from yuqing.analysis.topic_train import TUNING_FILES

    assert all(p.parent.name == "analysis" and p.name.startswith("topic_tuning") for p in TUNING_FILES)

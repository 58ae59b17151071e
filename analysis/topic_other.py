"""Training text for "other" (未归类): what a district feed carries that no department here answers.

Written for issue 13's distractors (an unrelated item given a topic sends a warning to the
wrong department, or opens a false one): sport, entertainment, shopping and ads, weather
chatter, personal life, the district's own ceremonies — and, hardest, national news and other
cities' news about the very matters our topics cover (a fire in 广州, wages unpaid in 郑州,
教育部's enrolment rules), worded like a local report. `other_text(rng, banks)` composes one;
the elsewhere-news shape borrows a topic's incident or trouble from `banks` and puts it in
another city, so the classifier learns that the place, not the matter, decides it. Written
without looking at any held-out set or the simulation's phrase banks.
"""

from __future__ import annotations

import random

SPORT = [
    "昨晚的欧冠决赛踢得太精彩了加时赛才分出胜负", "中超最后一轮保级大战看得心脏受不了", "女排又赢了三比零横扫对手",
    "NBA季后赛我支持的球队被淘汰了好难过", "周末约了几个同事打羽毛球出了一身汗", "马拉松报名又没抽中明年再战",
    "世界杯预选赛国足客场惜败", "斯诺克大师赛中国选手夺冠", "健身房的私教课太贵了准备自己练",
    "乒乓球世锦赛混双决赛打满七局", "冬奥会短道速滑又拿了一块金牌", "今天游泳一千米破了个人纪录",
    "CBA全明星周末门票开售", "网球公开赛一位年轻选手爆冷晋级", "小区篮球赛我们楼拿了冠军",
]
ENTERTAINMENT = [
    "新上映的动画电影票房破了十亿", "追的剧终于大结局了哭得稀里哗啦", "某歌手的新专辑上线就霸榜",
    "综艺节目里那个嘉宾太好笑了", "跨年晚会的节目单公布了", "某演员官宣恋情热搜都爆了",
    "周末去看了话剧演员台词功底真好", "演唱会门票开抢几秒就没了", "这部悬疑剧的结局谁看懂了",
    "短视频平台上那个做饭的博主又更新了", "电影节红毯明星造型盘点", "老歌翻唱版本比原唱还好听",
    "某选秀节目总决赛投票开启", "纪录片拍的海底世界太震撼了", "音乐节阵容官宣了票价有点贵",
]
SHOPPING = [
    "店庆大酬宾全场商品五折起", "新品上市进店扫码领取优惠券", "专业疏通下水道价格实惠随叫随到",
    "家政保洁深度清洁一百元三小时", "婚纱摄影套餐限时特惠", "驾校春季班火热招生中",
    "二手房急售南北通透拎包入住", "少儿编程体验课免费预约", "年货节坚果礼盒买二送一",
    "新店开业前一百名顾客送鲜花", "直播间今晚八点福利秒杀", "手机以旧换新最高补贴五百",
    "美甲店会员充值送护理", "装修公司免费上门量房设计", "奶茶第二杯半价活动最后一天",
    "招聘销售代表底薪加提成", "汽车4S店年终促销购车送保养", "房产中介推荐学区好房",
]
WEATHER = [
    "今天的风刮得人都站不稳", "一场秋雨一场寒该穿秋裤了", "气象台说明天有中雪出门注意防滑",
    "雾霾天早上能见度很低", "终于放晴了被子拿出来晒晒", "今年的冬天来得特别早",
    "大风蓝色预警沿海阵风八级", "天气预报说周末回暖到十五度", "下了一夜的雪早上起来白茫茫一片",
    "早晚温差大注意添衣", "台风要来了渔船都回港避风了", "今天的晚霞美得像一幅画",
]
PERSONAL = [
    "和男朋友分手了心情很差", "今天去面试了感觉还不错等通知", "孩子第一次上台表演紧张得忘词了",
    "家里的狗狗生了五只小狗", "终于攒够钱买了心仪的相机", "老同学二十年聚会大家都发福了",
    "爸妈结婚三十周年给他们订了蛋糕", "周末在家追剧叫了外卖懒得动", "学了三个月的吉他终于能弹一首完整的歌",
    "今天体检指标都正常放心了", "搬新家了邀请朋友来暖房", "失眠好几天了明天还要早起",
    "考研成绩出来了过线了", "老公出差一周一个人带娃累瘫", "年假准备去云南旅游",
    "减肥一个月瘦了六斤继续坚持", "闺蜜生了个大胖小子去医院看她", "奶奶八十大寿一大家子团聚",
]
DISTRICT = [
    "芝罘区召开区委常委会会议传达学习上级精神", "区领导走访慰问老党员和困难党员", "全区重点项目集中开工",
    "芝罘区举办民营企业家座谈会", "区人大代表视察重点工作", "芝罘区第十届运动会开幕",
    "区文化馆新春文艺演出精彩上演", "芝罘区获评省级全民健身示范区", "区妇联举办最美家庭表彰会",
    "区工商联召开会员代表大会", "芝罘区与高校共建实践基地", "全区招商推介会在上海举行",
    "区委统战部开展调研活动", "芝罘区青少年科技创新大赛颁奖", "区档案馆举办老照片展",
]
# National and far-away news with no matter here, and national policy news on our matters.
NATIONAL = [
    "国务院常务会议研究部署促进消费的政策措施", "全国两会即将召开", "国家统计局发布上月居民消费价格指数",
    "神舟飞船顺利返回地面", "教育部公布新学年高考改革方案", "人社部发布新职业目录",
    "国家医保局开展医保基金飞行检查", "国家卫健委通报近期流感形势", "应急管理部部署冬春火灾防控工作",
    "住建部推进城镇老旧小区改造", "交通运输部发布春运客流预测", "生态环境部通报重点区域空气质量",
    "民政部部署冬季困难群众救助工作", "市场监管总局发布产品质量抽查结果", "公安部部署打击网络谣言专项行动",
    "中国消费者协会发布消费提示", "全国铁路迎来返程客流高峰", "央行宣布下调存款准备金率",
]
# Leads of reports from elsewhere; {c} is a city or province.
ELSEWHERE_LEADS = ["据{c}媒体报道，{c}", "{c}一", "近日，{c}某地", "日前，{c}", "{c}警方通报：", "外媒关注：{c}",
                   "【{c}】", "网友曝光{c}", "{c}当地", "据报道，{c}"]
ELSEWHERE_TAILS = ["，当地有关部门已介入调查。", "，目前事件仍在处置中。", "，引发网友热议。", "。",
                   "，当地官方已作出回应。", "，相关责任人已被控制。"]
CITIES = ["北京", "上海", "广州", "深圳", "杭州", "南京", "武汉", "成都", "西安", "郑州", "长沙", "沈阳",
          "哈尔滨", "昆明", "南宁", "济南", "青岛", "威海", "潍坊", "临沂", "大连", "天津", "重庆",
          "河南", "湖北", "广东", "浙江", "江苏", "四川", "莱山区", "福山区", "龙口", "莱州", "蓬莱"]
EVERYDAY = SPORT + ENTERTAINMENT + SHOPPING + WEATHER + PERSONAL + DISTRICT + NATIONAL
OPENERS = ["", "", "转发：", "#热门话题# ", "分享一下：", "【头条】", "本报讯 ", "来看看：", "快讯！", "哈哈哈，"]
ELSEWHERE_SHARE = 0.3


def elsewhere(rng: random.Random, banks: dict) -> str:
    """Another city's report of a matter one of our topics covers."""
    bank = banks[rng.choice(sorted(banks))]
    pool = bank["incidents"] + bank["troubles"] if rng.random() < 0.6 else bank["official"] + bank["troubles"]
    text = rng.choice(pool)
    if "{x}" in text:
        text = text.replace("{x}", rng.choice(bank["things"]))
    city = rng.choice(CITIES)
    return f"{rng.choice(ELSEWHERE_LEADS).replace('{c}', city)}{text}{rng.choice(ELSEWHERE_TAILS)}"


def other_text(rng: random.Random, banks: dict, pool: list[str]) -> str:
    """One "other" item: elsewhere news (ELSEWHERE_SHARE of them), or everyday text from
    `pool` (analysis.topic_phrases.OTHER and EVERYDAY, split by cross-validation)."""
    if rng.random() < ELSEWHERE_SHARE:
        return elsewhere(rng, banks)
    text = rng.choice(pool)
    if rng.random() < 0.35:
        text = f"{text}，{rng.choice(pool)}"
    return f"{rng.choice(OPENERS)}{text}"

"""Is a text anchored outside the district? Evidence for "no topic" (未归类).

A feed keyed on the district still carries national news and other cities' news — a fire in
广州, unpaid wages in 郑州, 教育部's rules — worded exactly like a local complaint about the
same matter. Their topic words say nothing about whether a department here must answer, so
the topic decision (analysis.topic_decision) adds odds for "other" when a text names a place
outside the district or a national body and names nothing of ours.

    outside_anchor(text) -> bool

Names followed by 路/街/… are street names (many cities have a 北京路), dishes or shops
(兰州拉面), not the city. Foreign countries are left out: 韩国料理 and 日本料理 are local shops.
芝罘 and its streets, and 烟台 (the city the district is in), count as ours; the district's
own street names are in analysis.places, but a text naming one of them and 广州 is rare
enough that 芝罘/烟台 and the word 本区/我区 settle it.
"""

from __future__ import annotations

import re

# Provinces, big cities, Yantai's other districts and county-level cities, foreign places.
OUTSIDE = (
    "北京", "上海", "天津", "重庆", "广州", "深圳", "杭州", "南京", "苏州", "武汉", "成都", "西安",
    "郑州", "长沙", "合肥", "福州", "厦门", "南昌", "昆明", "贵阳", "南宁", "海口", "三亚", "兰州",
    "西宁", "银川", "乌鲁木齐", "拉萨", "呼和浩特", "太原", "石家庄", "沈阳", "长春", "哈尔滨",
    "大连", "宁波", "温州", "无锡", "东莞", "佛山", "珠海", "泉州", "徐州", "洛阳", "保定",
    "济南", "青岛", "威海", "潍坊", "日照", "临沂", "淄博", "济宁", "泰安", "德州", "聊城", "菏泽",
    "滨州", "东营", "枣庄", "莱山区", "福山区", "牟平区", "蓬莱", "龙口", "莱阳", "莱州", "招远",
    "栖霞", "海阳", "长岛",
    "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西", "河南", "湖北",
    "湖南", "广东", "广西", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "内蒙古", "新疆",
    "西藏", "宁夏", "香港", "澳门", "台湾",
)
# National bodies and "elsewhere" words: a text led by them is not the district's matter.
NATIONAL = ("国务院", "教育部", "人社部", "人力资源和社会保障部", "国家医保局", "国家卫健委",
            "应急管理部", "住建部", "住房和城乡建设部", "交通运输部", "生态环境部", "民政部",
            "市场监管总局", "中国消费者协会", "中消协", "公安部", "中央气象台", "全国",
            # the rest of the State Council's ministries and bureaus, by their usual short names
            "人力资源社会保障部", "国家发改委", "国家发展改革委", "发展和改革委员会", "商务部", "财政部",
            "工信部", "工业和信息化部", "自然资源部", "水利部", "农业农村部", "文化和旅游部", "文旅部",
            "退役军人事务部", "司法部", "科技部", "外交部", "审计署", "国资委", "海关总署", "税务总局",
            "国家卫生健康委", "国家疾控局", "国家药监局", "国家能源局", "国家铁路局", "民航局",
            "国家邮政局", "国家消防救援局", "国家信访局", "国家统计局", "国家网信办", "国家体育总局",
            "国家移民管理局", "国家金融监督管理总局", "中国人民银行", "央行", "证监会", "最高人民法院",
            "最高人民检察院", "中国气象局", "国家医疗保障局", "国家市场监督管理总局")
HOME = ("芝罘", "烟台", "本区", "我区", "全区")
# what follows a place name when it is a street (北京路), a dish or a shop (兰州拉面、重庆小面、
# 新疆大盘鸡、四川火锅、青岛啤酒) or a clock (北京时间): not a report from there
_STREETISH = "路街巷道桥里村屯庄湾港菜面鸡鸭锅粉馆味风时拉小大火米烤包煎啤早饭酒"
# a name after 在/去/从/比… is where someone works, went or compares with, not where the
# reported thing happened (儿子在青岛上班、刚从济南回来、比上海还贵)
_PASSING = "在去到从回来往赴于自比像"
_OUTSIDE = re.compile(f"(?<![{_PASSING}])(?:" + "|".join(sorted(OUTSIDE, key=len, reverse=True))
                      + f")(?![{_STREETISH}])")
_NATIONAL = re.compile("|".join(sorted(NATIONAL, key=len, reverse=True)))
_HOME = re.compile("|".join(HOME))
LEAD_CHARS = 120                 # where a report says where it happened


def outside_anchor(text: str) -> bool:
    """The opening names a place outside the district (not in passing) or a national body,
    and the text names nothing of ours."""
    lead = text[:LEAD_CHARS]
    if not (_OUTSIDE.search(lead) or _NATIONAL.search(lead)):
        return False
    return not _HOME.search(text)

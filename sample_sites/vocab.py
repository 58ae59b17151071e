"""Names and phrases of 芝罘区 used by the generators: streets, communities, people, offices.

Street and community names match config/default/places.yaml so the analysis can place items.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Street:
    id: str
    name: str
    communities: tuple[str, ...]
    compounds: tuple[str, ...]   # residential compounds (小区) in the street
    roads: tuple[str, ...]

    @property
    def office(self) -> str:
        return f"{self.name}办事处"


STREETS = {s.id: s for s in (
    Street("xiangyang", "向阳街道", ("海港路社区", "大海阳社区"),
           ("海港路小区", "大海阳小区", "向阳新居"), ("北马路", "海港路", "大海阳路")),
    Street("dongshan", "东山街道", ("滨海路社区", "东山社区"),
           ("东山花园", "滨海景苑", "海韵名居"), ("滨海路", "二马路", "海岸路")),
    Street("yuhuangding", "毓璜顶街道", ("胜利路社区", "毓璜顶社区"),
           ("胜利路小区", "毓璜顶东路小区", "奇山北苑"), ("胜利路", "毓璜顶东路", "南大街")),
    Street("tongshen", "通伸街道", ("通伸社区", "南通路社区"),
           ("通伸新村", "南通路小区", "通世家园"), ("通世路", "南通路", "通伸路")),
    Street("fenghuangtai", "凤凰台街道", ("凤凰台社区", "西南河社区"),
           ("凤凰台小区", "西南河新苑", "凤凰山庄"), ("西南河路", "凤凰台路", "青年南路")),
    Street("qishan", "奇山街道", ("奇山社区", "南山社区"),
           ("南山花园", "奇山新城", "文化苑小区"), ("文化路", "环山路", "奇山路")),
    Street("baishi", "白石街道", ("白石社区", "金沟寨社区"),
           ("白石花园", "金沟寨小区", "白石新村"), ("白石路", "金沟寨路", "港城西大街")),
    Street("zhifudao", "芝罘岛街道", ("大疃社区", "北口社区"),
           ("大疃新村", "北口小区", "岛上人家"), ("芝罘岛路", "北口路", "大疃路")),
    Street("huangwu", "黄务街道", ("黄务社区", "冰轮社区"),
           ("黄务花园", "冰轮小区", "黄务新居"), ("黄务路", "冰轮路", "机场路")),
    Street("zhichu", "只楚街道", ("只楚社区", "葡萄山社区", "所城社区"),
           ("葡萄山小区", "只楚花园", "所城新村", "只楚新苑"), ("只楚路", "葡萄山路", "只楚南路")),
    Street("shihuiyao", "世回尧街道", ("世回尧社区", "西沟社区"),
           ("世回尧小区", "西沟新苑", "上夼小区"), ("世回尧路", "西沟路", "上夼西路")),
    Street("xingfu", "幸福街道", ("幸福社区", "福泰社区"),
           ("福泰小区", "幸福新村", "幸福南苑", "福海家园"), ("幸福南路", "福泰路", "永福园路")),
)}

DEPTS = {
    "zhujian": ("区住房和城乡建设局", "区住建局"),
    "jiaoti": ("区教育和体育局", "区教体局"),
    "zhifa": ("区综合行政执法局", "区综合执法局"),
    "weijian": ("区卫生健康局", "区卫健局"),
    "renshe": ("区人力资源和社会保障局", "区人社局"),
    "shijian": ("区市场监督管理局", "区市场监管局"),
    "yingji": ("区应急管理局", "区应急局"),
    "minzheng": ("区民政局", "区民政局"),
    "qzfb": ("区政府办公室", "区政府办"),
    "fagai": ("区发展和改革局", "区发改局"),
    "wenlv": ("区文化和旅游局", "区文旅局"),
}

# topic id -> responsible department id (mirrors topics.yaml owners)
TOPIC_DEPT = {"heating": "zhujian", "education": "jiaoti", "property": "zhujian",
              "cityorder": "zhifa", "medical": "weijian", "employment": "renshe",
              "foodsafety": "shijian", "safety": "yingji"}

SURNAMES = "王张刘李孙于姜曲林宋隋迟衣修徐赵杨陈高邹柳郝栾战鞠初"
GIVEN = ("晓燕", "建国", "志强", "海涛", "丽娜", "明", "磊", "静", "婷婷", "洪波", "玉梅", "春雷",
         "德胜", "秀英", "文博", "欣然", "子豪", "雪", "振华", "凤霞", "立新", "宏伟", "佳琪", "鹏")

SCHOOLS = ("芝罘区实验小学", "南山路小学", "葡萄山小学", "新海阳小学", "毓璜顶小学", "芝罘区第二实验小学",
           "烟台一中", "烟台二中", "芝罘中学", "凤凰台小学", "只楚小学", "世回尧小学")
HOSPITALS = ("芝罘区医院", "芝罘区中医院", "烟台市第二人民医院门诊部", "区妇幼保健院")
MARKETS = ("只楚农贸市场", "西南河农贸市场", "红旗农贸市场", "黄务综合市场", "白石菜市场", "幸福农贸市场")
HEAT_COMPANY = "东城热力公司"

WEIBO_CITIZENS = ("芝罘小王同学", "烟台海风吹呀吹", "毓璜顶下的猫", "胶东小吃货", "大海阳跑者",
                  "白石山下的阿杰", "奇山老城", "芝罘岛渔家姑娘", "烟台打工人2019", "北马路的风",
                  "港城晴天", "西南河边的老于")


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def surname_x(rng: random.Random, title: str = "先生") -> str:
    """Board posters sign as 王先生 / 李女士."""
    return rng.choice(SURNAMES) + title


def md(moment) -> str:
    return f"{moment.month}月{moment.day}日"


def heating_season(moment) -> str:
    year = moment.year if moment.month >= 7 else moment.year - 1
    return f"{year}—{year + 1}"

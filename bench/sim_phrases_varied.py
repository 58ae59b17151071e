"""A tuning-side variant of the default phrase bank (bench/sim_phrases.py): the same matters,
complaints and events, but the month's ordinary background is written plainly — local news,
relayed notices, praise and replies as a reporter or a resident would put them, without the
praise words ("点赞", "大家都说好") the default bank ends them with, and many of them about the
very matters people complain of (a new clinic, a heating pipe replaced, a school opening).

Why: the default bank's neutral items carry a thanks word, so they never test how plain,
unfamiliar non-complaints are read. Thresholds tuned on the default bank alone could take
such items for complaints and warn on them. This bank is for tuning (`--phrases varied` on
tuning seeds); it was written without seeing the blind banks.
"""

from __future__ import annotations

from sim_phrases import (AUTHORS, FOLLOWUP, MATTERS, NOTICES, ORIGINS, REPOST,  # noqa: F401
                         RESPONSES, ROADS)

NEUTRAL_NEWS = [
    "{place}社区卫生服务中心开设夜间门诊", "{place}完成{n}栋老旧楼供热管网更换", "{place}新建小学秋季投入使用",
    "{place}{unit}个老旧小区启动加装电梯", "{place}便民早市调整营业时间", "{place}开展冬季消防安全入户检查",
    "{place}老年食堂开业 每餐{n}元", "{place}公交线路{unit}路调整部分站点", "{place}举办社区运动会",
    "{place}开展居民议事会 讨论停车位划分", "{place}农贸市场完成改造重新开放", "{place}今冬首场降雪 环卫工人连夜清扫",
    "{place}组织居民学习急救知识", "{place}社区开设四点半课堂", "{place}一路段今晚起封闭施工三天",
]
NEUTRAL_BODIES = [
    "{title}。据社区工作人员介绍，此次工作持续到月底，居民可到社区服务站咨询。",
    "{title}。记者从街道了解到，相关安排已在各小区公告栏张贴。",
    "{title}，共有六十多名居民参加。",
    "{title}。施工期间请过往车辆绕行，具体时间以现场公告为准。",
    "{title}。负责人表示，下一步将根据居民意见继续调整。",
    "{title}，这是今年该街道第三个类似项目。",
    "{title}。工作人员逐户登记，老人行动不便的可以电话预约上门。",
]
NOTICE_RELAYS = [
    "{title}。据悉，此次行动将持续到年底。",
    "{title}。相关负责人介绍了下一阶段的安排。",
    "记者获悉，{title}。",
    "{title}，涉及全区各街道。",
]
PRAISE_BODIES = [
    "{title}。师傅们连着干了两天。", "{title}，楼里的老人这回能下楼晒太阳了。", "{title}。以前要走二十分钟，现在五分钟。",
    "{title}，社区的人挨家挨户来问过。", "{title}。",
]
BOARD_REPLIES = [
    "您好，您反映的问题已转交属地街道办理，办理结果将另行答复。",
    "您好，经与供热单位联系，已安排人员入户查看。",
    "您好，来信收悉，相关部门正在核实，请保持电话畅通。",
]
NEWS_FRAMES = [
    "{title}。记者了解到，{body}相关部门表示将尽快核实处理。",
    "{title}。{body}记者已将情况反映给有关部门。",
    "{title}。多位居民向记者表示，{body}",
]
# Board messages that ask or suggest (not complaints), and residents' everyday posts.
INQUIRIES = [
    ("请问{place}什么时候开始供暖", "去年是十五号开始的，今年有通知吗"),
    ("咨询一下{place}加装电梯的补贴政策", "我家住六楼，想了解一下申请流程和需要的材料"),
    ("建议在{place}增设一个公交站", "附近新建了几个小区，出行的人越来越多"),
    ("{place}的孩子明年上小学，对口哪所学校", "想提前了解一下报名时间"),
    ("请问{place}社区医院周末有门诊吗", "想带老人去量个血压"),
    ("{place}高龄补贴怎么申请", "老人今年满八十了，需要带什么证件"),
    ("建议{road}路口增加一个红绿灯", "早晚高峰车多，过马路要等很久"),
    ("{place}哪里可以办理居住证", "刚搬过来，想问一下地点和时间"),
    ("咨询{place}老旧小区改造的时间安排", "听说今年要改，想知道具体哪几栋楼"),
]
CHATTER = [
    ("{place}楼下的早市今天搬到新地方了", "以后买菜要多走两步"),
    ("今天在{place}社区医院打了疫苗", "排了半个小时，人还挺多的"),
    ("{place}门口在修路，出门注意绕行", "估计得修一个礼拜"),
    ("孩子学校今天开家长会", "讲了下学期的安排，{place}这边好几个家长都去了"),
    ("{place}暖气今天开始试水了", "家里有点响动，物业说是正常的"),
    ("{place}社区来人登记养老补贴", "带上身份证和户口本就行"),
    ("{road}路口新装了红绿灯", "早上过马路方便了"),
    ("下雪了，{place}的环卫工人一早就在扫雪", "路上基本没有积雪了"),
    ("{place}今天停电检修", "说是下午五点前来电"),
]

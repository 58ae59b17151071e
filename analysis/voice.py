"""Who is speaking in a mention (发声主体): the public, the press, or the government.

`classify(title, content, authority=..., kind=..., author=...)` returns a `VoiceResult`
whose `voice` is one of four values, stored as `mentions.voice` by the analysis stage:

- ``complaint`` 群众诉求 — a resident's complaint, request or comment (board messages,
  posts by ordinary accounts). Scored for sentiment as public opinion.
- ``news`` 新闻报道 — a press report about something that happened, including incidents
  ("路面塌陷致一人受伤"). Still public opinion: a negative news report is negative.
- ``notice`` 官方发布 — the government speaking on its own initiative: notices, campaigns,
  inspections, meetings, publicity, rankings and figures (安全生产宣传、约谈物业企业、
  物业考评结果、市场检查、根治欠薪冬季专项行动、12345 月度数据), whoever carries it.
  Never negative public opinion, however grim its vocabulary ("防范火灾爆炸事故").
- ``response`` 官方回应 — the government answering for a particular matter: a 通报,
  情况说明, 回应 or 答复 about an incident or complaint. Never negative public opinion
  either; detection records it as the response on that matter's warning or event
  (match it by story, place and topic), never as a new warning.

`OFFICIAL = {"notice", "response"}`: the stage sets `negative = False` for these (the raw
`sentiment` score is kept). Rows analysed before this column existed hold NULL.

How it decides: a board message is a complaint. Otherwise the speaker is official when the
source's authority is ``official`` or the author's name is a government account (区人社局,
芝罘发布, …). An official speaker's item is a response when the text carries answering cues
(通报、经核实、针对网民反映…) and a notice otherwise. For press and public speakers the text
decides: a relayed official notice (部署、开展、专项行动… and no incident or first-person
complaint cues) is a notice, a relayed 通报 headline is a response, and the rest is news
(press) or complaint (public). Cue words preceded by prevention verbs (防范、预防、杜绝…) do
not count as incidents. A headline opened by a government body ("区住建局回应…", "区人社局约谈…")
or a relay naming a government source ("来源：区政府网") is the government's own voice even
when it names the trouble it answers. Notice words denied before or after them ("没有任何公示",
"连个通知都没有", "答复至今没有") and complaint structures ("至今无人答复", "从来没见过") make no
notice: a complaint that says the notice never came is a complaint. A reporter among people at an
event ("记者在现场看到", "吸引市民") is the press, unless a strong notice word says otherwise.
Measured on labelled sets: `python bench/eval_topics.py`, `python bench/eval_voice.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

VOICES = {"complaint": "群众诉求", "news": "新闻报道", "notice": "官方发布", "response": "官方回应"}
OFFICIAL = frozenset({"notice", "response"})

# Government account names: "区人社局", "芝罘区人民政府", "芝罘发布", "烟台12345", "向阳街道办事处".
_OFFICIAL_AUTHOR = re.compile(
    r"(发布|政府|人民政府|局|分局|办公室|办事处|街道办|街道|委员会|管委会|中心|公安|消防|应急|融媒|"
    r"网信|热线|12345|政务|支队|大队|派出所)$|^(芝罘|烟台|区)(发布|政务|融媒|[^，,\s]{1,8}局)"
    # departments' and public utilities' accounts by their short names: 芝罘人社, 芝罘市场监管, 烟台公交
    r"|^(芝罘|烟台|芝罘区|烟台市)(人社|卫健|住建|城管|执法|交警|交通|民政|医保|教育|教体|应急|生态环境|环境|"
    r"市场监管|消协|供热|热力|供水|供电|燃气|公交|信访|网信|文旅|税务|气象|司法|退役军人|残联|妇联|团委|"
    r"政协|人大|检察|法院)$")

# Answering for one matter. "通报" alone also names routine briefings ("通报上半年测评情况"), so
# it counts only next to an incident or in a "关于…的通报" title.
_RESPONSE = ["情况通报", "警情通报", "情况说明", "回应", "答复", "经核实", "经核查", "经调查", "调查处理",
             "网民反映", "网友反映", "群众反映的", "市民反映的", "已责成", "涉事", "伤者", "事发后",
             "致歉", "善后", "处置情况", "第一时间赶赴", "已妥善", "已送医", "依法处理", "辟谣", "不实",
             "谣言"]
_REPORT_TITLE = re.compile(r"(关于.{2,40}的(通报|说明|回复)|通报.{0,12}(事件|事故|情况))")
# One of these is enough to call a relayed text the government's own notice. Kept to words
# the press rarely uses for anything else: taking a complaint for a notice hides it, which
# costs more than the other way round.
_STRONG_NOTICE = ["通知", "公告", "通告", "部署", "专项行动", "专项整治", "办结率", "满意率", "考评",
                  "约谈", "公示", "典型案例", "温馨提示", "出行提示"]
_NOTICE = ["部署", "开展", "专项行动", "专项整治", "召开", "会议", "检查", "督查", "督导", "宣传",
           "宣讲", "培训", "约谈", "考评", "评比", "结果公布", "公示", "通知", "公告", "启动", "举办",
           "受理", "办结率", "满意率", "月度", "排名", "推进", "落实", "保障", "提醒", "倡议",
           "温馨提示", "印发", "动员", "集中整治", "演练", "走访", "慰问", "抽检", "巡查", "专项",
           "成效", "工作", "接听", "工单", "发放", "签约", "公布", "发布", "名单",
           "新增", "提高", "标准", "完工", "举行", "开幕", "上线", "开通", "投入运营", "解读", "实施",
           "通告", "累计", "共计", "同比", "环比", "出台", "表彰", "行动", "活动", "座谈会", "提示",
           "限期", "整改", "台账", "全覆盖", "参保", "缴费", "数据显示", "进行"]
_INCIDENT = ["受伤", "死亡", "身亡", "遇难", "塌陷", "坍塌", "爆炸", "起火", "着火", "中毒", "被困",
             "送医", "昏迷", "殴打", "虐待", "冲突", "堵路", "突发", "事故", "溺亡", "坠落", "砸伤",
             "烧伤", "倒塌", "失火", "聚集", "围堵"]
_COMPLAINT = ["我家", "我们", "我", "咱", "投诉", "求助", "没人管", "怎么办", "希望", "请问", "到底", "为什么",
              "无奈", "气愤", "太差", "凭什么", "谁来管", "能不能", "居民反映", "市民反映", "网友爆料",
              "爆料", "吐槽", "？", "?", "！", "本人", "恳请", "尊敬的领导", "谁懂", "家人们"]
# Complaint structures that rule out a notice: nobody answered, the notice never came, it
# fails again ("连个通知都没有", "至今没有答复", "无人处理", "从来没见过公告")
_NOT_NOTICE = re.compile(r"连[^，。！？,.!?\s]{0,6}都(没|不)|至今(没|未|无|不见)|从来(没|不)|"
                         r"无人(答复|回复|处理|理睬|问津|管)|没人(管|理|回|问)|又双叒叕")
# A press report of trouble, even when it quotes officials: residents doubt, demand, suffer.
_TROUBLE = ["质疑", "不满", "讨薪", "无果", "维权", "曝光", "被曝", "涉嫌", "担忧", "遇阻", "不便",
            "苦不堪言", "扰民", "拖欠", "走过场", "难题", "频繁", "盼", "引发", "纠纷", "求助无门",
            "打不通", "联系不上", "跑路", "不给", "没人",
            # reported speech of the people affected: the press telling their trouble
            "居民称", "业主称", "家属称", "患者称", "市民称", "网友称", "工人称", "家长称", "乘客称", "村民称"]
_PREVENTION = re.compile(r"(防范|预防|杜绝|防止|遏制|避免|严防|防控|应对|排查|演练|隐患|警示|谨防)")
# A notice word denied or waited for is a grievance about the government, not its notice:
# "没有任何公示就改了", "社区让等通知", "也不提前通知", "迟迟未公布".
_DENIED = re.compile(r"(没有?|不|未|无|别|等|迟迟)[^，。！？,.!?\s]{0,4}$")
# for notice words, reaching further back ("从来没见过什么施工公告")
_DENIED_FAR = re.compile(r"(没有?|不|未|无|别|等|迟迟)[^，。！？,.!?\s]{0,6}$")
# ... or denied after it: "连个通知都没有", "告示都没贴", "公告也没见", "答复至今没有"
_DENIED_AFTER = re.compile(r"^[^，。！？,.!?\s]{0,3}(都|也|至今|从来|根本|一直|还)?(没有?|未|不见|无)")
# Words that hold other words: 施工单位 is no 工单, 培训机构 no 培训 session, 通知书 no notice.
_NOT_CUE = re.compile(r"施工单位|培训(机构|班|学校)|录取通知书|通知书")
_WE_OFFICIAL = re.compile(r"我(区|市|省|局|县|国|委|办)")
_RELAY_TITLE = re.compile(r"(通报|情况说明|回应|答复|致歉)")
# A government body opening the headline: "区住建局…", "芝罘区人民政府…", "全区…", "区委…"
_GOV_SUBJECT = re.compile(
    r"^(我区|我市|全区|全市|区委|区政府|区政协|区人大|区领导|芝罘区人民政府|"
    r"(芝罘区|烟台市|区|市)(?!民)[^\s，,。、：:！？“”]{0,10}?(局|办公室|办事处|委员会|卫健委|发改委|网信办|政府|管委会|"
    r"大队|支队|法院|检察院))")
# A relay that names the government as its source: "（来源：芝罘区人民政府网）", "据芝罘发布消息"
_GOV_RELAY = re.compile(r"来源[：:][^）)]{0,12}(政府|发布|政务|局)|据[^，。]{0,8}(发布|政府网|政务)[^，。]{0,4}消息")
# The press at an event or among people: not the organiser's notice
_PRESS = ["记者", "本报", "据悉", "获悉", "据了解", "吸引", "纷纷", "游客", "人气", "热闹", "火爆", "红火",
          "现场气氛", "排起长队", "前来", "市民们", "居民们"]


# Words with which residents and reporters say a grievance is being raised ("居民反映…",
# "家长质疑…", "被指虐待", "讨薪"); thanks words mark a grievance resolved, which is praise.
_GRIEVANCE = ["反映", "投诉", "质疑", "不满", "求助", "维权", "曝光", "被曝", "被指", "讨薪", "讨要",
              "没人管", "无人管", "不管", "迟迟", "拖欠", "扰民", "苦不堪言", "意见很大", "太差", "离谱",
              # how the local press frames a grievance it reports ("引居民不满", "市民呼吁",
              # "问题待解", "出行受困", "居民盼…"): the headline carries the complaint, the body
              # is a reporter's neutral prose the sentiment model reads as middling
              "呼吁", "抱怨", "吐槽", "受困", "待解", "难题", "问题突出", "不便", "担忧", "闹心", "犯难",
              "困扰", "频繁", "盼",
              # the petition register of 12345 letters and board messages ("尊敬的领导：…恳请…",
              # "本人系…现反映…", "望责成有关部门…", "请求督办"): a resident asking for redress
              "恳请", "恳求", "督办", "责成", "追讨", "讨回", "特此反映", "情况反映", "尊敬的领导",
              # how the internet says it is fed up, fobbed off or cheated
              "踢皮球", "推诿", "扯皮", "推来推去", "转来转去", "跑断腿", "糊弄", "敷衍", "走过场", "忽悠",
              "摆设", "形同虚设", "无语", "服了", "醉了", "麻了", "绷不住", "破防", "坑人", "坑爹", "太坑",
              "心寒", "寒心", "失望", "憋屈", "窝火", "糟心", "遭罪", "受罪", "折腾", "看不懂", "谁懂",
              "霸王条款", "黑心", "甩脸子", "爱答不理", "不搭理"]
# "呛死人", "冻成狗", "吵得睡不着", "颠得屁股疼": suffering said with a body
_SUFFER = re.compile(r"(呛|吵|冻|熏|臭|气|烦|晃|颠|热|冷|累|堵|挤|饿|疼)(死|成狗|麻|哭|炸|疯)|"
                     r"(呛|吵|冻|熏|颠|晃|堵|挤|闹|烦)得[^，。！？,.!?\s]{0,5}(不|没|疼|难受|发慌|头疼|睡)")
# How residents write a complaint without naming it one: it fails again or still, nobody is
# responsible, a wait that never ends, something done wrongly or too badly to live with
# ("电梯又停了", "跑了五趟还没办下来", "说了多少次", "谁负责", "乱收费", "熏得开不了窗",
# "半年没消息", "凭什么"). A plain report of ordinary life ("路口新装了红绿灯", "明日停水检修")
# has none of these: without one, a middling sentiment score is no complaint.
_HARDSHIP = re.compile(
    r"又[^，。！？,.!?\s]{0,6}了|还(是)?没|还不|一直(没|不)|好几(次|趟|天|回|个月)|多少(次|回|遍)|[两三四五六七八九十几\d]+趟"
    r"|没(人|有人)|无人|谁(负责|来管|管)|不(让|给|管|理|接|回|办|到位)|乱[收停扔倒搭建开放排占罚]"
    r"|太(差|慢|麻烦|贵|吵|脏|难|乱|远|黑|臭|少|久)|得[^，。！？,.!?\s]{0,4}(不|没)[^用错少]|(没|无)(消息|动静|下文|结果|说法|回复|回音|着落)"
    r"|(半|几|好几)(年|个月)|拖(了|着|欠)|卡着|受不了|没法|凭什么|为什么|到底|怎么回事|还要不回|要不回|找不到"
    # "窗户都不敢开", "救护车都进不来", "根本睡不着", "下不了楼": a daily act made impossible
    r"|都(不|没)|根本|不敢|[睡进出下上过回买看吃打用]不(着|了|去|来|起|上|到|动|进)"
    # the adversative passive: "被骂", "被卡着", "被拒收" (not 被评为, 被授予 …)
    r"|被(?!评|授|列入|誉|选|聘|表彰|认定|纳入)"
    # asking the authorities to act: "希望有关部门管一管", "希望卫健部门查一查"
    r"|希望[^，。！？,.!?\s]{0,8}(部门|管|查|处理|解决|重视|说法|派人)"
    # demanding an answer (讨说法, "请给个说法", "这合理吗"), an expectation broken ("却要去两公里外")
    r"|(给|讨|要)个?(说法|解释|交代)|合理吗|不合理|不算数|却(要|被|不|没|让|只)"
    # the same excuse again, a promise broken: "明天又说系统维护", "说改就改", "说好的…"
    r"|又(要|说|让|得|是|推)|说[^，。！？,.!?\s]{0,2}就[^，。！？,.!?\s]{0,2}|说好的|说是要|照样|照旧|依旧|等于没"
    # a notice or a reply that never came: "连个通知都没有", "至今无人答复"
    r"|连[^，。！？,.!?\s]{0,6}都(没|不)|至今(没|未|无|不)|从来(没|不)|无人(答复|回复|处理|理睬|问津)")
# A board message that asks or suggests (咨询, 请问…吗, 建议增设) is not a complaint by being on
# the board; it takes a public item's bars (a complaint needs the words above).
_INQUIRY = re.compile(r"咨询|请问|想了解|想问|了解一下|建议|能否|可否|是否可以|如何办理|怎么(申请|办理|报名)|流程|什么时候")
_THANKS = ["感谢", "谢谢", "点赞", "好评", "给力", "终于", "解决了", "修好了", "暖心", "贴心", "好多了",
           "方便多了", "舒服", "满意", "放心", "真好", "都说好", "越来越"]


# Praise without a thanks word: how residents say something got better or works well
# ("暖和多了", "挺专业", "宽敞多了", "没得说", "整治完了", "干得漂亮"). Weaker than thanks: it
# counts only in a text with no complaint wording, and not denied ("不专业", "没干净").
_PRAISE = re.compile(
    r"(?<![不没未无难别])(专业|耐心|周到|热情|靠谱|省心|安心|踏实|暖和|热乎|干净|整洁|整齐|宽敞|敞亮|亮堂|平整|"
    r"漂亮|实惠|划算|便利|顺畅|通畅|福音|开心|高兴|感动|欣慰|致敬|辛苦了|没得说|没话说|"
    r"满分|一百分|好样的|了不起|学到了|不错|挺好|很好|真棒|太棒|好棒|夸一夸|必须夸|要夸|称赞|赞叹)"
    r"|(修|整治|改造|治理|清理|疏通|换|装|建|铺|补|填|通)(好|完|平|上|新)[^，。！？,.!?\s]{0,3}了"
    r"|再也不(用|怕|愁|担心)|(强|好)太多|比(以前|原来|过去|去年)[^，。！？,.!?\s]{0,4}(好|强|方便|干净|宽敞|安静)")


def thanks(title: str, content: str) -> bool:
    """A public item that thanks or praises (its grievance, if any, is resolved)."""
    return bool(_found(_THANKS, f"{title or ''}\n{(content or '')[:200]}"))


def praise(title: str, content: str) -> bool:
    """A public item that thanks or praises and has no complaint wording at all: praise
    the sentiment model may still read as unhappy ("河道整治完了", "演练搞得挺专业")."""
    head = f"{title or ''}\n{(content or '')[:200]}"
    if not (_found(_THANKS, head) or _PRAISE.search(head)):
        return False
    return not (_HARDSHIP.search(head) or _asserted(_GRIEVANCE, head) or _SUFFER.search(head)
                or _found(_TROUBLE, head) or _incidents(head) or _NOT_NOTICE.search(head))


def grievance(title: str, content: str) -> tuple[str, ...]:
    """The grievance words in a public item's title or lede, none when it thanks someone."""
    head = f"{title or ''}\n{(content or '')[:200]}"
    if _found(_THANKS, head):
        return ()
    # saying the answer or the notice never came is raising a grievance too
    return (tuple(_asserted(_GRIEVANCE, head)) + tuple(m.group() for m in _SUFFER.finditer(head))
            + tuple(m.group() for m in _NOT_NOTICE.finditer(head)))


def hardship(title: str, content: str) -> bool:
    """A public item written the way complaints are (a failure again or still, nobody in
    charge, an endless wait, 乱…, 太…), or telling trouble or an incident."""
    head = f"{title or ''}\n{(content or '')[:200]}"
    return bool(_HARDSHIP.search(head) or _found(_TROUBLE, head) or _incidents(head))


def inquiry(title: str, content: str) -> bool:
    """A board message that asks or suggests rather than complains."""
    return bool(_INQUIRY.search(f"{title or ''}\n{(content or '')[:200]}"))


@dataclass(frozen=True)
class VoiceResult:
    voice: str                       # complaint / news / notice / response
    cues: tuple[str, ...] = ()       # the words that decided it, for people who ask why

    @property
    def official(self) -> bool:
        return self.voice in OFFICIAL

    @property
    def name(self) -> str:
        return VOICES[self.voice]


def official_author(author: str) -> bool:
    author = (author or "").strip().lstrip("@")
    return bool(author) and len(author) <= 20 and bool(_OFFICIAL_AUTHOR.search(author))


def _found(words: list[str], text: str) -> list[str]:
    return [w for w in words if w in text]


def _unguarded(words, text: str, guard: re.Pattern, reach: int) -> list[str]:
    """Words of `words` used at least once without `guard` in the `reach` characters before."""
    out = []
    for word in words:
        for m in re.finditer(re.escape(word), text):
            if not guard.search(text[max(0, m.start() - reach):m.start()]):
                out.append(word)
                break
    return out


def _asserted(words: list[str], text: str) -> list[str]:
    """Words used at least once without a denial or a wait just before them."""
    return _unguarded(words, text, _DENIED, 6)


def _announced(words: list[str], text: str) -> list[str]:
    """Notice words used at least once without a denial or a wait just before or after them
    ("没有任何公示", "连个通知都没有"), and not inside another word (施工单位)."""
    text = _NOT_CUE.sub("　", text)
    out = []
    for word in words:
        for m in re.finditer(re.escape(word), text):
            if not (_DENIED_FAR.search(text[max(0, m.start() - 8):m.start()])
                    or _DENIED_AFTER.search(text[m.end():m.end() + 8])):
                out.append(word)
                break
    return out


def _incidents(text: str) -> list[str]:
    """Incident words not governed by a prevention verb a few characters before them."""
    return _unguarded(_INCIDENT, text, _PREVENTION, 12)


def classify(title: str, content: str, *, authority: str = "media", kind: str = "article",
             author: str = "") -> VoiceResult:
    """The voice of one mention. `authority` is the source's (official/media/social/public),
    `kind` the mention's (article/post/message), `author` its author as collected."""
    title, content = title or "", content or ""
    if kind == "message":
        return VoiceResult("complaint")
    head = f"{title}\n{content[:400]}"
    incidents = _incidents(head)
    response = _found(_RESPONSE, head)
    if "通报" in head and (incidents or _REPORT_TITLE.search(title)):
        response.append("通报")
    elif _REPORT_TITLE.search(title):           # 关于…的情况说明 / 回复 in a title: answering
        response.append(_REPORT_TITLE.search(title).group(2))
    if authority == "official" or official_author(author):
        return VoiceResult("response", tuple(response)) if response else VoiceResult("notice")
    # "我区/我市" is how officials write; it is not a resident speaking
    complaints = _found(_COMPLAINT, _WE_OFFICIAL.sub("", head)) + [m.group() for m in _NOT_NOTICE.finditer(head)]
    trouble = _found(_TROUBLE, head)
    relay = _RELAY_TITLE.search(title)
    if relay and _DENIED_AFTER.search(title[relay.end():relay.end() + 8]) or _NOT_NOTICE.search(title):
        relay = None                          # "信访件至今无人答复": a complaint about no answer
    notice = _announced(_NOTICE, head)
    strong = _announced(_STRONG_NOTICE, head) + [m.group() for m in _WE_OFFICIAL.finditer(title)]  # 我区 in a headline
    # The government as the headline's subject ("区住建局回应…", "区人社局集中约谈…", relayed
    # with "来源：区政府网"): its own words, though it names the trouble it answers or acts on.
    if (_GOV_SUBJECT.search(title) or _GOV_RELAY.search(head)) and not incidents and not _found(_COMPLAINT, title) \
            and not complaints[len(_found(_COMPLAINT, _WE_OFFICIAL.sub("", head))):]:
        if relay:
            return VoiceResult("response", (relay.group(1),))
        if (strong or notice) and not _found(_TROUBLE, title):
            return VoiceResult("notice", tuple(dict.fromkeys(strong + notice)))
    if relay and not complaints and not trouble:
        return VoiceResult("response", (relay.group(1),))
    # A reporter telling of people at an event ("记者在现场看到", "吸引市民") is the press, though
    # the event was organised: two ordinary notice words are not enough against that (three are:
    # "召开…工作推进会。据悉，…").
    weak = len(notice) >= 3 or (len(notice) >= 2 and not _found(_PRESS, head))
    if (strong or weak) and not incidents and not complaints and not trouble:
        return VoiceResult("notice", tuple(dict.fromkeys(strong + notice)))
    if authority == "media" or (incidents and not complaints):
        # the press, or an eyewitness telling what happened
        return VoiceResult("news", tuple(incidents))
    return VoiceResult("complaint", tuple(complaints))

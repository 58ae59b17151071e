"""The article's author: a person's name or a named organisation, else nothing.

Pages sign with meta tags, bylines (作者：/文/记者), and the 责任编辑 line that Chinese news sites
print under every article. What fills those fields is often not an author at all: CMS user
ids (qlwbj_0731, alonliu), accounts (系统管理员, admin), words (文章, 佚名), the site's own name,
or the 来源 repeated. Every candidate is checked; an empty author is better than a wrong one.
"""

from __future__ import annotations

import re

from .dom import norm, squash
from .sitename import is_site_name

# The common Chinese surnames (the first character of a person's name), single and compound;
# a 2-4 character "name" that starts with none of them ("调查发现") is a phrase, not a person.
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
    "向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌"
    "毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦"
    "麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩"
    "明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强"
    "帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓"
    "修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植"
    "衡富尧闭由")
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
                     "司徒", "夏侯", "令狐", "端木", "西门", "南宫", "独孤", "澹台", "呼延")
_NOT_AUTHOR = re.compile(
    r"文章|本站|本网|佚名|匿名|未知|不详|管理员|admin|网友|用户|游客|系统|来源|原创|转载|责任|编辑部|小编|"
    r"发布|稿件|图片|视频|整理|综合|网络|所有|unknown|null|none|guest|webmaster|editor", re.I)
# A news outlet or channel is the 来源, never the author: 新京报, 参考消息, 新浪科技, CSDN.NET.
_MEDIA = re.compile(r"(?:网|报|新闻|消息|日报|晚报|时报|周刊|杂志|客户端|电视台|电台|频道|在线|网站|科技|财经|资讯|"
                    r"新闻社|通讯社|社|之声|融媒|传媒|媒体|公众号|头条|号)$|\.(?:com|cn|net|org)$", re.I)
_ORG = re.compile(r"[\u4e00-\u9fff]{2,}(?:局|委|办|厅|部|处|中心|政府|街道|办事处|社区|委员会|协会|学会|研究会|"
                  r"公司|集团|医院|学校|大学|学院|研究院|研究所|报社|电视台|融媒体中心|法院|检察院|支队|大队|派出所|"
                  r"联合会|工会|妇联|团委|课题组|编写组|调研组)$")
_ROLE = re.compile(r"^(?:[\u4e00-\u9fff《》]{0,8}?(?:记者|通讯员|实习生|摄影|摄|特约撰稿人?))\s*")
_CJK_NAME = re.compile(r"[\u4e00-\u9fff]{1,2}[\u4e00-\u9fff·]{1,4}")
_LATIN_NAME = re.compile(r"[A-Z][a-z]+(?:[ .\-][A-Z][a-z]+)+")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z.\-]{1,30}")


def is_person(name: str) -> bool:
    name = name.strip()
    if _CJK_NAME.fullmatch(name) and 2 <= len(name.replace("·", "")) <= 4:
        return name[0] in SURNAMES or name[:2] in COMPOUND_SURNAMES or "·" in name
    return bool(_LATIN_NAME.fullmatch(name))


def valid_author(value: str, sites: set[str], source: str = "", trusted: bool = False,
                 pen_names: bool = False) -> str:
    """value when it names people or organisations, else ''. `pen_names` (a 作者 byline) also
    accepts a pen name in Latin letters ("kingname"); `trusted` (a meta tag) also longer CJK
    names ("青网校园崔宁宁")."""
    value = norm(value).strip(" :：,，;；|/")
    if not value or len(value) > 30 or re.search(r"\d|@|https?:|www\.|_", value) or _NOT_AUTHOR.search(value):
        return ""
    key = squash(value)
    if key in sites or is_site_name(value, sites, strict=True) or (source and key == squash(source)):
        return ""
    if _MEDIA.search(_ROLE.sub("", key)) and not _ORG.fullmatch(key):
        return ""
    if _LATIN_NAME.fullmatch(value):
        return value
    parts = [p for p in re.split(r"[\s、,，/；;]+", value) if p]
    people = 0
    for part in parts:
        bare = _ROLE.sub("", part)
        if not bare:
            continue  # a role alone ("记者") between names
        if is_person(bare) or _ORG.fullmatch(bare):
            people += 1
        elif (trusted or pen_names) and _LATIN_WORD.fullmatch(bare):
            people += 1
        elif trusted and re.fullmatch(r"[\u4e00-\u9fff·]{2,8}", bare) and not is_site_name(bare, sites):
            people += 1
        else:
            return ""
    return value if people else ""


_NAME = r"([\u4e00-\u9fff·]{2,4}|[A-Za-z][\w.\-]{1,30})"
_END = r"(?=$|[\s　,，;；|)）】\]/、_]|整合|报道|摄|通讯员|记者)"
# "作者：记者 宋洪波" signs with a role; the role stays, as the page shows it.
_ROLE_PART = r"((?:本报|特约)?(?:记者|通讯员|实习生)\s*|[\u4e00-\u9fff《》]{2,8}(?:记者|通讯员)\s*)?"
_BYLINE = re.compile(r"(?:(?:作者|撰文)\s*[:：]?|(?:^|(?<=[\s　(（【\[]))(?:(?:文\s*/\s*图|图\s*/\s*文)\s*[:：]?|文\s*[:：/]))"
                     r"\s*" + _ROLE_PART + _NAME + _END)
_REPORTER = re.compile(r"(?:^|[（(\s　】【\[]|本报|新华社|中新社|电|讯)记者\s*[:：]?\s*" + _NAME + r"?" + _END)
_EDITOR = re.compile(r"(?:责任编辑|责编|(?<![责任])编辑)\s*[:：]\s*" + _NAME + _END)
# further names after the first: "记者 孙丽娜 通讯员 王晓", "张三、李四"
_MORE = re.compile(r"^\s*(?:[、,，]|\s)\s*((?:记者|通讯员|实习生)\s*)?([\u4e00-\u9fff·]{2,4})" + _END)
META_KEYS = ("author", "article:author", "og:article:author", "dc.creator", "twitter:creator")


def _with_more(text: str, m: re.Match) -> str:
    found = " ".join(g.strip() for g in m.groups() if g)
    rest = text[m.end():]
    for _ in range(4):
        more = _MORE.match(rest)
        if not more or not is_person(more.group(2)):
            break
        found += " " + " ".join(g.strip() for g in more.groups() if g)
        rest = rest[more.end():]
    return found


def author_from(meta_value: str, header: str, content: str, after: str, sites: set[str], source: str) -> str:
    """meta author, else 作者 / 记者 bylines, else the 责任编辑 (what Chinese news sites sign).

    Bylines are looked for only around the body (the header under the title, the first and last
    lines, the text just after): a name in the middle of the text ("项目负责人：某某", a quoted
    "作者") is not the article's author.
    """
    if meta_value:
        checked = valid_author(meta_value, sites, source, trusted=True)
        if checked:
            return checked
    lines = content.split("\n")
    edges = "\n".join(lines[:3] + lines[-3:])
    # a line that is only a byline ("《棱镜》作者 周纯") may sit a few paragraphs down
    signed = "\n".join(line for line in lines if len(line) <= 30 and "。" not in line)
    for pattern, texts, trusted in ((_BYLINE, (header, edges, signed, after), True),
                                    (_REPORTER, (header, edges), False),
                                    (_EDITOR, (after, edges, header), False)):
        for text in texts:
            for m in pattern.finditer(text):
                if not m.group(m.lastindex or 1):
                    continue
                found = _with_more(text, m) if pattern is not _EDITOR else " ".join(
                    g.strip() for g in m.groups() if g)
                checked = valid_author(found, sites, source, pen_names=trusted)
                if checked:
                    return checked
    return ""

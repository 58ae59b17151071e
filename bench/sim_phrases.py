"""Phrase banks for the simulated months: how residents, reporters and the government put
things, written for the simulation and never taken from the topic keyword lists.

Each matter names the departments that own it (any of them counts as the right 主管) and
gives titles and sentences with slots: {place} (a street or one of its communities, as
people write it), {road}, {n}, {unit}. Wording is deliberately varied: colloquial, angry,
polite, reporter's prose; some items name the street, some only a community, a few nothing.
"""

from __future__ import annotations

MATTERS: dict[str, dict] = {
    "heating": {
        "owners": {"zhujian"},
        "titles": ["{place}家里冻得睡不着觉", "{place}这个冬天屋里还不到十五度", "求求管管{place}的供热吧",
                   "{place}暖气片一点热乎气都没有", "{place}{unit}号楼家里冷得像冰窖", "又冻了一宿，{place}到底谁负责",
                   "{place}交了取暖费屋里还得穿棉袄"],
        "bodies": ["晚上老人孩子都冻感冒了。", "打了好几次电话，热力公司一直说在排查。", "温度计显示才十三度。",
                   "楼上楼下都一样，整栋楼都凉。", "已经第{n}天了，没有任何说法。", "家里只能开空调电暖气，电费吓人。",
                   "去年也是这样，今年还是没解决。", "希望有关部门尽快派人来看看。"],
        "news": ["{place}多户居民反映室温偏低 供热单位称正排查管网", "寒潮来袭 {place}部分小区供热不达标引居民不满"],
        "praise": ["{place}今年供热真给力，屋里二十多度", "点赞！{place}热力师傅半夜上门把暖气修好了"],
    },
    "school_zoning": {
        "owners": {"jiaoti"},
        "titles": ["{place}的孩子为什么被划到那么远的学校", "{place}学区调整家长意见很大", "孩子上学要跨三条马路，{place}划片太离谱",
                   "{place}对口小学突然变了，买房时说好的", "请解释一下{place}今年的招生范围", "{place}一年级报名被拒收"],
        "bodies": ["家门口就有学校却不让上。", "每天接送要四十多分钟。", "问了学校说是上面定的。", "没有任何公示就改了。",
                   "同一个小区的孩子分到了两个学校。", "希望教育部门给个合理说法。", "家长群里已经炸锅了。"],
        "news": ["{place}学区划分引家长关注 教育部门称将进一步研究", "{place}部分家长质疑新学年招生划片方案"],
        "praise": ["{place}新建小学开学了，孩子上学方便多了"],
    },
    "elevator": {
        "owners": {"zhujian"},
        "titles": ["{place}{unit}号楼电梯又停了", "{place}电梯天天坏，老人下不了楼", "{place}物业收钱不办事",
                   "{place}楼道漏水半个月没人修", "{place}小区门禁坏了也不管", "{place}加装电梯拖了两年还没动静"],
        "bodies": ["八十多岁的老人只能爬十几层。", "找物业说等配件，等了一个月。", "物业费一分没少收。",
                   "墙皮都泡掉了，电线还在滴水。", "业主们准备集体停缴物业费。", "打市长热线也没下文。"],
        "news": ["{place}一小区电梯频繁故障 居民出行受困", "{place}老旧小区设施老化问题待解"],
        "praise": ["{place}新换的电梯很稳当，谢谢社区"],
    },
    "street_vendor": {
        "owners": {"zhifa"},
        "titles": ["{place}路边烧烤摊天天开到凌晨", "{place}人行道被小摊占满了", "{place}有人私搭乱建把消防通道堵了",
                   "{place}夜市油烟熏得开不了窗", "{place}一楼住户私自扩建院子"],
        "bodies": ["推着婴儿车都过不去。", "说了多少次了，城管来了就走，走了又来。", "满地垃圾和竹签子。",
                   "楼上住户晚上根本睡不着。", "一堵墙把半条路都占了。"],
        "news": ["{place}占道摆摊现象反弹 市民呼吁常态化管理"],
        "praise": ["{place}早市规范以后干净多了"],
    },
    "hospital": {
        "owners": {"weijian"},
        "titles": ["{place}社区医院看个病排了三个小时", "{place}卫生服务中心医生态度太差", "在{place}打疫苗预约不上",
                   "{place}的诊所乱开药", "{place}医院停车难看病更难"],
        "bodies": ["发着烧在走廊里站了一上午。", "问两句就不耐烦。", "系统一直显示约满。", "一个感冒开了四百多块钱的药。",
                   "希望卫健部门查一查。"],
        "news": ["{place}一社区卫生服务中心候诊时间长引患者抱怨"],
        "praise": ["{place}家庭医生上门服务太贴心了"],
    },
    "wages": {
        "owners": {"renshe"},
        "titles": ["{place}工地老板欠了我们半年工钱", "{place}一家公司三个月不发工资", "年底了，{place}的血汗钱还要不回来",
                   "{place}饭店倒闭了员工工资没人管", "{place}装修队干完活包工头跑了"],
        "bodies": ["二十多个工友都等着钱回家过年。", "去劳动监察反映了还没结果。", "老板电话也不接了。",
                   "家里孩子等着交学费。", "合同都签了，就是拖着不给。"],
        "news": ["{place}数十名工人讨要欠薪 相关部门介入协调"],
        "praise": ["感谢人社局，{place}拖欠的工资终于发下来了"],
    },
    "food": {
        "owners": {"shijian"},
        "titles": ["{place}超市卖过期酸奶", "在{place}一家饭店吃出了虫子", "{place}菜市场缺斤短两",
                   "{place}奶茶店卫生太差", "{place}外卖后厨脏得看不下去"],
        "bodies": ["小票还留着。", "找老板理论还被骂。", "孩子吃了拉了一晚上肚子。", "秤明显有问题。",
                   "希望市场监管部门去查查。"],
        "news": ["{place}一超市被曝销售临期变质食品"],
        "praise": ["{place}的放心早餐店越来越多了"],
    },
    "eldercare": {
        "owners": {"minzheng"},
        "titles": ["{place}那家养老院护工打老人", "我妈在{place}养老院身上全是淤青", "{place}养老机构伙食差得没法吃",
                   "{place}日间照料中心成了摆设", "{place}的高龄补贴好几个月没到账"],
        "bodies": ["监控里看得清清楚楚。", "一个月交四千多，老人瘦了一圈。", "问院长就说老人自己摔的。",
                   "门一直锁着，从来没见开过。", "老人腿脚不好，跑了好几趟社区。"],
        "news": ["{place}一养老院被指虐待老人 家属发视频求助", "{place}养老院护工涉嫌殴打失能老人 民政部门已介入调查"],
        "praise": ["{place}养老服务中心的饭菜老人都说好"],
    },
    "roads": {
        "owners": {"zhujian", "jiaotong"},
        "titles": ["{place}{road}坑坑洼洼没人修", "{place}{road}井盖丢了好几天", "{place}{road}挖开了就不管了",
                   "{place}{road}路灯坏了一整条街", "{place}{road}一下雨就成河"],
        "bodies": ["晚上骑电动车差点摔了。", "围挡围了三个月不见施工。", "已经有车陷进去了。", "黑灯瞎火的老人不敢出门。",
                   "排水一直没弄好。"],
        "news": ["{place}{road}路面破损严重 市民出行不便"],
        "critical": ["{place}{road}路面突然塌陷 一辆轿车陷入坑中司机受伤", "{place}{road}发生路面塌陷 一名路人跌落受伤送医"],
        "praise": ["{place}{road}修好了，走着真舒服"],
    },
    "parking": {
        "owners": {"zhifa", "jiaotong"},
        "titles": ["{place}小区门口天天乱停车", "{place}停车位被地锁霸占", "{place}车停人行道上没人管",
                   "{place}收费停车场乱收费"],
        "bodies": ["救护车都进不来。", "物业说管不了。", "一天收五十，没有任何票据。", "孩子上学只能走机动车道。"],
        "news": ["{place}停车难问题突出 居民盼规划更多车位"],
        "praise": ["{place}新建的停车场解决了大问题"],
    },
    "noise": {
        "owners": {"huanjing", "zhifa"},
        "titles": ["{place}工地半夜还在施工", "{place}一家工厂往外冒黑烟", "{place}河里的水又黑又臭",
                   "{place}KTV噪声吵得整栋楼睡不着", "{place}附近有股刺鼻的味道"],
        "bodies": ["凌晨两点还在打桩。", "窗户都不敢开。", "鱼都死了好多。", "报警了也只是来看看。", "孩子一直咳嗽。"],
        "news": ["{place}居民投诉夜间施工噪声 环保部门称将核查"],
        "praise": ["{place}的河道治理后清澈多了"],
    },
    "water_gas": {
        "owners": {"zhujian"},
        "titles": ["{place}又停水了，也不提前通知", "{place}自来水发黄有异味", "{place}燃气表走得飞快",
                   "{place}停气三天了还没恢复", "{place}水压低得洗不了澡"],
        "bodies": ["做饭都没水。", "烧开了底下一层锈。", "一个月燃气费比以前多一倍。", "问客服说在抢修。", "六楼以上基本没水。"],
        "news": ["{place}部分居民反映自来水浑浊 供水公司称系管网冲洗"],
        "critical": ["{place}一居民楼燃气泄漏发生爆燃 两人受伤送医"],
        "praise": ["{place}老旧管网改造后水质好多了"],
    },
    "medinsurance": {
        "owners": {"yibao"},
        "titles": ["{place}医保报销跑了五趟还没办下来", "{place}异地就医备案太麻烦", "{place}门诊慢病待遇迟迟不批"],
        "bodies": ["每次都说缺材料。", "线上系统总是报错。", "药费全是自己先垫的。"],
        "news": ["{place}居民反映医保报销流程繁琐"],
        "praise": ["{place}医保窗口一次办好，点赞"],
    },
    "assistance": {
        "owners": {"minzheng"},
        "titles": ["{place}低保说停就停了", "{place}残疾人补贴申请半年没消息", "{place}困难家庭的救助金被克扣"],
        "bodies": ["家里就靠这点钱过日子。", "社区让等通知。", "明明符合条件却被卡着。"],
        "news": ["{place}一困难家庭低保被取消引关注"],
        "praise": ["{place}社区帮困难户申请到了救助"],
    },
    "fire_safety": {
        "owners": {"yingji"},
        "titles": ["{place}楼道里堆满杂物没人清", "{place}电动车在楼道里充电太危险", "{place}小作坊用的煤气罐乱放"],
        "bodies": ["真出事了谁负责。", "说了好几次了。", "旁边就是幼儿园。"],
        "news": ["{place}部分楼院消防隐患突出"],
        "critical": ["{place}一居民楼突发火灾 三人受伤送医救治", "{place}一在建工地发生坍塌事故 一名工人死亡"],
        "praise": ["{place}消防通道清理干净了"],
    },
}

# Reposts and short comments that carry a story on social media.
REPOST = ["转发：{title}", "太气人了 //{title}", "希望有关部门重视 //转：{title}", "扩散！{title}", "这是真的吗？{title}"]

# Follow-ups by the same people and neighbours on the same matter.
FOLLOWUP = ["今天还是老样子，{title}", "{title}，跟帖：我家也是", "顶一下，{title}", "第{n}天了，{title}"]

# The government's own voice: campaigns, inspections, meetings, drills, figures.
NOTICES = [
    "区人社局部署根治欠薪冬季专项行动", "区市场监管局开展节前食品安全专项检查", "区住建局约谈{n}家物业服务企业",
    "{place}开展燃气安全应急演练 模拟爆燃事故处置", "区应急管理局召开安全生产警示教育会议", "区民政局开展养老机构服务质量提升行动",
    "区教体局发布{n}年义务教育招生工作方案", "区住建局公布物业服务企业考评结果", "12345热线上月受理群众诉求{n}件 办结率98%",
    "区综合行政执法局开展占道经营集中整治", "{place}召开冬季供暖保障工作推进会", "区卫健局开展医疗机构安全生产大检查",
    "区生态环境分局部署夏季大气污染防治攻坚", "{place}开展防范电动车火灾宣传进社区活动",
]

# Official responses to a matter (a 通报 / 回应), mentioned by place and matter.
RESPONSES = {
    "heating": "关于{place}部分小区供热问题的情况通报",
    "roads": "关于{place}{road}路面塌陷情况的通报",
    "eldercare": "区民政局关于{place}一养老机构有关情况的回应",
    "water_gas": "关于{place}一居民楼燃气爆燃事故的情况通报",
    "fire_safety": "关于{place}火灾事故的情况通报",
    "school_zoning": "区教体局关于{place}学区划分有关问题的答复",
    "wages": "关于{place}农民工工资问题的处理情况通报",
}

# Ordinary background that is not negative public opinion.
NEUTRAL_NEWS = ["{place}举办迎新春文艺汇演", "{place}社区开展志愿服务活动", "{place}新增一处口袋公园",
                "{place}老年大学秋季班开课", "{place}举行邻里节活动", "{place}图书馆分馆正式开放",
                "{place}便民市场升级改造完成", "{place}开展义诊进社区活动"]

ROADS = ["福泰路", "南大街", "西山路", "环山路", "青年南路", "幸福中路", "只楚路", "通世路", "胜利路", "港城东大街"]

AUTHORS = ["张女士", "老王", "李先生", "芝罘居民", "烟台小刘", "陈阿姨", "赵师傅", "小孙妈妈", "周大爷", "吴先生",
           "海边的风", "烟台打工人", "奇山老住户", "只楚小李", "幸福里居民", "东山小赵", "向阳老宋", "刘同学家长"]
ORIGINS = ["烟台日报", "水母网", "胶东在线", "齐鲁晚报", "大众网", "烟台晚报", "山东商报", "新浪山东", "鲁网",
           "烟台广播电视台", "半岛都市报", "澎湃新闻", "中国山东网", "舜网", "闪电新闻"]

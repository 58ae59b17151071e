"""A second TUNING phrase bank for the simulated months (issue 13), written by the `tunebank`
helper without looking at the blind banks. Tuning on it is allowed: study its items, its false
warnings and its misses in detail. It exists so rules are fitted to more than one author's
wording; it deliberately avoids the phrasing of bench/sim_phrases.py.

Registers: Weibo/抖音 comments (short, slangy, 网络用语, homophones), 12345 formal complaints
(本人系…现反映…), 留言板 messages (尊敬的领导…), long news leads, and the government's own
通报/情况说明/答复/工作动态. Background includes many distractors sharing words with
complaints: praise mentioning heating, drills, a 燃气 safety campaign, sports, commerce,
weather, other cities' incidents, national policy, personal chatter with negative words.
Slots as in sim_phrases: {place} {road} {n} {unit} (and {title} in CRITICAL_POSTS bodies).
"""

from __future__ import annotations

MATTERS: dict[str, dict] = {
    "heating": {
        "owners": {"zhujian"},
        "titles": ["家人们谁懂啊，{place}暖气跟没开一样", "{place}的暖气是摆设吗😅", "本人系{place}{unit}号楼住户，现反映室温长期不达标问题",
                   "尊敬的领导：{place}供暖温度严重不足，恳请协调解决", "{place}屋里哈气都能看见白雾了", "yyds的{place}热力，冻成狗了"],
        "bodies": ["测了一下卧室十二度，孩子裹着羽绒服写作业。", "热线打了{n}遍，回复永远是已登记。", "阀门拧到头了也不热。",
                   "供暖费两千多一分不少，屋里跟冰窖似的。", "恳请有关部门督促供热企业入户检测。", "暖气片上面温乎下面冰凉，估计管道堵了。",
                   "老母亲八十多岁，天天躺被窝里不敢下床。"],
        "news": ["室温不足15℃ {place}{n}户居民盼供热尽快达标", "记者探访{place}：寒潮中部分楼栋供热“打折扣”"],
        "praise": ["{place}今年暖气烧得贼好，在家穿短袖了哈哈", "给{place}供热站的师傅们点个赞，零下还在抢修管道"],
    },
    "school_zoning": {
        "owners": {"jiaoti"},
        "titles": ["{place}划片这操作我真看不懂", "本人系{place}学龄儿童家长，现反映招生划片不合理问题", "尊敬的领导：{place}对口学校变更一事恳请答复",
                   "绝绝子，{place}家门口的学校上不了", "{place}今年小升初分配太迷了"],
        "bodies": ["孩子要坐三站公交才到学校。", "去年还对口的，今年说改就改。", "招生简章上根本没写。", "恳请教育部门公开划片依据。",
                   "邻居家孩子分到近的，我们分到远的，同一栋楼。"],
        "news": ["{place}学区调整方案公布后 部分家长提出异议"],
        "praise": ["{place}新学校的操场好大，娃每天都想去上学"],
    },
    "elevator": {
        "owners": {"zhujian"},
        "titles": ["{place}{unit}号楼电梯又趴窝了", "本人系{place}业主，现反映物业服务不到位问题", "{place}物业躺平了属于是",
                   "尊敬的领导：{place}电梯长期故障，老人出行困难", "{place}电梯关人了，吓死"],
        "bodies": ["电梯困了二十分钟才有人来。", "物业经理电话永远打不通。", "维保记录贴的还是去年的。", "十八楼的瘫痪老人下不了楼。",
                   "楼顶漏雨到家里，物业说找开发商。"],
        "news": ["{place}一小区电梯半月内故障{n}次 业主质疑维保不到位"],
        "praise": ["{place}电梯换新的了，物业这回干得漂亮"],
    },
    "street_vendor": {
        "owners": {"zhifa"},
        "titles": ["{place}{road}的大排档油烟呛死人", "本人系{place}居民，现反映占道经营扰民问题", "{place}人行道成了停车场加摊位",
                   "尊敬的领导：{place}违建问题请尽快处理"],
        "bodies": ["晚上十二点还在划拳。", "盲道上全是桌子。", "举报了好几回，检查时收摊，检查完照旧。", "违建都盖到第二层了。"],
        "news": ["{place}{road}夜间占道经营反复 周边居民不堪其扰"],
        "praise": ["{place}{road}摊点规范了，逛夜市舒服多了"],
    },
    "hospital": {
        "owners": {"weijian"},
        "titles": ["{place}社区医院这服务绝了，等了一上午", "本人系{place}居民，现反映社区卫生服务中心服务态度问题",
                   "{place}诊所医生甩脸子给谁看", "尊敬的领导：{place}卫生院夜间无人值班"],
        "bodies": ["挂号说没号了，转头给熟人加号。", "问用药问题被怼回来。", "半夜孩子高烧，卫生院大门紧锁。", "希望卫健部门加强监管。"],
        "news": ["{place}居民反映社区卫生服务中心就诊排队时间过长"],
        "praise": ["{place}社区医院的家庭医生签约服务真不错"],
    },
    "wages": {
        "owners": {"renshe"},
        "titles": ["{place}工地包工头卷钱跑路了", "本人系外来务工人员，现反映{place}某项目拖欠工资问题", "打工人太难了，{place}老板三个月不发钱",
                   "尊敬的领导：恳请帮助追讨{place}欠薪"],
        "bodies": ["{n}个工友的工资加起来十几万。", "欠条都打了，就是不给钱。", "老家孩子开学等着交学费。", "劳动监察说正在调查。"],
        "news": ["{place}{n}名农民工讨薪无果 人社部门介入调查"],
        "praise": ["谢谢人社局，{place}欠的工钱总算拿到手了"],
    },
    "food": {
        "owners": {"shijian"},
        "titles": ["避雷！{place}这家店吃出头发", "本人系消费者，现反映{place}某超市销售过期食品问题", "{place}菜市场的秤有鬼",
                   "{place}这家火锅店后厨也太埋汰了"],
        "bodies": ["生产日期都过了两个月。", "一斤肉少了二两。", "老鼠在后厨跑来跑去，视频都拍了。", "恳请市场监管部门依法查处。"],
        "news": ["{place}一餐饮店被曝后厨卫生堪忧 市场监管部门已介入"],
        "praise": ["{place}这家包子铺明厨亮灶，吃着放心"],
    },
    "eldercare": {
        "owners": {"minzheng"},
        "titles": ["{place}养老院护工对老人动手，视频看哭了", "本人系{place}某养老机构入住老人家属，现反映护理不当问题",
                   "尊敬的领导：{place}高龄津贴迟迟未发放", "{place}养老院的饭连狗都不吃"],
        "bodies": ["老人胳膊上一块一块的青紫。", "每月五千块，连个热乎饭都吃不上。", "问了三次都说系统在升级。", "恳请民政部门彻查。"],
        "news": ["{place}一养老机构被家属指护理失当 民政部门调查核实", "家属发视频称{place}养老院护工推搡老人"],
        "praise": ["{place}长者食堂的饭菜老人们吃得可香了"],
    },
    "roads": {
        "owners": {"zhujian", "jiaotong"},
        "titles": ["{place}{road}这路是月球表面吧", "本人系{place}居民，现反映{road}路面破损问题", "{place}{road}下水井盖没了，太危险",
                   "尊敬的领导：{place}{road}施工围挡长期占道"],
        "bodies": ["电瓶车过去颠得屁股疼。", "晚上黑咕隆咚啥也看不见。", "一下雨全是水坑。", "挖了填、填了挖，一年好几回。"],
        "news": ["{place}{road}多处坑槽未修复 市民夜间出行存隐患"],
        "critical": ["{place}{road}突发地面塌陷 一辆电动车坠入坑内骑车人受伤", "{place}{road}路面塌陷致两车受损 一人受伤"],
        "praise": ["{place}{road}重新铺了沥青，开车丝滑"],
    },
    "parking": {
        "owners": {"zhifa", "jiaotong"},
        "titles": ["{place}停车乱成一锅粥", "本人系{place}居民，现反映小区周边违停问题", "{place}的地锁都快把车位锁完了"],
        "bodies": ["消防车根本开不进来。", "贴条了也没用。", "停车场收费不给发票。"],
        "news": ["{place}老旧小区停车矛盾突出 居民呼吁增设车位"],
        "praise": ["{place}新划了停车位，下班不用转圈找车位了"],
    },
    "noise": {
        "owners": {"huanjing", "zhifa"},
        "titles": ["{place}工地凌晨三点还在哐哐哐", "本人系{place}居民，现反映夜间施工噪声扰民问题", "{place}那条河臭得没法走",
                   "尊敬的领导：{place}某厂区废气排放请核查"],
        "bodies": ["已经连续一周没睡好觉了。", "窗户关死了也能闻到味。", "河面上漂着死鱼。", "恳请环保部门夜间突击检查。"],
        "news": ["{place}一工地夜间施工扰民 环境部门核查"],
        "praise": ["{place}河道整治完了，晚上去散步还能看到白鹭"],
    },
    "water_gas": {
        "owners": {"zhujian"},
        "titles": ["{place}又双叒叕停水了", "本人系{place}住户，现反映自来水水质浑浊问题", "{place}天然气又没了，饭都做不了",
                   "尊敬的领导：{place}燃气费异常偏高恳请核查"],
        "bodies": ["接了一盆水都是黄的。", "停水连个通知都没有。", "燃气公司说是表的问题，让自己换表。", "高层住户水压太低洗不了澡。"],
        "news": ["{place}部分楼栋自来水浑浊 供水企业称正在排查"],
        "critical": ["{place}一住宅楼发生燃气爆炸 多名居民受伤送医", "{place}一餐馆燃气泄漏引发爆燃 三人受伤"],
        "praise": ["{place}燃气管道改造完，用着放心多了"],
    },
    "medinsurance": {
        "owners": {"yibao"},
        "titles": ["{place}医保报销卡在最后一步", "本人系参保居民，现反映{place}医保异地备案办理难问题", "医保线上办理真的一言难尽"],
        "bodies": ["材料交了三遍还说不全。", "小程序一提交就闪退。", "垫付的几万块一直没报下来。"],
        "news": ["{place}参保居民反映报销周期长"],
        "praise": ["{place}医保服务站帮我一次就办好了"],
    },
    "assistance": {
        "owners": {"minzheng"},
        "titles": ["{place}低保莫名其妙被取消了", "本人系{place}困难群众，现反映救助申请久拖未办问题", "尊敬的领导：{place}残疾人两项补贴未按时发放"],
        "bodies": ["没接到任何通知。", "社区说材料报上去了，街道说没收到。", "家里就指望这点钱买药。"],
        "news": ["{place}一困难户低保被停引发关注"],
        "praise": ["{place}社区网格员帮困难户办了临时救助，暖心"],
    },
    "fire_safety": {
        "owners": {"yingji"},
        "titles": ["{place}楼道里飞线充电，迟早出事", "本人系{place}居民，现反映楼道堆物消防隐患问题", "{place}这小作坊液化气罐一排排的"],
        "bodies": ["安全出口都被堵死了。", "物业说管不了。", "隔壁就是小学，想想都后怕。"],
        "news": ["{place}多处楼道存在消防隐患 居民盼整治"],
        "critical": ["{place}一居民楼凌晨起火 多人受伤被送医", "{place}一厂房发生火灾 一名工人不幸身亡"],
        "praise": ["{place}消防演练搞得挺专业，学到了"],
    },
    "petition": {
        "owners": {"xinfang"},
        "titles": ["本人系{place}居民，现反映信访事项久拖未办结问题", "尊敬的领导：{place}信访件转来转去无人答复", "{place}上访了{n}回还是踢皮球"],
        "bodies": ["每次都说在研究。", "答复意见书和事实不符。", "恳请信访部门督办。"],
        "news": ["{place}群众反映信访事项办理周期过长"],
        "praise": ["{place}信访接待日领导当场解决了问题"],
    },
    "govservice": {
        "owners": {"qzfb"},
        "titles": ["{place}便民服务中心办个证跑断腿", "本人系{place}居民，现反映政务服务窗口推诿问题", "尊敬的领导：{place}12345工单被退回多次无人处理",
                   "{place}政务大厅窗口人员玩手机不搭理人"],
        "bodies": ["一件事要跑{n}个窗口。", "网上说一次办好，到现场又要补材料。", "工作人员让明天再来，明天又说系统维护。"],
        "news": ["{place}便民服务中心排长队 群众盼“一网通办”落到实处"],
        "praise": ["{place}政务服务中心帮代办，半小时就办完了"],
    },
    "rumor": {
        "owners": {"xuanchuan"},
        "titles": ["有人在群里传{place}要整体拆迁，是真的吗", "{place}抖音上说出了人命，有没有官方说法", "辟谣求证：{place}自来水被污染？"],
        "bodies": ["小区群里都传疯了，老人都在囤水。", "视频转发好几万了，看着挺像那么回事。", "到底有没有人出来说句话。"],
        "news": ["网传{place}相关消息引发关注 记者多方求证"],
        "praise": ["{place}官方辟谣很及时，点赞"],
    },
}

REPOST = ["转发微博 //{title}", "蹲后续 {title}", "离谱 //@芝罘吃瓜群众：{title}", "真的假的😱 {title}", "顶上去 {title}"]

FOLLOWUP = ["再次反映：{title}", "追问：{title}，至今未见答复", "第{n}次反映，{title}", "{title}（续）"]

NOTICES = [
    "区住建局召开2026—2027年供热季运行调度会", "{place}开展燃气安全宣传进万家活动", "区应急管理局组织开展地震应急疏散演练",
    "区市场监管局发布春节消费提示", "区人社局举办春风行动专场招聘会", "关于做好今冬明春清雪除冰工作的通知",
    "区民政局组织养老机构消防安全培训", "{place}开展“双随机”燃气安全检查工作动态", "区卫健局举办全民健康生活方式宣传周",
    "区教体局关于秋季学期开学安全工作的情况说明", "区综合行政执法局开展市容环境提升行动", "关于对区政协提案的答复",
    "12345热线上月工作情况通报", "区生态环境分局发布空气质量月报", "{place}召开安全生产和消防工作会议",
]

RESPONSES = {
    "heating": ["关于{place}部分楼宇供热温度不达标问题的情况说明", "区住建局就{place}供热问题作出答复"],
    "roads": ["关于{place}{road}地面塌陷事件的情况通报"],
    "water_gas": ["关于{place}燃气爆燃事件的情况通报", "区应急管理局关于{place}燃气事故处置情况的说明"],
    "fire_safety": ["关于{place}火灾事故的情况通报"],
    "eldercare": ["区民政局关于{place}养老机构有关情况的说明"],
    "wages": ["关于{place}农民工工资支付问题的处理进展"],
}

NEUTRAL_NEWS = [
    "{place}冬泳爱好者迎寒潮畅游", "{place}篮球联赛决赛激战正酣", "{place}新开一家大型商超 周末人气爆棚",
    "寒潮预警：{place}明日最低气温零下九度", "外地一小区燃气爆炸致多人受伤 专家提醒注意用气安全",
    "国务院出台稳就业新政 多项补贴直达企业", "{place}社区举办“冬日暖阳”趣味运动会", "{place}热力公司开放日 市民走进供热一线",
    "{place}消防救援站开展“119”开放体验活动", "{place}海鲜市场年货采购火热", "全国多地遭遇强降温 气象部门发布预警",
    "{place}马拉松志愿者招募启动", "外省一养老院火灾事故调查报告公布",
]

NEUTRAL_BODIES = [
    "{title}。活动吸引了众多市民参与，现场秩序井然。", "{title}。据悉，相关活动将持续到本月底。",
    "{title}，记者在现场看到，不少市民带着孩子前来。", "{title}。专家建议，市民出行注意保暖防滑。",
]

NOTICE_BODIES = [
    "{title}。会议通报了前期工作情况，对下一步重点任务作出安排部署。", "{title}。活动共发放宣传资料五百余份，排查整改隐患若干处。",
    "{title}。现将有关情况说明如下：一是强化组织领导；二是加强督导检查；三是做好宣传引导。",
]

NOTICE_RELAYS = ["{title}。（来源：芝罘区人民政府网）", "据芝罘发布消息，{title}。", "{title}。"]

PRAISE_BODIES = ["{title}！必须夸一夸", "{title}，这波操作给满分", "{title}，感动😭"]

BOARD_REPLIES = ["您好，您反映的问题已转相关单位办理，感谢您的监督。", "网友您好，经核实，相关问题已安排专人跟进。"]
EVENT_REPLIES = ["已转交属地办理。", "收到，已转相关部门核实。"]

FOLLOWUP_BODIES = ["{body}前次留言至今没有任何回复，恳请尽快处理。", "{body}已经过去好几天了，依然没有下文。"]

NEWS_FRAMES = [
    "{title}。近日，有市民向本报反映相关情况。{body}对此，记者联系了相关部门，对方表示已关注此事。",
    "{title}。{body}截至记者发稿时，问题尚未得到解决。",
]

CRITICAL_POSTS = [
    ("{place}{road}那边出大事了", "消防车救护车都来了，{title}"),
    ("刚在{place}看到的，吓人", "路都封了，{title}，祈祷没事🙏"),
]

RESPONSE_BODIES = ["{resp}。事件发生后，区委区政府高度重视，第一时间组织力量开展处置，目前伤员正在医院救治。",
                   "{resp}。经初步调查，相关情况属实，已责成责任单位整改。"]

CAMPAIGN_BODIES = ["{title}。要求各部门各单位提高站位，细化措施，确保取得实效。"]
CAMPAIGN_REPOSTS = ["【转发】{title}", "#芝罘# {title}"]
GOV_ACCOUNTS = ["芝罘发布", "芝罘应急", "芝罘住建"]

PLACELESS = ["", "咱们这儿", "我住的小区", "家附近"]

ROADS = ["世回尧路", "红旗中路", "上夼西路", "黄务路", "机场路", "建设路", "大海阳路", "卧龙北路", "解放路", "北马路"]

AUTHORS = ["芝罘吃瓜群众", "烟台小透明", "冻成狗的打工人", "二狗子他妈", "阿萍", "老杨头", "网友a", "奶茶续命",
           "海边小孙", "烟大学生", "退休老周", "不想上班", "宝妈一枚", "夜跑的猫"]
ORIGINS = ["烟台日报", "水母网", "胶东在线", "齐鲁晚报", "大众网", "烟台晚报", "山东商报", "新浪山东", "鲁网",
           "烟台广播电视台", "半岛都市报", "澎湃新闻", "中国山东网", "舜网", "闪电新闻", "齐鲁壹点"]

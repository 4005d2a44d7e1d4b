/**
 * `npm run bench -- diff-realistic`: the diff on realistic 1 MB edits, timed
 * against `git diff --no-index --word-diff=porcelain` on the same files in the
 * same run, and what each marks.
 *
 * English prose: words from Debian's wamerican list
 * (/usr/share/dict/american-english, `apt-get install -y wamerican`) drawn
 * with a Zipf distribution (rank r has weight 1/r), sentences of 6–28 words,
 * paragraphs of 2–9 sentences. CJK: common Chinese characters, roughly the most
 * frequent first, drawn by rank with Zipf weights, with "，" and "。" at
 * about the rate of running Chinese prose; one paragraph per line, no spaces.
 *
 * The four cases (issue 14): 30% of paragraphs edited in place (a few words
 * replaced, inserted or deleted in each), 10% of paragraphs moved elsewhere,
 * the whole text re-wrapped from 72 to 100 columns, and CJK with 30% of
 * paragraphs edited. Ours is `computeDiff` (what the worker runs: the diff and
 * the view's bounds); git's time includes starting its process. Rounds are
 * interleaved (ours, git, case after case) and the table gives medians, since
 * the machine is shared with other work.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { diffRevisions, type RevisionDiff } from "@/lib/wiki/diff";
import { computeDiff } from "@/lib/wiki/diff-compute";
import { report, rng } from "./lib";

const SIZE = 1_000_000;
const ROUNDS = Number(process.env.BENCH_DIFF_ROUNDS ?? 9);
/** Common Chinese characters, roughly most frequent first (drawn with Zipf weights by their rank here). */
const CJK_COMMON =
  "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚兰试股拿脑预谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷警获模充负云停木游龙树疑层冷洲冲射略范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛检差富灵协角占配征修皮挥胜降阶审沉坚善妈刘读啊超免压银买皇养伊怀执副乱抗犯追帮宣佛岁航优怪香著田铁控税左右份穿艺背阵草脚概恶块顿敢守酒岛托央户烈洋哥索胡款靠评版宝座释景顾弟登货互付伯慢欧换闻危忙核暗姐介坏讨丽良序升监临亮露永呼味野架域沙掉括舰鱼杂误湾吉减编楚肯测败屋跑梦散温困剑渐封救贵枪缺楼县尚毫移娘朋画班智亦耳恩短掌恐遗固席松秘谢鲁遇康虑幸均销钟诗藏赶剧票损忽巨炮旧端探湖录叶春乡附吸予礼港雨呀板庭妇归睛饭额含顺输摇招婚脱补谓督毒油疗旅泽材灭逐莫笔亡鲜词圣择寻厂睡博勒烟授诺伦岸奥唐卖俄炸载洛健堂旁宫喝借君禁阴园谋宋避抓荣姑孙逃牙束跳顶玉镇雪午练迫爷篇肉嘴馆遍凡础洞卷坦牛宁纸诸训私庄祖丝翻暴森塔默握戏隐熟骨访弱蒙歌店鬼软典欲萨伙遭盘爸扩盖弄雄稳忘亿刺拥徒姆杨齐赛趣曲刀床迎冰虚玩析窗醒妻透购替塞努休虎扬途侵刑绿兄迅套贸毕唯谷轮库迹尤竞街促延震弃甲伟麻川申缓潜闪售灯针哲络抵朱埃抱鼓植纯夏忍页杰筑折郑贝尊吴秀混臣雅振染盛怒舞圆搞狂措姓残秋培迷诚宽宇猛摆梅毁伸摩盟末乃悲拍丁赵硬麦蒋操耶阻订彩抽赞魔纷沿喊违妹浪汇币丰蓝殊献桌啦瓦莱援译夺汽烧距裁偏符勇触课敬哭懂墙袭召罚侠厅拜巧侧韩冒债曼融惯享戴童犹乘挂奖绍厚纵障讯涉彻刊丈爆乌役描洗玛患妙镜唱烦签仙彼弗症仿倾牌陷鸟轰咱菜闭奋庆撤泪茶疾缘播朗杜奶季丹狗尾仪偷奔珠虫驻孔宜艾桥淡翼恨繁寒伴叹旦愈潮粮缩罢聚径恰挑袋灰捕徐珍幕映裂泰隔启尖忠累炎暂估泛荒偿横拒瑞忆孤鼻闹羊呆厉衡胞零穷舍码赫婆魂灾洪腿胆津俗辩胸晓劲贫仁偶辑邦恢赖圈摸仰润堆碰艇稍迟辆废净凶署壁御奉旋冬矿抬蛋晨伏吹鸡倍糊秦盾杯租骑乏隆诊奴摄丧污渡旗甘耐凭扎抢绪粗肩梁幻菲皆碎宙叔岩荡综爬荷悉蒂返井壮薄悄扫敏碍殖详迪矛霍允幅撒剩凯颗骂赏液番箱贴漫酸郎腰舒眉忧浮辛恋餐吓挺励辞艘键伍峰尺昨黎辈贯侦滑券崇扰宪绕趋慈乔阅汗枝拖墨胁插箭腊粉泥氏彭拔骗凤慧媒佩愤扑龄驱惜豪掩兼跃尸肃帕驶堡届欣惠册储飘桑闲惨洁踪勃宾频仇磨递邪撞拟滚奏巡颜剂绩贡疯坡瞧截燃焦殿伪柳锁逼颇昏劝呈搜勤戒驾漂饮曹朵仔柔俩孟腐幼践籍牧凉牲佳娜浓芳稿竹腹跌逻垂遵脉貌柏狱猜怜惑陶兽帐饰贷昌叙躺钢沟寄扶铺邓寿惧询汤盗肥尝匆辉奈扣廷澳嘛董迁凝慰厌脏腾幽怨鞋丢埋泉涌辖躲晋紫艰魏吾慌祝邮吐狠鉴曰械咬邻赤挤弯椅陪割揭韦悟聪雾锋梯猫祥阔誉筹丛牵鸣沈阁穆屈旨袖猎臂蛇贺柱抛鼠瑟戈牢逊迈欺吨琴衰瓶恼燕仲诱狼池疼卢仗冠粒遥吕玄尘冯抚浅敦纠钻晶岂峡苍喷耗凌敲菌赔涂粹扁亏寂煤熊恭湿循暖糖赋抑秩帽哀宿踏烂袁侯抖夹昆肝擦猪炼恒慎搬纽纹玻渔磁铜齿跨押怖漠疲叛遣兹祭醉拳弥斜档稀捷肤疫肿豆削岗晃吞宏癌肚隶履涨耀扭坛拨沃绘伐堪仆郭牺歼墓雇廉契拼惩捉覆刷劫嫌瓜歇雕闷乳串娃缴唤赢莲霸桃妥瘦搭赴岳嘉舱俊址庞耕锐缝悔邀玲惟斥宅添挖呵讼氧浩羽斤酷掠妖祸侍乙妨贪挣汪尿莉悬唇翰仓轨枚盐览傅帅庙芬屏寺胖璃愚滴疏萧姿颤丑劣柯寸扔盯辱匹俱辨饿蜂哦腔郁溃谨糟葛苗肠忌溜鸿爵鹏鹰笼丘桂滋聊挡纲肌茨壳痕碗穴膀卓贤卧膜毅锦欠哩函茫昂薛皱夸豫胃舌剥傲拾窝睁携陵哼棉晴铃填饲渴吻扮逆脆喘罩卜炉柴愉绳胎蓄眠竭喂傻慕浑奸扇柜悦拦诞饱乾泡贼亭夕爹酬儒姻卵氛泄杆挨僧蜜吟猩遂狭肖甜霞驳裕顽於摘矮秒卿畜咽披辅勾盆疆赌塑畏吵囊嗯泊肺骤缠冈羞瞪吊贾漏斑涛悠鹿俘锡卑葬铭滩嫁催璇翅盒蛮矣潘歧赐鲍锅廊拆灌勉盲宰佐啥胀扯禧辽抹筒棋裤唉朴咐孕誓喉妄拘链驰栏逝窃艳臭纤玑棵趁匠盈翁愁瞬婴孝颈倘浙谅蔽畅赠妮莎尉冻跪闯葡後厨鸭颠遮谊圳吁仑辟瘤嫂陀框谭亨钦庸歉芝吼甫衫摊宴嘱衷娇陕矩浦讶耸裸碧摧薪淋耻胶屠鹅饥盼脖虹翠崩账萍逢赚撑翔倡绵猴枯巫昭怔渊凑溪蠢禅阐旺寓藤匪伞碑挪琼脂谎慨菩萄狮掘抄岭晕逮砍掏狄晰罕挽脾舟痴蔡剪脊弓懒叉拐喃僚捐姊骚拓歪粘柄坑陌窄湘兆崖骄刹鞭芒筋聘钩棍嚷腺弦焰耍俯厘愣厦恳饶钉寡憾摔叠惹喻谱愧煌徽溶坠煞巾滥洒堵瓷咒姨棒郡浴媚稣淮哎屁漆淫巢吩撰啸滞玫硕钓蝶膝姚茂躯吏猿寨恕渠戚辰舶颁惶狐讽笨袍嘲啡泼衔倦涵雀旬僵撕肢垄夷逸茅侨舆窑涅蒲谦杭噢弊勋刮郊凄捧浸砖鼎篮蒸饼亩肾陡爪兔殷贞荐哑炭坟眨搏咳拢舅昧擅爽咖搁禄雌哨巩绢螺裹昔轩谬谍龟媳姜瞎冤鸦蓬巷琳栽沾诈斋瞒彪厄咨纺罐桶壤糕颂膨谐垒咕隙辣绑宠嘿兑霉挫稽辐乞纱裙嘻哇绣杖塘衍轴攀膊譬斌祈踢肆坎轿棚泣屡躁邱凰溢椎砸趟帘帆栖窜丸斩堤塌贩厢掀喀乖谜捏阎滨虏匙芦苹卸沼钥株祷剖熙哗劈怯棠胳桩瑰娱娶沫嗓蹲焚淘嫩韵衬匈钧竖峻豹捞菊鄙魄兜哄颖镑屑蚁壶怡渗秃迦旱哟咸焉谴宛稻铸锻伽詹毙恍贬烛骇芯汁桓坊驴朽靖佣汝碌迄冀荆崔雁绅珊榜诵傍彦醇笛禽勿娟瞄幢寇睹贿踩霆呜拱妃蔑谕缚诡篷淹腕煮倩卒勘馨逗甸贱炒灿敞蜡囚栗辜垫妒魁谣寞蜀甩涯枕丐泳奎泌逾叮黛燥掷藉枢憎鲸弘倚侮藩拂鹤蚀浆芙垃烤晒霜剿蕴圾绸屿氢驼妆捆铅逛淑榴丙痒钞蹄犬躬昼藻蛛褐颊奠募耽蹈陋侣魅岚侄虐堕陛莹荫狡阀绞膏垮茎缅喇绒搅凳梭丫姬诏钮棺耿缔懈嫉灶匀嗣鸽澡凿纬沸畴刃遏烁嗅叭熬瞥骸奢拙栋毯桐砂莽泻坪梳杉晤稚蔬蝇捣顷麽尴镖诧尬硫嚼羡沦沪旷彬芽狸冥碳咧惕暑咯萝汹腥窥俺潭崎麟捡拯厥澄萎哉涡滔暇溯鳞酿茵愕瞅暮衙诫斧兮焕棕佑嘶妓喧蓉删樱伺嗡娥梢坝蚕敷澜杏绥冶庇挠搂倏聂婉噪稼鳍菱盏匿吱寝揽髓秉哺矢啪帜邵嗽挟缸揉腻驯缆晌瘫贮觅朦僻隋蔓咋嵌虔畔琐碟涩胧嘟蹦冢浏裔襟叨诀旭虾簿啤擒枣嘎苑牟呕骆凸熄兀喔裳凹赎屯膛浇灼裘砰棘橡碱聋姥瑜毋娅沮萌俏黯撇粟粪尹苟癫蚂禹廖俭帖煎缕窦簇棱叩呐瑶墅莺烫蛙歹伶葱哮眩坤廓讳啼乍瓣矫跋枉梗厕琢讥釉窟敛轼庐胚呻绰扼懿炯竿慷虞锤栓桨蚊磅孽惭戳禀鄂馈垣溅咚钙礁彰豁眯磷雯墟迂瞻颅琉悼蝴拣渺眷悯汰慑婶斐嘘镶炕宦趴绷窘襄珀嚣拚酌浊毓撼嗜扛峭磕翘槽淌栅颓熏瑛颐忖";

/** A Zipf sampler over `items` (rank r has weight 1/r). */
export function zipf<T>(items: readonly T[], random: () => number): () => T {
  const cumulative = new Float64Array(items.length);
  let total = 0;
  for (let r = 0; r < items.length; r++) cumulative[r] = total += 1 / (r + 1);
  return () => {
    const x = random() * total;
    let lo = 0;
    let hi = items.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return items[lo]!;
  };
}

/** English words of the wamerican list, in a seeded random order (so rank does not follow the alphabet). */
function englishWords(random: () => number): string[] {
  const words = readFileSync("/usr/share/dict/american-english", "utf8")
    .split("\n")
    .filter((w) => /^[a-z]{1,14}$/.test(w));
  for (let i = words.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [words[i], words[j]] = [words[j]!, words[i]!];
  }
  return words;
}

const between = (random: () => number, lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));

function englishParagraph(draw: () => string, random: () => number): string {
  const sentences: string[] = [];
  for (let s = between(random, 2, 9); s > 0; s--) {
    const words = Array.from({ length: between(random, 6, 28) }, draw);
    words[0] = words[0]![0]!.toUpperCase() + words[0]!.slice(1);
    if (words.length > 10 && random() < 0.4) words[between(random, 3, words.length - 3)] += ",";
    sentences.push(words.join(" ") + ".");
  }
  return sentences.join(" ");
}

function cjkParagraph(draw: () => string, random: () => number): string {
  let text = "";
  for (let s = between(random, 2, 8); s > 0; s--) {
    for (let clause = between(random, 1, 4); clause > 0; clause--) {
      for (let n = between(random, 4, 16); n > 0; n--) text += draw();
      text += clause > 1 ? "，" : "。";
    }
  }
  return text;
}

/** Paragraphs of about `bytes` UTF-8 bytes in all. */
function paragraphs(make: () => string, bytes: number): string[] {
  const result: string[] = [];
  let size = 0;
  while (size < bytes) {
    const p = make();
    result.push(p);
    size += Buffer.byteLength(p) + 2;
  }
  return result;
}

/** Greedy wrap at `width` columns (a word longer than the width gets its own line). */
export function wrap(paragraph: string, width: number): string {
  const lines: string[] = [];
  let line = "";
  for (const word of paragraph.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join("\n");
}

/** A few word-level edits (replace, insert, delete) in a paragraph of words. */
function editWords(paragraph: string, draw: () => string, random: () => number): string {
  const words = paragraph.split(" ");
  for (let e = between(random, 1, 4); e > 0; e--) {
    const at = between(random, 0, words.length - 1);
    const kind = random();
    if (kind < 0.5) words[at] = draw();
    else if (kind < 0.8) words.splice(at, 0, ...Array.from({ length: between(random, 1, 3) }, draw));
    else if (words.length > 4) words.splice(at, 1);
  }
  return words.join(" ");
}

/** A few character-level edits (replace, insert, delete a run of 1–6 characters) in a CJK paragraph. */
function editCjk(paragraph: string, draw: () => string, random: () => number): string {
  const chars = [...paragraph];
  for (let e = between(random, 1, 4); e > 0; e--) {
    const at = between(random, 0, chars.length - 1);
    const run = Array.from({ length: between(random, 1, 6) }, draw);
    const kind = random();
    if (kind < 0.5) chars.splice(at, run.length, ...run);
    else if (kind < 0.8) chars.splice(at, 0, ...run);
    else chars.splice(at, run.length);
  }
  return chars.join("");
}

export type RealisticCase = { name: string; old: string; new: string; cjk: boolean };

/** The four 1 MB cases of issue 14, from one seed. */
export function realisticCases(seed = 14, bytes = SIZE): RealisticCase[] {
  const random = rng(seed);
  const draw = zipf(englishWords(random), random);
  const english = paragraphs(() => englishParagraph(draw, random), bytes);
  const join = (ps: string[]) => ps.join("\n\n") + "\n";

  const edited = english.map((p) => (random() < 0.3 ? editWords(p, draw, random) : p));

  const moved = [...english];
  const count = Math.round(english.length * 0.1);
  for (let m = 0; m < count; m++) {
    const [p] = moved.splice(between(random, 0, moved.length - 1), 1);
    moved.splice(between(random, 0, moved.length), 0, p!);
  }

  const drawCjk = zipf([...CJK_COMMON], random);
  const cjk = paragraphs(() => cjkParagraph(drawCjk, random), bytes);
  const cjkEdited = cjk.map((p) => (random() < 0.3 ? editCjk(p, drawCjk, random) : p));

  return [
    { name: "30% of paragraphs edited in place", old: join(english), new: join(edited), cjk: false },
    { name: "10% of paragraphs moved", old: join(english), new: join(moved), cjk: false },
    { name: "re-wrapped from 72 to 100 columns", old: join(english.map((p) => wrap(p, 72))), new: join(english.map((p) => wrap(p, 100))), cjk: false },
    { name: "CJK, 30% of paragraphs edited", old: join(cjk), new: join(cjkEdited), cjk: true },
  ];
}

/** Units a reader sees marked: words (CJK: characters) of `text`. */
function units(text: string, cjk: boolean): number {
  if (cjk) return [...text].filter((c) => !/\s/.test(c)).length;
  return text.split(/\s+/).filter(Boolean).length;
}

/** Words (CJK: characters) our diff marks as removed on the old side and added on the new side; moved lines apart. */
export function oursMarked(diff: RevisionDiff, cjk: boolean): { removed: number; added: number; moved: number } {
  const marked = { removed: 0, added: 0, moved: 0 };
  for (const hunk of diff.hunks) {
    for (const row of hunk.rows) {
      if (row.kind === "added" || row.kind === "removed") {
        if (row.moveId) marked.moved += row.kind === "added" ? units(row.text, cjk) : 0;
        else marked[row.kind] += units(row.text, cjk);
      } else if (row.kind === "changed") {
        if (row.oldParts && row.newParts) {
          for (const part of row.oldParts) if (part.type === "removed") marked.removed += units(part.text, cjk);
          for (const part of row.newParts) if (part.type === "added") marked.added += units(part.text, cjk);
        } else {
          marked.removed += units(row.oldText, cjk);
          marked.added += units(row.newText, cjk);
        }
      }
    }
  }
  return marked;
}

/** The same count over git's porcelain word diff ("-" and "+" lines). */
function gitMarked(porcelain: string, cjk: boolean): { removed: number; added: number } {
  const marked = { removed: 0, added: 0 };
  let inHunk = false;
  for (const line of porcelain.split("\n")) {
    if (line.startsWith("@@")) inHunk = true;
    else if (!inHunk) continue;
    else if (line.startsWith("-")) marked.removed += units(line.slice(1), cjk);
    else if (line.startsWith("+")) marked.added += units(line.slice(1), cjk);
  }
  return marked;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export function benchDiffRealistic(): void {
  const dir = mkdtempSync(path.join(tmpdir(), "propagate-bench-"));
  const cases = realisticCases();
  const ours = cases.map(() => [] as number[]);
  const git = cases.map(() => [] as number[]);
  const porcelain: string[] = [];
  try {
    cases.forEach((c, i) => {
      writeFileSync(path.join(dir, `a${i}.txt`), c.old);
      writeFileSync(path.join(dir, `b${i}.txt`), c.new);
    });
    const runGit = (i: number) => {
      try {
        return execFileSync("git", ["diff", "--no-index", "--word-diff=porcelain", `a${i}.txt`, `b${i}.txt`], { cwd: dir, maxBuffer: 1 << 28, encoding: "utf8" });
      } catch (error) {
        // git diff exits 1 when the files differ.
        return String((error as { stdout?: string }).stdout ?? "");
      }
    };
    // One warm-up of each, then interleaved rounds.
    cases.forEach((c, i) => {
      computeDiff(c.old, c.new);
      porcelain[i] = runGit(i);
    });
    for (let r = 0; r < ROUNDS; r++) {
      cases.forEach((c, i) => {
        let t = performance.now();
        computeDiff(c.old, c.new);
        ours[i]!.push(performance.now() - t);
        t = performance.now();
        runGit(i);
        git[i]!.push(performance.now() - t);
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const rows = cases.map((c, i) => {
    const diff = diffRevisions(c.old, c.new);
    const mine = oursMarked(diff, c.cjk);
    const theirs = gitMarked(porcelain[i]!, c.cjk);
    const o = median(ours[i]!);
    const g = median(git[i]!);
    return {
      case: c.name,
      oursMs: +o.toFixed(1),
      gitMs: +g.toFixed(1),
      ratio: +(o / g).toFixed(2),
      oursWorstMs: +Math.max(...ours[i]!).toFixed(1),
      unit: c.cjk ? "characters" : "words",
      total: units(c.new, c.cjk),
      oursMarked: mine.removed + mine.added,
      oursMoved: mine.moved,
      gitMarked: theirs.removed + theirs.added,
      coarse: diff.coarse !== null,
      stats: diff.stats,
    };
  });
  report("diff-realistic", rows, { rounds: ROUNDS, note: "medians of interleaved rounds on a machine shared with other work", targets: { ratioAtMost: 3 } });
}

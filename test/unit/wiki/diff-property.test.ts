import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { WordPart } from "@/lib/wiki/diff";
import { computeDiff, DIFF_LIMITS, rowWeight, type ComputedDiff, type ViewRow } from "@/lib/wiki/diff-compute";
import { diffPage } from "@/lib/wiki/diff-page";
import { normalise, toLines } from "@/lib/wiki/diff-text";

// Property tests of the diff as the page shows it (lib/wiki/diff-compute.ts,
// diff-page.ts): pathological texts, and the invariants of the row model.

/** Lines from tiny alphabets (many repeats), long runs of one character, CJK without spaces, and words. */
const line = fc.oneof(
  fc.constantFrom("", "a", "b", "a a", "---", "  ", "}"),
  fc.string({ unit: fc.constantFrom("a", "b", " "), maxLength: 12 }),
  fc.integer({ min: 1, max: 6000 }).map((n) => "x".repeat(n)),
  fc.string({ unit: fc.constantFrom("知", "识", "管", "理", "学", "习", "。"), maxLength: 400 }),
  fc.string({ unit: fc.constantFrom("<", ">", "&", "😀", "é", "\t"), maxLength: 30 }),
  fc.lorem({ maxCount: 12 }),
);
const text = fc.array(line, { maxLength: 60 }).map((lines) => lines.join("\n"));

type Edit = { at: number; remove: number; insert: string[] };
const edits = fc.array(fc.record({ at: fc.nat(), remove: fc.nat({ max: 5 }), insert: fc.array(line, { maxLength: 4 }) }), { maxLength: 8 });

function applyEdits(base: string, list: Edit[]): string {
  const lines = base.split("\n");
  for (const e of list) lines.splice(lines.length === 0 ? 0 : e.at % (lines.length + 1), e.remove, ...e.insert);
  return lines.join("\n");
}

/** An old text and a new one: unrelated, or the old one with random edits. */
const pair = fc.oneof(
  fc.tuple(text, text),
  fc.tuple(text, edits).map(([base, list]) => [base, applyEdits(base, list)] as const),
);

const NO_LIMITS = { rowChars: Infinity, rowParts: Infinity, pageRows: Infinity, pageChars: Infinity, pageParts: Infinity };
const linesOf = (t: string) => toLines(normalise(t));
const oldSide = (row: ViewRow) => (row.kind === "changed" ? row.oldText : row.kind === "added" ? null : row.text);
const newSide = (row: ViewRow) => (row.kind === "changed" ? row.newText : row.kind === "removed" ? null : row.text);
/** The lines a row shows of each side: a changed row may be a paragraph of several (its text joined with "\n"). */
const oldRowLines = (row: ViewRow) => (row.kind === "added" ? [] : oldSide(row)!.split("\n"));
const newRowLines = (row: ViewRow) => (row.kind === "removed" ? [] : newSide(row)!.split("\n"));
const oldCount = (row: ViewRow) => (row.kind === "changed" ? row.oldCount : row.kind === "added" ? 0 : 1);

function allPages(diff: ComputedDiff) {
  return Array.from({ length: diff.pages.length }, (_, i) => diffPage(diff, i + 1));
}

describe("computeDiff, property-based", () => {
  it("with all context and no caps, the rows spell both texts exactly", () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const diff = computeDiff(a, b, { context: Infinity, limits: NO_LIMITS });
        if (diff.identical) {
          expect(linesOf(a)).toEqual(linesOf(b));
          return;
        }
        const rows = diff.hunks.flatMap((h) => h.rows);
        expect(rows.flatMap(oldRowLines)).toEqual(linesOf(a));
        expect(rows.flatMap(newRowLines)).toEqual(linesOf(b));
      }),
      { numRuns: 300 },
    );
  });

  it("with collapsed context and caps, every shown row is the start of its line, and the unchanged lines not shown add up", () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const diff = computeDiff(a, b);
        const oldLines = linesOf(a);
        const newLines = linesOf(b);
        expect(diff.oldLineCount).toBe(oldLines.length);
        let shownOld = 0;
        let skippedOld = 0;
        for (const page of allPages(diff)) {
          skippedOld += page.skippedAfter;
          for (const hunk of page.hunks) {
            skippedOld += hunk.skippedBefore;
            for (const row of hunk.rows) {
              // A row's lines, joined (one line, or a changed paragraph's several).
              const oldFull = oldLines.slice(row.kind === "added" ? 0 : row.oldLine - 1, row.kind === "added" ? 0 : row.oldLine - 1 + oldCount(row)).join("\n");
              if (row.kind !== "added") {
                shownOld += oldCount(row);
                expect(oldFull.startsWith(oldSide(row)!)).toBe(true);
              }
              if (row.kind !== "removed") {
                const count = row.kind === "changed" ? row.newCount : 1;
                expect(newLines.slice(row.newLine - 1, row.newLine - 1 + count).join("\n").startsWith(newSide(row)!)).toBe(true);
              }
              const cut = row.kind === "changed" ? [row.oldCut, row.newCut] : [row.cut];
              if (row.kind !== "added") expect(oldSide(row)!.length + cut[0]!).toBe(oldFull.length);
            }
          }
        }
        expect(shownOld + skippedOld).toBe(diff.identical ? 0 : oldLines.length);
      }),
      { numRuns: 300 },
    );
  });

  it("every row and every page stays within the caps, and there are never more rows than lines", () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const diff = computeDiff(a, b);
        const rows = diff.hunks.flatMap((h) => h.rows);
        expect(rows.length).toBeLessThanOrEqual(linesOf(a).length + linesOf(b).length);
        for (const row of rows) {
          for (const side of [oldSide(row), newSide(row)]) if (side !== null) expect(side.length).toBeLessThanOrEqual(DIFF_LIMITS.rowChars);
          if (row.kind === "changed") {
            expect(row.oldParts?.length ?? 0).toBeLessThanOrEqual(DIFF_LIMITS.rowParts);
            expect(row.newParts?.length ?? 0).toBeLessThanOrEqual(DIFF_LIMITS.rowParts);
            if (row.oldParts) expect(row.oldParts.map((p) => p.text).join("")).toBe(row.oldText);
            if (row.newParts) expect(row.newParts.map((p) => p.text).join("")).toBe(row.newText);
          }
        }
        let pagedRows = 0;
        for (const page of allPages(diff)) {
          const pageRows = page.hunks.flatMap((h) => h.rows);
          pagedRows += pageRows.length;
          const weight = pageRows.map(rowWeight).reduce((s, w) => ({ chars: s.chars + w.chars, parts: s.parts + w.parts }), { chars: 0, parts: 0 });
          expect(pageRows.length).toBeLessThanOrEqual(DIFF_LIMITS.pageRows);
          // A page holds at least one row, and a row alone is within the per-row caps.
          if (pageRows.length > 1) {
            expect(weight.chars).toBeLessThanOrEqual(DIFF_LIMITS.pageChars);
            expect(weight.parts).toBeLessThanOrEqual(DIFF_LIMITS.pageParts);
          }
        }
        // Pages cover every row exactly once.
        expect(pagedRows).toBe(rows.length);
      }),
      { numRuns: 200 },
    );
  });

  it("is plain JSON: what a worker would post back is the same diff", () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const diff = computeDiff(a, b);
        expect(JSON.parse(JSON.stringify(diff))).toEqual(diff);
      }),
      { numRuns: 100 },
    );
  });

  it("with no time budget it gives up the fine stages and says so (work bounded by the budget flag, not the clock)", () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const diff = computeDiff(a, b, { budgetMs: 0, context: Infinity, limits: NO_LIMITS });
        if (diff.identical) return;
        const rows = diff.hunks.flatMap((h) => h.rows);
        // No pairing and no word highlights without a budget; the rows still spell both texts.
        if (diff.coarse) expect(rows.some((r) => r.kind === "changed" && r.oldParts !== null)).toBe(false);
        expect(rows.flatMap(oldRowLines)).toEqual(linesOf(a));
        expect(rows.flatMap(newRowLines)).toEqual(linesOf(b));
      }),
      { numRuns: 100 },
    );
  });
});

/** Greedy wrap of words at `width` columns. */
function wrapAt(words: string[], width: number): string {
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join("\n");
}

const word = fc.oneof(fc.constantFrom("the", "a", "garden", "nursery", "cutting", "tool", "propagation", "knowledge,", "grows."), fc.stringMatching(/^[a-z]{1,12}$/));
const paragraphWords = fc.array(word, { minLength: 1, maxLength: 60 });
const changedRows = (diff: ComputedDiff) => diff.hunks.flatMap((h) => h.rows).filter((r) => r.kind === "changed");
const marked = (parts: WordPart[] | null, type: "added" | "removed") => (parts ?? []).filter((p) => p.type === type).map((p) => p.text).join("");

describe("re-wraps, CJK and word marks, property-based", () => {
  it("a re-wrap of any text to another width is reported as re-wrapped paragraphs with no word marked", () => {
    fc.assert(
      fc.property(fc.array(paragraphWords, { minLength: 1, maxLength: 6 }), fc.integer({ min: 10, max: 90 }), fc.integer({ min: 10, max: 90 }), (paragraphs, w1, w2) => {
        const a = paragraphs.map((p) => wrapAt(p, w1)).join("\n\n") + "\n";
        const b = paragraphs.map((p) => wrapAt(p, w2)).join("\n\n") + "\n";
        const diff = computeDiff(a, b, { context: Infinity, limits: NO_LIMITS });
        if (diff.identical) return;
        expect(diff.stats).toMatchObject({ added: 0, removed: 0, changed: 0, moved: 0 });
        expect(diff.stats.rewrapped).toBeGreaterThan(0);
        const rows = diff.hunks.flatMap((h) => h.rows);
        expect(rows.every((r) => r.kind === "context" || r.kind === "changed")).toBe(true);
        for (const row of changedRows(diff)) {
          if (row.kind !== "changed") continue;
          expect(row.whitespaceOnly).toBe(true);
          expect(marked(row.oldParts, "removed") + marked(row.newParts, "added")).toBe("");
        }
      }),
      { numRuns: 300 },
    );
  });

  it("a re-flow after an edit marks only the edited words, wherever the line breaks moved (prose whose lines do not recur)", () => {
    fc.assert(
      // A paragraph of some length (an edit that replaces most of a tiny one is shown as removed and added instead),
      // of prose whose wrapped lines do not recur (a line found elsewhere may be matched there by the line diff).
      fc.property(fc.uniqueArray(word, { minLength: 12, maxLength: 60 }), fc.nat(), fc.array(fc.stringMatching(/^[A-Z]{2,8}$/), { minLength: 1, maxLength: 3 }), fc.integer({ min: 12, max: 60 }), (words, at, inserted, width) => {
        const edited = [...words];
        edited.splice(at % (words.length + 1), 0, ...inserted);
        const diff = computeDiff(`Intro.\n\n${wrapAt(words, width)}\n\nEnd.\n`, `Intro.\n\n${wrapAt(edited, width)}\n\nEnd.\n`, { context: Infinity, limits: NO_LIMITS });
        const rows = diff.hunks.flatMap((h) => h.rows);
        // The inserted words are the only ones marked (upper case never occurs in the generated words), in
        // changed rows or as a whole added line.
        const added = rows.map((r) => (r.kind === "changed" ? marked(r.newParts, "added") : r.kind === "added" ? r.text : "")).join(" ");
        const removed = rows.map((r) => (r.kind === "changed" ? marked(r.oldParts, "removed") : r.kind === "removed" ? r.text : "")).join("");
        expect(removed.trim()).toBe("");
        expect(added.split(/\s+/).filter(Boolean).sort()).toEqual([...inserted].sort());
      }),
      { numRuns: 300 },
    );
  });

  it("any CJK edit marks only changed characters (never more than were removed or inserted)", () => {
    const han = fc.constantFrom(..."的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚兰试股拿脑预谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷警获模充负云停木游龙树疑层冷洲冲射略范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛检差富灵协角占配征修皮挥胜降阶审沉坚善妈刘读啊超免压银买皇养伊怀执副乱抗犯追帮宣佛岁航优怪香著田铁控税左右份穿艺背阵草脚概恶块顿敢守酒岛托央户烈洋哥索胡款靠评版宝座释景顾弟登货互付伯慢欧换闻危忙核暗姐介坏讨丽良序升监临亮露永呼味野架域沙掉括舰鱼杂误湾吉减编楚肯测败屋跑梦散温困剑渐封救贵枪缺楼县尚毫移娘朋画班智亦耳恩短掌恐遗固席松秘谢鲁遇康虑幸均销钟诗藏赶剧票损忽巨炮旧端探湖录叶春乡附吸予礼港雨呀板庭妇归睛饭额含顺输摇招婚脱补谓督毒油疗旅泽材灭逐莫笔亡鲜词圣择寻厂睡博勒烟授诺伦岸奥唐卖俄炸载洛健堂旁宫喝借君禁阴园谋宋避抓荣姑孙逃牙束跳顶玉镇雪午练迫爷篇肉嘴馆遍凡础洞卷坦牛宁纸诸训私庄祖丝翻暴森塔默握戏隐熟骨访弱蒙歌店鬼软典欲萨伙遭盘爸扩盖弄雄稳忘亿刺拥徒姆杨齐赛趣曲刀床迎冰虚玩析窗醒妻透购替塞努休虎扬途侵刑绿兄迅套贸毕唯谷轮库迹尤竞街促延震弃甲伟麻川申缓潜闪售灯针哲络抵朱埃抱鼓植纯夏忍页杰筑折郑贝尊吴秀混臣雅振染盛怒舞圆搞狂措姓残秋培迷诚宽宇猛摆梅毁伸摩盟末乃悲拍丁赵硬麦蒋操耶阻订彩抽赞魔纷沿喊违妹浪汇币丰蓝殊献桌啦瓦莱援译夺汽烧距裁偏符勇触课敬哭懂墙袭召罚侠厅拜巧侧韩冒债曼融惯享戴童犹乘挂奖绍厚纵障讯涉彻刊丈爆乌役描洗玛患妙镜唱烦签仙彼弗症仿倾牌陷鸟轰咱菜闭奋庆撤泪茶疾缘播朗杜奶季丹狗尾仪偷奔珠虫驻孔宜艾桥淡翼恨繁寒伴叹旦愈潮粮缩罢聚径恰挑袋灰捕徐珍幕映裂泰隔启尖忠累炎暂估泛荒偿横拒瑞忆孤鼻闹羊呆厉衡胞零穷舍码赫婆魂灾洪腿胆津俗辩胸晓劲贫仁偶辑邦恢赖圈摸仰润堆碰艇稍迟辆废净凶署壁御奉旋冬矿抬蛋晨伏吹鸡倍糊秦盾杯租骑乏隆诊奴摄丧污渡旗甘耐凭扎抢绪粗肩梁幻菲皆碎宙叔岩荡综爬荷悉蒂返井壮薄悄扫敏碍殖详迪矛霍允幅撒剩凯颗骂赏液番箱贴漫酸郎腰舒眉忧浮辛恋餐吓挺励辞艘键伍峰尺昨黎辈贯侦滑券崇扰宪绕趋慈乔阅汗枝拖墨胁插箭腊粉泥氏彭拔骗凤慧媒佩愤扑龄驱惜豪掩兼跃尸肃帕驶堡届欣惠册储飘桑闲惨洁踪勃宾频仇磨递邪撞拟滚奏巡颜剂绩贡疯坡瞧截燃焦殿伪柳锁逼颇昏劝呈搜勤戒驾漂饮曹朵仔柔俩孟腐幼践籍牧凉牲佳娜浓芳稿竹腹跌逻垂遵脉貌柏狱猜怜惑陶兽帐饰贷昌叙躺钢沟寄扶铺邓寿惧询汤盗肥尝匆辉奈扣廷澳嘛董迁凝慰厌脏腾幽怨鞋丢埋泉涌辖躲晋紫艰魏吾慌祝邮吐狠鉴曰械咬邻赤挤弯椅陪割揭韦悟聪雾锋梯猫祥阔誉筹丛牵鸣沈阁穆屈旨袖猎臂蛇贺柱抛鼠瑟戈牢逊迈欺吨琴衰瓶恼燕仲诱狼池疼卢仗冠粒遥吕玄尘冯抚浅敦纠钻晶岂峡苍喷耗凌敲菌赔涂粹扁亏寂煤熊恭湿循暖糖赋抑秩帽哀宿踏烂袁侯抖夹昆肝擦猪炼恒慎搬纽纹玻渔磁铜齿跨押怖漠疲叛遣兹祭醉拳弥斜档稀捷肤疫肿豆削岗晃吞宏癌肚隶履涨耀扭坛拨沃绘伐堪仆郭牺歼墓雇廉契拼惩捉覆刷劫嫌瓜歇雕闷乳串娃缴唤赢莲霸桃妥瘦搭赴岳嘉舱俊址庞耕锐缝悔邀玲惟斥宅添挖呵讼氧浩羽斤酷掠妖祸侍乙妨贪挣汪尿莉悬唇翰仓轨枚盐览傅帅庙芬屏寺胖璃愚滴疏萧姿颤丑劣柯寸扔盯辱匹俱辨饿蜂哦腔郁溃谨糟葛苗肠忌溜鸿爵鹏鹰笼丘桂滋聊挡纲肌茨壳痕碗穴膀卓贤卧膜毅锦欠哩函茫昂薛皱夸豫胃舌剥傲拾窝睁携陵哼棉晴铃填饲渴吻扮逆脆喘罩卜炉柴愉绳胎蓄眠竭喂傻慕浑奸扇柜悦拦诞饱乾泡贼亭夕爹酬儒姻卵氛泄杆挨僧蜜吟猩遂狭肖甜霞驳裕顽於摘矮秒卿畜咽披辅勾盆疆赌塑畏吵囊嗯泊肺骤缠冈羞瞪吊贾漏斑涛悠鹿俘锡卑葬铭滩嫁催璇翅盒蛮矣潘歧赐鲍锅廊拆灌勉盲宰佐啥胀扯禧辽抹筒棋裤唉朴咐孕誓喉妄拘链驰栏逝窃艳臭纤玑棵趁匠盈翁愁瞬婴孝颈倘浙谅蔽畅赠妮莎尉冻跪闯葡後厨鸭颠遮谊圳吁仑辟瘤嫂陀框谭亨钦庸歉芝吼甫衫摊宴嘱衷娇陕矩浦讶耸裸碧摧薪淋耻胶屠鹅饥盼脖虹翠崩账萍逢赚撑翔倡绵猴枯巫昭怔渊凑溪蠢禅阐旺寓藤匪伞碑挪琼脂谎慨菩萄狮掘抄岭晕逮砍掏狄晰罕挽脾舟痴蔡剪脊弓懒叉拐喃僚捐姊骚拓歪粘柄坑陌窄湘兆崖骄刹鞭芒筋聘钩棍嚷腺弦焰耍俯厘愣厦恳饶钉寡憾摔叠惹喻谱愧煌徽溶坠煞巾滥洒堵瓷咒姨棒郡浴媚稣淮哎屁漆淫巢吩撰啸滞玫硕钓蝶膝姚茂躯吏猿寨恕渠戚辰舶颁惶狐讽笨袍嘲啡泼衔倦涵雀旬僵撕肢垄夷逸茅侨舆窑涅蒲谦杭噢弊勋刮郊凄捧浸砖鼎篮蒸饼亩肾陡爪兔殷贞荐哑炭坟眨搏咳拢舅昧擅爽咖搁禄雌哨巩绢螺裹昔轩谬谍龟媳姜瞎冤鸦蓬巷琳栽沾诈斋瞒彪厄咨纺罐桶壤糕颂膨谐垒咕隙辣绑宠嘿兑霉挫稽辐乞纱裙嘻哇绣杖塘衍轴攀膊譬斌祈踢肆坎轿棚泣屡躁邱凰溢椎砸趟帘帆栖窜丸斩堤塌贩厢掀喀乖谜捏阎滨虏匙芦苹卸沼钥株祷剖熙哗劈怯棠胳桩瑰娱娶沫嗓蹲焚淘嫩韵衬匈钧竖峻豹捞菊鄙魄兜哄颖镑屑蚁壶怡渗秃迦旱哟咸焉谴宛稻铸锻伽詹毙恍贬烛骇芯汁桓坊驴朽靖佣汝碌迄冀荆崔雁绅珊榜诵傍彦醇笛禽勿娟瞄幢寇睹贿踩霆呜拱妃蔑谕缚诡篷淹腕煮倩卒勘馨逗甸贱炒灿敞蜡囚栗辜垫妒魁谣寞蜀甩涯枕丐泳奎泌逾叮黛燥掷藉枢憎鲸弘倚侮藩拂鹤蚀浆芙垃烤晒霜剿蕴圾绸屿氢驼妆捆铅逛淑榴丙痒钞蹄犬躬昼藻蛛褐颊奠募耽蹈陋侣魅岚侄虐堕陛莹荫狡阀绞膏垮茎缅喇绒搅凳梭丫姬诏钮棺耿缔懈嫉灶匀嗣鸽澡凿纬沸畴刃遏烁嗅叭熬瞥骸奢拙栋毯桐砂莽泻坪梳杉晤稚蔬蝇捣顷麽尴镖诧尬硫嚼羡沦沪旷彬芽狸冥碳咧惕暑咯萝汹腥窥俺潭崎麟捡拯厥澄萎哉涡滔暇溯鳞酿茵愕瞅暮衙诫斧兮焕棕佑嘶妓喧蓉删樱伺嗡娥梢坝蚕敷澜杏绥冶庇挠搂倏聂婉噪稼鳍菱盏匿吱寝揽髓秉哺矢啪帜邵嗽挟缸揉腻驯缆晌瘫贮觅朦僻隋蔓咋嵌虔畔琐碟涩胧嘟蹦冢浏裔襟叨诀旭虾簿啤擒枣嘎苑牟呕骆凸熄兀喔裳凹赎屯膛浇灼裘砰棘橡碱聋姥瑜毋娅沮萌俏黯撇粟粪尹苟癫蚂禹廖俭帖煎缕窦簇棱叩呐瑶墅莺烫蛙歹伶葱哮眩坤廓讳啼乍瓣矫跋枉梗厕琢讥釉窟敛轼庐胚呻绰扼懿炯竿慷虞锤栓桨蚊磅孽惭戳禀鄂馈垣溅咚钙礁彰豁眯磷雯墟迂瞻颅琉悼蝴拣渺眷悯汰慑婶斐嘘镶炕宦趴绷窘襄珀嚣拚酌浊毓撼嗜扛峭磕翘槽淌栅颓熏瑛颐忖".slice(0, 300), "，", "。");
    fc.assert(
      fc.property(fc.string({ unit: han, minLength: 30, maxLength: 400 }), fc.nat(), fc.nat({ max: 6 }), fc.string({ unit: han, maxLength: 6 }), (line, at, removeCount, insert) => {
        const chars = [...line];
        const from = at % (chars.length + 1);
        const removedChars = chars.splice(from, removeCount, ...insert).join("");
        const edited = chars.join("");
        const diff = computeDiff(`标题\n${line}\n结束\n`, `标题\n${edited}\n结束\n`, { context: Infinity, limits: NO_LIMITS });
        if (diff.identical) return;
        const rows = changedRows(diff);
        expect(rows).toHaveLength(1);
        const row = rows[0]!;
        if (row.kind !== "changed") return;
        // A minimal edit: no more characters marked than the edit removed and inserted.
        expect([...marked(row.oldParts, "removed")].length).toBeLessThanOrEqual([...removedChars].length);
        expect([...marked(row.newParts, "added")].length).toBeLessThanOrEqual([...insert].length);
      }),
      { numRuns: 300 },
    );
  });

  it("applying a row's marked changes to its old text gives its new text, for any pair of texts", () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const diff = computeDiff(a, b, { context: Infinity, limits: NO_LIMITS });
        for (const row of changedRows(diff)) {
          if (row.kind !== "changed" || !row.oldParts || !row.newParts) continue;
          expect(row.oldParts.map((p) => p.text).join("")).toBe(row.oldText);
          expect(row.newParts.map((p) => p.text).join("")).toBe(row.newText);
          // What stays is the same words on both sides (whitespace between them may differ: a re-wrap).
          const kept = (parts: WordPart[]) => parts.filter((p) => p.type === "same").map((p) => p.text).join("").replace(/\s+/g, "");
          expect(kept(row.oldParts)).toBe(kept(row.newParts));
          expect(row.oldParts.some((p) => p.type === "added") || row.newParts.some((p) => p.type === "removed")).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});

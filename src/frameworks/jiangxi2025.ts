import type { Framework, Indicator } from "../model/framework";
import { ref2025, SOURCE_DOCUMENT_2025 } from "./source";

/** Indicator entries as written below: id, source and on-site flag are derived from the code. */
type IndicatorEntry = Omit<Indicator, "id" | "source" | "onSite" | "departments"> & {
  /** 数据来源, in the document's order; `onSite` marks 实地考核 among them. */
  sources: readonly string[];
};

const ON_SITE = "实地考核";

function indicator(entry: IndicatorEntry): Indicator {
  const { sources, ...rest } = entry;
  return {
    id: `i${entry.code}`,
    ...rest,
    onSite: sources.includes(ON_SITE),
    departments: sources.filter((s) => s !== ON_SITE),
    source: ref2025("indicators", `指标${entry.code}`),
  };
}

/** The eight deduction clauses of indicator 13 (扣分项), in the document's order. */
const deductionClauses: Framework["deductionClauses"] = (
  [
    ["13a", "巩固拓展脱贫攻坚成果相关工作，受到党中央、国务院通报批评的", 1],
    ["13b", "受到中央和国家机关有关部委通报批评的", 0.8],
    ["13c", "受到省委、省政府通报批评的", 0.8],
    ["13d", "受到省委有关部门、省直有关单位通报批评的", 0.5],
    ["13e", "集中整治群众身边不正之风和腐败问题工作涉巩固拓展脱贫攻坚成果方面推进不力、问题突出群众反映强烈的", 1],
    ["13f", "被主流媒体曝光造成重大不良影响的", 0.8],
    ["13g", "考核中发现重大突出问题的", 1],
    ["13h", "考核中发现存在形式主义官僚主义、加重基层负担、数据弄虚作假、严重失真失实等突出问题", 0.5],
  ] as const
).map(([id, text, points], index) => ({
  id,
  text,
  points,
  source: ref2025("indicators", `指标13 扣分项 第${index + 1}条`),
}));

/**
 * The 2025 assessment indicator system for consolidating and expanding poverty-alleviation
 * achievements (2025 年度巩固拓展脱贫攻坚成果考核指标体系), Jiangxi's provincial version: five
 * categories, 13 indicators, eight deduction clauses, transcribed word for word from attachment 2
 * of the source document.
 *
 * The document gives no points per indicator and no grade bands, so neither is set here: use
 * `withPoints` (and grade bands in the options) to score with it. Indicator 10 and 11 are scored by
 * rule from declared facts; 13 holds the deduction clauses; the rest are scored manually (实地考核).
 *
 * Source: 近期巩固拓展脱贫攻坚成果重点工作任务清单, 附件2.
 */
export const jiangxi2025: Framework = {
  id: "jiangxi2025",
  title: "2025年度巩固拓展脱贫攻坚成果考核指标体系",
  year: 2025,
  level: "provincial",
  region: "江西省",
  document: {
    title: SOURCE_DOCUMENT_2025,
    issuedOn: "2025-10-28",
    note: "附件2 is the provincial indicator system; it assesses the province's 设区市.",
  },
  departments: [
    { id: "org", name: "省委组织部" },
    { id: "ndrc", name: "省发改委" },
    { id: "edu", name: "省教育厅" },
    { id: "civil", name: "省民政厅" },
    { id: "hrss", name: "省人社厅" },
    { id: "housing", name: "省住建厅" },
    { id: "water", name: "省水利厅" },
    { id: "agri", name: "省农业农村厅" },
    { id: "health", name: "省卫健委" },
    { id: "medins", name: "省医保局" },
    { id: "pbc", name: "中国人民银行江西省分行" },
    { id: "nfra", name: "国家金融监督管理总局江西监管局" },
    { id: "finance", name: "省财政厅" },
    { id: "nbs", name: "国家统计局江西调查总队" },
    { id: "party", name: "省委有关部门" },
    { id: "units", name: "省直有关单位" },
  ],
  categories: [
    {
      id: "c1",
      code: "一",
      name: "责任落实",
      indicators: [
        indicator({
          code: "1",
          name: "主体责任、部门责任、驻村帮扶责任等情况",
          content:
            "党委政府巩固拓展脱贫攻坚成果责任压实、研究部署、调研督导等情况，党委农村工作领导小组牵头抓总、统筹协调、督促落实等情况；各级行业部门按任务分工推动工作落实，以及加强跨部门间数据交换等工作协作情况；选派和管理驻村第一书记和工作队员及其履职尽责情况；派出单位责任落实情况。",
          sources: [ON_SITE, "org", "ndrc", "edu", "civil", "hrss", "housing", "water", "agri", "health", "medins", "pbc", "nfra"],
          scoring: { method: "manual" },
        }),
      ],
    },
    {
      id: "c2",
      code: "二",
      name: "政策落实",
      indicators: [
        indicator({
          code: "2",
          name: "“三保障”和饮水安全保障、兜底保障等情况",
          content:
            "各地控辍保学、教育资助等情况；乡村基本医疗服务、慢病签约服务、先诊疗后付费等情况；基本医保参保、分类参保资助、三重制度综合保障及高额医疗费用负担患者监测预警机制等情况；危房改造、质量达标等情况；农村饮水的水量、水质、用水方便程度和供水保证率，安全排查和问题动态清零、供水运行管护等情况；低保兜底和特困救助等情况。",
          sources: [ON_SITE, "edu", "health", "medins", "housing", "water", "civil"],
          scoring: { method: "manual" },
        }),
        indicator({
          code: "3",
          name: "脱贫地区帮扶产业发展和项目资产管理情况",
          content:
            "使用各类帮扶资金支持帮扶产业发展情况；按照“四个一批”（巩固、升级、盘活、调整）要求开展分类工作，推动帮扶产业项目盘活和调整工作成效情况；帮扶产业项目管护运营和联农带农情况；项目资产（含光伏帮扶电站）摸底确权、登记入账、管理运维和收益分配等情况；脱贫人口小额信贷政策落实情况。",
          sources: [ON_SITE, "agri", "ndrc", "nfra", "pbc"],
          scoring: { method: "manual" },
        }),
      ],
    },
    {
      id: "c3",
      code: "三",
      name: "工作落实",
      indicators: [
        indicator({
          code: "4",
          name: "脱贫人口稳岗就业情况",
          content:
            "2025 年度脱贫人口务工就业目标任务完成情况；跨省务工交通补助、雨露计划、以工代赈、公益性岗位和就业帮扶车间等政策落实情况；就业务工信息监测，对失业脱贫劳动力、雨露计划毕业生、返乡回流脱贫劳动力等重点群体开展动态监测和技能培训等就业帮扶政策落实情况。",
          sources: [ON_SITE, "agri", "hrss", "ndrc"],
          scoring: { method: "manual" },
        }),
        indicator({
          code: "5",
          name: "易地搬迁后续扶持情况",
          // The extraction reads 建议运维; the transcription corrects it to 建设运维.
          content:
            "有劳动力且有就业意愿的搬迁脱贫户基本实现 1 户 1 人以上就业情况；基础设施、基本公共服务、产业配套设施等建设运维情况；社区治理、社区安全和社会融入、社会事务等管理服务情况。",
          sources: [ON_SITE, "agri", "ndrc"],
          scoring: { method: "manual" },
        }),
        indicator({
          code: "6",
          name: "脱贫人口扶志扶智情况",
          // The extraction reads 少千少补、不千不补; the transcription corrects it.
          content: "建立“多干多补、少干少补、不干不补”的奖补机制，鼓励脱贫人口发展产业、参加就业等情况。",
          sources: [ON_SITE, "agri", "hrss"],
          scoring: { method: "manual" },
        }),
        indicator({
          code: "7",
          name: "防止返贫致贫监测帮扶情况",
          content:
            "农户自主申报、基层干部日常走访、部门筛查预警发现受理及识别纳入情况；监测对象帮扶特别是开发式帮扶措施落实情况，返贫致贫风险稳定消除情况；及时化解因自然灾害、农产品价格下行等返贫致贫风险情况。",
          sources: [ON_SITE, "agri"],
          scoring: { method: "manual" },
        }),
        indicator({
          code: "8",
          name: "财政衔接推进乡村振兴补助资金使用管理情况",
          content: "直接使用省财政厅、农业农村厅对各设区市的财政衔接推进乡村振兴补助资金绩效评价结果。",
          sources: [ON_SITE, "agri", "finance"],
          scoring: { method: "manual" },
        }),
        indicator({
          code: "9",
          name: "考核评估、暗访等发现问题整改情况",
          content: "巩固拓展脱贫攻坚成果考核评估、审计、暗访等发现问题的整改落实情况。",
          sources: [ON_SITE, "agri"],
          scoring: { method: "manual" },
        }),
      ],
    },
    {
      id: "c4",
      code: "四",
      name: "成效巩固",
      indicators: [
        indicator({
          code: "10",
          name: "守住不发生规模性返贫致贫底线情况",
          content: "根据入户调查、数据分析和平时掌握情况，研判是否存在整乡整村返贫致贫风险。",
          sources: ["agri"],
          scoring: {
            method: "rule",
            description: "kaohe 的评分规则（文件未规定分值与计分方法）：不存在整乡整村返贫致贫风险的，得全部分值；存在的，不得分。",
            facts: [
              {
                name: "wholeTownshipOrVillageRisk",
                type: "boolean",
                description: "是否存在整乡整村返贫致贫风险（研判结论）",
              },
            ],
            rule: { "!": [{ var: "wholeTownshipOrVillageRisk" }] },
          },
        }),
        indicator({
          code: "11",
          name: "脱贫地区农村居民收入变化情况",
          content: "2025 年脱贫地区农村居民人均可支配收入增速是否不低于本省和全国农村居民平均增速。",
          sources: ["nbs"],
          scoring: {
            method: "rule",
            description: "kaohe 的评分规则（文件未规定分值与计分方法）：增速不低于本省和全国农村居民平均增速的，得全部分值；否则不得分。",
            facts: [
              { name: "growth", type: "number", description: "脱贫地区农村居民人均可支配收入增速（%）" },
              { name: "provinceGrowth", type: "number", description: "本省农村居民人均可支配收入平均增速（%）" },
              { name: "nationalGrowth", type: "number", description: "全国农村居民人均可支配收入平均增速（%）" },
            ],
            rule: {
              and: [
                { ">=": [{ var: "growth" }, { var: "provinceGrowth" }] },
                { ">=": [{ var: "growth" }, { var: "nationalGrowth" }] },
              ],
            },
          },
        }),
        indicator({
          code: "12",
          name: "巩固脱贫成果认可度",
          content: "根据入户调查情况，综合测算各设区市巩固脱贫成果群众认可度。",
          sources: ["agri"],
          scoring: { method: "manual" },
        }),
      ],
    },
    {
      id: "c5",
      code: "五",
      name: "负面事项",
      indicators: [
        indicator({
          code: "13",
          name: "扣分项",
          // The document's 内容 for 13 is the list of clauses, each with its points per item.
          content: deductionClauses.map((c) => `${c.text}，每项扣 ${c.points} 分`).join("；") + "。",
          sources: [ON_SITE, "party", "units"],
          scoring: { method: "deductions" },
        }),
      ],
    },
  ],
  deductionClauses,
  policies: [
    {
      id: "same-matter-highest",
      kind: "same_matter_highest",
      text: "同一事项按就高原则计算，不重复扣分。",
      source: ref2025("indicators", "指标13 扣分项 说明"),
    },
    {
      id: "severe-case",
      kind: "severe_case",
      text: "发生规模性返贫及上述相关情况问题严重的，另行酌情扣分，降档处理，约谈提醒。",
      source: ref2025("indicators", "指标13 扣分项 说明"),
    },
  ],
  precision: 2,
};

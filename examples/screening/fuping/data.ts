// The SYNTHETIC cases of the fuping port (合成数据，非真实): households shaped like the national
// monitoring system's 监测对象信息 export as Gzuwkj/fuping reads it (every cell text, as pandas
// reads it with dtype=str, keep_default_na=False), and villages shaped like its 行政村信息 export.
// generate.ts writes them as CSV (UTF-8), CSV (GB18030) and XLSX (two title rows above the header).
// What each rule must find is written by hand in expected.json, from fuping's code, not computed.

/** The columns of the person file, in order, as fuping reads them. */
export const PERSON_HEADER = [
  "县", "乡", "村", "户编号", "证件号码", "与户主关系", "户类型", "监测对象类别", "风险是否已消除", "识别监测时间",
  "风险消除方式", "人均纯收入（元）", "是否危房户", "是否解决安全饮用水", "风险消除后是否住房损毁", "风险消除后是否饮水设施损毁",
  "风险消除后是否义务教育阶段适龄儿童少年失学辍学", "致贫/返贫风险1", "健康帮扶", "信息采集人", "信息采集人联系电话",
  "在校生状况", "劳动技能", "是否参加大病保险", "是否参加城乡居民基本医疗保险", "是否参加城镇职工基本医疗保险",
] as const;

/** The columns of the village file, in order. */
export const VILLAGE_HEADER = ["县", "乡(镇)", "行政村", "是否出列", "总人口数", "村级集体经济收入（万元）", "村小学（个数）", "到乡镇是否通沥青（水泥）路"] as const;

type Column = (typeof PERSON_HEADER)[number];

/** A household's own cells (the same on each of its rows unless a member overrides one), over the clean defaults. */
export interface Household {
  readonly id: string;
  /** What the case is for. */
  readonly note: string;
  readonly village?: string;
  readonly cells?: Partial<Record<Column, string>>;
  /** Its persons: cells over the clean person defaults; `badId` gives the person a wrong check digit. */
  readonly members: readonly { readonly cells?: Partial<Record<Column, string>>; readonly badId?: boolean }[];
}

const CLEAN_HOUSEHOLD: Partial<Record<Column, string>> = {
  县: "示例县", 乡: "甲乡", 户类型: "脱贫户", 监测对象类别: "脱贫不稳定户", 风险是否已消除: "否", 识别监测时间: "202206",
  风险消除方式: "", "人均纯收入（元）": "9000", 是否危房户: "否", 是否解决安全饮用水: "是", 风险消除后是否住房损毁: "否",
  风险消除后是否饮水设施损毁: "否", 风险消除后是否义务教育阶段适龄儿童少年失学辍学: "否", "致贫/返贫风险1": "因病",
  健康帮扶: "城乡居民基本医疗保险个人缴费补贴", 信息采集人: "李四", 信息采集人联系电话: "13800000000",
};
const CLEAN_PERSON: Partial<Record<Column, string>> = {
  与户主关系: "家庭成员", 在校生状况: "", 劳动技能: "普通劳动力", 是否参加大病保险: "是", 是否参加城乡居民基本医疗保险: "是", 是否参加城镇职工基本医疗保险: "否",
};
const ordinary = { 户类型: "一般农户", 监测对象类别: "" };

export const HOUSEHOLDS: readonly Household[] = [
  { id: "FP01", note: "clean control", members: [{}, {}] },
  { id: "FP02", note: "1_02_001: 危房户 not monitored (both persons)", cells: { ...ordinary, 是否危房户: "是" }, members: [{}, {}] },
  { id: "FP03", note: "监测对象类别 of blanks: 1_02_002 and 1_02_003 (intent) strip it; 1_02_003 (code) does not", cells: { 监测对象类别: "  ", 是否解决安全饮用水: "否" }, members: [{ cells: { 是否参加大病保险: "" } }] },
  { id: "FP04", note: "1_02_003 both: 大病保险 否, not monitored; the second person is insured", cells: ordinary, members: [{ cells: { 是否参加大病保险: "否" } }, {}] },
  { id: "FP05", note: "1_11_001: monitored without 致贫/返贫风险1", cells: { "致贫/返贫风险1": "" }, members: [{}] },
  { id: "FP06", note: "1_11_005, 1_11_006, 1_11_007: cleared, yet dropout, 危房 and unsafe water", cells: { 风险是否已消除: "是", 风险消除方式: "帮扶消除", 风险消除后是否义务教育阶段适龄儿童少年失学辍学: "是", 是否危房户: "是", 是否解决安全饮用水: "否" }, members: [{}] },
  { id: "FP07", note: "1_02_006: income 7299.9 below 7300, not monitored", cells: { ...ordinary, "人均纯收入（元）": "7299.9" }, members: [{}, {}] },
  { id: "FP08", note: "1_02_006 near miss: 7300 (found with --param incomeLine=7600)", cells: { ...ordinary, "人均纯收入（元）": "7300" }, members: [{}] },
  { id: "FP09", note: "1_11_011 code: no collector but a phone", cells: { 风险是否已消除: "是", 风险消除方式: "帮扶消除", 信息采集人: "", 信息采集人联系电话: "13900000000" }, members: [{}] },
  { id: "FP10", note: "1_11_011 intent: neither collector nor phone", cells: { 风险是否已消除: "是", 风险消除方式: "帮扶消除", 信息采集人: "", 信息采集人联系电话: "" }, members: [{}] },
  { id: "FP11", note: "1111_07: a pupil recorded as labour (second person); the third is a pupil without labour", members: [{}, { cells: { 在校生状况: "义务教育", 劳动技能: "普通劳动力" } }, { cells: { 在校生状况: "小学", 劳动技能: "无劳动力" } }] },
  { id: "FP12", note: "1111_09 code: identified 202305 with the subsidy", cells: { 识别监测时间: "202305" }, members: [{}] },
  { id: "FP13", note: "1111_09 intent and 1111_06: identified 202301 without the subsidy", cells: { 识别监测时间: "202301", 健康帮扶: "" }, members: [{}] },
  { id: "FP14", note: "1111_18 near miss: int(float('20000.5')) is 20000, not above 20000", cells: { 识别监测时间: "202304", "人均纯收入（元）": "20000.5" }, members: [{}] },
  { id: "FP15", note: "1111_18: identified 202401 with income 20001", cells: { 识别监测时间: "202401", "人均纯收入（元）": "20001" }, members: [{}] },
  { id: "FP16", note: "1_11_008: cleared, a member with neither medical insurance", cells: { 风险是否已消除: "是", 风险消除方式: "自然消除" }, members: [{}, { cells: { 是否参加城乡居民基本医疗保险: "否" } }] },
  { id: "FP17", note: "1_11_008: cleared, a member with both medical insurances", cells: { 风险是否已消除: "是", 风险消除方式: "自然消除" }, members: [{ cells: { 是否参加城镇职工基本医疗保险: "是" } }] },
  { id: "FP18", note: "1_12_002 and 1_12_003: a monitored person with a wrong check digit", village: "二村", members: [{ badId: true }, {}] },
  { id: "FP19", note: "1_12_003 code only: not monitored, wrong check digit (fuping's typo 检测对象类别 makes its condition always true)", village: "二村", cells: ordinary, members: [{ badId: true }] },
  { id: "FP20", note: "1_02_008 and 1_02_009: housing and water damaged after clearing", village: "二村", cells: { 风险消除后是否住房损毁: "是", 风险消除后是否饮水设施损毁: "是" }, members: [{}] },
  { id: "FP21", note: "income 约七千: a data-quality finding; the rules reading income are undecided, 1_02_001 still found", village: "二村", cells: { ...ordinary, "人均纯收入（元）": "约七千", 是否危房户: "是" }, members: [{}] },
  { id: "FP22", note: "户类型 outside its code table: a data-quality finding, every rule still decided", village: "二村", cells: { 户类型: "脱贫 户" }, members: [{}] },
  { id: "FP23", note: "income blank on the second row: an inconsistency of the household; rules reading income undecided for both", village: "二村", members: [{}, { cells: { "人均纯收入（元）": "  " } }] },
  { id: "FP24", note: "识别监测时间 empty: fuping's month rules return early, kaohe's guard", village: "二村", cells: { 识别监测时间: "" }, members: [{}] },
];

export interface Village {
  readonly cells: Record<(typeof VILLAGE_HEADER)[number], string>;
  readonly note: string;
}

const CLEAN_VILLAGE = { 县: "示例县", "乡(镇)": "甲乡", 是否出列: "是", 总人口数: "1200", "村级集体经济收入（万元）": "5.2", "村小学（个数）": "1", "到乡镇是否通沥青（水泥）路": "是" };

export const VILLAGES: readonly Village[] = [
  { note: "clean control", cells: { ...CLEAN_VILLAGE, 行政村: "一村" } },
  { note: "出列 with 0 people, no income, no school, no road: 1_03_002 intent (its code never holds), 1_03_003, 1_03_004, 2_03_001", cells: { ...CLEAN_VILLAGE, 行政村: "二村", 总人口数: "0", "村级集体经济收入（万元）": "", "村小学（个数）": "", "到乡镇是否通沥青（水泥）路": "0" } },
  { note: "not 出列: the same gaps find nothing", cells: { ...CLEAN_VILLAGE, 行政村: "三村", 是否出列: "否", 总人口数: "0", "村级集体经济收入（万元）": "", "村小学（个数）": "", "到乡镇是否通沥青（水泥）路": "" } },
  { note: "1_03_003: income 0", cells: { ...CLEAN_VILLAGE, 行政村: "四村", "村级集体经济收入（万元）": "0" } },
];

/** The check digit of a resident identity number (GB 11643), as fuping's check_id computes it. */
export function checkDigit(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((total, digit, i) => total + Number(digit) * (weights[i] ?? 0), 0);
  return "10X98765432"[sum % 11] as string;
}

/** A person's label in expected.json: household id and position, e.g. FP02-1. */
export interface PersonRow {
  readonly label: string;
  readonly household: string;
  readonly cells: readonly string[];
}

/** Every person row of the person file, in order, with its identity number (synthetic, with a valid check digit unless `badId`). */
export function personRows(): PersonRow[] {
  const rows: PersonRow[] = [];
  let seq = 0;
  for (const household of HOUSEHOLDS) {
    household.members.forEach((member, i) => {
      seq++;
      const first17 = `360000199001${String(seq).padStart(2, "0")}${String(seq).padStart(3, "0")}`;
      const digit = checkDigit(first17);
      const wrong = digit === "1" ? "2" : "1";
      const id = `${first17}${member.badId ? wrong : digit}`;
      const cells: Partial<Record<Column, string>> = {
        ...CLEAN_HOUSEHOLD,
        ...CLEAN_PERSON,
        村: household.village ?? "一村",
        户编号: household.id,
        证件号码: id,
        与户主关系: i === 0 ? "户主" : "家庭成员",
        ...household.cells,
        ...member.cells,
      };
      rows.push({ label: `${household.id}-${i + 1}`, household: household.id, cells: PERSON_HEADER.map((column) => cells[column] ?? "") });
    });
  }
  return rows;
}

// Generates the SYNTHETIC example data of examples/screening (合成数据，非真实): run
//   npx tsx examples/screening/generate.ts
// It writes synthetic-households.csv (UTF-8), synthetic-households-gbk.csv (GBK, dates as 2025/1/31,
// one malformed household), synthetic-households.xlsx (two title rows above the header) and
// expected.json (the findings each rule must give, declared here by hand, never computed by kaohe).
import { writeFileSync } from "node:fs";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";

const HEADER = [
  "县", "乡镇", "行政村", "户编号", "监测对象类别", "风险类型", "识别纳入时间", "风险是否消除", "风险消除时间", "风险消除方式",
  "人均纯收入（元）", "住房是否安全", "是否易地扶贫搬迁", "帮扶措施", "家庭人口数",
  "人编号", "与户主关系", "年龄", "劳动技能", "在校生状况", "是否务工就业", "是否参加城乡居民基本医疗保险",
] as const;

interface Person {
  relation: string;
  age: number | string;
  labour: string;
  school: string;
  employed: string;
  insured: string;
  /** Person rules this person must trigger. */
  expect?: string[];
}

interface Household {
  id: string;
  /** What the household is for: the rule it triggers or spares. */
  note: string;
  type?: string;
  risk?: string;
  identifiedOn?: string;
  status?: string;
  clearedOn?: string;
  clearedBy?: string;
  income?: string;
  housingSafe?: string;
  relocated?: string;
  measures?: string;
  size?: number;
  members?: Person[];
  /** Household rules it must trigger. */
  expect?: string[];
}

const adult = (over: Partial<Person> = {}): Person => ({ relation: "户主", age: 45, labour: "普通劳动力", school: "非在校生", employed: "是", insured: "是", ...over });
const child = (over: Partial<Person> = {}): Person => ({ relation: "之子", age: 12, labour: "无劳动力", school: "义务教育", employed: "否", insured: "是", ...over });
const cleared = { status: "已消除", identifiedOn: "2024-01-10", clearedOn: "2024-12-20", clearedBy: "帮扶消除" };

const HOUSEHOLDS: Household[] = [
  { id: "SYN-0101", note: "clean household, no rule applies" },
  { id: "SYN-0102", note: "SC01 cleared one day short of 6 months", ...cleared, identifiedOn: "2025-01-31", clearedOn: "2025-07-30", expect: ["SC01"] },
  { id: "SYN-0103", note: "SC01 near miss: exactly 6 months", ...cleared, identifiedOn: "2025-01-31", clearedOn: "2025-07-31" },
  { id: "SYN-0104", note: "SC02 cleared by assistance below the line", ...cleared, income: "7599.99", expect: ["SC02"] },
  { id: "SYN-0105", note: "SC02 near miss: income exactly at the line", ...cleared, income: "7600" },
  { id: "SYN-0106", note: "SC02 near miss: cleared naturally below the line", ...cleared, clearedBy: "自然消除", income: "7000" },
  {
    id: "SYN-0107", note: "SC03 cleared with a 15-year-old out of school (and SC12 for the child)", ...cleared,
    members: [adult(), child({ age: 15, school: "辍学", expect: ["SC12"] })], expect: ["SC03"],
  },
  { id: "SYN-0108", note: "SC03 near miss: the child out of school is 16", ...cleared, members: [adult(), child({ age: 16, school: "非在校生", labour: "弱劳动力或半劳动力" })] },
  { id: "SYN-0109", note: "SC04 cleared in unsafe housing", ...cleared, housingSafe: "否", expect: ["SC04"] },
  { id: "SYN-0110", note: "SC04 near miss: unsafe housing, risk not cleared", housingSafe: "否" },
  { id: "SYN-0111", note: "SC05 labour with 综合保障 only", measures: "综合保障", expect: ["SC05"] },
  {
    id: "SYN-0112", note: "SC05 near miss: 综合保障 only, no labour", measures: "综合保障",
    members: [adult({ age: 78, labour: "丧失劳动力", employed: "否" }), adult({ relation: "配偶", age: 80, labour: "无劳动力", employed: "否" })],
  },
  { id: "SYN-0113", note: "SC05 near miss: 综合保障 and employment", measures: "综合保障、就业帮扶" },
  {
    id: "SYN-0114", note: "SC06 缺劳动力 although both members can work", risk: "缺劳动力",
    members: [adult(), adult({ relation: "配偶", age: 43, labour: "技能劳动力" })], expect: ["SC06"],
  },
  { id: "SYN-0115", note: "SC06 near miss: one member a half labourer", risk: "缺劳动力", members: [adult(), adult({ relation: "配偶", age: 50, labour: "弱劳动力或半劳动力", employed: "否" })] },
  {
    id: "SYN-0116", note: "SC07 relocated, labour, no one employed", relocated: "是",
    members: [adult({ employed: "否" }), child()], expect: ["SC07"],
  },
  { id: "SYN-0117", note: "SC07 near miss: relocated, one employed", relocated: "是", members: [adult(), adult({ relation: "配偶", employed: "否" })] },
  { id: "SYN-0118", note: "SC08 four recorded, two listed", size: 4, expect: ["SC08"] },
  { id: "SYN-0119", note: "SC08 near miss: three recorded, three listed", size: 3, members: [adult(), adult({ relation: "配偶" }), child()] },
  { id: "SYN-0120", note: "SC09 risk not cleared, no measure", measures: "", expect: ["SC09"] },
  { id: "SYN-0121", note: "SC09 near miss: cleared, no measure", ...cleared, measures: "" },
  { id: "SYN-0122", note: "SC10 income missing", income: "", expect: ["SC10"] },
  { id: "SYN-0123", note: "SC10 near miss: income 0 is recorded", income: "0" },
  { id: "SYN-0124", note: "SC11 cleared before identified (also SC01)", ...cleared, identifiedOn: "2024-06-01", clearedOn: "2024-01-01", expect: ["SC01", "SC11"] },
  { id: "SYN-0125", note: "SC11 near miss: cleared the day identified (still SC01)", ...cleared, identifiedOn: "2024-06-01", clearedOn: "2024-06-01", expect: ["SC01"] },
  { id: "SYN-0126", note: "SC12 a 6-year-old dropped out", members: [adult(), child({ age: 6, school: "辍学", expect: ["SC12"] })] },
  { id: "SYN-0127", note: "SC12 near misses: 5 not at school, 15 at school", members: [adult(), child({ age: 5, school: "学前教育" }), child({ age: 15 })] },
  { id: "SYN-0128", note: "SC13 not insured; near miss: insurance not recorded", members: [adult({ insured: "否", expect: ["SC13"] }), adult({ relation: "配偶", insured: "" })] },
  { id: "SYN-0129", note: "SC14 15-year-old recorded as labour; near miss: 16", members: [adult(), child({ age: 15, labour: "普通劳动力", expect: ["SC14"] }), child({ age: 16, labour: "普通劳动力", school: "非在校生" })] },
  { id: "SYN-0130", note: "clean relocated household with labour employed", relocated: "是", measures: "就业帮扶" },
];

const PLACES = [["示例县", "甲乡", "一村"], ["示例县", "甲乡", "二村"], ["示例县", "乙镇", "三村"]] as const;

/** The rows of a household: its fields repeated on every member's row. */
function rows(household: Household, place: readonly string[]): (string | number)[][] {
  const members = household.members ?? [adult(), child()];
  return members.map((person, i) => [
    ...place, household.id, household.type ?? "脱贫不稳定户", household.risk ?? "因病", household.identifiedOn ?? "2024-03-01",
    household.status ?? "未消除", household.clearedOn ?? "", household.clearedBy ?? "", household.income ?? "9000",
    household.housingSafe ?? "是", household.relocated ?? "否", household.measures ?? "产业帮扶、就业帮扶", household.size ?? members.length,
    `${household.id}-${String(i + 1).padStart(2, "0")}`, person.relation, person.age, person.labour, person.school, person.employed, person.insured,
  ]);
}

function csv(lines: readonly (readonly (string | number)[])[]): string {
  const cell = (value: string | number) => (/[",\r\n]/.test(String(value)) ? `"${String(value).replace(/"/g, '""')}"` : String(value));
  return lines.map((line) => line.map(cell).join(",")).join("\r\n") + "\r\n";
}

const byFile: [Household, readonly string[]][][] = [[], [], []];
HOUSEHOLDS.forEach((household, i) => byFile[i % 3]?.push([household, PLACES[i % 3] ?? PLACES[0]]));
const dir = new URL("./", import.meta.url);

// 1. UTF-8 without BOM.
writeFileSync(new URL("synthetic-households.csv", dir), csv([HEADER, ...(byFile[0] ?? []).flatMap(([h, p]) => rows(h, p))]));

// 2. GBK, dates as Chinese Excel writes them, one malformed household and one row of 23 cells.
const slash = (date: unknown) => (typeof date === "string" && /^\d{4}-\d{2}-\d{2}$/.test(date) ? date.replace(/-0?/g, "/") : date);
const gbkRows = (byFile[1] ?? []).flatMap(([h, p]) => rows(h, p)).map((row) => row.map((cell, i) => (i === 6 || i === 8 ? slash(cell) : cell)) as (string | number)[]);
const bad = rows({ id: "SYN-0199", note: "malformed: 年龄 written in words" }, PLACES[1]);
if (bad[1]) bad[1][17] = "十二";
const extra = rows({ id: "SYN-0198", note: "malformed: an extra cell" }, PLACES[1]).slice(0, 1).map((row) => [...row, "多余"]);
writeFileSync(new URL("synthetic-households-gbk.csv", dir), iconv.encode(csv([HEADER, ...gbkRows, ...bad, ...extra]), "gbk"));

// 3. XLSX with title rows above the header, real dates and numbers.
const workbook = new ExcelJS.Workbook();
workbook.creator = "kaohe examples/screening/generate.ts";
workbook.created = workbook.modified = new Date(Date.UTC(2025, 0, 1));
const sheet = workbook.addWorksheet("监测对象");
sheet.addRow(["防返贫监测对象信息（合成数据，非真实）"]);
sheet.addRow(["导出单位：示例县农业农村局　　导出时间：2025-01-01"]);
sheet.addRow(HEADER.map((name) => (name === "人均纯收入（元）" ? "人均纯收入\n（元）" : name)));
for (const [household, place] of byFile[2] ?? []) {
  for (const row of rows(household, place)) {
    sheet.addRow(
      row.map((cell, i) => {
        if ((i === 6 || i === 8) && typeof cell === "string" && cell !== "") return new Date(`${cell}T00:00:00Z`);
        if ((i === 10 || i === 14 || i === 17) && cell !== "") return Number(cell);
        return cell === "" ? null : cell;
      }),
    );
  }
}
sheet.getColumn(7).numFmt = "yyyy-mm-dd";
sheet.getColumn(9).numFmt = "yyyy-mm-dd";
await workbook.xlsx.writeFile(new URL("synthetic-households.xlsx", dir).pathname);

// 4. What each rule must find: household rules by household, person rules by person.
const expected: Record<string, string[]> = {};
for (const household of HOUSEHOLDS) {
  for (const code of household.expect ?? []) (expected[code] ??= []).push(household.id);
  (household.members ?? []).forEach((person, i) => {
    for (const code of person.expect ?? []) (expected[code] ??= []).push(`${household.id}-${String(i + 1).padStart(2, "0")}`);
  });
}
const sorted = Object.fromEntries(Object.entries(expected).sort(([a], [b]) => (a < b ? -1 : 1)));
const notes = Object.fromEntries(HOUSEHOLDS.map((h) => [h.id, h.note]));
writeFileSync(
  new URL("expected.json", dir),
  `${JSON.stringify({ $comment: "Generated by `npx tsx examples/screening/generate.ts` from hand-declared cases; synthetic data.", findings: sorted, households: notes, dataQuality: { "SYN-0199-02": ["invalid_value"] }, rejected: { "SYN-0198": ["wrong_cell_count"] } }, null, 2)}\n`,
);
console.log("wrote synthetic-households.csv, synthetic-households-gbk.csv, synthetic-households.xlsx, expected.json");

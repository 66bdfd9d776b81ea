// Writes the SYNTHETIC county of the multi-table example (合成数据，非真实): five townships, 75
// villages, about 5,700 households and 20,000 persons, as the four exports of the monitoring
// system, each an XLSX with two title rows above its header:
//   npx tsx examples/screening/county/generate.ts            (the first run: the four exports)
//   npx tsx examples/screening/county/generate.ts --second   (after fixes: villages-2.xlsx, see expected-loop.json)
// villages.xlsx (行政村信息), households.xlsx (户信息), persons.xlsx (监测对象信息), work.xlsx (务工监测).
// Every value follows from the numbers of its township, village, household and member (no
// randomness), so that the clean records pass every rule of rulebook.json; the PLANTED errors
// below are the only departures. expected.json is NOT written here: it is written by hand from
// the list of plants.
import ExcelJS from "exceljs";

export const COUNTY = "示例县";
export const TOWNSHIPS = ["甲乡", "乙镇", "丙乡", "丁镇", "戊乡"] as const;
export const VILLAGES_PER_TOWNSHIP = 15;
export const HOUSEHOLDS_PER_VILLAGE = 76;

const pad = (n: number, width: number) => String(n).padStart(width, "0");
/** 行政村代码: 412823 + 10t + v (3 digits), e.g. 412823101001. */
export const villageCode = (t: number, v: number) => `412823${100 + t}${pad(v, 3)}`;
export const villageName = (t: number, v: number) => `${"甲乙丙丁戊"[t - 1]}${pad(v, 2)}村`;
/** 户编号: 行政村代码 + household (3 digits). */
export const householdId = (t: number, v: number, h: number) => `${villageCode(t, v)}${pad(h, 3)}`;
/** 证件号码 (synthetic, 18 characters): 户编号 + member (2 digits) + 1. */
export const idNumber = (t: number, v: number, h: number, m: number) => `${householdId(t, v, h)}${pad(m, 2)}1`;
export const householdSize = (t: number, v: number, h: number) => 1 + ((7 * t + 13 * v + 17 * h) % 6);
export const householdType = (h: number) => (h % 10 < 3 ? "脱贫户" : h % 10 === 3 ? "监测户" : "一般农户");
/** Villages 3, 6, 9, 12 and 15 of each township are 出列. */
export const exited = (v: number) => v % 3 === 0;
/** 监测户 (h ≡ 3 mod 10): the risk is cleared except for h ≡ 3 mod 20 outside 出列 villages. */
export const riskCleared = (v: number, h: number) => (householdType(h) !== "监测户" ? "" : h % 20 === 3 && !exited(v) ? "否" : "是");
const age = (h: number, m: number) => (m === 1 ? 40 + (h % 30) : m === 2 ? 38 + (h % 25) : 5 + ((h * m) % 25));
const labour = (h: number, m: number) => {
  const a = age(h, m);
  return a < 16 ? "无劳动力" : a > 60 ? "弱劳动力或半劳动力" : h % 7 === 0 ? "技能劳动力" : "普通劳动力";
};
/** The head of household (m = 1) works; so every household has at least one worker. */
const working = (h: number, m: number) => m === 1 && (labour(h, m) === "普通劳动力" || labour(h, m) === "技能劳动力");

export const VILLAGE_HEADER = ["县", "乡镇", "村", "行政村代码", "是否出列", "总户数", "总人口数"];
export const HOUSEHOLD_HEADER = ["县(市、区、旗)", "乡(镇)", "行政村", "行政村代码", "户编号", "家庭人口数", "户类型", "风险是否已消除", "人均纯收入（元）"];
export const PERSON_HEADER = ["县", "乡镇", "行政村", "户编号", "证件号码", "姓名", "与户主关系", "年龄", "劳动技能", "户类型", "是否务工"];
export const WORK_HEADER = ["县", "乡", "行政村", "户编号", "证件号码", "务工开始时间", "是否已务工", "务工月收入"];

type Row = Record<string, string>;
const SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张";
const GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂";

/** The clean county, as rows of the four exports keyed by column. */
export function county(): { villages: Row[]; households: Row[]; persons: Row[]; work: Row[] } {
  const villages: Row[] = [];
  const households: Row[] = [];
  const persons: Row[] = [];
  const work: Row[] = [];
  TOWNSHIPS.forEach((township, ti) => {
    const t = ti + 1;
    for (let v = 1; v <= VILLAGES_PER_TOWNSHIP; v++) {
      let population = 0;
      const unit = { 县: COUNTY, 村: villageName(t, v) };
      for (let h = 1; h <= HOUSEHOLDS_PER_VILLAGE; h++) {
        const size = householdSize(t, v, h);
        population += size;
        households.push({
          "县(市、区、旗)": COUNTY, "乡(镇)": township, 行政村: unit.村, 行政村代码: villageCode(t, v), 户编号: householdId(t, v, h),
          家庭人口数: String(size), 户类型: householdType(h), 风险是否已消除: riskCleared(v, h), "人均纯收入（元）": String(9000 + ((h * 37) % 4000)),
        });
        for (let m = 1; m <= size; m++) {
          const name = `${SURNAMES[(t * 31 + v * 7 + h) % SURNAMES.length]}${GIVEN[(h * 3 + m * 5 + v) % GIVEN.length]}`;
          persons.push({
            县: COUNTY, 乡镇: township, 行政村: unit.村, 户编号: householdId(t, v, h), 证件号码: idNumber(t, v, h, m), 姓名: name,
            与户主关系: m === 1 ? "户主" : m === 2 ? "配偶" : "子女", 年龄: String(age(h, m)), 劳动技能: labour(h, m), 户类型: householdType(h), 是否务工: working(h, m) ? "是" : "否",
          });
          if (!working(h, m)) continue;
          const base = { 县: COUNTY, 乡: township, 行政村: unit.村, 户编号: householdId(t, v, h), 证件号码: idNumber(t, v, h, m) };
          // Every fifth head also has an earlier spell of work, ended.
          if (h % 5 === 0) work.push({ ...base, 务工开始时间: `2023${pad(1 + (h % 9), 2)}`, 是否已务工: "否", 务工月收入: String(1800 + ((h * 7) % 1000)) });
          work.push({ ...base, 务工开始时间: `2024${pad(1 + (h % 6), 2)}`, 是否已务工: "是", 务工月收入: String(2000 + ((h * 11) % 3000)) });
        }
      }
      villages.push({ 县: COUNTY, 乡镇: township, 村: villageName(t, v), 行政村代码: villageCode(t, v), 是否出列: exited(v) ? "是" : "否", 总户数: String(HOUSEHOLDS_PER_VILLAGE), 总人口数: String(population) });
    }
  });
  return { villages, households, persons, work };
}

const find = (rows: Row[], column: string, value: string): Row => {
  const row = rows.find((r) => r[column] === value);
  if (!row) throw new Error(`no row with ${column} ${value}`);
  return row;
};

/**
 * The planted errors, each named by the rule it is planted for (see expected.json). `second`: the
 * county after its first rectification (see expected-loop.json): three errors of the villages
 * export fixed (CT08 on 戊乡's village 9, CT09, CT10) and a new one made (CT08 on 丙乡's village 1).
 */
export function plant(data: ReturnType<typeof county>, { second = false }: { second?: boolean } = {}): void {
  const { villages, households, persons, work } = data;
  const person = (t: number, v: number, h: number, m: number) => find(persons, "证件号码", idNumber(t, v, h, m));
  // CT01: the same 证件号码 on two persons of two households of one village; on two persons of two
  // townships; on three persons.
  person(2, 4, 10, 2).证件号码 = idNumber(2, 4, 9, 1);
  person(4, 2, 3, 2).证件号码 = idNumber(5, 1, 1, 2);
  person(1, 1, 4, 2).证件号码 = idNumber(1, 1, 1, 1);
  person(1, 1, 3, 2).证件号码 = idNumber(1, 1, 1, 1);
  // CT02: a household of one person exported twice.
  const twice = find(households, "户编号", householdId(3, 5, 2));
  households.splice(households.indexOf(twice) + 1, 0, { ...twice });
  // CT03: a spell of work recorded twice.
  const spell = find(work, "证件号码", idNumber(5, 6, 7, 1));
  work.splice(work.indexOf(spell) + 1, 0, { ...spell });
  // CT04: a person of a household that does not exist; a person whose 户编号 has a typo.
  persons.push({ ...person(2, 9, 1, 1), 户编号: householdId(2, 9, 99), 证件号码: idNumber(2, 9, 99, 1), 姓名: "孤立人", 是否务工: "否" });
  person(1, 7, 5, 2).户编号 = `${householdId(1, 7, 5).slice(0, -1)}X`;
  // CT05: a household whose 行政村代码 names no village.
  find(households, "户编号", householdId(4, 8, 30)).行政村代码 = villageCode(4, 99);
  // CT06: a spell of work of a person in no export of persons.
  work.push({ 县: COUNTY, 乡: "戊乡", 行政村: villageName(5, 3), 户编号: householdId(5, 3, 40), 证件号码: idNumber(5, 3, 40, 9), 务工开始时间: "202405", 是否已务工: "是", 务工月收入: "2600" });
  // CT07: a household declaring one person more than it has.
  const declared = find(households, "户编号", householdId(3, 11, 15));
  declared.家庭人口数 = String(Number(declared.家庭人口数) + 1);
  // CT08: a village declaring 75 households for its 76.
  if (!second) find(villages, "行政村代码", villageCode(5, 9)).总户数 = "75";
  else find(villages, "行政村代码", villageCode(3, 1)).总户数 = "75";
  // CT09: a 出列 village with a population of 0.
  if (!second) find(villages, "行政村代码", villageCode(2, 6)).总人口数 = "0";
  // CT10: a 出列 village declaring 5 persons more than its households hold.
  const over = find(villages, "行政村代码", villageCode(1, 12));
  if (!second) over.总人口数 = String(Number(over.总人口数) + 5);
  // CT11: a person whose 户类型 differs from the household's (脱贫户).
  person(4, 10, 12, 1).户类型 = "一般农户";
  // CT12: a person registered in another village than the household's.
  person(5, 13, 8, 2).行政村 = villageName(5, 14);
  // CT13: a spell of work under the neighbouring household's 户编号.
  find(work, "证件号码", idNumber(3, 2, 6, 1)).户编号 = householdId(3, 2, 7);
  // CT14: a person who lost the ability to work, with a spell of work going on.
  person(2, 13, 40, 1).劳动技能 = "丧失劳动力";
  // CT15: a 脱贫户's head earning 350 a month; near miss: the same in a 一般农户.
  find(work.filter((w) => w.是否已务工 === "是"), "证件号码", idNumber(1, 14, 12, 1)).务工月收入 = "350";
  find(work.filter((w) => w.是否已务工 === "是"), "证件号码", idNumber(1, 14, 14, 1)).务工月收入 = "350";
  // CT16: a cleared 监测户 below the income line whose labourers do not work; near miss: one that works.
  const poor = find(households, "户编号", householdId(4, 5, 13));
  poor["人均纯收入（元）"] = "7000";
  for (const p of persons) if (p.户编号 === householdId(4, 5, 13)) p.是否务工 = "否";
  for (let i = work.length - 1; i >= 0; i--) if (work[i]?.户编号 === householdId(4, 5, 13)) work.splice(i, 1);
  find(households, "户编号", householdId(4, 5, 33))["人均纯收入（元）"] = "7000";
  // CT17: a 监测户 of a 出列 village whose risk is not cleared.
  find(households, "户编号", householdId(1, 3, 3)).风险是否已消除 = "否";
}

async function write(name: string, title: string, header: readonly string[], rows: readonly Row[]): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  workbook.created = workbook.modified = new Date(Date.UTC(2025, 0, 1));
  const sheet = workbook.addWorksheet("Sheet1");
  sheet.addRow([title]);
  sheet.addRow(["示例县　导出时间：2025-01-01（合成数据，非真实）"]);
  sheet.addRow([...header]);
  for (const row of rows) sheet.addRow(header.map((column) => row[column] ?? ""));
  await workbook.xlsx.writeFile(new URL(`${name}.xlsx`, import.meta.url).pathname, { zip: { compression: "DEFLATE", compressionOptions: { level: 9 } } } as never);
}

if (import.meta.url === `file://${process.argv[1]}` && process.argv.includes("--second")) {
  // The second run's exports: only the villages export differs from the first run's.
  const data = county();
  plant(data, { second: true });
  await write("villages-2", "（自定义）行政村信息", VILLAGE_HEADER, data.villages);
  console.log(`wrote villages-2.xlsx: ${data.villages.length} villages`);
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const data = county();
  plant(data);
  await write("villages", "（自定义）行政村信息", VILLAGE_HEADER, data.villages);
  await write("households", "（乡村建设）户信息", HOUSEHOLD_HEADER, data.households);
  await write("persons", "（自定义）监测对象信息", PERSON_HEADER, data.persons);
  await write("work", "（务工月监测）已外出务工信息", WORK_HEADER, data.work);
  console.log(`wrote ${data.villages.length} villages, ${data.households.length} households, ${data.persons.length} persons, ${data.work.length} spells of work`);
}

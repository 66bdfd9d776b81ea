/**
 * Benchmark of the rule engine: `npm run bench:rules -- [--records N] [--rounds R] [--shape-records M] [--only NAME]`.
 *
 * Builds N synthetic household records in memory (default 1,000,000) and evaluates four rules
 * over all of them with (a) a hand-written JS closure, (b) json-logic-js `apply`, (c) a kaohe
 * prepared rule; rounds are interleaved (a, b, c, a, b, c, …) and medians are reported, in
 * evaluations per second, with the ratios c/a and c/b. It does so on several data sets that differ
 * only in how the amounts are written: with two decimals (goal: c ≥ 10 × b and c ≥ 0.25 × a), as
 * full-precision doubles a host system computes (ratios, averages: goal c ≥ 2 × b), and on the
 * adversarial shapes of issue 15 (goal c ≥ b: no input shape makes kaohe slower than json-logic-js),
 * which use M records each (default N / 5). `--only` runs the data sets whose name contains NAME.
 *
 * `--floor` adds (d): the same rule hand-written once more, but reading every field as a generic
 * evaluator must, an own-property check and a load by key through one code site shared by all
 * keys, and with plain floating point. No evaluator built from closures or a loop (no generated
 * code) reads data faster, so d/a is the ceiling of c/a on the machine (decision 0108).
 */
import jsonLogic from "json-logic-js";
import { compileRule, type JsonLogicRule } from "../src/rules/index";
import { median, option } from "./bench-util";

interface Member {
  readonly age: number;
  readonly disabled: boolean;
  readonly chronicIllness: boolean;
}

/** Amounts are numbers, or numerals as text in one data set: the closures read them with unary +. */
type Amount = number | string;

interface Household {
  readonly id: number;
  readonly size: number;
  readonly netIncome: Amount;
  readonly medicalExpense: Amount;
  readonly disabledMembers: number;
  readonly income: { readonly current: Amount; readonly previous: Amount };
  readonly growth: { readonly province: Amount; readonly national: Amount };
  readonly members: readonly Member[];
}

/** A small seeded generator (mulberry32), so that every run measures the same records. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A data set: how an amount (money) and a ratio are written. */
interface Shape {
  readonly name: string;
  /** Per data set: each rule's goal as the least c/b. */
  readonly goal: number;
  /** Whether the c/a goal (≥ 0.25) applies. */
  readonly closureGoal: boolean;
  readonly amount: (x: number) => unknown;
  readonly ratio: (x: number) => unknown;
}

const cents = (x: number): number => Math.round(x * 100) / 100;
const asIs = (x: number): number => x;

const SHAPES: readonly Shape[] = [
  // Amounts as a database or JSON file gives them: decimals with two places.
  { name: "two-decimal", goal: 10, closureGoal: true, amount: cents, ratio: (x) => Math.round(x * 1000) / 1000 },
  // Amounts and ratios as a host system computes them: 7299.987654321123, 0.07123456789012345.
  { name: "full-precision", goal: 2, closureGoal: false, amount: asIs, ratio: asIs },
  // The adversarial shapes: long decimals (many places), huge and tiny exponents, integers past 2^53, numerals as text.
  { name: "long decimals (amount × 1e-6)", goal: 1, closureGoal: false, amount: (x) => x * 1e-6, ratio: asIs },
  { name: "huge exponents (amount × 1e300)", goal: 1, closureGoal: false, amount: (x) => x * 1e300, ratio: asIs },
  { name: "tiny exponents (amount × 1e-300)", goal: 1, closureGoal: false, amount: (x) => x * 1e-300, ratio: (x) => x * 1e-300 },
  { name: "integers past 2^53 (amount × 2^60)", goal: 1, closureGoal: false, amount: (x) => Math.round(x * 2 ** 60), ratio: asIs },
  { name: "numerals as text (two decimals)", goal: 1, closureGoal: false, amount: (x) => String(cents(x)), ratio: (x) => String(Math.round(x * 1000) / 1000) },
  { name: "numerals as text (full precision)", goal: 1, closureGoal: false, amount: (x) => String(x), ratio: (x) => String(x) },
];

function buildRecords(count: number, shape: Shape): Household[] {
  const next = random(20250101);
  const money = (max: number, min = 0): number => min + next() * max;
  const records: Household[] = new Array<Household>(count);
  for (let id = 0; id < count; id++) {
    const size = 1 + Math.floor(next() * 6);
    const members: Member[] = [];
    let disabled = 0;
    for (let m = 0; m < size; m++) {
      const member = { age: Math.floor(next() * 90), disabled: next() < 0.04, chronicIllness: next() < 0.15 };
      if (member.disabled) disabled++;
      members.push(member);
    }
    const previous = money(60_000, 1_000);
    // Each record goes through JSON, as records read from a JSON-lines file do: the objects then
    // have the stable shapes of parsed data (objects built field by field in a loop drift between
    // hidden classes, which slows every reader, the hand-written closure included).
    const { amount, ratio } = shape;
    const record = {
      id,
      size,
      netIncome: amount(money(80_000, 100)),
      medicalExpense: next() < 0.2 ? amount(money(40_000)) : 0,
      disabledMembers: disabled,
      income: { current: amount(previous * (0.9 + next() * 0.25)), previous: amount(previous) },
      growth: { province: ratio(next() * 0.1), national: ratio(next() * 0.1) },
      members,
    };
    records[id] = JSON.parse(JSON.stringify(record)) as Household;
  }
  return records;
}

interface Case {
  readonly name: string;
  readonly rule: JsonLogicRule;
  readonly closure: (h: Household) => boolean;
  /** The closure with every field read through {@link own} (see `--floor`). */
  readonly floor: (h: Household) => boolean;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** A field read as a generic evaluator reads it: own properties only, by key, at one code site for every key. */
function own(data: unknown, key: string | number): unknown {
  if (typeof data !== "object" || data === null || !hasOwn.call(data, key)) return undefined;
  return (data as Record<string | number, unknown>)[key];
}

/** A reader per key; every reader calls {@link own} from the same code site. */
function readers<K extends string>(...keys: K[]): Record<K, (data: unknown) => unknown> {
  return Object.fromEntries(keys.map((key) => [key, (data: unknown): unknown => own(data, key)])) as Record<K, (data: unknown) => unknown>;
}

const { netIncome, size, medicalExpense, disabledMembers, income, growth, current, previous, province, national, members, age, chronicIllness } = readers(
  "netIncome",
  "size",
  "medicalExpense",
  "disabledMembers",
  "income",
  "growth",
  "current",
  "previous",
  "province",
  "national",
  "members",
  "age",
  "chronicIllness",
);

const POVERTY_LINE = 7_000;

const CASES: readonly Case[] = [
  {
    name: "screening: per-capita income < line and (medical > half income or disabled member)",
    rule: {
      and: [
        { "<": [{ "/": [{ var: "netIncome" }, { var: "size" }] }, POVERTY_LINE] },
        {
          or: [
            { ">": [{ var: "medicalExpense" }, { "/": [{ var: "netIncome" }, 2] }] },
            { ">": [{ var: "disabledMembers" }, 0] },
          ],
        },
      ],
    },
    closure: (h) => +h.netIncome / h.size < POVERTY_LINE && (+h.medicalExpense > +h.netIncome / 2 || h.disabledMembers > 0),
    floor: (h) => Number(netIncome(h)) / Number(size(h)) < POVERTY_LINE && (Number(medicalExpense(h)) > Number(netIncome(h)) / 2 || Number(disabledMembers(h)) > 0),
  },
  {
    name: "income growth >= max(province growth, national growth)",
    rule: {
      ">=": [
        { "/": [{ "-": [{ var: "income.current" }, { var: "income.previous" }] }, { var: "income.previous" }] },
        { max: [{ var: "growth.province" }, { var: "growth.national" }] },
      ],
    },
    closure: (h) => (+h.income.current - +h.income.previous) / +h.income.previous >= Math.max(+h.growth.province, +h.growth.national),
    floor: (h) => {
      const i = income(h);
      const g = growth(h);
      const p = Number(previous(i));
      return (Number(current(i)) - p) / p >= Math.max(Number(province(g)), Number(national(g)));
    },
  },
  {
    name: "household risk: medical share of income × size > 1.5",
    rule: { ">": [{ "*": [{ "/": [{ var: "medicalExpense" }, { var: "netIncome" }] }, { var: "size" }] }, 1.5] },
    closure: (h) => (+h.medicalExpense / +h.netIncome) * h.size > 1.5,
    floor: (h) => (Number(medicalExpense(h)) / Number(netIncome(h))) * Number(size(h)) > 1.5,
  },
  {
    name: "some member aged 60+ with a chronic illness",
    rule: { some: [{ var: "members" }, { and: [{ ">=": [{ var: "age" }, 60] }, { var: "chronicIllness" }] }] },
    closure: (h) => h.members.some((m) => m.age >= 60 && m.chronicIllness),
    floor: (h) => {
      const list = members(h);
      if (!Array.isArray(list)) return false;
      for (let i = 0; i < list.length; i++) {
        const m = own(list, i);
        if (Number(age(m)) >= 60 && chronicIllness(m) === true) return true;
      }
      return false;
    },
  },
];

function timePass(records: readonly Household[], test: (h: Household) => boolean): { seconds: number; hits: number } {
  let hits = 0;
  const start = performance.now();
  for (let i = 0; i < records.length; i++) if (test(records[i] as Household)) hits++;
  return { seconds: (performance.now() - start) / 1000, hits };
}

const format = (perSecond: number): string => (perSecond / 1e6).toFixed(2).padStart(8);

/** Runs every rule on one data set; returns the lines of its table and whether every goal holds. */
function runShape(shape: Shape, count: number, rounds: number, floor: boolean): boolean {
  const records = buildRecords(count, shape);
  console.log(`${shape.name}: ${count.toLocaleString("en")} records; goal c/b ≥ ${shape.goal}${shape.closureGoal ? ", c/a ≥ 0.25" : ""}`);
  const dHead = floor ? ` ${"d M/s".padStart(8)}   d/a` : "";
  console.log(`  ${"rule".padEnd(44)} ${"a M/s".padStart(8)} ${"b M/s".padStart(8)} ${"c M/s".padStart(8)}   c/a    c/b   goal${dHead}   (true: a/b/c${floor ? "/d" : ""})`);
  let all = true;
  for (const c of CASES) {
    const prepared = compileRule(c.rule);
    const engines: ((h: Household) => boolean)[] = [c.closure, (h) => jsonLogic.truthy(jsonLogic.apply(c.rule as never, h)), (h) => prepared.test(h)];
    if (floor) engines.push(c.floor);
    const seconds: number[][] = engines.map(() => []);
    const hits: number[] = engines.map(() => 0);
    for (let round = 0; round < rounds; round++) {
      engines.forEach((test, i) => {
        const pass = timePass(records, test);
        (seconds[i] as number[]).push(pass.seconds);
        hits[i] = pass.hits;
      });
    }
    const [a, b, k, d] = seconds.map((s) => count / median(s)) as [number, number, number, number | undefined];
    const ok = k >= shape.goal * b && (!shape.closureGoal || k >= 0.25 * a);
    all &&= ok;
    const label = c.name.length > 44 ? `${c.name.slice(0, 43)}…` : c.name;
    console.log(
      `  ${label.padEnd(44)} ${format(a)} ${format(b)} ${format(k)}  ${(k / a).toFixed(2).padStart(5)}  ${(k / b).toFixed(1).padStart(5)}   ${ok ? "ok  " : "MISS"}${d === undefined ? "" : ` ${format(d)}  ${(d / a).toFixed(2).padStart(5)}`}   (${hits.join("/")})`,
    );
  }
  console.log("");
  return all;
}

function main(): void {
  const count = option("--records", 1_000_000);
  const rounds = option("--rounds", 5);
  const shapeCount = option("--shape-records", Math.max(1, Math.floor(count / 5)));
  const at = process.argv.indexOf("--only");
  const only = at < 0 ? "" : (process.argv[at + 1] ?? "");
  const floor = process.argv.includes("--floor");
  console.log(`Node ${process.version}; ${rounds} interleaved rounds per rule; medians of evaluations per second (M/s).`);
  console.log(`a = hand-written closure, b = json-logic-js, c = kaohe prepared rule${floor ? ", d = hand-written, fields read as own properties at one shared site" : ""}.\n`);
  const missed: string[] = [];
  SHAPES.forEach((shape, i) => {
    if (!shape.name.includes(only)) return;
    if (!runShape(shape, i < 2 ? count : shapeCount, rounds, floor)) missed.push(shape.name);
  });
  console.log(missed.length === 0 ? "Every goal holds." : `Goals missed on: ${missed.join("; ")}.`);
}

main();

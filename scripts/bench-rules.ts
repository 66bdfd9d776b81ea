/**
 * Benchmark of the rule engine: `npm run bench:rules -- [--records N] [--rounds R]`.
 *
 * Builds N synthetic household records in memory (default 1,000,000) and evaluates three rules
 * over all of them with (a) a hand-written JS closure, (b) json-logic-js `apply`, (c) a kaohe
 * prepared rule; rounds are interleaved (a, b, c, a, b, c, …) and medians are reported, in
 * evaluations per second, with the ratios c/a and c/b. Goal: c ≥ 10 × b and c ≥ 0.25 × a.
 */
import jsonLogic from "json-logic-js";
import { compileRule, type JsonLogicRule } from "../src/rules/index";
import { median, option } from "./bench-util";

interface Member {
  readonly age: number;
  readonly disabled: boolean;
  readonly chronicIllness: boolean;
}

interface Household {
  readonly id: number;
  readonly size: number;
  readonly netIncome: number;
  readonly medicalExpense: number;
  readonly disabledMembers: number;
  readonly income: { readonly current: number; readonly previous: number };
  readonly growth: { readonly province: number; readonly national: number };
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

function buildRecords(count: number): Household[] {
  const next = random(20250101);
  // Amounts arrive as a database or JSON file gives them: decimals with two places (no binary
  // noise such as 1123.4499999999998, which would take the slower exact path).
  const cents = (max: number, min = 0): number => Math.round((min + next() * max) * 100) / 100;
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
    const previous = cents(60_000, 1_000);
    // Each record goes through JSON, as records read from a JSON-lines file do: the objects then
    // have the stable shapes of parsed data (objects built field by field in a loop drift between
    // hidden classes, which slows every reader, the hand-written closure included).
    const record: Household = {
      id,
      size,
      netIncome: cents(80_000),
      medicalExpense: next() < 0.2 ? cents(40_000) : 0,
      disabledMembers: disabled,
      income: { current: Math.round(previous * (0.9 + next() * 0.25) * 100) / 100, previous },
      growth: { province: Math.round(next() * 100) / 1000, national: Math.round(next() * 100) / 1000 },
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
}

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
    closure: (h) => h.netIncome / h.size < POVERTY_LINE && (h.medicalExpense > h.netIncome / 2 || h.disabledMembers > 0),
  },
  {
    name: "income growth >= max(province growth, national growth)",
    rule: {
      ">=": [
        { "/": [{ "-": [{ var: "income.current" }, { var: "income.previous" }] }, { var: "income.previous" }] },
        { max: [{ var: "growth.province" }, { var: "growth.national" }] },
      ],
    },
    closure: (h) => (h.income.current - h.income.previous) / h.income.previous >= Math.max(h.growth.province, h.growth.national),
  },
  {
    name: "some member aged 60+ with a chronic illness",
    rule: { some: [{ var: "members" }, { and: [{ ">=": [{ var: "age" }, 60] }, { var: "chronicIllness" }] }] },
    closure: (h) => h.members.some((m) => m.age >= 60 && m.chronicIllness),
  },
];

function timePass(records: readonly Household[], test: (h: Household) => boolean): { seconds: number; hits: number } {
  let hits = 0;
  const start = performance.now();
  for (let i = 0; i < records.length; i++) if (test(records[i] as Household)) hits++;
  return { seconds: (performance.now() - start) / 1000, hits };
}

const format = (perSecond: number): string => `${(perSecond / 1e6).toFixed(2)} M/s`.padStart(11);

function main(): void {
  const count = option("--records", 1_000_000);
  const rounds = option("--rounds", 5);
  console.log(`Building ${count.toLocaleString("en")} household records…`);
  const records = buildRecords(count);
  console.log(`Node ${process.version}; ${rounds} interleaved rounds per rule; medians of evaluations per second.\n`);
  for (const c of CASES) {
    const prepared = compileRule(c.rule);
    const engines: [string, (h: Household) => boolean][] = [
      ["a closure", c.closure],
      ["b json-logic-js", (h) => jsonLogic.truthy(jsonLogic.apply(c.rule as never, h))],
      ["c kaohe", (h) => prepared.test(h)],
    ];
    const seconds: number[][] = engines.map(() => []);
    const hits: number[] = engines.map(() => 0);
    for (let round = 0; round < rounds; round++) {
      engines.forEach(([, test], i) => {
        const pass = timePass(records, test);
        (seconds[i] as number[]).push(pass.seconds);
        hits[i] = pass.hits;
      });
    }
    const rates = seconds.map((s) => count / median(s));
    const [a, b, k] = rates as [number, number, number];
    console.log(c.name);
    engines.forEach(([name], i) => console.log(`  ${name.padEnd(16)} ${format(rates[i] as number)}   (${hits[i]} true)`));
    const okA = k >= 0.25 * a ? "ok" : "BELOW GOAL";
    const okB = k >= 10 * b ? "ok" : "BELOW GOAL";
    console.log(`  c/a = ${(k / a).toFixed(2)} (goal ≥ 0.25: ${okA});  c/b = ${(k / b).toFixed(1)} (goal ≥ 10: ${okB})\n`);
  }
}

main();

/**
 * The worst case of each class of costly rule, within the default limits: `npx tsx
 * scripts/worst-case-rules.ts [--only NAME]`.
 *
 * Each case is a rule and data built to do the most work of one kind that the default limits allow
 * (issue 16, "Rules cannot exhaust the host"). The script evaluates each once, after one warm-up
 * run of a smaller twin, and prints the wall time and how it ended: a value, or the code of the
 * KaoheError that stopped it. Every case must end in bounded time, with a value or a coded error.
 */
import { isKaoheError } from "../src/internal/errors";
import { compileRule, type JsonLogicRule } from "../src/rules/index";

interface Case {
  readonly name: string;
  readonly what: string;
  readonly rule: JsonLogicRule;
  readonly data: () => unknown;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const self = { var: "" };
const repeated = <T>(n: number, value: T): T[] => new Array<T>(n).fill(value);
const sparse = (length: number): unknown[] => {
  const array: unknown[] = [];
  array.length = length;
  return array;
};
const numeric = (n: number): string => range(n).map(String).join(".");
/** A walk over `list` that builds nothing (map would stop at maxArrayLength): each element is `current`. */
const walk = (body: JsonLogicRule): JsonLogicRule => ({ reduce: [{ var: "list" }, body, null] });
/** The node count of a rule, as the step budget counts a per-element rule. */
const size = (rule: JsonLogicRule): number =>
  rule === null || typeof rule !== "object" ? 1 : 1 + (Array.isArray(rule) ? rule : Object.values(rule)).reduce((n: number, r) => n + size(r), 0);
/**
 * The most elements a walk with this per-element rule may take within the default maxSteps, when
 * each element also charges `extra` steps (docs/rules.md, "Limits"): the walk then ends just
 * inside the budget or just past it, doing the most work it can.
 */
const most = (body: JsonLogicRule, extra = 0): number => Math.floor(10_000_000 / (size(body) + extra));
const current = { var: "current" };

const cases: readonly Case[] = [
  {
    name: "cat-doubling",
    what: "cat doubling a string through reduce until maxStringLength",
    rule: { reduce: [range(40), { cat: [{ var: "accumulator" }, { var: "accumulator" }] }, "x"] },
    data: () => ({}),
  },
  {
    name: "cat-dag",
    what: "30 nested maps each doubling the text they are given (a DAG through var)",
    rule: range(30).reduce<JsonLogicRule>((inner) => ({ map: [inner, { cat: [self, self] }] }), ["ab"]),
    data: () => ({}),
  },
  {
    name: "cat-many",
    what: "a walk over as many records as maxSteps allows, each building a text of 999,999 characters",
    rule: walk({ cat: [{ var: "current.big" }, "x"] }),
    data: () => {
      const big = "y".repeat(999_998);
      return { list: repeated(most({ cat: [{ var: "current.big" }, "x"] }, 125_000), { big }) };
    },
  },
  {
    name: "join-array",
    what: "cat of a data array of 10,000,000 one-character texts",
    rule: { cat: [{ var: "list" }] },
    data: () => ({ list: repeated(9_999_990, "z") }),
  },
  {
    name: "equal-64mib",
    what: "== over two 64 MiB texts differing in the last character, inside map over 65,536 records",
    rule: { map: [{ var: "list" }, { "==": [{ var: "s" }, { var: "t" }] }] },
    data: () => {
      const s = "a".repeat(2 ** 26);
      const t = `${"a".repeat(2 ** 26 - 1)}b`;
      return { list: repeated(65_536, { s, t }) };
    },
  },
  {
    name: "in-64mib",
    what: "in: a 1 MiB needle aaa…ab in a 64 MiB haystack of a, inside map over 65,536 records",
    rule: { map: [{ var: "list" }, { in: [{ var: "n" }, { var: "h" }] }] },
    data: () => {
      const h = "a".repeat(2 ** 26);
      const n = `${"a".repeat(2 ** 20 - 1)}b`;
      return { list: repeated(65_536, { n, h }) };
    },
  },
  {
    name: "in-long-needles",
    what: "in: a 65-character needle over an array of 999,999 texts of 65 characters (10 steps each)",
    rule: { in: [{ var: "n" }, { var: "list" }] },
    data: () => ({ n: `${"a".repeat(64)}b`, list: range(999_999).map(() => `${"a".repeat(64)}c`) }),
  },
  {
    name: "in-sparse",
    what: "in over a sparse array of length 2^32 - 1",
    rule: { in: [1, { var: "a" }] },
    data: () => ({ a: sparse(2 ** 32 - 1) }),
  },
  {
    name: "in-sparse-budget",
    what: "in over a sparse array of length 9,999,999 (just inside the budget)",
    rule: { in: [1, { var: "a" }] },
    data: () => ({ a: sparse(9_999_999) }),
  },
  {
    name: "mod-spread",
    what: "% of 1.2e308 by 3.2e-300 (608-digit quotient) over as many records as maxSteps allows",
    rule: walk({ "%": [1.2345678901234567e308, current] }),
    data: () => ({ list: repeated(most({ "%": [1.2345678901234567e308, current] }, 300 + 4 * 608), 3.2345678901234567e-300) }),
  },
  {
    name: "mod-small",
    what: "% of 1.2e22 by 0.30000000000000004 over as many records as maxSteps allows",
    rule: walk({ "%": [1.2345678901234567e22, current] }),
    data: () => ({ list: repeated(most({ "%": [1.2345678901234567e22, current] }, 300 + 4 * 23), 0.30000000000000004) }),
  },
  {
    name: "add-spread",
    what: "+ of 1.2e308 and 3.2e-300 (608 digits) over as many records as maxSteps allows",
    rule: walk({ "+": [1.2345678901234567e308, current] }),
    data: () => ({ list: repeated(most({ "+": [1.2345678901234567e308, current] }, 300 + 608), 3.2345678901234567e-300) }),
  },
  {
    name: "multiply-noise",
    what: "* of 0.30000000000000004 by 3.2e-300 over as many records as maxSteps allows",
    rule: walk({ "*": [0.30000000000000004, current] }),
    data: () => ({ list: repeated(most({ "*": [0.30000000000000004, current] }, 300), 3.2345678901234567e-300) }),
  },
  {
    name: "divide-noise",
    what: "/ of 0.30000000000000004 by 3.2e-300 over as many records as maxSteps allows",
    rule: walk({ "/": [0.30000000000000004, current] }),
    data: () => ({ list: repeated(most({ "/": [0.30000000000000004, current] }, 600), 3.2345678901234567e-300) }),
  },
  {
    name: "numerals",
    what: "+ over as many records as maxSteps allows, each a numeric text of 400 characters",
    rule: walk({ "+": [current, 1] }),
    data: () => ({ list: repeated(most({ "+": [current, 1] }, 50), `0.${"1".repeat(398)}`) }),
  },
  {
    name: "numeral-backtrack",
    what: "+ of 200,000 digits then x (backtracking before)",
    rule: { "+": [{ var: "a" }, 1] },
    data: () => ({ a: `${"1".repeat(200_000)}x` }),
  },
  {
    name: "long-paths",
    what: "var with a 1,000-character path of 500 segments, read over as many records as maxSteps allows",
    rule: walk({ var: `current.${"a.".repeat(500)}`.slice(0, 1_000) }),
    data: () => ({ list: repeated(most({ var: `current.${"a.".repeat(500)}`.slice(0, 1_000) }, 500), {}) }),
  },
  {
    name: "computed-paths",
    what: "var with a computed 1,000-character path, read over as many records as maxSteps allows",
    rule: walk({ var: { cat: ["current.", { var: "current.p" }] } }),
    data: () => ({ list: repeated(most({ var: { cat: ["current.", { var: "current.p" }] } }, 496 + 16 + 125), { p: "a.".repeat(500).slice(0, 990) }) }),
  },
  {
    name: "path-compile",
    what: "compile 30,000 numeric segments read twice (refused: maxPathLength)",
    rule: { "+": [{ var: numeric(30_000) }, { var: numeric(30_000) }] },
    data: () => ({}),
  },
  {
    name: "path-compile-max",
    what: "compile 2,400 vars of 1,000-character paths (near maxNodes), half of them the same path",
    rule: { "+": range(2_400).map((i) => ({ var: [`${i % 2 === 0 ? i : 1}.${numeric(400)}`.slice(0, 1_000), 1] })) },
    data: () => ({}),
  },
  {
    name: "merge-growth",
    what: "reduce merging the accumulator with each element (quadratic copying)",
    rule: { reduce: [{ var: "list" }, { merge: [{ var: "accumulator" }, [{ var: "current" }]] }, []] },
    data: () => ({ list: range(100_000) }),
  },
  {
    name: "missing-computed",
    what: "missing over a computed list of 19,342 keys of 1,000 characters",
    rule: { missing: { var: "keys" } },
    data: () => ({ keys: repeated(Math.floor(10_000_000 / (1 + 500 + 16)), "k.".repeat(500).slice(0, 1_000)) }),
  },
];

function outcome(run: () => unknown): string {
  try {
    const value = run();
    const shown = JSON.stringify(value);
    return `value ${shown === undefined ? "undefined" : shown.length > 40 ? `${shown.slice(0, 40)}… (${shown.length} chars)` : shown}`;
  } catch (error) {
    if (isKaoheError(error)) return `KaoheError ${error.issues[0]?.code ?? "?"}`;
    return `UNCAUGHT ${(error as Error).name}: ${(error as Error).message.slice(0, 80)}`;
  }
}

const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : undefined;
console.log(`Node ${process.version}; default limits; one evaluation per case (data built beforehand).\n`);
let worst = 0;
for (const c of cases) {
  if (only !== undefined && c.name !== only) continue;
  const data = c.data();
  const start = performance.now();
  const result = outcome(() => compileRule(c.rule).evaluate(data));
  const ms = performance.now() - start;
  worst = Math.max(worst, ms);
  console.log(`${c.name.padEnd(18)} ${ms.toFixed(0).padStart(7)} ms  ${result}\n${"".padEnd(18)}   ${c.what}`);
}
console.log(`\nworst: ${worst.toFixed(0)} ms`);

import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { isKaoheError } from "../../src/internal/errors";
import { compileRule, type JsonLogicRule } from "../../src/rules/index";

/*
 * Numeric programs (src/rules/numeric*.ts) are a fast path: whenever they answer, the answer must
 * be the general path's, value and error alike. The reference is the same rule with every `var`
 * path computed at run time (`{"cat": [path]}`), which never takes the fast path.
 */

type Outcome = { readonly value: unknown } | { readonly error: string };

function outcome(run: () => unknown): Outcome {
  try {
    return { value: run() };
  } catch (error) {
    if (isKaoheError(error)) return { error: error.issues.map((i) => `${i.code}@${i.path.join("/")}`).join(";") };
    throw error;
  }
}

/** The rule with each var path computed at run time: the general path only. */
function general(rule: JsonLogicRule): JsonLogicRule {
  if (rule === null || typeof rule !== "object") return rule;
  if (Array.isArray(rule)) return rule.map(general);
  const [op, value] = Object.entries(rule)[0] as [string, JsonLogicRule];
  if (op === "var") {
    const [path, ...rest] = (Array.isArray(value) ? value : [value]) as JsonLogicRule[];
    return { var: [{ cat: [path as JsonLogicRule] }, ...rest] };
  }
  return { [op]: Array.isArray(value) ? value.map(general) : general(value) };
}

/** Same outcome; numbers compared with Object.is (so -0 and 0 differ). */
function expectSame(rule: JsonLogicRule, data: unknown): void {
  const fast = outcome(() => compileRule(rule).evaluate(data));
  const slow = outcome(() => compileRule(general(rule)).evaluate(data));
  if ("value" in fast && "value" in slow && typeof fast.value === "number") expect(Object.is(fast.value, slow.value)).toBe(true);
  expect(fast).toEqual(slow);
}

const leafValue = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -100_000, max: 100_000 }).map((n) => n / 100) },
  { weight: 2, arbitrary: fc.constantFrom(0, -0, 1e21, 0.1, 0.30000000000000004, 1e-7, 3) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, "12.5", "x", true, [], {}, Number.NaN, Number.POSITIVE_INFINITY, undefined) },
);
const record = fc.record(
  {
    a: fc.record({ x: leafValue, y: leafValue }, { requiredKeys: [] }),
    b: fc.oneof(fc.record({ x: leafValue, z: leafValue }, { requiredKeys: [] }), fc.constantFrom<unknown>(null, "text", 5, [1, 2])),
    n: leafValue,
  },
  { requiredKeys: [] },
);
const path = fc.constantFrom("a.x", "a.y", "b.x", "b.z", "n", "a.toString", "n.length", "b.0", "a.x.y");
const variable = fc.oneof(
  path.map((p) => ({ var: p })),
  fc.tuple(path, fc.constantFrom<JsonLogicRule>(0, -0, 2.5, null, "1")).map(([p, d]) => ({ var: [p, d] })),
);
const { num } = fc.letrec<{ num: JsonLogicRule }>((tie) => ({
  num: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    variable,
    variable,
    fc.constantFrom(0, 2, 0.1, -3.5),
    fc.tuple(fc.constantFrom("+", "-", "*", "/", "%", "max", "min"), tie("num"), tie("num")).map(([op, x, y]) => ({ [op]: [x, y] })),
    fc.tuple(fc.constantFrom("+", "*", "max", "min"), fc.array(tie("num"), { minLength: 1, maxLength: 3 })).map(([op, xs]) => ({ [op]: xs })),
    tie("num").map((x) => ({ "-": [x] })),
  ),
}));
const rule = fc.oneof(
  num,
  fc.tuple(fc.constantFrom("<", "<=", ">", ">="), num, num).map(([op, x, y]) => ({ [op]: [x, y] })),
  fc.tuple(fc.constantFrom("<", "<="), num, num, num).map(([op, x, y, z]) => ({ [op]: [x, y, z] })),
);

describe("numeric programs give the general path's outcome", () => {
  it("on generated arithmetic and orderings over shared and repeated paths", () => {
    fc.assert(fc.property(rule, record, (r, d) => expectSame(r, d)), { numRuns: 4_000 });
  });

  it("on the income growth rule, across records", () => {
    const growth: JsonLogicRule = {
      ">=": [
        { "/": [{ "-": [{ var: "income.current" }, { var: "income.previous" }] }, { var: "income.previous" }] },
        { max: [{ var: "growth.province" }, { var: "growth.national" }] },
      ],
    };
    const money = fc.integer({ min: -10_000_000, max: 10_000_000 }).map((n) => n / 100);
    const rate = fc.integer({ min: -1000, max: 1000 }).map((n) => n / 1000);
    const data = fc.record({ income: fc.record({ current: money, previous: money }), growth: fc.record({ province: rate, national: rate }) });
    fc.assert(fc.property(data, (d) => expectSame(growth, d)), { numRuns: 2_000 });
  });
});

describe("numeric programs read own properties only", () => {
  const sum: JsonLogicRule = { "+": [{ var: ["a.x", 0] }, { var: ["a.y", 0] }, { var: ["a.x", 0] }] };

  afterEach(() => {
    delete (Object.prototype as Record<string, unknown>)["polluted"];
  });

  it("treats inherited names as missing, own ones as data", () => {
    const names: JsonLogicRule = { "+": [{ var: ["a.toString", 1] }, { var: ["a.hasOwnProperty", 2] }, { var: ["a.valueOf", 3] }] };
    expect(compileRule(names).evaluate({ a: {} })).toBe(6);
    expect(compileRule(names).evaluate({ a: { toString: 10, hasOwnProperty: 20, valueOf: 30 } })).toBe(60);
    expectSame(names, { a: { toString: 10 } });
  });

  it("ignores a polluted Object.prototype", () => {
    (Object.prototype as Record<string, unknown>)["polluted"] = 1000;
    const rule: JsonLogicRule = { "+": [{ var: ["a.polluted", 1] }, { var: ["polluted.x", 2] }, { var: ["a.polluted", 1] }] };
    expect(compileRule(rule).evaluate({ a: {} })).toBe(4);
  });

  it("treats what other prototypes hold as missing: class getters, Object.create parents, polluted numbers", () => {
    let ran = 0;
    class Holder {
      get x(): number {
        ran++;
        return 50;
      }
    }
    const inherited = Object.create({ x: 50, y: 60 }) as object;
    for (const a of [new Holder(), inherited, Object.assign(Object.create(inherited) as object, { y: 2 })]) {
      expect(compileRule(sum).evaluate({ a })).toBe(a === inherited || a instanceof Holder ? 0 : 2);
      expectSame(sum, { a });
      expectSame({ "<": [{ "+": [{ var: ["a.x", 1] }, { var: ["a.x", 1] }] }, { var: ["a.y", 3] }] }, { a });
    }
    // No getter of a prototype runs, on the fast path or the general one.
    expect(ran).toBe(0);
    (Object.prototype as Record<string, unknown>)["x"] = 1000;
    try {
      expect(compileRule(sum).evaluate({ a: {} })).toBe(0);
      expect(compileRule(sum).evaluate({ a: { y: 1 } })).toBe(1);
      expectSame({ ">": [{ "+": [{ var: ["a.x", 1] }, { var: ["a.x", 1] }] }, 100] }, { a: {} });
    } finally {
      delete (Object.prototype as Record<string, unknown>)["x"];
    }
  });

  it("reads `__proto__` own keys of JSON.parse as plain data, never the prototype", () => {
    const data: unknown = JSON.parse('{"a": {"x": 1, "y": 2, "__proto__": {"x": 50}}}');
    expect(compileRule(sum).evaluate(data)).toBe(4);
    expectSame(sum, JSON.parse('{"a": {"__proto__": {"x": 50}}}'));
  });

  it("handles null-prototype objects, arrays and strings as the general path does", () => {
    const a = Object.assign(Object.create(null) as object, { x: 1.5, y: 2 });
    expect(compileRule(sum).evaluate({ a })).toBe(5);
    const indexes: JsonLogicRule = { "+": [{ var: "xs.0" }, { var: "xs.1" }, { var: ["xs.length", 0] }, { var: "xs.0" }] };
    expect(compileRule(indexes).evaluate({ xs: [1, 2] })).toBe(6);
    expectSame(indexes, { xs: "12" });
    expectSame(indexes, { xs: [1] });
    expectSame(sum, { a: "text" });
    expectSame(sum, []);
    expectSame(sum, null);
    expectSame(sum, 7);
  });

  it("leaves host getters, Proxies and re-entrant evaluation to the general path's answer", () => {
    const prepared = compileRule(sum);
    const inner: unknown[] = [];
    const nested = {
      get x(): number {
        inner.push(prepared.evaluate({ a: { x: 1.1, y: 2.2 } })); // runs while the outer run is in progress
        return 3;
      },
      y: 1,
    };
    expect(prepared.evaluate({ a: nested })).toBe(7);
    expect(inner.length).toBeGreaterThan(0);
    expect(new Set(inner)).toEqual(new Set([4.4]));
    const throwing = {
      get x(): number {
        throw new Error("host");
      },
    };
    expect(() => prepared.evaluate({ a: throwing })).toThrow("host");
    const proxy = new Proxy({ x: 1, y: 2 }, {});
    expect(prepared.evaluate({ a: proxy })).toBe(4);
  });
});

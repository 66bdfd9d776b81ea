import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isKaoheError } from "../../src/internal/errors";
import { orderOf, productBound, quotientBound, sumBound } from "../../src/rules/bounds";
import { compileRule, type JsonLogicRule } from "../../src/rules/index";
import { bigInteger, extreme, fewPlaces, fullPrecision, Ref, RefDiv, slowOperand } from "./numbers";

/*
 * Orderings over arithmetic decide on floating-point approximations with error bounds (decision
 * 0107). decimal.js is the reference: the exact result of each operation is computed with it, as
 * decision 0102 defines it, and (1) every bound the approximations claim must hold, exactly, and
 * (2) every ordering must give decimal.js's answer, also when its threshold is the exact result
 * itself or one of its neighbours, where the approximations cannot decide.
 */

type Op = "+" | "-" | "*" | "/" | "max" | "min";
type Expr = number | { readonly op: Op; readonly a: Expr; readonly b: Expr } | { readonly op: "neg"; readonly a: Expr };

/** decimal.js's value of an expression, as the rules define it: NaN where the rules throw. */
function reference(x: Expr): number {
  if (typeof x === "number") return x;
  const a = reference(x.a);
  if (x.op === "neg") return 0 - a;
  const b = reference(x.b);
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.NaN;
  let r: number;
  switch (x.op) {
    case "+":
      r = new Ref(a).plus(b).toNumber();
      break;
    case "-":
      r = new Ref(a).minus(b).toNumber();
      break;
    case "*":
      r = new Ref(a).times(b).toNumber();
      break;
    case "/":
      if (b === 0) return Number.NaN;
      r = new RefDiv(a).div(b).toNumber();
      break;
    case "max":
      r = b > a ? b : a;
      break;
    case "min":
      r = b < a ? b : a;
      break;
  }
  return Number.isFinite(r) ? r + 0 : Number.NaN;
}

/** The approximation and its bound, computed as the compiled rules do. */
function approximate(x: Expr): [number, number] {
  if (typeof x === "number") return [x, 0];
  const [a, ea] = approximate(x.a);
  if (x.op === "neg") return [0 - a, ea];
  const [b, eb] = approximate(x.b);
  switch (x.op) {
    case "+":
      return [a + b, sumBound(a, ea, b, eb, a + b)];
    case "-":
      return [a - b, sumBound(a, ea, b, eb, a - b)];
    case "*":
      return [a * b, productBound(a, ea, b, eb, a * b)];
    case "/":
      return [a / b, quotientBound(a, ea, b, eb, a / b)];
    case "max":
      return [b > a ? b : a, ea + eb];
    case "min":
      return [b < a ? b : a, ea + eb];
  }
}

const F64 = new Float64Array(1);
const BITS = new BigUint64Array(F64.buffer);

/** The exact binary value of a double, as a decimal.js number (not its shortest decimal). */
function binary(x: number): InstanceType<typeof Ref> {
  if (x === 0) return new Ref(0);
  F64[0] = x;
  const bits = BITS[0] as bigint;
  const biased = Number((bits >> BigInt(52)) & BigInt(0x7ff));
  const fraction = bits & ((BigInt(1) << BigInt(52)) - BigInt(1));
  const mantissa = biased === 0 ? fraction : fraction | (BigInt(1) << BigInt(52));
  const value = new Ref(mantissa.toString()).times(new Ref(2).pow((biased === 0 ? 1 : biased) - 1075));
  return x < 0 ? value.neg() : value;
}

/** The next double up or down (x finite). */
function step(x: number, up: boolean): number {
  if (x === 0) return up ? 5e-324 : -5e-324;
  F64[0] = x;
  const grow = x > 0 === up;
  BITS[0] = (BITS[0] as bigint) + (grow ? BigInt(1) : BigInt(-1));
  return F64[0] as number;
}

/** Leaves: every shape of issue 15, with zeros and small integers, so that ties and cancellations occur. */
const leaf = fc.oneof(
  { weight: 3, arbitrary: slowOperand },
  { weight: 2, arbitrary: fullPrecision },
  { weight: 2, arbitrary: extreme },
  { weight: 1, arbitrary: bigInteger },
  { weight: 2, arbitrary: fewPlaces },
  { weight: 1, arbitrary: fc.constantFrom(0, 1, 2, 3, 10, 0.1, 0.2, 0.3, 1e-300, 1e300, 2 ** 53, 2 ** 53 + 2) },
);
const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    leaf,
    fc.record({ op: fc.constantFrom<Op>("+", "-", "*", "/", "max", "min"), a: tie("expr"), b: tie("expr") }),
    fc.record({ op: fc.constant<"neg">("neg"), a: tie("expr") }),
  ),
}));
/** Sums and differences of near-equal operands: cancellation, the hard case of a bound. */
const cancelling: fc.Arbitrary<Expr> = fc
  .tuple(fc.oneof(fullPrecision, extreme, bigInteger), fc.integer({ min: -3, max: 3 }), fc.constantFrom<Op>("-", "+"), fc.constantFrom<Op>("/", "*"), leaf)
  .map(([x, n, op, outer, c]) => {
    let y = x;
    for (let i = 0; i < Math.abs(n); i++) y = step(y, n > 0);
    return { op: outer, a: { op, a: x, b: op === "-" ? y : -y }, b: c };
  });
const anyExpr = fc.oneof(expr, expr, cancelling);

describe("the approximations' error bounds", () => {
  it("hold exactly against decimal.js on every expression, and are NaN wherever the exact result is an error", () => {
    fc.assert(
      fc.property(anyExpr, (x) => {
        const [y, e] = approximate(x);
        if (Number.isNaN(e)) return true;
        const exact = reference(x);
        if (Number.isNaN(exact)) return false;
        return binary(exact).minus(binary(y)).abs().lte(binary(e));
      }),
      { numRuns: 20_000 },
    );
  });

  it("decide an order only when the intervals are apart", () => {
    expect(orderOf(1, 0.5, 2, 0.4)).toBe(-1);
    expect(orderOf(2, 0.4, 1, 0.5)).toBe(1);
    expect(orderOf(1, 0.5, 2, 0.5)).toBe(0);
    expect(orderOf(1, 0, 1, 0)).toBe(0);
    expect(orderOf(1, Number.NaN, 5, 0)).toBe(0);
    expect(orderOf(Number.NaN, 0, 5, 0)).toBe(0);
  });

  it("are NaN for a divisor that may be zero and for results that may overflow", () => {
    expect(quotientBound(1, 0, 0, 0, Infinity)).toBeNaN();
    expect(quotientBound(1, 0, 1e-300, 1e-300, 1e300)).toBeNaN();
    expect(productBound(1e308, 0, 10, 0, Infinity)).toBeNaN();
    expect(sumBound(1.7e308, 0, 1.7e308, 0, Infinity)).toBeNaN();
    expect(sumBound(1e307, 0, 1e307, 0, 2e307)).toBeNaN();
  });
});

/** How a leaf is written: as the number itself, or as text (see {@link numeral}). */
type Write = (e: number, i: number) => number | string;
const asNumber: Write = (e) => e;

/**
 * A number as a numeral of the same value, in one of several forms by `i`: shortest, exponent,
 * a sign, and padded with zeros past the 64 characters read free of charge (COST.freeText).
 */
const numeral: Write = (e, i) => {
  const text = String(e);
  if (!Number.isFinite(e)) return text;
  const sign = text.startsWith("-") ? "-" : "";
  const digits = sign === "" ? text : text.slice(1);
  switch (i % 4) {
    case 0:
      return text;
    case 1:
      return e.toExponential();
    case 2:
      return sign === "" ? `+${text}` : text;
    default:
      return `${sign}${"0".repeat(60 + (i % 8))}${digits}`;
  }
};

/** A rule of an expression: its leaves as data (`key(i)`), or some as literals; the data alongside. */
function toRule(x: Expr, key: (i: number) => string, data: Record<string, unknown>, literal: (i: number) => boolean, write: Write = asNumber): JsonLogicRule {
  let n = 0;
  const walk = (e: Expr): JsonLogicRule => {
    if (typeof e === "number") {
      const i = n++;
      if (literal(i)) return write(e, i);
      const path = key(i);
      const dot = path.indexOf(".");
      if (dot < 0) data[path] = write(e, i);
      else ((data[path.slice(0, dot)] ??= {}) as Record<string, unknown>)[path.slice(dot + 1)] = write(e, i);
      return { var: path };
    }
    if (e.op === "neg") return { "-": [walk(e.a)] };
    return { [e.op]: [walk(e.a), walk(e.b)] };
  };
  return walk(x);
}

type Order = "<" | "<=" | ">" | ">=";
const holds = (order: Order, a: number, b: number): boolean => (order === "<" ? a < b : order === "<=" ? a <= b : order === ">" ? a > b : a >= b);

function outcome(run: () => unknown): unknown {
  try {
    return run();
  } catch (error) {
    if (isKaoheError(error)) return "error";
    throw error;
  }
}

/** Thresholds at and next to the exact result, where no approximation can decide. */
function thresholds(exact: number, y: number, other: number): number[] {
  if (Number.isNaN(exact)) return [0, other];
  const near = [exact, step(exact, true), step(exact, false), other];
  if (Number.isFinite(y)) near.push(y, step(y, true), step(y, false));
  // Past the largest number, a threshold is Infinity, which is an error of its own.
  return near.filter(Number.isFinite);
}

describe("orderings over arithmetic give decimal.js's answers", () => {
  // Three ways to compile the same ordering: closures (each leaf read once by a one-step key), a
  // numeric program (leaves under one object, the threshold read twice), and literals in the rule.
  // Numerals as text are read by the approximations as the numbers the exact evaluation converts
  // them to, when they are free to read (64 characters at most); longer ones leave it to the exact
  // evaluation, which charges reading them.
  const layouts: readonly [string, (i: number) => string, (i: number) => boolean, Write][] = [
    ["closures", (i) => `v${i}`, () => false, asNumber],
    ["a numeric program", (i) => `p.v${i}`, () => false, asNumber],
    ["closures with literals", (i) => `v${i}`, (i) => i % 2 === 1, asNumber],
    ["closures over numerals as text, in data and as literals", (i) => `v${i}`, (i) => i % 3 === 2, numeral],
  ];
  for (const [name, key, literal, write] of layouts) {
    it(`compiled as ${name}, at ties and next to them`, () => {
      fc.assert(
        fc.property(anyExpr, fc.constantFrom<Order>("<", "<=", ">", ">="), leaf, (x, order, other) => {
          // Two texts compare as text: the numeral layout needs arithmetic on one side.
          if (write === numeral && typeof x === "number") return;
          const exact = reference(x);
          const [y] = approximate(x);
          for (const t of thresholds(exact, y, other)) {
            const data: Record<string, unknown> = {};
            const left = toRule(x, key, data, literal, write);
            data["t"] = write(t, 0);
            const program = name === "a numeric program";
            // The program layout reads t twice ({"max": [t, t]}), so that it reads fewer steps as a program.
            const right: JsonLogicRule = program ? { max: [{ var: "p.t" }, { var: "p.t" }] } : { var: "t" };
            if (program) ((data["p"] ??= {}) as Record<string, unknown>)["t"] = write(t, 0);
            const want = Number.isNaN(exact) ? "error" : holds(order, exact, t);
            expect(outcome(() => compileRule({ [order]: [left, right] }).evaluate(data)), `${JSON.stringify(left)} ${order} ${t}`).toBe(want);
            const mirrored = order === "<" ? ">" : order === "<=" ? ">=" : order === ">" ? "<" : "<=";
            expect(outcome(() => compileRule({ [mirrored]: [right, left] }).evaluate(data))).toBe(want);
          }
        }),
        { numRuns: 1_500 },
      );
    });
  }

  it("charge numerals as text past 64 characters as the exact evaluation does, and read shorter ones free", () => {
    // Past the 64 characters read free (COST), arithmetic charges a step per 8 characters of a
    // numeral it reads, an ordering a step per 64 characters of text it compares.
    const rules: [JsonLogicRule, number][] = [
      [{ "<": [{ "/": [{ var: "a" }, 2] }, 7000] }, 8],
      [{ "<": [{ var: "a" }, { "+": [{ var: "b" }, 1] }] }, 64],
      [{ "<": [{ "*": [{ var: "a" }, "0.5"] }, { var: "b" }] }, 8],
    ];
    for (const length of [1, 63, 64, 65, 66, 72, 73, 80, 400, 401]) {
      const a = `${"0".repeat(length - 1)}5`;
      for (const maxSteps of [1, 2, 6, 7, 8, 9, 10, 50, 51]) {
        for (const [rule, perStep] of rules) {
          const charged = length > 64 && Math.ceil(length / perStep) > maxSteps;
          const want = charged ? "evaluation_too_long" : length > 400 ? "numeral_too_long" : true;
          let got: unknown;
          try {
            got = compileRule(rule, { maxSteps }).evaluate({ a, b: "7" });
          } catch (error) {
            got = isKaoheError(error) ? error.issues[0]?.code : error;
          }
          expect(got, `${JSON.stringify(rule)} over ${length} characters, maxSteps ${maxSteps}`).toBe(want);
        }
      }
    }
  });

  it("leave text that is not a numeral to the exact evaluation, which refuses it", () => {
    const rule: JsonLogicRule = { "<": [{ "/": [{ var: "a" }, 2] }, 7000] };
    for (const a of ["", " 5", "5 ", "\t5", "0x10", "0b1", "1_000", "5abc", "1,5", "١٢", "Infinity", "-Infinity", "NaN", "1e999", "-1e999", "e5", ".", "+", "1e", "--1"]) {
      let got: unknown;
      try {
        got = compileRule(rule).evaluate({ a });
      } catch (error) {
        got = isKaoheError(error) ? error.issues[0]?.code : error;
      }
      expect(got, JSON.stringify(a)).toBe("not_a_number");
    }
  });

  it("in the between form of a numeric program, with both ends at or next to the exact result", () => {
    fc.assert(
      fc.property(anyExpr, fc.constantFrom<"<" | "<=">("<", "<="), fc.boolean(), fc.boolean(), (x, order, lowUp, highUp) => {
        const exact = reference(x);
        fc.pre(!Number.isNaN(exact));
        for (const [low, high] of [
          [exact, exact],
          [step(exact, lowUp), step(exact, highUp)],
          [step(exact, false), exact],
        ] as const) {
          if (!Number.isFinite(low) || !Number.isFinite(high)) continue;
          const data: Record<string, unknown> = {};
          const middle = toRule(x, (i) => `p.v${i}`, data, () => false);
          Object.assign(data["p"] ?? (data["p"] = {}), { low, high });
          const rule = { [order]: [{ var: "p.low" }, middle, { var: "p.high" }] };
          const want = holds(order, low, exact) && holds(order, exact, high);
          expect(outcome(() => compileRule(rule).evaluate(data))).toBe(want);
        }
      }),
      { numRuns: 1_500 },
    );
  });
});

describe("orderings over arithmetic on the shapes of issue 15", () => {
  // Under a budget smaller than one slow-path operation (300 steps), only orderings decided on
  // approximations finish: most must, with the answers of the default budget.
  const growth: JsonLogicRule = {
    ">=": [
      { "/": [{ "-": [{ var: "income.current" }, { var: "income.previous" }] }, { var: "income.previous" }] },
      { max: [{ var: "growth.province" }, { var: "growth.national" }] },
    ],
  };
  const screening: JsonLogicRule = {
    and: [{ "<": [{ "/": [{ var: "netIncome" }, { var: "size" }] }, 7000] }, { ">": [{ var: "medicalExpense" }, { "/": [{ var: "netIncome" }, 2] }] }],
  };
  const next = ((seed) => () => (seed = (seed * 48271) % 2147483647) / 2147483647)(11);
  for (const [shape, scale] of [
    ["×1e300", (x: number) => x * 1e300],
    ["×1e-300", (x: number) => x * 1e-300],
    ["×2^60, integers", (x: number) => Math.round(x * 2 ** 60)],
  ] as const) {
    it(`decides most records ${shape} without the slow path`, () => {
      let decided = 0;
      for (let i = 0; i < 1_000; i++) {
        const previous = scale(1_000 + next() * 60_000);
        const data = {
          income: { current: previous * (0.9 + next() * 0.25), previous },
          growth: { province: next() * 0.1, national: next() * 0.1 },
          netIncome: scale(100 + next() * 80_000),
          size: 1 + Math.floor(next() * 6),
          medicalExpense: scale(next() * 40_000),
        };
        for (const rule of [growth, screening]) {
          const small = outcome(() => compileRule(rule, { maxSteps: 100 }).evaluate(data));
          if (small !== "error") {
            decided++;
            expect(small).toBe(compileRule(rule).evaluate(data));
          }
        }
      }
      expect(decided).toBeGreaterThan(1_990);
    });
  }
});

import { COST, describeValue, evaluationError } from "./limits";
import { approximateValue, argPath, checkArity, fetch, type ApproximateOperand, type Approximation, type Compiler, type EvalState, type Evaluator, type OperatorCompiler, type Site } from "./compile";
import {
  addFast,
  addSlow,
  decimalCost,
  divideFast,
  divideSlow,
  multiplyFast,
  multiplySlow,
  remainderFast,
  remainderSlow,
  subtractFast,
  subtractSlow,
} from "./decimal";
import { toNumber } from "./values";
import { productBound, quotientBound, sumBound } from "./bounds";

/*
 * Arithmetic in exact decimals (see decimal.ts). Operands are finite numbers or numeric strings;
 * anything else is an error, never NaN.
 */

function compileArgs(site: Site, cx: Compiler): Evaluator[] {
  return site.args.map((arg, i) => cx.compile(arg, argPath(site, i)));
}

/** Converts a value that is not a finite number, charging the reading of long numeric text. */
function numberOf(x: unknown, site: Site, cx: Compiler, s: EvalState): number {
  if (typeof x === "string" && x.length > COST.freeText) cx.chargeSteps(s, Math.ceil(x.length / COST.searchPerStep), site);
  return toNumber(x, site.op, site.path);
}

/** Evaluates an operand as a number, with the finite-number case inline. */
function operand(ev: Evaluator, site: Site, cx: Compiler): Evaluator {
  return (d, s) => {
    const x = ev(d, s);
    return typeof x === "number" && x - x === 0 ? x : numberOf(x, site, cx, s);
  };
}

type Fold = (a: number, b: number) => number;

/**
 * How an operator computes two operands: the fast path (NaN when it does not apply), then, after
 * charging its cost, the slow path; max and min have only the first.
 */
interface Arithmetic {
  readonly fast: Fold;
  readonly slow?: Fold;
  readonly name: "+" | "-" | "*" | "/" | "%" | "max" | "min";
}

/** The approximation of one step of a fold (decision 0107); `%` has none. Operands are read inline. */
function approximateStep(name: Arithmetic["name"], a: ApproximateOperand, b: ApproximateOperand): Approximation | undefined {
  const { kind: ka, twin: ta, key: keyA, value: va } = a;
  const { kind: kb, twin: tb, key: keyB, value: vb } = b;
  switch (name) {
    case "+":
      return (d, s) => {
        const x = approximateValue(ka, ta, keyA, va, d, s);
        const ex = ka === 0 ? s.bound : x - x;
        const y = approximateValue(kb, tb, keyB, vb, d, s);
        const r = x + y;
        s.bound = sumBound(x, ex, y, kb === 0 ? s.bound : y - y, r);
        return r;
      };
    case "-":
      return (d, s) => {
        const x = approximateValue(ka, ta, keyA, va, d, s);
        const ex = ka === 0 ? s.bound : x - x;
        const y = approximateValue(kb, tb, keyB, vb, d, s);
        const r = x - y;
        s.bound = sumBound(x, ex, y, kb === 0 ? s.bound : y - y, r);
        return r;
      };
    case "*":
      return (d, s) => {
        const x = approximateValue(ka, ta, keyA, va, d, s);
        const ex = ka === 0 ? s.bound : x - x;
        const y = approximateValue(kb, tb, keyB, vb, d, s);
        const r = x * y;
        s.bound = productBound(x, ex, y, kb === 0 ? s.bound : y - y, r);
        return r;
      };
    case "/":
      return (d, s) => {
        const x = approximateValue(ka, ta, keyA, va, d, s);
        const ex = ka === 0 ? s.bound : x - x;
        const y = approximateValue(kb, tb, keyB, vb, d, s);
        const r = x / y;
        s.bound = quotientBound(x, ex, y, kb === 0 ? s.bound : y - y, r);
        return r;
      };
    case "max":
    case "min": {
      const largest = name === "max";
      return (d, s) => {
        const x = approximateValue(ka, ta, keyA, va, d, s);
        const ex = ka === 0 ? s.bound : x - x;
        const y = approximateValue(kb, tb, keyB, vb, d, s);
        // The sum of the bounds covers the larger, and keeps a NaN bound NaN.
        s.bound = ex + (kb === 0 ? s.bound : y - y);
        return largest ? (y > x ? y : x) : y < x ? y : x;
      };
    }
    default:
      return undefined;
  }
}

/** The approximation of a fold over operands, when each operand has one. */
function approximateFold(name: Arithmetic["name"], raw: readonly Evaluator[], cx: Compiler): Approximation | undefined {
  const parts = raw.map((ev) => cx.approximateOperand(ev));
  if (parts.some((t) => t === undefined)) return undefined;
  const first = parts[0] as ApproximateOperand;
  if (parts.length === 1) return first.kind === 0 ? first.twin : cx.approximation(raw[0] as Evaluator);
  let acc = first;
  for (let i = 1; i < parts.length; i++) {
    const step = approximateStep(name, acc, parts[i] as ApproximateOperand);
    if (step === undefined) return undefined;
    acc = { kind: 0, twin: step, key: "", value: 0 };
  }
  return acc.twin;
}

/** Applies an operation to two finite numbers: fast, or charged and slow; never a non-finite result. */
function apply(op: Arithmetic, x: number, y: number, site: Site, cx: Compiler, s: EvalState): number {
  const r = op.fast(x, y);
  if (r === r) return r;
  const slow = op.slow as Fold;
  cx.chargeSteps(s, decimalCost(op.name as "+", x, y), site);
  const exact = slow(x, y);
  if (exact - exact !== 0) {
    throw evaluationError(
      "number_out_of_range",
      site.path,
      `operator "${site.op}" of ${describeValue(x)} and ${describeValue(y)} is beyond the largest JS number (about 1.8e308)`,
    );
  }
  return exact;
}

/** An n-ary fold over numeric operands, specialised for one and two (checks inline). */
function fold(site: Site, cx: Compiler, op: Arithmetic, empty: number | undefined): Evaluator {
  const raw = compileArgs(site, cx);
  if (raw.length === 0) return () => empty;
  const ev = foldOf(raw, site, cx, op);
  const twin = approximateFold(op.name, raw, cx);
  return twin === undefined ? ev : cx.approximate(ev, twin);
}

function foldOf(raw: readonly Evaluator[], site: Site, cx: Compiler, op: Arithmetic): Evaluator {
  if (raw.length === 1) {
    const only = operand(raw[0] as Evaluator, site, cx);
    return (d, s) => (only(d, s) as number) + 0;
  }
  if (raw.length === 2) {
    const { kind: ka, ev: ea, key: keyA, value: va } = cx.operand(raw[0] as Evaluator);
    const { kind: kb, ev: eb, key: keyB, value: vb } = cx.operand(raw[1] as Evaluator);
    // The hot closure stays as small as it was before costs were charged, so that it inlines.
    const fast = op.fast;
    const f = (a: number, b: number, s: EvalState): number => {
      const r = fast(a, b);
      return r === r ? r : apply(op, a, b, site, cx, s);
    };
    return (d, s) => {
      let x = fetch(ka, ea, keyA, va, d, s);
      let y = fetch(kb, eb, keyB, vb, d, s);
      if (typeof x !== "number" || x - x !== 0) x = numberOf(x, site, cx, s);
      if (typeof y !== "number" || y - y !== 0) y = numberOf(y, site, cx, s);
      return f(x as number, y as number, s);
    };
  }
  const args = raw.map((ev) => operand(ev, site, cx));
  return (d, s) => {
    let acc = (args[0] as Evaluator)(d, s) as number;
    for (let i = 1; i < args.length; i++) acc = apply(op, acc, (args[i] as Evaluator)(d, s) as number, site, cx, s);
    return acc;
  };
}

/** `+`: the exact sum; `{"+": "3"}` casts text to a number; no arguments is 0. */
const compileAdd: OperatorCompiler = (site, cx) => fold(site, cx, { fast: addFast, slow: addSlow, name: "+" }, 0);

/** `*`: the exact product of one or more operands. */
const compileMultiply: OperatorCompiler = (site, cx) => {
  checkArity(site, 1, Infinity);
  return fold(site, cx, { fast: multiplyFast, slow: multiplySlow, name: "*" }, undefined);
};

/** `-`: negation of one operand, or the exact difference of two. */
const compileSubtract: OperatorCompiler = (site, cx) => {
  checkArity(site, 1, 2);
  if (site.args.length === 1) {
    const raw = compileArgs(site, cx)[0] as Evaluator;
    const a = operand(raw, site, cx);
    const ev: Evaluator = (d, s) => 0 - (a(d, s) as number);
    const twin = cx.approximation(raw);
    return twin === undefined ? ev : cx.approximate(ev, (d, s) => 0 - twin(d, s));
  }
  return fold(site, cx, { fast: subtractFast, slow: subtractSlow, name: "-" }, undefined);
};

function divisor(b: number, a: number, site: Site): number {
  if (b === 0) throw evaluationError("division_by_zero", site.path, `operator "${site.op}" cannot divide ${String(a)} by zero`);
  return b;
}

/** `/`: the exact quotient, rounded once to the nearest JS number; dividing by zero is an error. */
const compileDivide: OperatorCompiler = (site, cx) => {
  checkArity(site, 2, 2);
  return fold(site, cx, { fast: (a, b) => divideFast(a, divisor(b, a, site)), slow: divideSlow, name: "/" }, undefined);
};

/** `%`: the exact remainder of truncating division (the sign of the dividend, as JS). */
const compileRemainder: OperatorCompiler = (site, cx) => {
  checkArity(site, 2, 2);
  return fold(site, cx, { fast: (a, b) => remainderFast(a, divisor(b, a, site)), slow: remainderSlow, name: "%" }, undefined);
};

/** `max` and `min` of one or more operands (choosing one is exact; -0 is 0, as decimals have none). */
function compileExtreme(largest: boolean): OperatorCompiler {
  return (site, cx) => {
    checkArity(site, 1, Infinity);
    const pick: Fold = largest ? (a, b) => (b > a ? b : a) + 0 : (a, b) => (b < a ? b : a) + 0;
    return fold(site, cx, { fast: pick, name: largest ? "max" : "min" }, undefined);
  };
}

/** The arithmetic operators, by name. @internal */
export const ARITHMETIC_OPERATORS: ReadonlyMap<string, OperatorCompiler> = new Map<string, OperatorCompiler>([
  ["+", compileAdd],
  ["-", compileSubtract],
  ["*", compileMultiply],
  ["/", compileDivide],
  ["%", compileRemainder],
  ["max", compileExtreme(true)],
  ["min", compileExtreme(false)],
]);

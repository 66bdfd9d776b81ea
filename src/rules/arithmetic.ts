import { evaluationError } from "./limits";
import { argPath, checkArity, fetch, type Compiler, type Evaluator, type OperatorCompiler, type Site } from "./compile";
import { addExact, divideExact, multiplyExact, remainderExact, subtractExact } from "./decimal";
import { toNumber } from "./values";

/*
 * Arithmetic in exact decimals (see decimal.ts). Operands are finite numbers or numeric strings;
 * anything else is an error, never NaN.
 */

function compileArgs(site: Site, cx: Compiler): Evaluator[] {
  return site.args.map((arg, i) => cx.compile(arg, argPath(site, i)));
}

/** Evaluates an operand as a number, with the finite-number case inline. */
function operand(ev: Evaluator, site: Site): Evaluator {
  const { op, path } = site;
  return (d, s) => {
    const x = ev(d, s);
    return typeof x === "number" && x - x === 0 ? x : toNumber(x, op, path);
  };
}

type Fold = (a: number, b: number) => number;

/** An n-ary fold over numeric operands, specialised for one and two (checks inline). */
function fold(site: Site, cx: Compiler, f: Fold, empty: number | undefined): Evaluator {
  const raw = compileArgs(site, cx);
  const { op, path } = site;
  if (raw.length === 0) return () => empty;
  if (raw.length === 1) {
    const only = operand(raw[0] as Evaluator, site);
    return (d, s) => (only(d, s) as number) + 0;
  }
  if (raw.length === 2) {
    const { kind: ka, ev: ea, key: keyA, value: va } = cx.operand(raw[0] as Evaluator);
    const { kind: kb, ev: eb, key: keyB, value: vb } = cx.operand(raw[1] as Evaluator);
    return (d, s) => {
      let x = fetch(ka, ea, keyA, va, d, s);
      let y = fetch(kb, eb, keyB, vb, d, s);
      if (typeof x !== "number" || x - x !== 0) x = toNumber(x, op, path);
      if (typeof y !== "number" || y - y !== 0) y = toNumber(y, op, path);
      return f(x as number, y as number);
    };
  }
  const args = raw.map((ev) => operand(ev, site));
  return (d, s) => {
    let acc = (args[0] as Evaluator)(d, s) as number;
    for (let i = 1; i < args.length; i++) acc = f(acc, (args[i] as Evaluator)(d, s) as number);
    return acc;
  };
}

/** `+`: the exact sum; `{"+": "3"}` casts text to a number; no arguments is 0. */
const compileAdd: OperatorCompiler = (site, cx) => fold(site, cx, addExact, 0);

/** `*`: the exact product of one or more operands. */
const compileMultiply: OperatorCompiler = (site, cx) => {
  checkArity(site, 1, Infinity);
  return fold(site, cx, multiplyExact, undefined);
};

/** `-`: negation of one operand, or the exact difference of two. */
const compileSubtract: OperatorCompiler = (site, cx) => {
  checkArity(site, 1, 2);
  if (site.args.length === 1) {
    const a = operand(compileArgs(site, cx)[0] as Evaluator, site);
    return (d, s) => 0 - (a(d, s) as number);
  }
  return fold(site, cx, subtractExact, undefined);
};

function divisor(b: number, a: number, site: Site): number {
  if (b === 0) throw evaluationError("division_by_zero", site.path, `operator "${site.op}" cannot divide ${String(a)} by zero`);
  return b;
}

/** `/`: the exact quotient, rounded once to the nearest JS number; dividing by zero is an error. */
const compileDivide: OperatorCompiler = (site, cx) => {
  checkArity(site, 2, 2);
  return fold(site, cx, (a, b) => divideExact(a, divisor(b, a, site)), undefined);
};

/** `%`: the exact remainder of truncating division (the sign of the dividend, as JS). */
const compileRemainder: OperatorCompiler = (site, cx) => {
  checkArity(site, 2, 2);
  return fold(site, cx, (a, b) => remainderExact(a, divisor(b, a, site)), undefined);
};

/** `max` and `min` of one or more operands (choosing one is exact). */
function compileExtreme(largest: boolean): OperatorCompiler {
  return (site, cx) => {
    checkArity(site, 1, Infinity);
    const pick: Fold = largest ? (a, b) => (b > a ? b : a) : (a, b) => (b < a ? b : a);
    return fold(site, cx, pick, undefined);
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

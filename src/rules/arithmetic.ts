import { evaluationError } from "./limits";
import { argPath, checkArity, type Compiler, type Evaluator, type OperatorCompiler, type Site } from "./compile";
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

/** An n-ary fold over numeric operands, specialised for one and two. */
function fold(site: Site, cx: Compiler, f: Fold, empty: number | undefined): Evaluator {
  const args = compileArgs(site, cx).map((ev) => operand(ev, site));
  if (args.length === 0) return () => empty;
  if (args.length === 1) return args[0] as Evaluator;
  if (args.length === 2) {
    const [a, b] = args as [Evaluator, Evaluator];
    return (d, s) => f(a(d, s) as number, b(d, s) as number);
  }
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
  const args = compileArgs(site, cx).map((ev) => operand(ev, site));
  const [a, b] = args as [Evaluator, Evaluator | undefined];
  if (b === undefined) return (d, s) => -(a(d, s) as number);
  return (d, s) => subtractExact(a(d, s) as number, b(d, s) as number);
};

function nonZero(divisor: number, dividend: number, site: Site): number {
  if (divisor === 0) {
    throw evaluationError("division_by_zero", site.path, `operator "${site.op}" cannot divide ${String(dividend)} by zero`);
  }
  return divisor;
}

/** `/`: the exact quotient, rounded once to the nearest JS number; dividing by zero is an error. */
const compileDivide: OperatorCompiler = (site, cx) => {
  checkArity(site, 2, 2);
  const [a, b] = compileArgs(site, cx).map((ev) => operand(ev, site)) as [Evaluator, Evaluator];
  return (d, s) => {
    const x = a(d, s) as number;
    return divideExact(x, nonZero(b(d, s) as number, x, site));
  };
};

/** `%`: the exact remainder of truncating division (the sign of the dividend, as JS). */
const compileRemainder: OperatorCompiler = (site, cx) => {
  checkArity(site, 2, 2);
  const [a, b] = compileArgs(site, cx).map((ev) => operand(ev, site)) as [Evaluator, Evaluator];
  return (d, s) => {
    const x = a(d, s) as number;
    return remainderExact(x, nonZero(b(d, s) as number, x, site));
  };
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

import { approximateValue, argPath, checkArity, fetch, type Compiler, type EvalState, type Evaluator, type Operand, type OperatorCompiler, type Site } from "./compile";
import { orderOf } from "./bounds";
import { compareValues, looseEquals, truthy } from "./values";

/*
 * Control flow, boolean logic, equality and ordering.
 */

function compileArgs(site: Site, cx: Compiler): Evaluator[] {
  return site.args.map((arg, i) => cx.compile(arg, argPath(site, i)));
}

/** `if` and `?:`: condition/consequent pairs, then an optional else; no arguments is null. */
const compileIf: OperatorCompiler = (site, cx) => {
  const args = compileArgs(site, cx);
  if (args.length === 0) return () => null;
  if (args.length === 1) return args[0] as Evaluator;
  if (args.length === 3) {
    const [test, then, otherwise] = args as [Evaluator, Evaluator, Evaluator];
    return (d, s) => (truthy(test(d, s)) ? then(d, s) : otherwise(d, s));
  }
  return (d, s) => {
    let i = 0;
    for (; i < args.length - 1; i += 2) {
      if (truthy((args[i] as Evaluator)(d, s))) return (args[i + 1] as Evaluator)(d, s);
    }
    return i === args.length - 1 ? (args[i] as Evaluator)(d, s) : null;
  };
};

/** `and`: the first falsy value, or the last. */
const compileAnd: OperatorCompiler = (site, cx) => {
  checkArity(site, 1, Infinity);
  const args = compileArgs(site, cx);
  if (args.length === 1) return args[0] as Evaluator;
  if (args.length === 2) {
    const [a, b] = args as [Evaluator, Evaluator];
    return (d, s) => {
      const x = a(d, s);
      return truthy(x) ? b(d, s) : x;
    };
  }
  return (d, s) => {
    let value: unknown = null;
    for (let i = 0; i < args.length; i++) {
      value = (args[i] as Evaluator)(d, s);
      if (!truthy(value)) return value;
    }
    return value;
  };
};

/** `or`: the first truthy value, or the last. */
const compileOr: OperatorCompiler = (site, cx) => {
  checkArity(site, 1, Infinity);
  const args = compileArgs(site, cx);
  if (args.length === 1) return args[0] as Evaluator;
  if (args.length === 2) {
    const [a, b] = args as [Evaluator, Evaluator];
    return (d, s) => {
      const x = a(d, s);
      return truthy(x) ? x : b(d, s);
    };
  }
  return (d, s) => {
    let value: unknown = null;
    for (let i = 0; i < args.length; i++) {
      value = (args[i] as Evaluator)(d, s);
      if (truthy(value)) return value;
    }
    return value;
  };
};

const compileNot: OperatorCompiler = (site, cx) => {
  checkArity(site, 1, 1);
  const [a] = compileArgs(site, cx) as [Evaluator];
  return (d, s) => !truthy(a(d, s));
};

const compileNotNot: OperatorCompiler = (site, cx) => {
  checkArity(site, 1, 1);
  const [a] = compileArgs(site, cx) as [Evaluator];
  return (d, s) => truthy(a(d, s));
};

/** `log` is made pure: it returns its argument and writes nothing. */
const compileLog: OperatorCompiler = (site, cx) => {
  checkArity(site, 1, 1);
  return compileArgs(site, cx)[0] as Evaluator;
};

/** Characters of text among two operands: what comparing them may read. */
function textLength(x: unknown, y: unknown): number {
  return (typeof x === "string" ? x.length : 0) + (typeof y === "string" ? y.length : 0);
}

function compileEquality(negate: boolean, strict: boolean): OperatorCompiler {
  return (site, cx) => {
    checkArity(site, 2, 2);
    const [a, b] = compileArgs(site, cx) as [Evaluator, Evaluator];
    // Comparing text reads it: long text is charged (chargeText is free up to 64 characters).
    if (strict) {
      return (d, s) => {
        const x = a(d, s);
        const y = b(d, s);
        if (typeof x === "string") cx.chargeText(s, textLength(x, y), site);
        return (x === y) !== negate;
      };
    }
    return (d, s) => {
      const x = a(d, s);
      const y = b(d, s);
      cx.chargeText(s, textLength(x, y), site);
      return looseEquals(x, y) !== negate;
    };
  };
}

type Order = "<" | "<=" | ">" | ">=";

/**
 * One comparison; when an operand is arithmetic (and the other is too, or a number or a plain
 * read), its approximations decide first, and the exact evaluation runs only when they cannot
 * (decision 0107). An exception while approximating (a host getter's) leaves it to the exact
 * evaluation, which then throws what it always did.
 */
function orderOf2(order: Order, a: Operand, b: Operand, site: Site, cx: Compiler): Evaluator {
  const exact = orderPair(order, a, b, site, cx);
  if (cx.approximated(a.ev) === undefined && cx.approximated(b.ev) === undefined) return exact;
  const oa = cx.approximateOperand(a.ev);
  const ob = cx.approximateOperand(b.ev);
  if (oa === undefined || ob === undefined) return exact;
  const { kind: ka, twin: ta, key: keyA, value: va } = oa;
  const { kind: kb, twin: tb, key: keyB, value: vb } = ob;
  const below = order === "<" || order === "<=";
  const decide = (d: unknown, s: EvalState): number => {
    try {
      const x = approximateValue(ka, ta, keyA, va, d, s);
      const ex = ka === 0 ? s.bound : x - x;
      const y = approximateValue(kb, tb, keyB, vb, d, s);
      return orderOf(x, ex, y, kb === 0 ? s.bound : y - y);
    } catch {
      return 0;
    }
  };
  return (d, s) => {
    const o = decide(d, s);
    return o === 0 ? exact(d, s) : below === o < 0;
  };
}

/** One comparison, with the common case (two finite numbers) inline and operands fetched directly. */
function orderPair(order: Order, a: Operand, b: Operand, site: Site, cx: Compiler): Evaluator {
  const { op, path } = site;
  // The general case, apart so that the hot closures stay small: text read is charged first.
  const compareCharged = (x: unknown, y: unknown, s: EvalState): number => {
    cx.chargeText(s, textLength(x, y), site);
    return compareValues(x, y, op, path);
  };
  const { kind: ka, ev: ea, key: keyA, value: va } = a;
  const { kind: kb, ev: eb, key: keyB, value: vb } = b;
  switch (order) {
    case "<":
      return (d, s) => {
        const x = fetch(ka, ea, keyA, va, d, s);
        const y = fetch(kb, eb, keyB, vb, d, s);
        if (typeof x === "number" && typeof y === "number" && x - x === 0 && y - y === 0) return x < y;
        return compareCharged(x, y, s) < 0;
      };
    case "<=":
      return (d, s) => {
        const x = fetch(ka, ea, keyA, va, d, s);
        const y = fetch(kb, eb, keyB, vb, d, s);
        if (typeof x === "number" && typeof y === "number" && x - x === 0 && y - y === 0) return x <= y;
        return compareCharged(x, y, s) <= 0;
      };
    case ">":
      return (d, s) => {
        const x = fetch(ka, ea, keyA, va, d, s);
        const y = fetch(kb, eb, keyB, vb, d, s);
        if (typeof x === "number" && typeof y === "number" && x - x === 0 && y - y === 0) return x > y;
        return compareCharged(x, y, s) > 0;
      };
    case ">=":
      return (d, s) => {
        const x = fetch(ka, ea, keyA, va, d, s);
        const y = fetch(kb, eb, keyB, vb, d, s);
        if (typeof x === "number" && typeof y === "number" && x - x === 0 && y - y === 0) return x >= y;
        return compareCharged(x, y, s) >= 0;
      };
  }
}

/**
 * Ordering. `<` and `<=` also take three arguments, the "between" form: a < b < c. All three are
 * evaluated first, as in json-logic-js; the second comparison runs only when the first holds.
 */
function compileOrder(order: Order): OperatorCompiler {
  return (site, cx) => {
    const between = order === "<" || order === "<=";
    checkArity(site, 2, between ? 3 : 2);
    const args = compileArgs(site, cx);
    const [a, b, c] = args as [Evaluator, Evaluator, Evaluator | undefined];
    if (c === undefined) return orderOf2(order, cx.operand(a), cx.operand(b), site, cx);
    const { op, path } = site;
    const holds = order === "<" ? (n: number) => n < 0 : (n: number) => n <= 0;
    return (d, s) => {
      const x = a(d, s);
      const y = b(d, s);
      const z = c(d, s);
      cx.chargeText(s, textLength(x, y) + textLength(z, null), site);
      return holds(compareValues(x, y, op, path)) && holds(compareValues(y, z, op, path));
    };
  };
}

/** The logic, equality and ordering operators, by name. @internal */
export const LOGIC_OPERATORS: ReadonlyMap<string, OperatorCompiler> = new Map<string, OperatorCompiler>([
  ["if", compileIf],
  ["?:", compileIf],
  ["and", compileAnd],
  ["or", compileOr],
  ["!", compileNot],
  ["!!", compileNotNot],
  ["log", compileLog],
  ["==", compileEquality(false, false)],
  ["!=", compileEquality(true, false)],
  ["===", compileEquality(false, true)],
  ["!==", compileEquality(true, true)],
  ["<", compileOrder("<")],
  ["<=", compileOrder("<=")],
  [">", compileOrder(">")],
  [">=", compileOrder(">=")],
]);

import { argPath, checkArity, type Compiler, type Evaluator, type OperatorCompiler, type Site } from "./compile";
import type { JsonLogicRule } from "./types";
import { truthy } from "./values";

/*
 * Iterating operators and merge. The per-element rule sees the element as its data (reduce sees
 * {current, accumulator}). Every walk is charged to the maxSteps budget before it starts, and
 * every array built is checked against maxArrayLength, so no rule can hang or exhaust memory.
 * Elements are read as own properties: a hole reads as null, never through a prototype.
 */

const hasOwn = Object.prototype.hasOwnProperty;

function item(array: readonly unknown[], i: number): unknown {
  return hasOwn.call(array, i) ? array[i] : null;
}

interface Scoped {
  readonly source: Evaluator;
  readonly body: Evaluator;
  readonly size: number;
}

function compileScopedPair(site: Site, cx: Compiler): Scoped {
  const source = cx.compile(site.args[0] as JsonLogicRule, argPath(site, 0));
  const { body, size } = cx.compileScoped(site.args[1] as JsonLogicRule, argPath(site, 1));
  return { source, body, size };
}

/** `map`: the per-element results; not an array gives []. */
const compileMap: OperatorCompiler = (site, cx) => {
  checkArity(site, 2, 2);
  const { source, body, size } = compileScopedPair(site, cx);
  return (d, s) => {
    const list = source(d, s);
    if (!Array.isArray(list)) return [];
    cx.checkArrayLength(list.length, site);
    cx.chargeSteps(s, list.length * size, site);
    const out = new Array<unknown>(list.length);
    for (let i = 0; i < list.length; i++) out[i] = body(item(list, i), s);
    return out;
  };
};

/** `filter`: the elements whose per-element result is truthy; not an array gives []. */
const compileFilter: OperatorCompiler = (site, cx) => {
  checkArity(site, 2, 2);
  const { source, body, size } = compileScopedPair(site, cx);
  return (d, s) => {
    const list = source(d, s);
    if (!Array.isArray(list)) return [];
    cx.chargeSteps(s, list.length * size, site);
    const out: unknown[] = [];
    for (let i = 0; i < list.length; i++) {
      const value = item(list, i);
      if (truthy(body(value, s))) out.push(value);
    }
    cx.checkArrayLength(out.length, site);
    return out;
  };
};

/** `reduce`: folds with {current, accumulator}; the initial value defaults to null. */
const compileReduce: OperatorCompiler = (site, cx) => {
  checkArity(site, 2, 3);
  const { source, body, size } = compileScopedPair(site, cx);
  const initial = site.args.length === 3 ? cx.compile(site.args[2] as JsonLogicRule, argPath(site, 2)) : cx.constant(null);
  return (d, s) => {
    const list = source(d, s);
    let accumulator = initial(d, s);
    if (!Array.isArray(list)) return accumulator;
    cx.chargeSteps(s, list.length * size, site);
    for (let i = 0; i < list.length; i++) accumulator = body({ current: item(list, i), accumulator }, s);
    return accumulator;
  };
};

/** `all`, `some`, `none`: quantifiers; `all` of an empty array is false, as in JSON Logic. */
function compileQuantifier(kind: "all" | "some" | "none"): OperatorCompiler {
  return (site, cx) => {
    checkArity(site, 2, 2);
    const { source, body, size } = compileScopedPair(site, cx);
    // all stops at the first falsy result; some and none at the first truthy one.
    const stopOn = kind !== "all";
    const ifStopped = kind === "some";
    return (d, s) => {
      const list = source(d, s);
      if (!Array.isArray(list) || list.length === 0) return kind === "none";
      cx.chargeSteps(s, list.length * size, site);
      for (let i = 0; i < list.length; i++) {
        if (truthy(body(item(list, i), s)) === stopOn) return ifStopped;
      }
      return !ifStopped;
    };
  };
}

/** `merge`: one flat array of its arguments, arrays spread one level. */
const compileMerge: OperatorCompiler = (site, cx) => {
  const args = site.args.map((arg, i) => cx.compile(arg, argPath(site, i)));
  return (d, s) => {
    const values = args.map((ev) => ev(d, s));
    let length = 0;
    for (const value of values) length += Array.isArray(value) ? value.length : 1;
    cx.checkArrayLength(length, site);
    cx.chargeSteps(s, length, site);
    const out = new Array<unknown>(length);
    let k = 0;
    for (const value of values) {
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) out[k++] = item(value, i);
      } else {
        out[k++] = value;
      }
    }
    return out;
  };
};

/** The array operators, by name. @internal */
export const ARRAY_OPERATORS: ReadonlyMap<string, OperatorCompiler> = new Map<string, OperatorCompiler>([
  ["map", compileMap],
  ["filter", compileFilter],
  ["reduce", compileReduce],
  ["all", compileQuantifier("all")],
  ["some", compileQuantifier("some")],
  ["none", compileQuantifier("none")],
  ["merge", compileMerge],
]);

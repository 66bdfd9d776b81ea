import { argPath, checkArity, type Compiler, type Evaluator, type OperatorCompiler, type Site } from "./compile";
import { COST } from "./limits";
import { toNumber, toText } from "./values";

/*
 * Text and membership: cat, substr, in. Values become text by JS join rules, without calling any
 * method of the data (see values.ts).
 */

const hasOwn = Object.prototype.hasOwnProperty;

function compileArgs(site: Site, cx: Compiler): Evaluator[] {
  return site.args.map((arg, i) => cx.compile(arg, argPath(site, i)));
}

/** `cat`: the arguments written as text and joined, held to maxStringLength before it is built. */
const compileCat: OperatorCompiler = (site, cx) => {
  const args = compileArgs(site, cx);
  const max = cx.options.maxStringLength;
  return (d, s) => {
    let out = "";
    for (let i = 0; i < args.length; i++) {
      const value = (args[i] as Evaluator)(d, s);
      const piece = typeof value === "string" ? value : toText(value, site, cx, s);
      // chargeBuilt throws here: the text would pass the limit.
      if (out.length + piece.length > max) cx.chargeBuilt(s, out.length + piece.length, site);
      out += piece;
    }
    cx.chargeBuilt(s, out.length, site);
    return out;
  };
};

/** A `substr` position: a number or numeric text, truncated towards zero. */
function position(value: unknown, site: Site): number {
  return Math.trunc(toNumber(value, site.op, site.path));
}

/**
 * `substr`: from `start` (negative counts from the end), for `length` characters (negative: stop
 * that many before the end), as json-logic-js does.
 */
const compileSubstr: OperatorCompiler = (site, cx) => {
  checkArity(site, 2, 3);
  const [source, start, length] = compileArgs(site, cx) as [Evaluator, Evaluator, Evaluator | undefined];
  return (d, s) => {
    const text = toText(source(d, s), site, cx, s);
    let from = position(start(d, s), site);
    if (from < 0) from = Math.max(text.length + from, 0);
    const rest = text.slice(from);
    if (length === undefined) return rest;
    const count = position(length(d, s), site);
    return count < 0 ? rest.slice(0, Math.max(rest.length + count, 0)) : rest.slice(0, count);
  };
};

/**
 * `in`: whether a value is an element of an array (===) or a substring of a text. Anything else as
 * the second argument gives false. A literal array of literals is looked up in a Set.
 */
const compileIn: OperatorCompiler = (site, cx) => {
  checkArity(site, 2, 2);
  const [needle, haystack] = compileArgs(site, cx) as [Evaluator, Evaluator];
  const fixed = cx.constantOf(haystack);
  if (fixed !== undefined && Array.isArray(fixed.value) && fixed.value.every((v: unknown) => v === null || typeof v !== "object")) {
    const members = new Set<unknown>(fixed.value);
    return (d, s) => {
      const value = needle(d, s);
      // Looking up text hashes all of it.
      if (typeof value === "string") cx.chargeText(s, value.length, site);
      return members.has(value);
    };
  }
  return (d, s) => {
    const value = needle(d, s);
    const within = haystack(d, s);
    if (typeof within === "string") {
      const part = typeof value === "string" ? value : toText(value, site, cx, s);
      const length = within.length + part.length;
      if (length > COST.freeText) cx.chargeSteps(s, Math.ceil(length / COST.searchPerStep), site);
      return within.includes(part);
    }
    if (!Array.isArray(within)) return false;
    // One step per element, charged before the walk (a sparse array of length 2^32 - 1 is refused),
    // and a long text needle costs its comparison with each element.
    const per = typeof value === "string" && value.length > COST.freeText ? 1 + Math.ceil(value.length / COST.searchPerStep) : 1;
    cx.chargeSteps(s, within.length * per, site);
    for (let i = 0; i < within.length; i++) {
      if (within[i] === value && hasOwn.call(within, i)) return true;
    }
    return false;
  };
};

/** The text operators, by name. @internal */
export const TEXT_OPERATORS: ReadonlyMap<string, OperatorCompiler> = new Map<string, OperatorCompiler>([
  ["cat", compileCat],
  ["substr", compileSubstr],
  ["in", compileIn],
]);

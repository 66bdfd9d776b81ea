import type { IssuePath } from "../internal/errors";
import { describeValue, evaluationError, ruleError } from "./limits";
import { argPath, checkArity, type Compiler, type EvalState, type Evaluator, type OperatorCompiler, type Site } from "./compile";
import { readKey, readOwn, toNumber, UNSAFE_SEGMENTS } from "./values";
import type { JsonLogicRule } from "./types";

/*
 * Reading data: var, missing, missing_some. A path is split on dots; each step reads an own
 * property only (see values.ts). `__proto__`, `constructor` and `prototype` are refused in a
 * literal path and read as missing in a computed one.
 */

const hasOwn = Object.prototype.hasOwnProperty;

/** Literal paths of more segments than this are charged a step per segment on each read. */
const LONG_PATH = 8;

/** The segments of a path, or null for the whole data (`""`, null, no path). */
function splitPath(path: unknown): string[] | null {
  if (path === undefined || path === null || path === "") return null;
  return String(path).split(".");
}

/** Reads a path in data; `undefined` when any step is missing. */
function readPath(data: unknown, segments: readonly string[]): unknown {
  let value = data;
  for (let i = 0; i < segments.length; i++) {
    if (value === null || value === undefined) return undefined;
    value = readOwn(value, segments[i] as string);
  }
  return value;
}

/** Checks a literal path at compile time and records it; returns its segments. */
function literalSegments(key: JsonLogicRule | undefined, at: IssuePath, op: string, cx: Compiler): string[] | null {
  if (typeof key === "object" && key !== null) {
    throw ruleError("invalid_arguments", at, `operator "${op}" needs a path (text or a number), got ${describeValue(key)}`);
  }
  if (key !== undefined && key !== null) cx.checkPathLength(String(key), op, at, true);
  const segments = splitPath(key);
  if (segments === null) return null;
  for (const segment of segments) {
    if (UNSAFE_SEGMENTS.has(segment)) {
      throw ruleError("unsafe_path", at, `operator "${op}" cannot read "${String(key)}": the step "${segment}" is refused, as it leads to prototypes`);
    }
  }
  cx.readPath(segments.join("."));
  return segments;
}

/** Splits a path computed at run time; unsafe steps make it unreachable (null result). */
function runtimeSegments(key: unknown, site: Site, cx: Compiler, s: EvalState): string[] | null | false {
  if (key === undefined || key === null || key === "") return null;
  if (typeof key !== "string" && typeof key !== "number") {
    throw evaluationError("invalid_arguments", site.path, `operator "${site.op}" needs a path (text or a number), got ${describeValue(key)}`);
  }
  const text = String(key);
  cx.checkPathLength(text, site.op, site.path, false);
  const segments = text.split(".");
  // Splitting and walking cost a step per segment, and its text.
  cx.chargeSteps(s, segments.length, site);
  cx.chargeText(s, text.length, site);
  for (const segment of segments) if (UNSAFE_SEGMENTS.has(segment)) return false;
  return segments;
}

/** `var`: the value at a path, or the default (null unless given) when it is missing. */
const compileVar: OperatorCompiler = (site, cx) => {
  checkArity(site, 0, 2);
  const [pathRule, defaultRule] = site.args as [JsonLogicRule | undefined, JsonLogicRule | undefined];
  const fallback: Evaluator = defaultRule === undefined ? cx.constant(null) : cx.compile(defaultRule, argPath(site, 1));
  const fixed = cx.constantOf(fallback);
  const fallbackValue = fixed === undefined ? undefined : fixed.value;
  const pathAt = argPath(site, 0);
  if (pathRule !== null && typeof pathRule === "object") {
    cx.readComputed(pathAt, site.op);
    const pathEv = cx.compile(pathRule, pathAt);
    return (d, s) => {
      const segments = runtimeSegments(pathEv(d, s), site, cx, s);
      if (segments === null) return d;
      const value = segments === false ? undefined : readPath(d, segments);
      return value === undefined ? fallback(d, s) : value;
    };
  }
  const segments = literalSegments(pathRule, pathAt, site.op, cx);
  if (segments === null) return (d) => d;
  if (segments.length === 1 && fallbackValue === null) {
    const key = segments[0] as string;
    return cx.markKey((d) => readKey(d, key), key);
  }
  // Reads of a literal path with a constant default charge nothing and throw nothing: orderings may
  // approximate arithmetic over them (decision 0107).
  if (fixed !== undefined && segments.length <= 2) return cx.markPureRead(readFixed(segments, fallbackValue));
  if (segments.length > LONG_PATH) {
    // A long literal path costs a step per segment on every read (one node would undercount it).
    return (d, s) => {
      cx.chargeSteps(s, segments.length, site);
      const value = readPath(d, segments);
      return value === undefined ? fallback(d, s) : value;
    };
  }
  const read: Evaluator = (d, s) => {
    const value = readPath(d, segments);
    return value === undefined ? fallback(d, s) : value;
  };
  return fixed === undefined ? read : cx.markPureRead(read);
};

/** `var` with a one- or two-step literal path and a constant default: the hot case, inlined. */
function readFixed(segments: readonly string[], fallbackValue: unknown): Evaluator {
  const first = segments[0] as string;
  if (segments.length === 1) {
    return (d) => {
      if (typeof d === "object" && d !== null) {
        if (!hasOwn.call(d, first)) return fallbackValue;
        const value = (d as Record<string, unknown>)[first];
        return value === undefined ? fallbackValue : value;
      }
      const value = d === undefined ? undefined : readOwn(d, first);
      return value === undefined ? fallbackValue : value;
    };
  }
  const second = segments[1] as string;
  return (d) => {
    let value: unknown;
    if (typeof d === "object" && d !== null) {
      if (!hasOwn.call(d, first)) return fallbackValue;
      const inner = (d as Record<string, unknown>)[first];
      if (typeof inner === "object" && inner !== null) {
        if (!hasOwn.call(inner, second)) return fallbackValue;
        value = (inner as Record<string, unknown>)[second];
      } else {
        value = inner === undefined || inner === null ? undefined : readOwn(inner, second);
      }
    } else {
      value = readPath(d, segments);
    }
    return value === undefined ? fallbackValue : value;
  };
}

/** Whether a key counts as missing: its value is absent, null or "". */
function isMissing(data: unknown, key: unknown, site: Site, cx: Compiler, s: EvalState): boolean {
  const segments = runtimeSegments(key, site, cx, s);
  if (segments === null) return data === null || data === undefined || data === "";
  if (segments === false) return true;
  const value = readPath(data, segments);
  return value === undefined || value === null || value === "";
}

/** Compiles the keys of `missing`: literal ones are checked and recorded, others computed. */
function compileKeys(rules: readonly JsonLogicRule[], at: (i: number) => IssuePath, site: Site, cx: Compiler): Evaluator {
  const literal = rules.every((r) => r === null || typeof r !== "object");
  if (literal) {
    rules.forEach((r, i) => literalSegments(r, at(i), site.op, cx));
    return cx.constant(rules);
  }
  cx.readComputed(site.path, site.op);
  const items = rules.map((r, i) => cx.compile(r, at(i)));
  return (d, s) => {
    const values = items.map((ev) => ev(d, s));
    return values.length > 0 && Array.isArray(values[0]) ? values[0] : values;
  };
}

function collectMissing(data: unknown, keys: readonly unknown[], site: Site, cx: Compiler, s: EvalState): unknown[] {
  // One step per key, charged before the walk: a computed list may be long (or sparse).
  cx.chargeSteps(s, keys.length, site);
  const out: unknown[] = [];
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (isMissing(data, key, site, cx, s)) out.push(key);
  }
  return out;
}

/** `missing`: the keys whose values are absent, null or "". One array argument is the key list. */
const compileMissing: OperatorCompiler = (site, cx) => {
  const first = site.args[0];
  const keyRules = site.args.length === 1 && Array.isArray(first) ? (first as readonly JsonLogicRule[]) : site.args;
  const nested = keyRules !== site.args;
  const keys = compileKeys(keyRules, (i) => (nested ? [...argPath(site, 0), i] : argPath(site, i)), site, cx);
  const fixed = literalKeys(keyRules);
  if (fixed !== undefined) return (d, s) => collectLiteralMissing(d, keyRules, fixed, site, cx, s);
  return (d, s) => collectMissing(d, keys(d, s) as readonly unknown[], site, cx, s);
};

/**
 * The keys of a `missing` written as text or numbers, split once: what {@link runtimeSegments}
 * would give each on every evaluation (null for an empty key). Undefined when a key is of another
 * kind (its error belongs to the evaluation) or unsafe (refused when compiled).
 */
function literalKeys(rules: readonly JsonLogicRule[]): (LiteralKey | null)[] | undefined {
  const out: (LiteralKey | null)[] = [];
  for (const key of rules) {
    if (key === undefined || key === null || key === "") out.push(null);
    else if (typeof key === "string" || typeof key === "number") {
      const text = String(key);
      const segments = text.split(".");
      if (segments.some((segment) => UNSAFE_SEGMENTS.has(segment))) return undefined;
      out.push({ segments, length: text.length });
    } else return undefined;
  }
  return out;
}

/** A literal key of `missing`: its steps, and the length of its text (charged as text read). */
interface LiteralKey {
  readonly segments: readonly string[];
  readonly length: number;
}

/** {@link collectMissing} over literal keys split beforehand: the same steps and text charged, in the same order. */
function collectLiteralMissing(data: unknown, keys: readonly JsonLogicRule[], literal: readonly (LiteralKey | null)[], site: Site, cx: Compiler, s: EvalState): unknown[] {
  cx.chargeSteps(s, keys.length, site);
  const out: unknown[] = [];
  for (let i = 0; i < keys.length; i++) {
    const key = literal[i];
    let missing: boolean;
    if (key === null || key === undefined) missing = data === null || data === undefined || data === "";
    else {
      cx.chargeSteps(s, key.segments.length, site);
      cx.chargeText(s, key.length, site);
      const value = readPath(data, key.segments);
      missing = value === undefined || value === null || value === "";
    }
    if (missing) out.push(keys[i]);
  }
  return out;
}

/** `missing_some`: [] when at least `need` of the keys are present, else the missing keys. */
const compileMissingSome: OperatorCompiler = (site, cx) => {
  checkArity(site, 2, 2);
  const [needRule, keysRule] = site.args as [JsonLogicRule, JsonLogicRule];
  const need = cx.compile(needRule, argPath(site, 0));
  let keys: Evaluator;
  if (Array.isArray(keysRule)) {
    keys = compileKeys(keysRule as readonly JsonLogicRule[], (i) => [...argPath(site, 1), i], site, cx);
  } else if (keysRule !== null && typeof keysRule === "object") {
    cx.readComputed(argPath(site, 1), site.op);
    keys = cx.compile(keysRule, argPath(site, 1));
  } else {
    throw ruleError("invalid_arguments", argPath(site, 1), `operator "missing_some" needs an array of keys, got ${describeValue(keysRule)}`);
  }
  return (d, s) => {
    const wanted = toNumber(need(d, s), site.op, site.path);
    const list = keys(d, s);
    if (!Array.isArray(list)) {
      throw evaluationError("invalid_arguments", site.path, `operator "missing_some" needs an array of keys, got ${describeValue(list)}`);
    }
    const missing = collectMissing(d, list, site, cx, s);
    return list.length - missing.length >= wanted ? [] : missing;
  };
};

/** The data operators, by name. @internal */
export const VARIABLE_OPERATORS: ReadonlyMap<string, OperatorCompiler> = new Map<string, OperatorCompiler>([
  ["var", compileVar],
  ["missing", compileMissing],
  ["missing_some", compileMissingSome],
]);

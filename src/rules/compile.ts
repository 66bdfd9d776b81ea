import { formatPath, type IssuePath } from "../internal/errors";
import { COST, evaluationError, ruleError, type ResolvedOptions } from "./limits";
import { programEvaluator } from "./numeric";
import { buildProgram, qualifies } from "./numeric-build";
import { countNodes } from "./snapshot";
import { freeNumeral, readKey } from "./values";
import type { JsonLogicRule, RuleValue } from "./types";

/** Per-evaluation state: the work done so far, checked against `maxSteps`. @internal */
export interface EvalState {
  steps: number;
  /** Scratch for {@link Approximation}s: the error bound of the approximation last returned. */
  bound: number;
}

/**
 * A compiled rule or sub-rule: a closure over the data in scope. Rules compile to composed
 * closures (no eval, no `new Function`), so kaohe runs under a strict Content-Security-Policy.
 *
 * @internal
 */
export type Evaluator = (data: unknown, state: EvalState) => unknown;

/**
 * The floating-point twin of a numeric sub-rule (decision 0107): returns an approximation y of the
 * sub-rule's exact result R and leaves in `state.bound` a bound e with |R − y| ≤ e (NaN, or a NaN
 * value, when it cannot say: the exact evaluation then decides). It reads data as the sub-rule
 * does, charges nothing and throws nothing.
 *
 * @internal
 */
export type Approximation = (data: unknown, state: EvalState) => number;

/**
 * How an approximation reads an operand (see {@link Operand}): `kind` 0 calls `twin`, 1 reads
 * the one-step `key` of the data, 2 is the constant `value` (NaN when not a finite number).
 *
 * @internal
 */
export interface ApproximateOperand {
  readonly kind: 0 | 1 | 2;
  readonly twin: Approximation;
  readonly key: string;
  readonly value: number;
}

/**
 * An operand's approximation (see {@link ApproximateOperand}); a leaf read here leaves the bound
 * to the caller: 0 for a finite number, NaN (x − x) otherwise. A short numeral as text is the
 * number toNumber makes of it, as exact as a number read (see {@link leafNumber}). Small, so
 * TurboFan inlines it.
 *
 * @internal
 */
export function approximateValue(kind: number, twin: Approximation, key: string, value: number, d: unknown, s: EvalState): number {
  if (kind === 0) return twin(d, s);
  if (kind === 2) return value;
  const x = readKey(d, key);
  return typeof x === "number" ? x : leafNumber(x);
}

/**
 * A leaf as the approximations read it: a number as it is; a numeral as text, when it is free to
 * read, as the number the exact evaluation converts it to (so it is exact, like a number read);
 * NaN for anything else (the exact evaluation then decides, and gives its value or error).
 *
 * @internal
 */
export function leafNumber(x: unknown): number {
  if (typeof x === "number") return x;
  return typeof x === "string" ? freeNumeral(x) : Number.NaN;
}

/**
 * How an operator may fetch an operand without calling its closure: `kind` 0 calls `ev`, 1 reads
 * the one-step `key` of the data (a `var` with no default), 2 is the constant `value`.
 *
 * @internal
 */
export interface Operand {
  readonly kind: 0 | 1 | 2;
  readonly ev: Evaluator;
  readonly key: string;
  readonly value: unknown;
}

/** Fetches an operand (see {@link Operand}); small, so TurboFan inlines it. @internal */
export function fetch(kind: number, ev: Evaluator, key: string, value: unknown, d: unknown, s: EvalState): unknown {
  return kind === 1 ? readKey(d, key) : kind === 2 ? value : ev(d, s);
}

/** The twin of operands read inline (never called). */
const noTwin: Approximation = () => Number.NaN;

/** A leaf's approximation: its {@link leafNumber}, exact, when finite; NaN (bound NaN) otherwise. */
function exactLeaf(value: unknown, s: EvalState): number {
  const x = leafNumber(value);
  if (x - x === 0) {
    s.bound = 0;
    return x;
  }
  s.bound = Number.NaN;
  return Number.NaN;
}

/** One operator in the rule, as its compiler sees it. @internal */
export interface Site {
  /** The operator name. */
  readonly op: string;
  /** The path of the operator's object in the rule. */
  readonly path: IssuePath;
  /** The arguments: the operator's array, or its one non-array value wrapped in an array. */
  readonly args: readonly JsonLogicRule[];
  /** Whether the arguments were given as an array (their paths then carry an index). */
  readonly listed: boolean;
}

/** Compiles one operator. @internal */
export type OperatorCompiler = (site: Site, cx: Compiler) => Evaluator;

/** Path of the i-th argument of an operator. @internal */
export function argPath(site: Site, i: number): IssuePath {
  return site.listed ? [...site.path, site.op, i] : [...site.path, site.op];
}

/** Checks an operator's argument count at compile time. @internal */
export function checkArity(site: Site, min: number, max: number): void {
  const n = site.args.length;
  if (n >= min && n <= max) return;
  const wanted = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
  throw ruleError("invalid_arguments", site.path, `operator "${site.op}" takes ${wanted} argument${wanted === "1" ? "" : "s"}, got ${n}`);
}

/**
 * Compiles a snapshot of a rule into closures, recording the variables it reads. Recursion is
 * bounded by the rule's depth, which the snapshot has already checked.
 *
 * @internal
 */
export class Compiler {
  readonly options: ResolvedOptions;
  private readonly operators: ReadonlyMap<string, OperatorCompiler>;
  private readonly constants = new WeakMap<Evaluator, { readonly value: unknown }>();
  private readonly keys = new WeakMap<Evaluator, string>();
  /** The approximations of arithmetic sub-rules, and the `var`s that only read a literal path. */
  private readonly approximations = new WeakMap<Evaluator, Approximation>();
  private readonly pureReads = new WeakSet<Evaluator>();
  private readonly paths = new Set<string>();
  private scopeDepth = 0;
  /** Which sub-rules qualify for a numeric program, and whether one is being compiled. */
  private readonly numeric = new WeakMap<object, boolean>();
  private inProgram = 0;
  /** Set when a top-level path is computed at run time. */
  dynamic = false;

  constructor(options: ResolvedOptions, operators: ReadonlyMap<string, OperatorCompiler>) {
    this.options = options;
    this.operators = operators;
  }

  /** Compiles a rule in the current data scope. */
  compile(rule: JsonLogicRule, path: IssuePath): Evaluator {
    if (rule === null || typeof rule !== "object") return this.constant(rule);
    if (Array.isArray(rule)) return this.compileArray(rule as readonly JsonLogicRule[], path);
    const op = Object.keys(rule)[0] as string;
    const value = (rule as Record<string, JsonLogicRule>)[op] as JsonLogicRule;
    const listed = Array.isArray(value);
    const site: Site = { op, path, args: listed ? (value as readonly JsonLogicRule[]) : [value], listed };
    const standard = this.operators.get(op);
    if (standard !== undefined) {
      if (this.inProgram > 0 || !qualifies(rule, this.numeric)) return standard(site, this);
      return this.compileProgram(rule, site, standard);
    }
    const custom = this.options.operations.get(op);
    if (custom !== undefined) return this.compileCustom(site, custom);
    if (op === "method" || op.includes(".")) {
      throw ruleError(
        "unsafe_operator",
        path,
        `operator "${op}" is refused: it would call methods of values, which rules from data must never do`,
      );
    }
    throw ruleError("unknown_operator", path, `unknown operator "${op}" at ${formatPath(path)}`);
  }

  /** Compiles the per-element rule of an iterating operator; returns it with its size. */
  compileScoped(rule: JsonLogicRule, path: IssuePath): { readonly body: Evaluator; readonly size: number } {
    this.scopeDepth++;
    try {
      return { body: this.compile(rule, path), size: countNodes(rule) };
    } finally {
      this.scopeDepth--;
    }
  }

  /** A closure that returns a constant, remembered so that operators can specialise on it. */
  constant(value: unknown): Evaluator {
    const ev: Evaluator = () => value;
    this.constants.set(ev, { value });
    return ev;
  }

  /** The constant an evaluator returns, if it is one. */
  constantOf(ev: Evaluator): { readonly value: unknown } | undefined {
    return this.constants.get(ev);
  }

  /** Marks an evaluator as `{"var": key}` with a one-step key and a null default. */
  markKey(ev: Evaluator, key: string): Evaluator {
    this.keys.set(ev, key);
    return ev;
  }

  /** Marks an evaluator as a `var` of a literal path with a constant default: no steps, no throws. */
  markPureRead(ev: Evaluator): Evaluator {
    this.pureReads.add(ev);
    return ev;
  }

  /** Records the approximation of an arithmetic sub-rule (see {@link Approximation}). */
  approximate(ev: Evaluator, twin: Approximation): Evaluator {
    this.approximations.set(ev, twin);
    return ev;
  }

  /** The approximation recorded for an arithmetic sub-rule, if any. */
  approximated(ev: Evaluator): Approximation | undefined {
    return this.approximations.get(ev);
  }

  /**
   * The approximation of an evaluator: an arithmetic sub-rule's, or, for a number literal or a pure
   * read, the value itself (exact, bound 0; NaN when it is not a finite number). Undefined otherwise.
   */
  approximation(ev: Evaluator): Approximation | undefined {
    const twin = this.approximations.get(ev);
    if (twin !== undefined) return twin;
    const key = this.keys.get(ev);
    if (key !== undefined) return (d, s) => exactLeaf(readKey(d, key), s);
    const fixed = this.constants.get(ev);
    if (fixed !== undefined) {
      const value = fixed.value;
      return (_d, s) => exactLeaf(value, s);
    }
    if (this.pureReads.has(ev)) return (d, s) => exactLeaf(ev(d, s), s);
    return undefined;
  }

  /** Describes how an approximation may read an evaluator's value (see {@link approximation}). */
  approximateOperand(ev: Evaluator): ApproximateOperand | undefined {
    const key = this.keys.get(ev);
    if (key !== undefined) return { kind: 1, twin: noTwin, key, value: 0 };
    const fixed = this.constants.get(ev);
    if (fixed !== undefined) {
      const v = fixed.value;
      const x = leafNumber(v);
      return { kind: 2, twin: noTwin, key: "", value: x - x === 0 ? x : Number.NaN };
    }
    const twin = this.approximation(ev);
    return twin === undefined ? undefined : { kind: 0, twin, key: "", value: 0 };
  }

  /** Describes how an operator may fetch an evaluator's value directly. */
  operand(ev: Evaluator): Operand {
    const key = this.keys.get(ev);
    if (key !== undefined) return { kind: 1, ev, key, value: undefined };
    const fixed = this.constants.get(ev);
    if (fixed !== undefined) return { kind: 2, ev, key: "", value: fixed.value };
    return { kind: 0, ev, key: "", value: undefined };
  }

  /** Records a literal path read from the data in scope (listed only at the top scope). */
  readPath(path: string): void {
    if (this.scopeDepth === 0) this.paths.add(path);
  }

  /** Records a path computed at run time, or refuses it when the options say so. */
  readComputed(at: IssuePath, op: string): void {
    if (this.options.refuseComputedPaths) {
      throw ruleError("computed_path", at, `operator "${op}" reads a path computed at run time, which the computedPaths: "refuse" option forbids`);
    }
    if (this.scopeDepth === 0) this.dynamic = true;
  }

  /** The literal paths read, sorted by code point. */
  variables(): readonly string[] {
    return Object.freeze([...this.paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /** Charges work to the evaluation; throws when the maxSteps limit is passed. */
  chargeSteps(state: EvalState, steps: number, site: Site): void {
    state.steps += steps;
    if (state.steps > this.options.maxSteps) {
      throw evaluationError(
        "evaluation_too_long",
        site.path,
        `operator "${site.op}" took the evaluation past ${this.options.maxSteps} steps (the maxSteps limit)`,
      );
    }
  }

  /**
   * Charges the work of comparing, hashing or searching text of `length` characters (free up to
   * {@link COST}.freeText, then one step per `textPerStep`).
   */
  chargeText(state: EvalState, length: number, site: Site): void {
    if (length > COST.freeText) this.chargeSteps(state, Math.ceil(length / COST.textPerStep), site);
  }

  /**
   * Checks text an operator builds against maxStringLength, before it is built, and charges one
   * step per `builtPerStep` characters past the free length.
   */
  chargeBuilt(state: EvalState, length: number, site: Site): void {
    if (length > this.options.maxStringLength) {
      throw evaluationError(
        "string_too_long",
        site.path,
        `operator "${site.op}" would build a text of ${length} characters, more than ${this.options.maxStringLength} (the maxStringLength limit)`,
      );
    }
    if (length > COST.freeText) this.chargeSteps(state, Math.ceil(length / COST.builtPerStep), site);
  }

  /** Throws when a path (literal at compile time, computed at run time) passes maxPathLength. */
  checkPathLength(path: string, op: string, at: IssuePath, compileTime: boolean): void {
    if (path.length <= this.options.maxPathLength) return;
    const make = compileTime ? ruleError : evaluationError;
    throw make(
      "path_too_long",
      at,
      `operator "${op}" reads a path of ${path.length} characters (${JSON.stringify(path.slice(0, 40))}…), more than ${this.options.maxPathLength} (the maxPathLength limit)`,
    );
  }

  /** Throws when an array built by an operator would pass the maxArrayLength limit. */
  checkArrayLength(length: number, site: Site): void {
    if (length > this.options.maxArrayLength) {
      throw evaluationError(
        "array_too_large",
        site.path,
        `operator "${site.op}" would build an array of ${length} items, more than ${this.options.maxArrayLength} (the maxArrayLength limit)`,
      );
    }
  }

  /**
   * The top-most numeric sub-rule: its program (numeric.ts), when it reads fewer steps than the
   * general path, with the general evaluator, compiled as usual (and without programs inside), to
   * fall back on whenever the program gives up.
   */
  private compileProgram(rule: JsonLogicRule, site: Site, standard: OperatorCompiler): Evaluator {
    const program = buildProgram(rule);
    this.inProgram++;
    let general: Evaluator;
    try {
      general = standard(site, this);
    } finally {
      this.inProgram--;
    }
    return program === null ? general : programEvaluator(program, general);
  }

  private compileArray(rule: readonly JsonLogicRule[], path: IssuePath): Evaluator {
    const items = rule.map((item, i) => this.compile(item, [...path, i]));
    // A literal array of constants is the frozen snapshot itself: safe to hand out every time.
    if (items.every((item) => this.constants.has(item))) return this.constant(rule);
    return (data, state) => {
      const out = new Array<unknown>(items.length);
      for (let i = 0; i < items.length; i++) out[i] = (items[i] as Evaluator)(data, state);
      return out;
    };
  }

  private compileCustom(site: Site, fn: (...args: RuleValue[]) => RuleValue): Evaluator {
    const args = site.args.map((arg, i) => this.compile(arg, argPath(site, i)));
    return (data, state) => {
      const values = new Array<RuleValue>(args.length);
      for (let i = 0; i < args.length; i++) values[i] = (args[i] as Evaluator)(data, state) as RuleValue;
      return fn(...values);
    };
  }
}

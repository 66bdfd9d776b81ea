import { I, type NumericProgram } from "./numeric";
import type { JsonLogicRule } from "./types";
import { UNSAFE_SEGMENTS } from "./values";

/*
 * Builds numeric programs (see numeric.ts) from rule snapshots. A rule qualifies when it is
 * an arithmetic operator or an ordering, with the arity the general operator accepts, over
 * operands that are literal numbers, `var`s with a literal path (and no default, or a literal
 * one), or qualifying arithmetic. Orderings sit only on top: their booleans are not numbers.
 */

const ARITHMETIC: ReadonlyMap<string, number> = new Map<string, number>([
  ["+", I.ADD],
  ["-", I.SUB],
  ["*", I.MUL],
  ["/", I.DIV],
  ["%", I.MOD],
  ["max", I.MAX],
  ["min", I.MIN],
]);
const ORDER: ReadonlyMap<string, number> = new Map<string, number>([
  ["<", I.LT],
  ["<=", I.LE],
  [">", I.GT],
  [">=", I.GE],
]);

/** The operator and argument list of an operator object, or null for literals and arrays. */
function operatorOf(rule: JsonLogicRule): { readonly op: string; readonly args: readonly JsonLogicRule[] } | null {
  if (rule === null || typeof rule !== "object" || Array.isArray(rule)) return null;
  const op = Object.keys(rule)[0] as string;
  const value = (rule as Record<string, JsonLogicRule>)[op] as JsonLogicRule;
  return { op, args: Array.isArray(value) ? (value as readonly JsonLogicRule[]) : [value] };
}

/** The arguments an arithmetic operator accepts (as arithmetic.ts checks them). */
function arityFits(op: string, n: number): boolean {
  if (op === "+") return true;
  if (op === "-") return n === 1 || n === 2;
  if (op === "/" || op === "%") return n === 2;
  return n >= 1;
}

/** The segments of a `var` the programs read, or null when it does not qualify. */
function varSegments(args: readonly JsonLogicRule[]): string[] | null {
  const [path, fallback] = args;
  if (args.length < 1 || args.length > 2) return null;
  if (typeof path !== "string" && typeof path !== "number") return null;
  if (path === "" || (fallback !== undefined && fallback !== null && typeof fallback === "object")) return null;
  const segments = String(path).split(".");
  // Long paths take the general path, which charges their reads to the step budget.
  if (segments.length > 8) return null;
  return segments.some((s) => UNSAFE_SEGMENTS.has(s)) ? null : segments;
}

/** Whether a rule is a number in a program: literal, qualifying var, or qualifying arithmetic. */
function numeric(rule: JsonLogicRule, seen: WeakMap<object, boolean>): boolean {
  if (typeof rule === "number") return true;
  const o = operatorOf(rule);
  if (o === null) return false;
  const known = seen.get(rule as object);
  if (known !== undefined) return known;
  let fits: boolean;
  if (o.op === "var") fits = varSegments(o.args) !== null;
  else fits = ARITHMETIC.has(o.op) && arityFits(o.op, o.args.length) && o.args.every((a) => numeric(a, seen));
  seen.set(rule as object, fits);
  return fits;
}

/**
 * Whether a rule may become a program: qualifying arithmetic, or an ordering of two (or, for `<`
 * and `<=`, three) numeric operands. `seen` caches the answers for one compilation, so that
 * checking every node costs linear time.
 *
 * @internal
 */
export function qualifies(rule: JsonLogicRule, seen: WeakMap<object, boolean>): boolean {
  const o = operatorOf(rule);
  if (o === null) return false;
  if (ARITHMETIC.has(o.op)) return numeric(rule, seen);
  const n = o.args.length;
  if (!ORDER.has(o.op) || n < 2 || n > (o.op === "<" || o.op === "<=" ? 3 : 2)) return false;
  return o.args.every((a) => numeric(a, seen));
}

class Builder {
  /** Reads come first, so that the processor can fetch them all before the arithmetic waits on them. */
  readonly reads: number[] = [];
  readonly code: number[] = [];
  readonly keys: string[] = [];
  readonly constants: number[] = [];
  /** Registers of paths already read: "o:" + prefix for objects, "n:" + path + default for numbers. */
  private readonly read = new Map<string, number>();
  private objects = 1;
  private numReads = 0;
  private objReads = 0;
  /** Steps the general path would read: every step of every `var` occurrence. */
  steps = 0;

  private emit(op: number, t: number, a: number, b = -1, c = -1): number {
    (op < I.ADD ? this.reads : this.code).push(op, t, a, b, c);
    return t;
  }

  private constant(value: number): number {
    this.constants.push(value);
    return this.constants.length - 1;
  }

  private readonly keyIndex = new Map<string, number>();

  private key(key: string): number {
    const at = this.keyIndex.get(key);
    if (at !== undefined) return at;
    this.keyIndex.set(key, this.keys.length);
    return this.keys.push(key) - 1;
  }

  /** A register for a new number: constants first, then results (the constants are kept apart). */
  private nextNumber(): number {
    this.constants.push(Number.NaN);
    return this.constants.length - 1;
  }

  private variable(args: readonly JsonLogicRule[]): number {
    const segments = varSegments(args) as string[];
    const fallback = args[1];
    this.steps += segments.length;
    const shown = typeof fallback !== "number" ? "-" : Object.is(fallback, -0) ? "-0" : String(fallback);
    const id = `n:${segments.join(".")}:${shown}`;
    const known = this.read.get(id);
    if (known !== undefined) return known;
    let from = 0;
    // Each prefix extends the last one: linear in the path's length.
    let prefix = "o:";
    for (let i = 0; i < segments.length - 1; i++) {
      prefix += i === 0 ? (segments[0] as string) : `.${segments[i] as string}`;
      let reg = this.read.get(prefix);
      if (reg === undefined) {
        reg = this.emit(I.OBJ + (this.objReads++ % I.OBJ_SLOTS), this.objects++, from, this.key(segments[i] as string));
        this.read.set(prefix, reg);
      }
      from = reg;
    }
    const c = typeof fallback === "number" ? this.constant(fallback) : -1;
    const reg = this.emit(I.NUM + (this.numReads++ % I.NUM_SLOTS), this.nextNumber(), from, this.key(segments[segments.length - 1] as string), c);
    this.read.set(id, reg);
    return reg;
  }

  /** Emits a numeric rule (literal, var, arithmetic) and returns its register. */
  number(rule: JsonLogicRule): number {
    if (typeof rule === "number") return this.constant(rule);
    const { op, args } = operatorOf(rule) as { op: string; args: readonly JsonLogicRule[] };
    if (op === "var") return this.variable(args);
    const regs = args.map((a) => this.number(a));
    if (regs.length === 0) return this.constant(0);
    const first = regs[0] as number;
    if (regs.length === 1) return this.emit(op === "-" ? I.NEG : I.PLUS0, this.nextNumber(), first);
    const code = ARITHMETIC.get(op) as number;
    let acc = first;
    for (let i = 1; i < regs.length; i++) acc = this.emit(code, this.nextNumber(), acc, regs[i] as number);
    return acc;
  }

  /** Emits an ordering and returns its register. */
  order(op: string, args: readonly JsonLogicRule[]): number {
    const [a, b, c] = args.map((x) => this.number(x)) as [number, number, number | undefined];
    if (c === undefined) return this.emit(ORDER.get(op) as number, this.nextNumber(), a, b);
    return this.emit(op === "<" ? I.LT3 : I.LE3, this.nextNumber(), a, b, c);
  }

  get objectCount(): number {
    return this.objects;
  }

  /** Reads the program makes. */
  get readCount(): number {
    return this.reads.length / 5;
  }
}

/**
 * Builds the program of a rule for which {@link qualifies} holds, or returns null when it would
 * read as many steps as the general path (no path read twice, no shared prefix): the specialised
 * closures are then as fast or faster. A sub-rule saves nothing when its whole rule saves nothing.
 *
 * @internal
 */
export function buildProgram(rule: JsonLogicRule): NumericProgram | null {
  const b = new Builder();
  const { op, args } = operatorOf(rule) as { op: string; args: readonly JsonLogicRule[] };
  const boolean = ORDER.has(op);
  const result = boolean ? b.order(op, args) : b.number(rule);
  if (b.readCount >= b.steps) return null;
  const approximable = boolean && !b.code.some((x, i) => i % 5 === 0 && x === I.MOD);
  return {
    code: Int32Array.from([...b.reads, ...b.code]),
    readEnd: b.reads.length,
    errs: approximable ? new Float64Array(b.constants.length) : null,
    keys: [...b.keys],
    nums: Float64Array.from(b.constants),
    objs: new Array<unknown>(b.objectCount).fill(undefined),
    result,
    boolean,
    busy: false,
  };
}

import { addFast, divideFast, multiplyFast, remainderFast, subtractFast } from "./decimal";
import { orderOf, productBound, quotientBound, sumBound } from "./bounds";
import type { EvalState, Evaluator } from "./compile";

/*
 * Numeric programs: the fast path of a numeric sub-rule (arithmetic, max/min, an ordering on top)
 * whose leaves are literal numbers and `var`s with literal paths. Such a sub-rule is also compiled
 * the general way; its program is a flat list of register instructions (see numeric-build.ts) run
 * by one loop, so intermediate numbers stay unboxed, there is one call per evaluation instead of one
 * per operator, a path read twice is read once, and a shared prefix (`income` of `income.current`
 * and `income.previous`) is read once.
 *
 * The program handles only the plain case: every value read is an own property holding a finite
 * number (or missing, with a numeric default), and every intermediate result is finite. It runs the
 * very fast paths the general operators run first (decimal.ts, the same max/min choice, the same
 * comparisons), so when it finishes its answer is the general path's. On anything else (text,
 * null, a missing value without a numeric default, division by zero, a non-finite result, an
 * exception from a host getter, a nested run) it gives up and the general evaluator runs from the
 * start, which gives the exact value or error. (Only host accessors can tell the difference: a
 * getter on a repeated path runs once here, and again if the program gives up.)
 */

/**
 * Instruction codes; each instruction is five integers: code, target, a, b, c. Reads take turns
 * over their slots (OBJ + i % 2, NUM + i % 4); the slots behave alike.
 *
 * @internal
 */
export const I = {
  /** objs[t] = own object property keys[b] of objs[a]; `undefined` marks missing. */
  OBJ: 0,
  OBJ_SLOTS: 2,
  /** nums[t] = own finite number property keys[b] of objs[a]; missing gives nums[c] (c ≥ 0) or gives up. */
  NUM: 2,
  NUM_SLOTS: 4,
  ADD: 6,
  SUB: 7,
  MUL: 8,
  DIV: 9,
  MOD: 10,
  MAX: 11,
  MIN: 12,
  /** nums[t] = 0 - nums[a] (one-operand `-`). */
  NEG: 13,
  /** nums[t] = nums[a] + 0 (one operand of +, *, max, min). */
  PLUS0: 14,
  LT: 15,
  LE: 16,
  GT: 17,
  GE: 18,
  /** Between forms: nums[a] < nums[b] < nums[c], and with <=. */
  LT3: 19,
  LE3: 20,
} as const;

/** A compiled numeric program. Registers are reused between runs (`busy` guards re-entry). @internal */
export interface NumericProgram {
  readonly code: Int32Array;
  readonly keys: readonly string[];
  /** Number registers; the constants are written once, when the program is built. */
  readonly nums: Float64Array;
  /** Object registers; 0 is the data. Cleared after each run. */
  readonly objs: unknown[];
  /** The register holding the result, and whether it is a boolean (0 or 1) or a number. */
  readonly result: number;
  readonly boolean: boolean;
  /** Where the reads end and the arithmetic begins in `code`. */
  readonly readEnd: number;
  /**
   * The error bounds of the approximations (decision 0107), when the program is an ordering
   * whose arithmetic can be approximated (no `%`); null otherwise.
   */
  readonly errs: Float64Array | null;
  busy: boolean;
}

/*
 * A read loads an own property only, and runs no getter of a prototype: `key in from` first (no
 * getter runs; its inline cache learns the object's shape, so that what follows folds away on a
 * slot read by one program), then, when the prototype is Object.prototype and that has no
 * property of the name, the load can only find an own one; otherwise hasOwnProperty decides
 * (decision 0104).
 */
const hasOwn = Object.prototype.hasOwnProperty;
const OBJECT = Object.prototype;
const getPrototypeOf = Object.getPrototypeOf;
// Local bindings: the loop then calls them directly, whatever module format the code runs in.
// The fast paths only: off them (NaN) the program gives up, and the general path charges the
// slow path's work to the budget.
const add = addFast;
const subtract = subtractFast;
const multiply = multiplyFast;
const divide = divideFast;
const remainder = remainderFast;

/**
 * The evaluator of a numeric sub-rule: its program, or the general evaluator when it gives up.
 *
 * @internal
 */
export function programEvaluator(p: NumericProgram, general: Evaluator): Evaluator {
  return (data: unknown, state: EvalState) => {
    if (p.busy || typeof data !== "object" || data === null) return general(data, state);
    p.busy = true;
    const objs = p.objs;
    objs[0] = data;
    let done: boolean;
    try {
      const { code, nums, errs } = p;
      done = exec(code, p.keys, nums, objs, 0, p.readEnd);
      // An ordering first tries to decide on approximations, then computes exactly.
      if (done && (errs === null || !approximate(code, nums, errs, p.readEnd))) done = exec(code, p.keys, nums, objs, p.readEnd, code.length);
    } catch {
      done = false;
    }
    // The catch takes every exception, so this always runs: the data is not kept, the program is free.
    for (let i = 0; i < objs.length; i++) objs[i] = undefined;
    p.busy = false;
    if (!done) return general(data, state);
    const value = p.nums[p.result] as number;
    return p.boolean ? value !== 0 : value;
  };
}

/**
 * The arithmetic of an ordering's program on approximations (see bounds.ts): true when it decides
 * the ordering, whose result (0 or 1) it then writes in its register; false leaves it to exec.
 * The reads have run: their registers, as the constants', hold exact values (bound 0).
 */
function approximate(code: Int32Array, nums: Float64Array, errs: Float64Array, from: number): boolean {
  for (let pc = from; pc < code.length; pc += 5) {
    const t = code[pc + 1] as number;
    const a = code[pc + 2] as number;
    const b = code[pc + 3] as number;
    const x = nums[a] as number;
    const ex = errs[a] as number;
    // One-operand instructions have no b (-1).
    const y = b < 0 ? 0 : (nums[b] as number);
    const ey = b < 0 ? 0 : (errs[b] as number);
    let r: number;
    let e: number;
    switch (code[pc]) {
      case 6: // ADD
        r = x + y;
        e = sumBound(x, ex, y, ey, r);
        break;
      case 7: // SUB
        r = x - y;
        e = sumBound(x, ex, y, ey, r);
        break;
      case 8: // MUL
        r = x * y;
        e = productBound(x, ex, y, ey, r);
        break;
      case 9: // DIV
        r = x / y;
        e = quotientBound(x, ex, y, ey, r);
        break;
      case 11: // MAX
        r = y > x ? y : x;
        e = ex + ey;
        break;
      case 12: // MIN
        r = y < x ? y : x;
        e = ex + ey;
        break;
      case 13: // NEG
        r = 0 - x;
        e = ex;
        break;
      case 14: // PLUS0
        r = x;
        e = ex;
        break;
      case 15: // LT
      case 16: // LE
      case 17: // GT
      case 18: { // GE
        const o = orderOf(x, ex, y, ey);
        if (o === 0) return false;
        nums[t] = (o < 0) === (code[pc] as number) < I.GT ? 1 : 0;
        return true;
      }
      case 19: // LT3
      case 20: { // LE3
        const c = code[pc + 4] as number;
        // Both orders must be known: the exact evaluation computes all three operands (and fails
        // on any of them) before it compares, and a known order implies valid operands.
        const first = orderOf(x, ex, y, ey);
        const second = orderOf(y, ey, nums[c] as number, errs[c] as number);
        if (first === 0 || second === 0) return false;
        nums[t] = first < 0 && second < 0 ? 1 : 0;
        return true;
      }
      default:
        return false;
    }
    nums[t] = r;
    errs[t] = e;
  }
  return false;
}

/** The interpreter loop over code[from, to); false when it gives up. */
function exec(code: Int32Array, keys: readonly string[], nums: Float64Array, objs: unknown[], from: number, to: number): boolean {
  for (let pc = from; pc < to; pc += 5) {
    const t = code[pc + 1] as number;
    const a = code[pc + 2] as number;
    const b = code[pc + 3] as number;
    let r: number;
    switch (code[pc]) {
      // The reads, written out once per slot (helpers lose the effect when not inlined): each
      // slot's property load is a code site of its own, whose branches the processor predicts far
      // better than one site taking every read (measured: 10-15% of the whole evaluation).
      case 0: { // OBJ, slot 0
        const from = objs[a];
        let value: unknown;
        if (from !== undefined) {
          const key = keys[b] as string;
          if (key in (from as object) && ((getPrototypeOf(from) === OBJECT && !(key in OBJECT)) || hasOwn.call(from, key))) value = (from as Record<string, unknown>)[key];
          if (value === null) value = undefined;
          else if (typeof value !== "object" && value !== undefined) return false;
        }
        objs[t] = value;
        continue;
      }
      case 1: { // OBJ, slot 1
        const from = objs[a];
        let value: unknown;
        if (from !== undefined) {
          const key = keys[b] as string;
          if (key in (from as object) && ((getPrototypeOf(from) === OBJECT && !(key in OBJECT)) || hasOwn.call(from, key))) value = (from as Record<string, unknown>)[key];
          if (value === null) value = undefined;
          else if (typeof value !== "object" && value !== undefined) return false;
        }
        objs[t] = value;
        continue;
      }
      case 2: { // NUM, slot 0
        const from = objs[a];
        let value: unknown;
        if (from !== undefined) {
          const key = keys[b] as string;
          if (key in (from as object) && ((getPrototypeOf(from) === OBJECT && !(key in OBJECT)) || hasOwn.call(from, key))) value = (from as Record<string, unknown>)[key];
        }
        if (typeof value === "number") {
          if (value - value !== 0) return false;
          nums[t] = value;
        } else {
          const c = code[pc + 4] as number;
          if (value !== undefined || c < 0) return false;
          nums[t] = nums[c] as number;
        }
        continue;
      }
      case 3: { // NUM, slot 1
        const from = objs[a];
        let value: unknown;
        if (from !== undefined) {
          const key = keys[b] as string;
          if (key in (from as object) && ((getPrototypeOf(from) === OBJECT && !(key in OBJECT)) || hasOwn.call(from, key))) value = (from as Record<string, unknown>)[key];
        }
        if (typeof value === "number") {
          if (value - value !== 0) return false;
          nums[t] = value;
        } else {
          const c = code[pc + 4] as number;
          if (value !== undefined || c < 0) return false;
          nums[t] = nums[c] as number;
        }
        continue;
      }
      case 4: { // NUM, slot 2
        const from = objs[a];
        let value: unknown;
        if (from !== undefined) {
          const key = keys[b] as string;
          if (key in (from as object) && ((getPrototypeOf(from) === OBJECT && !(key in OBJECT)) || hasOwn.call(from, key))) value = (from as Record<string, unknown>)[key];
        }
        if (typeof value === "number") {
          if (value - value !== 0) return false;
          nums[t] = value;
        } else {
          const c = code[pc + 4] as number;
          if (value !== undefined || c < 0) return false;
          nums[t] = nums[c] as number;
        }
        continue;
      }
      case 5: { // NUM, slot 3
        const from = objs[a];
        let value: unknown;
        if (from !== undefined) {
          const key = keys[b] as string;
          if (key in (from as object) && ((getPrototypeOf(from) === OBJECT && !(key in OBJECT)) || hasOwn.call(from, key))) value = (from as Record<string, unknown>)[key];
        }
        if (typeof value === "number") {
          if (value - value !== 0) return false;
          nums[t] = value;
        } else {
          const c = code[pc + 4] as number;
          if (value !== undefined || c < 0) return false;
          nums[t] = nums[c] as number;
        }
        continue;
      }
      case 6: // ADD
        r = add(nums[a] as number, nums[b] as number);
        break;
      case 7: // SUB
        r = subtract(nums[a] as number, nums[b] as number);
        break;
      case 8: // MUL
        r = multiply(nums[a] as number, nums[b] as number);
        break;
      case 9: // DIV
        if (nums[b] === 0) return false;
        r = divide(nums[a] as number, nums[b] as number);
        break;
      case 10: // MOD
        if (nums[b] === 0) return false;
        r = remainder(nums[a] as number, nums[b] as number);
        break;
      case 11: { // MAX
        const x = nums[a] as number;
        const y = nums[b] as number;
        r = (y > x ? y : x) + 0;
        break;
      }
      case 12: { // MIN
        const x = nums[a] as number;
        const y = nums[b] as number;
        r = (y < x ? y : x) + 0;
        break;
      }
      case 13: // NEG
        r = 0 - (nums[a] as number);
        break;
      case 14: // PLUS0
        r = (nums[a] as number) + 0;
        break;
      case 15: // LT
        r = (nums[a] as number) < (nums[b] as number) ? 1 : 0;
        break;
      case 16: // LE
        r = (nums[a] as number) <= (nums[b] as number) ? 1 : 0;
        break;
      case 17: // GT
        r = (nums[a] as number) > (nums[b] as number) ? 1 : 0;
        break;
      case 18: // GE
        r = (nums[a] as number) >= (nums[b] as number) ? 1 : 0;
        break;
      case 19: { // LT3
        const y = nums[b] as number;
        r = (nums[a] as number) < y && y < (nums[code[pc + 4] as number] as number) ? 1 : 0;
        break;
      }
      case 20: { // LE3
        const y = nums[b] as number;
        r = (nums[a] as number) <= y && y <= (nums[code[pc + 4] as number] as number) ? 1 : 0;
        break;
      }
      default:
        return false;
    }
    // Operands of arithmetic must be finite (the general path's `invalid_data`).
    if (r - r !== 0) return false;
    nums[t] = r;
  }
  return true;
}

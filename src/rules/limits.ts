import { KaoheError, type IssuePath } from "../internal/errors";
import type { RuleEngineOptions, RuleLimits, RuleOperation } from "./types";

/** The limits every engine applies unless its options say otherwise. */
export const DEFAULT_RULE_LIMITS: Readonly<Required<RuleLimits>> = Object.freeze({
  maxDepth: 100,
  maxNodes: 10_000,
  maxArrayLength: 100_000,
  maxSteps: 10_000_000,
  maxStringLength: 1_000_000,
  maxPathLength: 1_000,
});

/**
 * The longest text read as a number (`"12.5"`, `"1e3"`): longer text is `numeral_too_long`. Any
 * JS number's shortest decimal, even written out in full (`0.000…5`, 324 zeros), fits.
 *
 * @internal
 */
export const MAX_NUMERAL_LENGTH = 400;

/**
 * What the work that grows with the size of a value costs, in steps of the `maxSteps` budget.
 * One step is about the work of evaluating one node of a rule (tens of nanoseconds); the costs
 * below keep every step near that, so that the budget bounds time, not just a count
 * (`scripts/worst-case-rules.ts` measures it).
 *
 * @internal
 */
export const COST = Object.freeze({
  /** Text at most this long is compared, searched and built at no charge beyond its node. */
  freeText: 64,
  /** Characters compared or hashed per step (`==`, `===`, `<`, `in` over an array). */
  textPerStep: 64,
  /**
   * Characters searched or parsed per step (`in` over text, whose worst case reads each several
   * times; numeric text read as a number).
   */
  searchPerStep: 8,
  /** Characters built per step (`cat`, an array written as text): memory, too, is bounded. */
  builtPerStep: 8,
  /** A slow-path (BigInt) operation (the rare numbers off the fast and near paths), before its digits; twice for `/`. */
  decimalBase: 300,
  /** Each decimal digit between the operands' magnitudes (`+`, `-`), times 4 for `%`. */
  decimalPerDigit: 1,
});

/** Evaluation recurses once per level of the rule, so depth is capped below the stack's reach. */
const HARD_MAX_DEPTH = 1_000;

/** Options after defaults and checks. @internal */
export interface ResolvedOptions {
  readonly maxDepth: number;
  readonly maxNodes: number;
  readonly maxArrayLength: number;
  readonly maxSteps: number;
  readonly maxStringLength: number;
  readonly maxPathLength: number;
  readonly operations: ReadonlyMap<string, RuleOperation>;
  readonly refuseComputedPaths: boolean;
}

/** Error codes of the rules module, for messages and tests. @internal */
export type RuleIssueCode =
  | "invalid_option"
  | "invalid_rule"
  | "unknown_operator"
  | "unsafe_operator"
  | "invalid_arguments"
  | "unsafe_path"
  | "computed_path"
  | "rule_too_deep"
  | "rule_too_large"
  | "array_too_large"
  | "string_too_long"
  | "path_too_long"
  | "numeral_too_long"
  | "number_out_of_range"
  | "evaluation_too_long"
  | "invalid_data"
  | "not_a_number"
  | "not_comparable"
  | "division_by_zero";

/** Builds the error for a rule that cannot be compiled. @internal */
export function ruleError(code: RuleIssueCode, path: IssuePath, message: string): KaoheError {
  return new KaoheError([{ code, path, message }], "Invalid rule");
}

/** Builds the error for a rule that failed on one record. @internal */
export function evaluationError(code: RuleIssueCode, path: IssuePath, message: string): KaoheError {
  return new KaoheError([{ code, path, message }], "Rule evaluation failed");
}

/** Names an unknown value briefly for a message, without calling any of its methods. @internal */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case "number":
      return Object.is(value, -0) ? "-0" : String(value);
    case "bigint":
      return `BigInt ${String(value)}`;
    case "symbol":
      return "a symbol";
    case "function":
      return "a function";
    case "undefined":
      return "undefined";
    case "boolean":
      return String(value);
    default:
      if (value === null) return "null";
      return Array.isArray(value) ? `an array of ${value.length}` : "an object";
  }
}

function checkLimit(options: RuleEngineOptions, key: keyof typeof DEFAULT_RULE_LIMITS, max: number): number {
  const value = options[key];
  if (value === undefined) return DEFAULT_RULE_LIMITS[key];
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max) {
    throw new KaoheError(
      [{ code: "invalid_option", path: [key], message: `${key} must be an integer from 1 to ${max}, got ${describeValue(value)}` }],
      "Invalid rule engine options",
    );
  }
  return value;
}

/**
 * Applies defaults and checks engine options, including custom operation names.
 *
 * @internal
 */
export function resolveOptions(options: RuleEngineOptions, standard: ReadonlySet<string>): ResolvedOptions {
  const operations = new Map<string, RuleOperation>();
  const issues: { code: string; path: IssuePath; message: string }[] = [];
  const given = options.operations ?? {};
  for (const name of Object.keys(given)) {
    const fn = given[name];
    if (typeof fn !== "function") {
      issues.push({ code: "invalid_option", path: ["operations", name], message: `operation "${name}" must be a function, got ${describeValue(fn)}` });
    } else if (standard.has(name) || name === "method" || name.includes(".") || name === "") {
      issues.push({
        code: "invalid_option",
        path: ["operations", name],
        message: `operation "${name}" cannot be added: standard and unsafe operator names (and names with a dot) are reserved`,
      });
    } else {
      operations.set(name, fn);
    }
  }
  const computed = options.computedPaths ?? "allow";
  if (computed !== "allow" && computed !== "refuse") {
    issues.push({ code: "invalid_option", path: ["computedPaths"], message: `computedPaths must be "allow" or "refuse", got ${describeValue(computed)}` });
  }
  if (issues.length > 0) throw new KaoheError(issues, "Invalid rule engine options");
  return {
    maxDepth: checkLimit(options, "maxDepth", HARD_MAX_DEPTH),
    maxNodes: checkLimit(options, "maxNodes", 10_000_000),
    maxArrayLength: checkLimit(options, "maxArrayLength", 2 ** 32 - 1),
    maxSteps: checkLimit(options, "maxSteps", Number.MAX_SAFE_INTEGER),
    maxStringLength: checkLimit(options, "maxStringLength", 2 ** 29 - 24),
    maxPathLength: checkLimit(options, "maxPathLength", 1_000_000),
    operations,
    refuseComputedPaths: computed === "refuse",
  };
}

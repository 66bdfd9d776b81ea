import type { SafeResult } from "../internal/errors";

/**
 * A JSON Logic rule as data: a literal, an array of rules, or an object with exactly one key, the
 * operator, whose value is its argument or the array of its arguments.
 */
export type JsonLogicRule =
  | null
  | boolean
  | number
  | string
  | readonly JsonLogicRule[]
  | { readonly [operator: string]: JsonLogicRule };

/**
 * A value a rule produces. Operators build JSON values; `var` hands back whatever the data holds at
 * that path (so a value read from data is returned as it is, whatever its type).
 *
 * Numbers are plain JS numbers: each arithmetic result is the JS number nearest to the exact
 * decimal result (see `docs/rules.md`, "Numbers").
 */
export type RuleValue =
  | null
  | boolean
  | number
  | string
  | readonly RuleValue[]
  | { readonly [key: string]: RuleValue };

/**
 * A custom operation given to one engine. It receives its arguments already evaluated, left to
 * right, and must be pure: it gets no access to the data except through its arguments.
 */
export type RuleOperation = (...args: RuleValue[]) => RuleValue;

/** Limits that keep an untrusted rule from exhausting the stack, memory or time. */
export interface RuleLimits {
  /** Deepest nesting of objects and arrays in a rule. Default 100; at most 1,000. */
  readonly maxDepth?: number;
  /** Most JSON values (operators, arrays and literals) in a rule. Default 10,000. */
  readonly maxNodes?: number;
  /** Longest array that `map`, `filter` or `merge` may build. Default 100,000. */
  readonly maxArrayLength?: number;
  /**
   * Most work per evaluation. Each element that `map`, `filter`, `reduce`, `all`, `none` or `some`
   * walks costs the size (node count) of its per-element rule; each element `merge` builds, `in`
   * searches, `missing` checks or an array written as text holds costs 1; text longer than 64
   * characters costs 1 per 64 characters compared (`==`, `===`, `<`), 1 per 8 searched (`in`) or
   * read as a number, and 1 per 8 built (`cat`); an arithmetic operation off the fast path
   * (BigInt) costs 300 (600 for `/`) plus the digits between its operands' magnitudes (4 per
   * digit for `%`). Default 10,000,000.
   */
  readonly maxSteps?: number;
  /** Longest text that `cat`, or an array written as text, may build. Default 1,000,000 characters. */
  readonly maxStringLength?: number;
  /**
   * Longest path of `var`, `missing` and `missing_some`, in characters: checked at compile time for
   * a literal path, at run time for a computed one. Default 1,000.
   */
  readonly maxPathLength?: number;
}

/** Options of {@link createRuleEngine} and of the top-level rule functions. */
export interface RuleEngineOptions extends RuleLimits {
  /**
   * Custom operations of this engine, by operator name. A name may not be a standard operator,
   * `method`, or contain a dot. They are never registered globally.
   */
  readonly operations?: Readonly<Record<string, RuleOperation>>;
  /**
   * What to do with a `var`, `missing` or `missing_some` whose path is computed by the rule at
   * run time (so it cannot be listed by {@link PreparedRule.variables}): `"allow"` (default, as
   * JSON Logic does) or `"refuse"` with a `computed_path` error at compile time.
   */
  readonly computedPaths?: "allow" | "refuse";
}

/** A rule checked and compiled once, to be applied to many records. */
export interface PreparedRule {
  /** A deep-frozen copy of the rule as it was compiled. */
  readonly rule: JsonLogicRule;
  /**
   * The data paths the rule reads (`var` with a literal path, literal keys of `missing` and
   * `missing_some`), sorted by code point, without duplicates. Paths inside the per-element rule
   * of `map`, `filter`, `reduce`, `all`, `none` and `some` are relative to each element and are
   * not listed; the path of the array walked is.
   */
  readonly variables: readonly string[];
  /** `true` when the rule also reads paths computed at run time, which `variables` cannot list. */
  readonly dynamicVariables: boolean;
  /**
   * Applies the rule to one record.
   *
   * @param data - The record; read through own properties only.
   * @returns The rule's value.
   * @throws {@link KaoheError} when an operator meets a value it cannot use or a limit is exceeded.
   */
  evaluate(data: unknown): RuleValue;
  /**
   * Applies the rule to one record and returns its JSON Logic truthiness (`[]`, `0`, `""`, `null`
   * and `false` are false).
   *
   * @param data - The record.
   * @returns Whether the rule's value is truthy.
   * @throws {@link KaoheError} as {@link PreparedRule.evaluate} does.
   */
  test(data: unknown): boolean;
}

/** A rule engine with its own custom operations and limits. */
export interface RuleEngine {
  /** Compiles a rule with this engine's options; see the top-level `compileRule`. */
  compileRule(rule: JsonLogicRule): PreparedRule;
  /** Compiles and applies a rule once; see the top-level `evaluateRule`. */
  evaluateRule(rule: JsonLogicRule, data: unknown): RuleValue;
  /** `compileRule` returning a result instead of throwing. */
  safeCompileRule(rule: JsonLogicRule): SafeResult<PreparedRule>;
  /** `evaluateRule` returning a result instead of throwing. */
  safeEvaluateRule(rule: JsonLogicRule, data: unknown): SafeResult<RuleValue>;
  /** Lists the data paths a rule reads; see the top-level `ruleVariables`. */
  ruleVariables(rule: JsonLogicRule): readonly string[];
}

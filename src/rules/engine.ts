import { toSafe, type SafeResult } from "../internal/errors";
import { ARITHMETIC_OPERATORS } from "./arithmetic";
import { ARRAY_OPERATORS } from "./arrays";
import { Compiler, type EvalState, type OperatorCompiler } from "./compile";
import { ruleError, resolveOptions, type ResolvedOptions } from "./limits";
import { LOGIC_OPERATORS } from "./logic";
import { snapshotRule } from "./snapshot";
import { TEXT_OPERATORS } from "./text";
import type { JsonLogicRule, PreparedRule, RuleEngine, RuleEngineOptions, RuleValue } from "./types";
import { truthy } from "./values";
import { VARIABLE_OPERATORS } from "./variables";

/** Every standard operator kaohe runs (the allow-list), by name. */
const STANDARD_OPERATORS: ReadonlyMap<string, OperatorCompiler> = new Map<string, OperatorCompiler>([
  ...VARIABLE_OPERATORS,
  ...LOGIC_OPERATORS,
  ...ARITHMETIC_OPERATORS,
  ...ARRAY_OPERATORS,
  ...TEXT_OPERATORS,
]);

/**
 * The names of the standard operators kaohe runs, sorted. Anything else is refused at compile
 * time, unless given to an engine as a custom operation.
 */
export const RULE_OPERATORS: readonly string[] = Object.freeze([...STANDARD_OPERATORS.keys()].sort());

const STANDARD_NAMES: ReadonlySet<string> = new Set(STANDARD_OPERATORS.keys());

function prepare(rule: unknown, options: ResolvedOptions): PreparedRule {
  const snapshot = snapshotRule(rule, options.maxDepth, options.maxNodes);
  const compiler = new Compiler(options, STANDARD_OPERATORS);
  const root = compiler.compile(snapshot, []);
  const variables = compiler.variables();
  const dynamicVariables = compiler.dynamic;
  // One state per prepared rule, reset at each evaluation: no allocation per record. A nested run
  // (a custom operation that applies the same rule) gets a state of its own.
  const state: EvalState = { steps: 0, bound: 0 };
  let busy = false;
  const run = (data: unknown): unknown => {
    if (busy) return root(data, { steps: 0, bound: 0 });
    busy = true;
    state.steps = 0;
    try {
      return root(data, state);
    } finally {
      busy = false;
    }
  };
  return Object.freeze({
    rule: snapshot,
    variables,
    dynamicVariables,
    evaluate: (data: unknown) => run(data) as RuleValue,
    test: (data: unknown) => truthy(run(data)),
  });
}

function listVariables(rule: unknown, options: ResolvedOptions): readonly string[] {
  const prepared = prepare(rule, options);
  if (prepared.dynamicVariables) {
    throw ruleError(
      "computed_path",
      [],
      "the rule reads a path computed at run time, so its variables cannot all be listed; use compileRule(rule).variables and .dynamicVariables instead",
    );
  }
  return prepared.variables;
}

/**
 * Creates a rule engine with its own custom operations and limits. Nothing is registered
 * globally: two engines never see each other's operations, and json-logic-js is never touched.
 *
 * @param options - Custom `operations`, limits (`maxDepth`, `maxNodes`, `maxArrayLength`,
 *   `maxSteps`, `maxStringLength`, `maxPathLength`) and the `computedPaths` policy; every field is optional.
 * @returns An engine whose methods behave as the top-level functions, with these options.
 * @throws {@link KaoheError} with code `invalid_option` when a limit is not a positive integer in
 *   range, or a custom operation is not a function or takes a reserved name.
 * @example
 * ```ts
 * import { createRuleEngine, safeEvaluateRule } from "kaohe";
 * const engine = createRuleEngine({ operations: { round2: (x) => Math.round((x as number) * 100) / 100 } });
 * engine.evaluateRule({ round2: [{ "/": [2, 3] }] }, {}); //=> 0.67
 * // Only this engine knows round2:
 * safeEvaluateRule({ round2: [1] }, {}).success; //=> false
 * ```
 */
export function createRuleEngine(options: RuleEngineOptions = {}): RuleEngine {
  const resolved = resolveOptions(options, STANDARD_NAMES);
  const compileRule = (rule: JsonLogicRule): PreparedRule => prepare(rule, resolved);
  const evaluateRule = (rule: JsonLogicRule, data: unknown): RuleValue => prepare(rule, resolved).evaluate(data);
  const ruleVariables = (rule: JsonLogicRule): readonly string[] => listVariables(rule, resolved);
  return Object.freeze({
    compileRule,
    evaluateRule,
    safeCompileRule: toSafe(compileRule),
    safeEvaluateRule: toSafe(evaluateRule),
    ruleVariables,
  });
}

const defaultOptions = resolveOptions({}, STANDARD_NAMES);

function resolvedFor(options: RuleEngineOptions | undefined): ResolvedOptions {
  return options === undefined ? defaultOptions : resolveOptions(options, STANDARD_NAMES);
}

/**
 * Checks a rule once and compiles it to closures, to apply to many records.
 *
 * @param rule - A JSON Logic rule (untrusted data is fine: it is read once and copied).
 * @param options - Custom operations and limits, as for {@link createRuleEngine}.
 * @returns The prepared rule: `evaluate(data)`, `test(data)`, the `variables` it reads, and
 *   `dynamicVariables`.
 * @throws {@link KaoheError} with code `invalid_rule` (not JSON; an object without exactly one
 *   key), `unknown_operator`, `unsafe_operator` (`method`, dotted names), `invalid_arguments`
 *   (wrong argument count), `unsafe_path` (`__proto__`, `constructor`, `prototype`),
 *   `computed_path` (with `computedPaths: "refuse"`), `rule_too_deep`, `rule_too_large`,
 *   `path_too_long`, or `invalid_option`.
 * @example
 * ```ts
 * import { compileRule, safeCompileRule } from "kaohe";
 * const rule = compileRule({ "<": [{ "/": [{ var: "income" }, { var: "size" }] }, 6000] });
 * rule.evaluate({ income: 16000.5, size: 3 }); //=> true
 * rule.variables; //=> ["income", "size"]
 * const refused = safeCompileRule({ method: ["x", "toString"] });
 * refused.success ? null : refused.error.issues[0]?.code; //=> "unsafe_operator"
 * ```
 */
export function compileRule(rule: JsonLogicRule, options?: RuleEngineOptions): PreparedRule {
  return prepare(rule, resolvedFor(options));
}

/**
 * Compiles a rule and applies it to one record. For many records, use {@link compileRule} once.
 *
 * @param rule - A JSON Logic rule.
 * @param data - The record; only its own properties are read.
 * @param options - Custom operations and limits, as for {@link createRuleEngine}.
 * @returns The rule's value; numbers are JS numbers, each the nearest to the exact decimal result.
 * @throws {@link KaoheError} with the compile codes of {@link compileRule}, or on evaluation
 *   `not_a_number`, `not_comparable`, `division_by_zero`, `invalid_data` (NaN, Infinity, BigInt,
 *   symbols, functions, cyclic arrays where an operator reads them), `invalid_arguments`,
 *   `numeral_too_long`, `number_out_of_range`, `array_too_large`, `string_too_long`,
 *   `path_too_long` or `evaluation_too_long`.
 * @example
 * ```ts
 * import { evaluateRule } from "kaohe";
 * evaluateRule({ "+": [0.1, 0.2] }, {}); //=> 0.3
 * evaluateRule({ "*": [1.1, 3] }, {}); //=> 3.3
 * evaluateRule({ "==": [{ "+": [0.1, 0.2] }, 0.3] }, {}); //=> true
 * evaluateRule({ var: "a.b" }, { a: { b: 1 } }); //=> 1
 * ```
 */
export function evaluateRule(rule: JsonLogicRule, data: unknown, options?: RuleEngineOptions): RuleValue {
  return prepare(rule, resolvedFor(options)).evaluate(data);
}

/**
 * {@link compileRule} that returns a result instead of throwing.
 *
 * @param rule - A JSON Logic rule.
 * @param options - Custom operations and limits.
 * @returns `{ success: true, data: preparedRule }` or `{ success: false, error }`.
 * @throws Never for a bad rule; only for an unexpected internal failure.
 * @example
 * ```ts
 * import { safeCompileRule } from "kaohe";
 * safeCompileRule({ "==": [1, 1] }).success; //=> true
 * const outcome = safeCompileRule({ nope: [] });
 * outcome.success ? null : outcome.error.issues[0]?.code; //=> "unknown_operator"
 * ```
 */
export function safeCompileRule(rule: JsonLogicRule, options?: RuleEngineOptions): SafeResult<PreparedRule> {
  return toSafe(compileRule)(rule, options);
}

/**
 * {@link evaluateRule} that returns a result instead of throwing.
 *
 * @param rule - A JSON Logic rule.
 * @param data - The record.
 * @param options - Custom operations and limits.
 * @returns `{ success: true, data: value }` or `{ success: false, error }`.
 * @throws Never for a bad rule or record; only when a custom operation throws a non-kaohe error.
 * @example
 * ```ts
 * import { safeEvaluateRule } from "kaohe";
 * const failed = safeEvaluateRule({ "/": [1, 0] }, {});
 * failed.success ? null : failed.error.issues[0]?.code; //=> "division_by_zero"
 * safeEvaluateRule({ "/": [1, 4] }, {}); //=> { success: true, data: 0.25 }
 * ```
 */
export function safeEvaluateRule(rule: JsonLogicRule, data: unknown, options?: RuleEngineOptions): SafeResult<RuleValue> {
  return toSafe(evaluateRule)(rule, data, options);
}

/**
 * Lists the data paths a rule reads, so a caller can check them against the facts it declares:
 * literal `var` paths and literal `missing`/`missing_some` keys, sorted, without duplicates.
 * Paths inside the per-element rule of `map`, `filter`, `reduce`, `all`, `none`, `some` are
 * relative to each element and not listed (the walked array's path is).
 *
 * @param rule - A JSON Logic rule.
 * @param options - Custom operations and limits (the rule is compiled to be listed).
 * @returns The sorted unique paths, e.g. `["household.income", "household.size"]`.
 * @throws {@link KaoheError} with code `computed_path` when the rule reads a path computed at run
 *   time (the list could not be complete), or any compile code of {@link compileRule}.
 * @example
 * ```ts
 * import { ruleVariables } from "kaohe";
 * ruleVariables({ and: [{ var: "b" }, { var: "a.x" }, { missing: ["c", "a.x"] }] }); //=> ["a.x", "b", "c"]
 * // A path computed at run time cannot be listed: ruleVariables throws a KaoheError [computed_path].
 * ```
 */
export function ruleVariables(rule: JsonLogicRule, options?: RuleEngineOptions): readonly string[] {
  return listVariables(rule, resolvedFor(options));
}

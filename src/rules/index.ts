/**
 * The rules module: safe, exact, isolated and fast JSON Logic. It imports nothing of kaohe's but
 * the shared error class, and no Node-only API, so it runs in browsers under a strict CSP.
 *
 * Kept private on purpose: the compiler, the operator tables and the decimal helpers
 * (`src/rules/compile.ts`, `decimal.ts`, …), which may change without notice.
 *
 * @module
 */
export {
  compileRule,
  createRuleEngine,
  evaluateRule,
  ruleVariables,
  safeCompileRule,
  safeEvaluateRule,
  RULE_OPERATORS,
} from "./engine";
export { ruleNumberToString } from "./decimal";
export { DEFAULT_RULE_LIMITS } from "./limits";
export type {
  JsonLogicRule,
  PreparedRule,
  RuleEngine,
  RuleEngineOptions,
  RuleLimits,
  RuleOperation,
  RuleValue,
} from "./types";

import { KaoheError, isKaoheError, type KaoheIssue } from "../internal/errors";
import type { Framework, FrameworkInput } from "../model/framework";
import { parseFramework } from "../model/parse";
import { compileRule, type PreparedRule } from "../rules/index";
import { digestJson } from "./digest";
import { indicatorLabel, indicatorPaths, ruleOf } from "./indicators";

/**
 * A framework validated once, with its rules compiled and its digest computed, for scoring many
 * assessments: pass it to `scoreAssessment` in place of the framework. Immutable.
 */
export class PreparedFramework {
  /** The validated framework. */
  readonly framework: Framework;
  /** SHA-256 of the framework's canonical JSON. */
  readonly digest: string;
  /** @internal The compiled rules of rule-scored indicators, by indicator id. */
  readonly rules: ReadonlyMap<string, PreparedRule>;

  /** @internal Use {@link prepareFramework}. */
  constructor(framework: Framework, rules: ReadonlyMap<string, PreparedRule>) {
    this.framework = framework;
    this.rules = rules;
    this.digest = digestJson(framework);
    Object.freeze(this);
  }
}

/**
 * Validates a framework and compiles its rules once, so that scoring many assessments with it
 * (a province's 11 设区市, a benchmark) does not repeat the work.
 *
 * @param framework - The framework, e.g. from {@link withPoints}; data of unknown shape goes
 *   through {@link parseFramework} first. It is validated all the same.
 * @returns The prepared framework, to pass to `scoreAssessment`.
 * @throws {@link KaoheError} holding every issue of the framework and of its rules.
 * @example
 * ```ts
 * import { jiangxi2025, prepareFramework } from "kaohe";
 * prepareFramework(jiangxi2025).framework.id; //=> "jiangxi2025"
 * ```
 */
export function prepareFramework(framework: FrameworkInput | PreparedFramework): PreparedFramework {
  if (framework instanceof PreparedFramework) return framework;
  const issues: KaoheIssue[] = [];
  let parsed: Framework | undefined;
  try {
    parsed = parseFramework(framework);
  } catch (error) {
    if (!isKaoheError(error)) throw error;
    issues.push(...error.issues);
  }
  const rules = new Map<string, PreparedRule>();
  const paths = parsed ? indicatorPaths(parsed) : new Map<string, (string | number)[]>();
  for (const indicator of parsed?.categories.flatMap((c) => c.indicators) ?? []) {
    const rule = ruleOf(indicator);
    if (rule === undefined) continue;
    try {
      rules.set(indicator.id, compileRule(rule));
    } catch (error) {
      if (!isKaoheError(error)) throw error;
      for (const issue of error.issues) {
        issues.push({
          ...issue,
          path: [...(paths.get(indicator.id) ?? []), "scoring", "rule", ...issue.path],
          message: `${indicatorLabel(indicator)}: ${issue.message}`,
        });
      }
    }
  }
  if (issues.length > 0 || parsed === undefined) throw new KaoheError(issues, "Invalid framework");
  return new PreparedFramework(parsed, rules);
}

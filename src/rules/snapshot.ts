import { formatPath, type IssuePath } from "../internal/errors";
import { describeValue, ruleError } from "./limits";
import type { JsonLogicRule } from "./types";

/**
 * Reads an untrusted rule exactly once, without recursion, and returns a deep-frozen copy that
 * holds JSON values only. It checks, before anything recurses over the rule:
 * - depth (nesting of arrays and objects) against `maxDepth`, so a 10,000-level rule (or a rule
 *   that contains itself) is an error and never a stack overflow;
 * - the number of values against `maxNodes`;
 * - that every value is JSON: null, a boolean, a finite number, a string, an array, or a plain
 *   object with exactly one key (the operator).
 *
 * @internal
 */
export function snapshotRule(rule: unknown, maxDepth: number, maxNodes: number): JsonLogicRule {
  interface Frame {
    readonly value: unknown;
    readonly path: IssuePath;
    readonly depth: number;
    readonly set: (copy: JsonLogicRule) => void;
  }
  let result: JsonLogicRule = null;
  let nodes = 0;
  const containers: object[] = [];
  const stack: Frame[] = [{ value: rule, path: [], depth: 0, set: (copy) => (result = copy) }];

  while (stack.length > 0) {
    const { value, path, depth, set } = stack.pop() as Frame;
    nodes++;
    if (nodes > maxNodes) {
      throw ruleError("rule_too_large", path, `the rule has more than ${maxNodes} values (the maxNodes limit) at ${formatPath(path)}`);
    }
    switch (typeof value) {
      case "string":
      case "boolean":
        set(value);
        continue;
      case "number":
        if (value - value !== 0) throw ruleError("invalid_rule", path, `a rule cannot hold ${describeValue(value)}: numbers must be finite`);
        set(value);
        continue;
      case "object":
        break;
      default:
        throw ruleError("invalid_rule", path, `a rule cannot hold ${describeValue(value)}: rules are JSON`);
    }
    if (value === null) {
      set(null);
      continue;
    }
    if (depth + 1 > maxDepth) {
      throw ruleError(
        "rule_too_deep",
        path,
        `the rule nests deeper than ${maxDepth} levels (the maxDepth limit), or contains itself, at ${formatPath(path.slice(0, 12))}${path.length > 12 ? "…" : ""}`,
      );
    }
    if (Array.isArray(value)) {
      const length = value.length;
      if (nodes + length > maxNodes) {
        throw ruleError("rule_too_large", path, `the rule has more than ${maxNodes} values (the maxNodes limit): an array of ${length} at ${formatPath(path)}`);
      }
      const copy: JsonLogicRule[] = new Array<JsonLogicRule>(length);
      containers.push(copy);
      set(copy);
      for (let i = length - 1; i >= 0; i--) {
        if (!Object.prototype.hasOwnProperty.call(value, i)) {
          throw ruleError("invalid_rule", [...path, i], "a rule cannot hold an array with holes");
        }
        stack.push({ value: value[i] as unknown, path: [...path, i], depth: depth + 1, set: (c) => (copy[i] = c) });
      }
      continue;
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw ruleError("invalid_rule", path, `a rule cannot hold ${describeValue(value)} that is not a plain object`);
    }
    const keys = Object.keys(value);
    if (keys.length !== 1) {
      const shown = keys.slice(0, 5).map((k) => JSON.stringify(k)).join(", ");
      throw ruleError(
        "invalid_rule",
        path,
        `an object in a rule must have exactly one key, its operator; this one has ${keys.length}${keys.length > 0 ? ` (${shown})` : ""}`,
      );
    }
    const op = keys[0] as string;
    const copy: Record<string, JsonLogicRule> = {};
    containers.push(copy);
    set(copy);
    stack.push({
      value: (value as Record<string, unknown>)[op],
      path: [...path, op],
      depth: depth + 1,
      set: (c) => {
        // defineProperty, so that an operator named "__proto__" stays a plain own key.
        Object.defineProperty(copy, op, { value: c, enumerable: true, writable: true, configurable: true });
      },
    });
  }
  for (const container of containers) Object.freeze(container);
  return result;
}

/** Counts the values in a frozen rule (bounded depth, so recursion is safe). @internal */
export function countNodes(rule: JsonLogicRule): number {
  if (rule === null || typeof rule !== "object") return 1;
  let n = 1;
  const items: readonly JsonLogicRule[] = Array.isArray(rule) ? rule : Object.values(rule);
  for (const item of items) n += countNodes(item);
  return n;
}

import { evaluateRule } from "../rules/engine";
import type { JsonLogicRule } from "../rules/types";
import type { Lang } from "../internal/i18n";

const COMPARISONS: Readonly<Record<string, string>> = { ">=": "<", ">": "<=", "<=": ">", "<": ">=", "==": "!=", "===": "!==", "!=": "==", "!==": "===" };

function isOperation(node: unknown): node is Record<string, unknown> {
  return typeof node === "object" && node !== null && !Array.isArray(node) && Object.keys(node).length === 1;
}

function operands(node: Record<string, unknown>): { op: string; args: unknown[] } {
  const op = Object.keys(node)[0] as string;
  const value = node[op];
  return { op, args: Array.isArray(value) ? value : [value] };
}

function evaluate(node: unknown, facts: Record<string, unknown>): unknown {
  try {
    return evaluateRule(node as JsonLogicRule, facts);
  } catch {
    return undefined;
  }
}

/** A fact's value as a reader writes it: decimal strings without quotes. */
export function showFact(value: unknown): string {
  return typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value) ? value : JSON.stringify(value ?? null);
}

/** A rule's part with the facts' values put in: `growth 6.5`, `max(6.4, 6.6)`. */
function render(node: unknown, facts: Record<string, unknown>): string {
  if (!isOperation(node)) return JSON.stringify(node);
  const { op, args } = operands(node);
  if (op === "var") {
    const name = String(args[0]);
    return `${name} ${showFact(facts[name])}`;
  }
  if (op in COMPARISONS && args.length === 2) return `${render(args[0], facts)} ${op} ${render(args[1], facts)}`;
  return `${op}(${args.map((a) => render(a, facts)).join(", ")})`;
}

/**
 * The comparison that decided a rule's outcome, with the facts' values: for an `and` that failed,
 * its first false part; for an `or` that held, its first true part; a comparison is shown the way
 * it came out (`growth 6.5 < nationalGrowth 6.6` when `>=` failed).
 *
 * @param lang - The language of the words joining comparisons (且/或, and/or).
 * @returns The deciding comparison, or `undefined` when the rule is not made of comparisons.
 */
export function decidingComparison(rule: unknown, facts: Record<string, unknown>, lang: Lang = "zh"): string | undefined {
  if (!isOperation(rule)) return undefined;
  const { op, args } = operands(rule);
  const value = evaluate(rule, facts);
  if (op === "and" || op === "or") {
    // An and that failed is decided by its first false part; an or that held by its first true one.
    const decisive = op === "and" ? !value : !!value;
    const decider = decisive ? args.find((part) => !!evaluate(part, facts) === (op === "or")) : undefined;
    if (decider !== undefined) return decidingComparison(decider, facts, lang) ?? render(decider, facts);
    const joint = op === "and" ? (lang === "en" ? " and " : " 且 ") : lang === "en" ? " or " : " 或 ";
    return args.map((part) => decidingComparison(part, facts, lang) ?? render(part, facts)).join(joint);
  }
  if (op === "!" && args.length === 1) {
    const inner = decidingComparison(args[0], facts, lang) ?? render(args[0], facts);
    return `!(${inner})`;
  }
  if (op in COMPARISONS && args.length === 2) {
    const shown = value ? op : (COMPARISONS[op] as string);
    return `${render(args[0], facts)} ${shown} ${render(args[1], facts)}`;
  }
  return render(rule, facts);
}

import type { z } from "zod/mini";
import { KaoheError, type KaoheIssue } from "../internal/errors";
import { PARSE_OPTIONS } from "../internal/zod";

/**
 * Converts zod issues to kaohe issues. A custom refinement supplies its own code through
 * `params.code`; zod's own codes (`invalid_type`, `unrecognized_keys`, …) are kept as they are.
 * Each message is prefixed with the label of the item concerned when `label` finds one.
 */
export function fromZodIssues(
  issues: readonly z.core.$ZodIssue[],
  label: (path: readonly PropertyKey[]) => string | undefined = () => undefined,
): KaoheIssue[] {
  return issues.flatMap((issue) => unwrapUnion(issue, [])).map((issue) => {
    const path = issue.path.filter((key): key is string | number => typeof key !== "symbol");
    const params = (issue as { params?: { code?: unknown } }).params;
    const input = (issue as { input?: unknown }).input;
    // NaN and ±Infinity fail every branch of a number-or-decimal-string union: say so plainly.
    const badNumber = issue.code === "invalid_union" && typeof input === "number";
    const code = badNumber ? "invalid_number" : typeof params?.code === "string" ? params.code : issue.code;
    const name = label(path);
    const detail = badNumber ? `must be a finite number (got ${showValue(input)})` : describeZodIssue(issue);
    return { code, path, message: name ? `${name}: ${detail}` : detail };
  });
}

/** A branch issue that shows the input has another shape than the branch: an unknown or missing key. */
function isShapeMismatch(issue: z.core.$ZodIssue): boolean {
  if (issue.code === "unrecognized_keys") return issue.path.length === 0;
  return issue.code === "invalid_type" && issue.path.length === 1 && (issue as { input?: unknown }).input === undefined;
}

/**
 * Replaces a union failure by the issues of the one branch whose shape the input has (e.g. the
 * `{ score }` branch of an indicator input whose score is NaN), so that the user sees the real
 * problem and its full path rather than "Invalid input". Other issues pass through, with the
 * path of any enclosing union prefixed.
 */
function unwrapUnion(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[]): z.core.$ZodIssue[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === "invalid_union" && issue.errors.length > 0) {
    const fitting = issue.errors.filter((branch) => branch.every((i) => !isShapeMismatch(i)));
    if (fitting.length === 1) return (fitting[0] ?? []).flatMap((inner) => unwrapUnion(inner, path));
  }
  return [{ ...issue, path }];
}

function describeZodIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    return `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
  }
  const input = (issue as { input?: unknown }).input;
  return input === undefined ? issue.message : `${issue.message} (got ${showValue(input)})`;
}

/** Renders a user's value for a message, briefly and without throwing. */
export function showValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  if (typeof value === "bigint") return `${value}n`;
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

/** Runs a zod schema and throws a {@link KaoheError} holding every issue on failure. */
export function parseWith<T>(
  schema: z.ZodMiniType<T>,
  input: unknown,
  context: string,
  label?: (path: readonly PropertyKey[]) => string | undefined,
): T {
  const result = schema.safeParse(input, PARSE_OPTIONS);
  if (!result.success) throw new KaoheError(fromZodIssues(result.error.issues, label), context);
  return result.data;
}

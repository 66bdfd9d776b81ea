import type { KaoheIssue } from "../internal/errors";

/**
 * Defensive readers for inputs whose shape is not yet known: the cross-reference checks run beside
 * the shape check, so that every issue is reported at once, and must never throw on bad shapes.
 */

/** A path into an input. */
export type Path = (string | number)[];

/** Reads an own property of an object-like value, or `undefined`, never throwing. */
export function field(value: unknown, key: PropertyKey): unknown {
  return typeof value === "object" && value !== null && Object.hasOwn(value, key)
    ? (value as Record<PropertyKey, unknown>)[key]
    : undefined;
}

/** The items of an array-valued property with their indexes; nothing when it is not an array. */
export function items(value: unknown, key: string): [unknown, number][] {
  const list = field(value, key);
  return Array.isArray(list) ? list.map((item, index): [unknown, number] => [item, index]) : [];
}

/** A string-valued property, or `undefined`. */
export function text(value: unknown, key: string): string | undefined {
  const found = field(value, key);
  return typeof found === "string" ? found : undefined;
}

/**
 * Reports every repeated value (string or number) among `entries`, naming the item by `noun`.
 * Returns the set of values seen, for reference checks.
 */
export function checkUnique(
  entries: readonly { value: unknown; path: Path }[],
  noun: string,
  issues: KaoheIssue[],
  code = "duplicate_id",
): Set<string> {
  const seen = new Set<string>();
  for (const { value, path } of entries) {
    if (typeof value !== "string" && typeof value !== "number") continue;
    const key = String(value);
    if (seen.has(key)) issues.push({ code, path, message: `${noun} "${key}" is given more than once` });
    seen.add(key);
  }
  return seen;
}

import type { KaoheIssue } from "../internal/errors";
import { FORBIDDEN_KEYS, MAX_INPUT_DEPTH } from "../internal/json";

export { FORBIDDEN_KEYS, MAX_INPUT_DEPTH };

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

/** Formats a short path for a message. */
function shortPath(path: readonly (string | number)[]): string {
  const shown = path.slice(0, 8).map((k) => (typeof k === "number" ? `[${k}]` : `.${k}`)).join("");
  return `${shown}${path.length > 8 ? "…" : ""}`;
}

/**
 * Checks an untrusted JSON-like input before any schema or recursion reads it, without recursing
 * itself: nesting deeper than {@link MAX_INPUT_DEPTH} (or a value that contains itself) is
 * `too_deep`, and every own key `__proto__`, `constructor` or `prototype` is `forbidden_key`: such a
 * key, copied into a new object (as parsing a record does), would set or shadow the copy's
 * prototype, so that a key the user never wrote could be read through it, or one they wrote be
 * silently dropped. Values shared between places are walked once, so that the check is linear.
 *
 * @param input - The input, e.g. parsed from JSON.
 * @param path - The path of the input within the whole, prefixed to each issue's path.
 * @returns The issues found (none when the input is sound); at most one `too_deep`.
 */
export function checkInputStructure(input: unknown, path: (string | number)[] = []): KaoheIssue[] {
  const issues: KaoheIssue[] = [];
  if (typeof input !== "object" || input === null) return issues;
  // Depth along the longest path: a DFS that marks a container open while below it (to find
  // cycles) and remembers each finished container's height, so that a value shared by many
  // places is walked once and the longest path through it still counts.
  const height = new Map<object, number>();
  const open = new Set<object>();
  interface Frame {
    readonly value: object;
    readonly path: (string | number)[];
    readonly keys: readonly (string | number)[];
    next: number;
    tallest: number;
  }
  const enter = (value: object, at: (string | number)[]): Frame | null => {
    if (open.has(value)) {
      issues.push({
        code: "too_deep",
        path: at,
        message: `the input contains itself at ${shortPath(at)}, so it has no end`,
        zh: `输入在 ${shortPath(at)} 处引用了自身，没有尽头`,
      });
      return null;
    }
    open.add(value);
    let keys: (string | number)[];
    if (Array.isArray(value)) {
      // A host's sparse array may be billions long: list the indexes it holds instead.
      if (value.length > 10_000_000) keys = Object.keys(value).map(Number);
      else {
        keys = [];
        for (let i = 0; i < value.length; i++) if (Object.hasOwn(value, i)) keys.push(i);
      }
    } else {
      keys = Object.keys(value);
      for (const key of keys as string[]) {
        if (FORBIDDEN_KEYS.has(key)) {
          issues.push({
            code: "forbidden_key",
            path: [...at, key],
            // The path says where; the key names a JS prototype and would be dropped or read through one.
            message: `the key "${key}" is not allowed`,
            zh: `不允许使用键名"${key}"（它在 JS 中指向原型）`,
          });
        }
      }
    }
    return { value, path: at, keys, next: 0, tallest: 0 };
  };
  const root = enter(input, path);
  if (root === null) return issues;
  const stack: Frame[] = [root];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    if (stack.length > MAX_INPUT_DEPTH) {
      issues.push({
        code: "too_deep",
        path: frame.path,
        message: `the input nests deeper than ${MAX_INPUT_DEPTH} levels at ${shortPath(frame.path)}`,
        zh: `输入的嵌套超过 ${MAX_INPUT_DEPTH} 层（位于 ${shortPath(frame.path)}）`,
      });
      return issues;
    }
    if (frame.next < frame.keys.length) {
      const key = frame.keys[frame.next++] as string | number;
      const child: unknown = (frame.value as Record<string | number, unknown>)[key];
      if (typeof child !== "object" || child === null) continue;
      const known = height.get(child);
      if (known !== undefined) {
        if (stack.length + known > MAX_INPUT_DEPTH) {
          const at = [...frame.path, key];
          issues.push({
            code: "too_deep",
            path: at,
            message: `the input nests deeper than ${MAX_INPUT_DEPTH} levels below ${shortPath(at)}`,
            zh: `输入的嵌套超过 ${MAX_INPUT_DEPTH} 层（位于 ${shortPath(at)} 之下）`,
          });
          return issues;
        }
        if (known > frame.tallest) frame.tallest = known;
        continue;
      }
      const entered = enter(child, [...frame.path, key]);
      if (entered === null) return issues;
      stack.push(entered);
      continue;
    }
    stack.pop();
    open.delete(frame.value);
    const own = frame.tallest + 1;
    height.set(frame.value, own);
    const parent = stack[stack.length - 1];
    if (parent !== undefined && own > parent.tallest) parent.tallest = own;
  }
  return issues;
}

import { formatPath, KaoheError, type IssuePath, type KaoheIssue, type SafeResult } from "./errors";

/*
 * Reading JSON text that a user wrote (the CLI's files). JSON.parse alone keeps the last of two
 * equal keys without a word, so a file that says `"score": 8` and, further down, `"score": 3` scores
 * 3. This parser reports such a key where the values differ (the same value twice changes
 * nothing), and, before anything recurses over the value, nesting deeper than MAX_INPUT_DEPTH and
 * keys that name JS prototypes. It scans the text once, without recursion.
 */

/** Keys that lead to prototypes in JS: refused in every input kaohe reads. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/**
 * The deepest nesting of objects and arrays accepted in an input (a framework, an assessment, a
 * rulebook, a checklist…). Deeper input, or input that contains itself, is a `too_deep` issue, found
 * without recursion before anything recurses over the input. A rule's own depth is limited further by
 * the rule engine (at most 1,000 levels), which fits.
 */
export const MAX_INPUT_DEPTH = 1_024;

const QUOTE = 34;
const BACKSLASH = 92;

interface Frame {
  readonly object: boolean;
  /** Raw text of each key's first value, to compare a repeated key's value with. */
  readonly values: Map<string, string> | null;
  key: string;
  expectKey: boolean;
  /** Where the current member's value starts. */
  start: number;
  index: number;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** The index after a string token that opens at `i` (the text is valid JSON). */
function stringEnd(text: string, i: number): number {
  let j = i + 1;
  for (;;) {
    const c = text.charCodeAt(j);
    if (c === QUOTE) return j + 1;
    j += c === BACKSLASH ? 2 : 1;
  }
}

/** The index after a number, `true`, `false` or `null` that starts at `i`. */
function scalarEnd(text: string, i: number): number {
  let j = i;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === 44 || c === 93 || c === 125 || isBlank(c)) break;
    j++;
  }
  return j;
}

function brief(raw: string): string {
  return raw.length > 40 ? `${raw.slice(0, 40)}…` : raw;
}

/** Scans valid JSON text for repeated keys with different values, depth and forbidden keys. */
function scan(text: string): KaoheIssue[] {
  const issues: KaoheIssue[] = [];
  const stack: Frame[] = [];
  const path: (string | number)[] = [];
  const memberPath = (frame: Frame): IssuePath => [...path, frame.object ? frame.key : frame.index];
  const valueEnds = (frame: Frame, end: number) => {
    if (!frame.object || frame.values === null) return;
    const raw = text.slice(frame.start, end);
    const first = frame.values.get(frame.key);
    if (first === undefined) {
      frame.values.set(frame.key, raw);
    } else if (first !== raw) {
      const at = memberPath(frame);
      issues.push({
        code: "duplicate_key",
        path: at,
        message: `the key "${frame.key}" is given twice at ${formatPath(at)}, first as ${brief(first)}, then as ${brief(raw)}; JSON keeps only the last, so say which one is meant`,
        zh: `键"${frame.key}"在 ${formatPath(at)} 处出现两次，先为 ${brief(first)}，后为 ${brief(raw)}；JSON 只保留后者，请删去不要的一个`,
      });
    }
  };
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isBlank(c) || c === 58) {
      i++;
      continue;
    }
    const top = stack[stack.length - 1];
    if (c === 123 || c === 91) {
      if (top !== undefined) {
        top.start = i;
        path.push(top.object ? top.key : top.index);
      }
      stack.push({ object: c === 123, values: c === 123 ? new Map() : null, key: "", expectKey: c === 123, start: i, index: 0 });
      if (stack.length > MAX_INPUT_DEPTH) {
        issues.push({
          code: "too_deep",
          path: [...path],
          message: `the JSON nests deeper than ${MAX_INPUT_DEPTH} levels at ${formatPath(path.slice(0, 8))}${path.length > 8 ? "…" : ""}`,
          zh: `JSON 的嵌套超过 ${MAX_INPUT_DEPTH} 层（位于 ${formatPath(path.slice(0, 8))}${path.length > 8 ? "…" : ""}）`,
        });
        return issues;
      }
      i++;
      continue;
    }
    if (c === 125 || c === 93) {
      stack.pop();
      i++;
      const parent = stack[stack.length - 1];
      if (parent !== undefined) {
        path.pop();
        valueEnds(parent, i);
      }
      continue;
    }
    if (c === 44) {
      if (top !== undefined) {
        if (top.object) top.expectKey = true;
        else top.index++;
      }
      i++;
      continue;
    }
    const start = i;
    i = c === QUOTE ? stringEnd(text, i) : scalarEnd(text, i);
    if (top === undefined) continue;
    if (top.object && top.expectKey) {
      const raw = text.slice(start, i);
      const key = raw.includes("\\") ? (JSON.parse(raw) as string) : raw.slice(1, -1);
      top.key = key;
      top.expectKey = false;
      if (FORBIDDEN_KEYS.has(key)) {
        const at = [...path, key];
        issues.push({
          code: "forbidden_key",
          path: at,
          // The path says where; the key names a JS prototype and would be dropped or read through one.
          message: `the key "${key}" is not allowed`,
          zh: `不允许使用键名"${key}"（它在 JS 中指向原型）`,
        });
      }
      continue;
    }
    top.start = start;
    valueEnds(top, i);
  }
  return issues;
}

/** Line and column (from 1) of an offset, for a syntax error's message. */
function lineAndColumn(text: string, offset: number): string {
  let line = 1;
  let from = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      from = i + 1;
    }
  }
  return `line ${line}, column ${offset - from + 1}`;
}

/**
 * Parses JSON text that a user wrote: a byte-order mark is skipped; invalid JSON is `invalid_json`
 * (with the line and column where it breaks); a key given twice in one object with different
 * values is `duplicate_key` (JSON.parse would silently keep the last); nesting deeper than
 * {@link MAX_INPUT_DEPTH} is `too_deep`; a key `__proto__`, `constructor` or `prototype` is
 * `forbidden_key`. Every issue has its path into the document. Never throws for bad text.
 *
 * @param text - The file's text.
 * @returns `{ success: true, data }` with the parsed value, or `{ success: false, error }`.
 * @internal
 */
export function parseJsonText(text: string): SafeResult<unknown> {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(source) as unknown;
  } catch (error) {
    const reason = (error as Error).message;
    const at = /position (\d+)/.exec(reason);
    const where = at ? ` at ${lineAndColumn(source, Number(at[1]))}` : "";
    const issue: KaoheIssue = {
      code: "invalid_json",
      path: [],
      message: `not valid JSON${where} (${reason})`,
      zh: `不是有效的 JSON${where ? `（${where.trim()}）` : ""}：${reason}`,
    };
    return { success: false, error: new KaoheError([issue], "Invalid JSON") };
  }
  const issues = scan(source);
  if (issues.length > 0) return { success: false, error: new KaoheError(issues, "Invalid JSON") };
  return { success: true, data: value };
}

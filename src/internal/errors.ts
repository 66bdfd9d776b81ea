/** A path into the input that an issue concerns: object keys and array indexes. */
export type IssuePath = readonly (string | number)[];

/**
 * One problem found in an input: a literal snake_case `code`, the `path` of the item concerned,
 * and a message that names the item and the value.
 */
export interface KaoheIssue {
  /** Stable, machine-readable code, e.g. `unknown_department` or `duplicate_id`. */
  readonly code: string;
  /** Where the problem is, from the root of the input. */
  readonly path: IssuePath;
  /** A message a user can act on, naming the item (its Chinese label where it has one), in English. */
  readonly message: string;
  /**
   * The same message in Chinese, where the issue's author wrote one. Entry points that take a
   * `lang` option put it into `message` when `lang` is `"zh"`.
   */
  readonly zh?: string;
}

/**
 * The one error class that kaohe throws for bad input. It holds every issue found, never just
 * the first. Use {@link isKaoheError} to recognise it across realms.
 */
export class KaoheError extends Error {
  /** Every issue found, in input order; never empty. */
  readonly issues: readonly KaoheIssue[];

  /**
   * Creates the error; its message lists every issue, prefixed by `context`.
   *
   * @param issues - The issues found; at least one.
   * @param context - What was being checked, used as the message's prefix.
   */
  constructor(issues: readonly KaoheIssue[], context = "Invalid input") {
    super(formatIssues(issues, context));
    this.name = "KaoheError";
    this.issues = issues;
  }
}

/**
 * Tells whether a value is a {@link KaoheError}, also when it comes from another realm or copy of
 * kaohe (it compares `name` and the shape of `issues`, not the prototype).
 *
 * @param value - Any value, typically a caught error.
 * @returns `true` when the value is a kaohe error holding issues.
 */
export function isKaoheError(value: unknown): value is KaoheError {
  return (
    value instanceof Error &&
    value.name === "KaoheError" &&
    Array.isArray((value as { issues?: unknown }).issues)
  );
}

/** The result of a `safe…` function: the value, or an error that holds every issue. */
export type SafeResult<T> =
  | {
      /** It succeeded. */
      readonly success: true;
      /** The value. */
      readonly data: T;
    }
  | {
      /** It failed. */
      readonly success: false;
      /** The error, holding every issue. */
      readonly error: KaoheError;
    };

/** Formats a path as `a.b[2].c` for messages. */
export function formatPath(path: IssuePath): string {
  let out = "";
  for (const key of path) {
    out += typeof key === "number" ? `[${key}]` : out === "" ? key : `.${key}`;
  }
  return out === "" ? "(root)" : out;
}

function formatIssues(issues: readonly KaoheIssue[], context: string): string {
  const lines = issues.map((issue) => `  - ${formatPath(issue.path)}: ${issue.message} [${issue.code}]`);
  const noun = issues.length === 1 ? "issue" : "issues";
  return `${context}: ${issues.length} ${noun}\n${lines.join("\n")}`;
}

/** Wraps a throwing function as a `safe…` twin: a thrown {@link KaoheError} becomes a failure. */
export function toSafe<A extends unknown[], T>(fn: (...args: A) => T): (...args: A) => SafeResult<T> {
  return (...args: A) => {
    try {
      return { success: true, data: fn(...args) };
    } catch (error) {
      if (isKaoheError(error)) return { success: false, error };
      throw error;
    }
  };
}

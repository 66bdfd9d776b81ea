import { formatPath, type KaoheIssue } from "../internal/errors";
import { localizeIssue } from "../model/issues";
import { EXIT, UsageError } from "./args";
import { readJsonInput, type ReadJsonResult } from "./input";
import { countIssues, say, type Bilingual, type Lang } from "./lang";

export { EXIT, UsageError };

/** What a command may do to the outside world; the entry point gives Node's, tests give their own. */
export interface CliIO {
  /**
   * Reads a file: its bytes (decoded by the CLI, which detects the encoding) or, from tests, its
   * text. `-` is standard input. Throws a Node error for a missing or unreadable file.
   */
  readFile(path: string): string | Uint8Array;
  /** Writes one line to standard output. */
  stdout(line: string): void;
  /** Writes one line to standard error. */
  stderr(line: string): void;
  /** The environment, read for `LANG`/`LC_ALL` (none: Chinese). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A command's view of the run: its channels and the reader's language. */
export interface Ctx {
  readonly io: CliIO;
  readonly lang: Lang;
  /** Prints a line on standard output, in the reader's language. */
  out(text: Bilingual | string): void;
  /** Prints a line on standard error, in the reader's language. */
  err(text: Bilingual | string): void;
}

/** Makes a command's context. */
export function makeCtx(io: CliIO, lang: Lang): Ctx {
  return { io, lang, out: (text) => io.stdout(say(lang, text)), err: (text) => io.stderr(say(lang, text)) };
}

/** Reads and parses a JSON input file (see {@link readJsonInput}). */
export function readJson(io: CliIO, path: string): ReadJsonResult {
  return readJsonInput((p) => io.readFile(p), path);
}

/** One issue as the CLI prints it: path, message in the reader's language, code. */
export function issueLine(lang: Lang, issue: Pick<KaoheIssue, "path" | "message" | "code" | "zh">): string {
  return `  ${formatPath(issue.path)}: ${localizeIssue(issue, lang).message} [${issue.code}]`;
}

/** Prints every issue found in a file, one per line, for a person to act on. */
export function reportIssues(ctx: Ctx, file: string, issues: readonly Pick<KaoheIssue, "path" | "message" | "code" | "zh">[]): void {
  ctx.err(`${file}: ${countIssues(ctx.lang, issues.length)}`);
  for (const issue of issues) ctx.err(issueLine(ctx.lang, issue));
}

import { formatPath } from "../internal/errors";
import { parseJsonText } from "../internal/json";

/** What a command may do to the outside world; the entry point gives Node's, tests give their own. */
export interface CliIO {
  /** Reads a text file (UTF-8); throws a Node error for a missing or unreadable file. */
  readFile(path: string): string;
  /** Writes one line to standard output. */
  stdout(line: string): void;
  /** Writes one line to standard error. */
  stderr(line: string): void;
}

/** Exit codes: 0 success, 1 invalid input (a readable list of issues), 2 usage error. */
export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

/** A usage mistake on the command line (unknown command or flag, missing argument): exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Parsed command-line arguments: positionals and `--flag value` options. */
export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string>;
}

/**
 * Splits arguments into positionals, `--name value` (or `--name=value`) options and `--name`
 * switches, refusing any flag not in `allowed` or `switches` with a {@link UsageError}.
 */
export function parseArgs(args: readonly string[], allowed: readonly string[], switches: readonly string[] = []): ParsedArgs {
  const positionals: string[] = [];
  const options: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith("--")) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (switches.includes(name) && eq === -1) {
      options[name] = "true";
      continue;
    }
    if (!allowed.includes(name)) throw new UsageError(`unknown option --${name}`);
    const value = eq === -1 ? args[++i] : arg.slice(eq + 1);
    if (value === undefined || value === "") throw new UsageError(`option --${name} needs a value`);
    options[name] = value;
  }
  return { positionals, options };
}

/** Reads and parses a JSON file, turning a missing file or bad JSON into a readable message. */
export function readJson(io: CliIO, path: string): { ok: true; value: unknown } | { ok: false; message: string } {
  let text: string;
  try {
    text = io.readFile(path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    return { ok: false, message: `${path}: cannot read the file${code ? ` (${code})` : ""}` };
  }
  // Duplicate keys with different values, depth and prototype keys are refused (issue 16).
  const parsed = parseJsonText(text);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, message: `${path}: ${parsed.error.issues.map((i) => `${i.path.length > 0 ? `${formatPath(i.path)}: ` : ""}${i.message} [${i.code}]`).join("; ")}` };
}

/** Prints every issue found in a file, one per line, for a person to act on. */
export function reportIssues(
  io: CliIO,
  file: string,
  issues: readonly { readonly path: readonly (string | number)[]; readonly message: string; readonly code: string }[],
): void {
  io.stderr(`${file}: ${issues.length} issue${issues.length === 1 ? "" : "s"}`);
  for (const issue of issues) io.stderr(`  ${formatPath(issue.path)}: ${issue.message} [${issue.code}]`);
}

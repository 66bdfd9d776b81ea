import { isKaoheError, formatPath } from "../internal/errors";
import { jiangxi2025 } from "../frameworks/jiangxi2025";
import { parseFramework } from "../model/parse";
import { EXIT, UsageError, parseArgs, readJson, type CliIO } from "./io";
import { jsonSchemaSources, buildJsonSchema } from "./schemas";

const USAGE = [
  "Usage: kaohe <command> [options]",
  "",
  "Commands:",
  "  demo                         print the embedded 2025 framework (江西省 2025 年度考核指标体系)",
  "  validate <framework.json>    check a framework file and list every issue",
  `  schema <name>                print a JSON Schema (${Object.keys(jsonSchemaSources).join(", ")})`,
  "",
  "Exit codes: 0 success, 1 invalid input, 2 usage error.",
];

/** Prints every issue of a kaohe error, one per line, for a person to act on. */
export function printIssues(io: CliIO, file: string, error: unknown): number {
  if (!isKaoheError(error)) throw error;
  io.stderr(`${file}: ${error.issues.length} issue(s)`);
  for (const issue of error.issues) io.stderr(`  ${formatPath(issue.path)}: ${issue.message} [${issue.code}]`);
  return EXIT.invalid;
}

function printOutline(io: CliIO): number {
  const f = jiangxi2025;
  io.stdout(`${f.title}（${f.region}，${f.document.title}）`);
  for (const category of f.categories) {
    io.stdout(`${category.code}、${category.name}`);
    for (const indicator of category.indicators) {
      io.stdout(`  ${indicator.code}. ${indicator.name} [${indicator.scoring.method}]`);
    }
  }
  io.stdout("扣分项:");
  for (const clause of f.deductionClauses) io.stdout(`  ${clause.id} ${clause.text}（每项扣 ${clause.points} 分）`);
  return EXIT.ok;
}

function validate(io: CliIO, args: string[]): number {
  const { positionals } = parseArgs(args, []);
  const file = positionals[0];
  if (file === undefined || positionals.length > 1) throw new UsageError("validate takes one file");
  const read = readJson(io, file);
  if (!read.ok) {
    io.stderr(read.message);
    return EXIT.invalid;
  }
  try {
    parseFramework(read.value);
  } catch (error) {
    return printIssues(io, file, error);
  }
  io.stdout(`${file}: valid framework`);
  return EXIT.ok;
}

function schema(io: CliIO, args: string[]): number {
  const { positionals } = parseArgs(args, []);
  const name = positionals[0];
  const source = name === undefined ? undefined : jsonSchemaSources[name];
  if (name === undefined || source === undefined) {
    throw new UsageError(`schema needs one of: ${Object.keys(jsonSchemaSources).join(", ")}`);
  }
  io.stdout(JSON.stringify(buildJsonSchema(name, source), null, 2));
  return EXIT.ok;
}

const COMMANDS: Record<string, (io: CliIO, args: string[]) => number> = {
  demo: (io) => printOutline(io),
  validate,
  schema,
};

/**
 * Runs the `kaohe` command line with the given arguments and returns the exit code. A user's
 * mistake gives a readable message (exit 1 or 2), never a stack trace.
 */
export function runCli(args: readonly string[], io: CliIO): number {
  const [command, ...rest] = args;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    for (const line of USAGE) io.stdout(line);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  const run = COMMANDS[command];
  try {
    if (!run) throw new UsageError(`unknown command "${command}"`);
    return run(io, rest);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`kaohe: ${error.message}`);
      io.stderr("Run `kaohe --help` for usage.");
      return EXIT.usage;
    }
    throw error;
  }
}

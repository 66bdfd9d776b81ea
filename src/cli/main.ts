import { isKaoheError, type KaoheIssue } from "../internal/errors";
import { fromZodIssues } from "../model/issues";
import { parseFramework } from "../model/parse";
import { AssessmentSchema } from "../scoring/assessment";
import { EXIT, UsageError, parseArgs, readJson, reportIssues, type CliIO } from "./io";
import { jsonSchemaSources, buildJsonSchema } from "./schemas";
import { runScoreCommand } from "./score";
import { CHECKLIST_USAGE, runChecklistCommand } from "./checklist";
import { SCREEN_USAGE, runScreenCommand } from "./screen";
import { SQL_USAGE, runSqlCommand } from "./sql";
import { safeParseChecklist } from "../model/checklistParse";
import { safePrepareRulebook } from "../screening/prepare";
import { runFrameworkCommand } from "./framework";

const USAGE = [
  "Usage: kaohe <command> [options]",
  "",
  "Commands:",
  "  score <assessment.json…> [--points f] [--grades f] [--framework f] [--format table|json]",
  "        [--missing-as-zero] [--allow-negative-total]",
  "        score assessments (default framework: the embedded 2025 江西省 indicator system)",
  `  ${CHECKLIST_USAGE.replace("kaohe ", "")}`,
  "        the overdue and due-soon deliverables per unit, the weekly duty, and the rectification summary",
  `  ${SCREEN_USAGE.replace("kaohe ", "")}`,
  "        run a screening rulebook (逐村逐户过筛) over CSV or Excel exports; findings are not an error",
  `  ${SQL_USAGE.replace("kaohe ", "")}`,
  "        print the rulebook as one SQL script for the database that holds the export",
  "  framework import|export|diff …   indicator tables in and out of Excel, and what changed (kaohe framework --help)",
  "  validate <file> [--kind framework|assessment|checklist|rulebook]",
  "        check a file and list every issue (the kind is guessed from its shape)",
  `  schema <name>   print a JSON Schema (${Object.keys(jsonSchemaSources).join(", ")})`,
  "",
  "Exit codes: 0 success, 1 invalid input, 2 usage error.",
];

const VALIDATORS: Record<string, (value: unknown) => KaoheIssue[]> = {
  framework: (value) => {
    try {
      parseFramework(value);
      return [];
    } catch (error) {
      if (isKaoheError(error)) return [...error.issues];
      throw error;
    }
  },
  checklist: (value) => {
    const parsed = safeParseChecklist(value);
    return parsed.success ? [] : [...parsed.error.issues];
  },
  rulebook: (value) => {
    const prepared = safePrepareRulebook(value);
    return prepared.success ? [] : [...prepared.error.issues];
  },
  assessment: (value) => {
    const parsed = AssessmentSchema.safeParse(value, { reportInput: true });
    return parsed.success ? [] : fromZodIssues(parsed.error.issues);
  },
};

/** Guesses what a file holds from its top-level keys. */
function guessKind(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  if ("categories" in value) return "framework";
  if ("unit" in value && "indicators" in value) return "assessment";
  if ("tasks" in value && "issuedOn" in value) return "checklist";
  if ("rules" in value && "fields" in value) return "rulebook";
  return undefined;
}

function validate(io: CliIO, args: string[]): number {
  const { positionals, options } = parseArgs(args, ["kind"]);
  const file = positionals[0];
  if (file === undefined || positionals.length > 1) throw new UsageError("validate takes one file");
  if (options.kind !== undefined && !(options.kind in VALIDATORS)) {
    throw new UsageError(`--kind must be one of ${Object.keys(VALIDATORS).join(", ")}`);
  }
  const read = readJson(io, file);
  if (!read.ok) {
    io.stderr(read.message);
    return EXIT.invalid;
  }
  const kind = options.kind ?? guessKind(read.value);
  const check = kind === undefined ? undefined : VALIDATORS[kind];
  if (kind === undefined || check === undefined) {
    io.stderr(`${file}: cannot tell what this file holds; pass --kind ${Object.keys(VALIDATORS).join("|")}`);
    return EXIT.invalid;
  }
  const issues = check(read.value);
  if (issues.length > 0) {
    reportIssues(io, file, issues);
    return EXIT.invalid;
  }
  io.stdout(`${file}: valid ${kind}`);
  return EXIT.ok;
}

function schema(io: CliIO, args: string[]): number {
  const { positionals } = parseArgs(args, []);
  const name = positionals[0];
  const source = name === undefined ? undefined : jsonSchemaSources[name];
  if (name === undefined || source === undefined || positionals.length > 1) {
    throw new UsageError(`schema needs one of: ${Object.keys(jsonSchemaSources).join(", ")}`);
  }
  io.stdout(JSON.stringify(buildJsonSchema(name, source), null, 2));
  return EXIT.ok;
}

const COMMANDS: Record<string, (io: CliIO, args: string[]) => number | Promise<number>> = {
  score: runScoreCommand,
  checklist: (io, args) => runChecklistCommand(args, io),
  screen: (io, args) => runScreenCommand(args, io),
  sql: (io, args) => runSqlCommand(args, io),
  framework: (io, args) => runFrameworkCommand(io, args),
  validate,
  schema,
};

/**
 * Runs the `kaohe` command line with the given arguments and resolves to the exit code. A user's
 * mistake gives a readable message (exit 1 or 2), never a stack trace.
 */
export async function runCli(args: readonly string[], io: CliIO): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    for (const line of USAGE) io.stdout(line);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  try {
    const run = COMMANDS[command];
    if (!run) throw new UsageError(`unknown command "${command}"`);
    return await run(io, rest);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`kaohe: ${error.message}`);
      io.stderr("Run `kaohe --help` for usage.");
      return EXIT.usage;
    }
    throw error;
  }
}

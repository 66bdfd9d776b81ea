import { version } from "../../package.json";
import { formatHelp, type CommandSpec } from "./args";
import { CHECKLIST_SPEC, runChecklistCommand } from "./checklist";
import { langFlag, runCommand, runLang, usageFailure } from "./command";
import { EXIT, UsageError, makeCtx, type CliIO, type Ctx } from "./io";
import { t } from "./lang";
import { jsonSchemaSources, buildJsonSchema } from "./schemas";
import { SCORE_SPEC, runScoreCommand } from "./score";
import { SCREEN_SPEC, runScreenCommand } from "./screen";
import { SQL_SPEC, runSqlCommand } from "./sql";
import { VALIDATE_SPEC, runValidateCommand } from "./validate";
import { FRAMEWORK_SPEC, FRAMEWORK_SUBCOMMAND_SPECS, runFrameworkCommand } from "./framework";

/** The version of kaohe, from package.json (bundled into the built CLI at build time). */
export const KAOHE_VERSION: string = version;

const SCHEMA_SPEC: CommandSpec = {
  name: "schema",
  args: "<name>",
  summary: t(`打印一个 JSON Schema：${Object.keys(jsonSchemaSources).join("、")}`, `Prints a JSON Schema: ${Object.keys(jsonSchemaSources).join(", ")}`),
  options: {},
  exits: [],
  examples: ["kaohe schema assessment > assessment.schema.json"],
};

function schema(io: CliIO, args: string[]): number | Promise<number> {
  return runCommand(SCHEMA_SPEC, args, io, (ctx, parsed) => {
    const [name, ...extra] = parsed.positionals;
    const source = name === undefined ? undefined : jsonSchemaSources[name];
    if (name === undefined || source === undefined || extra.length > 0) {
      throw new UsageError(t(`schema 需要下列名称之一：${Object.keys(jsonSchemaSources).join("、")}`, `schema needs one of: ${Object.keys(jsonSchemaSources).join(", ")}`));
    }
    ctx.io.stdout(JSON.stringify(buildJsonSchema(name, source), null, 2));
    return EXIT.ok;
  });
}

interface Command {
  readonly spec: CommandSpec;
  readonly run: (io: CliIO, args: string[]) => number | Promise<number>;
}

/** Every command, by name. A new command is one entry here (its spec gives parsing and help). */
const COMMANDS: Readonly<Record<string, Command>> = {
  score: { spec: SCORE_SPEC, run: runScoreCommand },
  checklist: { spec: CHECKLIST_SPEC, run: (io, args) => runChecklistCommand(args, io) },
  screen: { spec: SCREEN_SPEC, run: (io, args) => runScreenCommand(args, io) },
  sql: { spec: SQL_SPEC, run: (io, args) => runSqlCommand(args, io) },
  framework: { spec: FRAMEWORK_SPEC, run: (io, args) => runFrameworkCommand(args, io) },
  validate: { spec: VALIDATE_SPEC, run: runValidateCommand },
  schema: { spec: SCHEMA_SPEC, run: schema },
};

/** The overview printed by `kaohe`, `kaohe --help` and `kaohe help`. */
function overview(ctx: Ctx): string[] {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length));
  return [
    ctx.lang === "en" ? "Usage: kaohe <command> [options]" : "用法：kaohe <命令> [选项]",
    "",
    ctx.lang === "en" ? "Commands:" : "命令：",
    ...names.map((name) => `  ${name.padEnd(width)}  ${(ctx.lang === "en" ? COMMANDS[name]?.spec.summary.en : COMMANDS[name]?.spec.summary.zh) ?? ""}`),
    "",
    ctx.lang === "en"
      ? "Run `kaohe help <command>` or `kaohe <command> --help` for a command's options. --lang en|zh chooses the language (default: Chinese, English when LANG is English). kaohe --version prints the version."
      : "运行 `kaohe help <命令>` 或 `kaohe <命令> --help` 查看各命令的选项。--lang zh|en 选择语言（默认中文，LANG 为英文时用英文）。kaohe --version 打印版本。",
    ctx.lang === "en" ? "Exit codes: 0 done, 1 invalid input, 2 wrong command line, 130 interrupted." : "退出码：0 完成，1 输入有误，2 命令行有误，130 被中断。",
  ];
}

/**
 * Runs the `kaohe` command line with the given arguments and resolves to the exit code. A user's
 * mistake gives a readable message (exit 1 or 2), never a stack trace.
 */
export async function runCli(args: readonly string[], io: CliIO): Promise<number> {
  const ctx = makeCtx(io, runLang(args, io));
  const rest = [...args];
  // Options before the command (`kaohe --lang en score …`) are the common ones.
  while (rest[0] === "--lang" || rest[0]?.startsWith("--lang=")) rest.splice(0, rest[0] === "--lang" ? 2 : 1);
  const [command, ...afterCommand] = rest;
  // A --lang given before the command applies to it too.
  const flag = rest.length < args.length ? langFlag(args) : undefined;
  const commandArgs = flag === undefined ? afterCommand : [...afterCommand, "--lang", flag];
  if (command === "--version" || command === "-V" || command === "-v") {
    io.stdout(KAOHE_VERSION);
    return EXIT.ok;
  }
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    const topic = command === "help" ? commandArgs.find((a) => !a.startsWith("-")) : undefined;
    if (topic !== undefined) {
      const found = COMMANDS[topic];
      if (!found) return usageFailure(ctx, "help", new UsageError(t(`没有 "${topic}" 这个命令`, `unknown command "${topic}"`)));
      if (topic === "framework") {
        // `kaohe help framework [import|export|diff]`: the subcommand's help, or the list of them.
        const sub = commandArgs.filter((a, i) => !a.startsWith("-") && commandArgs[i - 1] !== "--lang")[1];
        return await found.run(io, [...(sub === undefined ? [] : [sub]), "--help", "--lang", ctx.lang]);
      }
      for (const line of formatHelp(found.spec, ctx.lang)) io.stdout(line);
      return EXIT.ok;
    }
    if (command === undefined) {
      for (const line of overview(ctx)) io.stderr(line);
      return EXIT.usage;
    }
    for (const line of overview(ctx)) io.stdout(line);
    return EXIT.ok;
  }
  const found = COMMANDS[command];
  if (!found) {
    ctx.err(t(`kaohe：没有 "${command}" 这个命令`, `kaohe: unknown command "${command}"`));
    ctx.err(t("运行 `kaohe --help` 查看所有命令。", "Run `kaohe --help` for the commands."));
    return EXIT.usage;
  }
  try {
    return await found.run(io, commandArgs);
  } catch (error) {
    if (error instanceof UsageError) return usageFailure(ctx, command, error);
    throw error;
  }
}

/** The command declarations, for the documentation tests. @internal */
export const COMMAND_SPECS: readonly CommandSpec[] = [...Object.values(COMMANDS).map((c) => c.spec), ...FRAMEWORK_SUBCOMMAND_SPECS];

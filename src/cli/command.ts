import { formatHelp, parseCommandArgs, type CommandSpec, type Parsed } from "./args";
import { EXIT, UsageError, makeCtx, type CliIO, type Ctx } from "./io";
import { resolveLang, t, type Lang } from "./lang";

/** Finds `--lang x` or `--lang=x` among arguments, to speak the right language even about errors. */
export function langFlag(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--") break;
    if (arg === "--lang") return args[i + 1];
    if (arg.startsWith("--lang=")) return arg.slice(7);
  }
  return undefined;
}

/** The language of a run: `--lang`, else the locale of `io.env`, else Chinese. */
export function runLang(args: readonly string[], io: CliIO): Lang {
  return resolveLang(langFlag(args), io.env);
}

/** Prints a usage error the same way for every command, and gives exit 2. */
export function usageFailure(ctx: Ctx, command: string, error: UsageError): number {
  ctx.err(`kaohe ${command}: ${ctx.lang === "en" ? error.text.en : error.text.zh}`);
  ctx.err(t(`运行 \`kaohe help ${command}\` 查看用法。`, `Run \`kaohe help ${command}\` for usage.`));
  return EXIT.usage;
}

/**
 * Runs one command: parses its arguments against its declaration, answers `--help`/`-h` with the
 * help generated from it, turns a {@link UsageError} into exit 2, and otherwise runs `body`.
 */
export function runCommand<R extends number | Promise<number>>(
  spec: CommandSpec,
  args: readonly string[],
  io: CliIO,
  body: (ctx: Ctx, parsed: Parsed) => R,
): R | number | Promise<number> {
  const ctx = makeCtx(io, runLang(args, io));
  let parsed: Parsed;
  try {
    parsed = parseCommandArgs(spec, args);
    if (parsed.values.help === true) {
      for (const line of formatHelp(spec, ctx.lang)) ctx.out(line);
      return EXIT.ok;
    }
  } catch (error) {
    if (error instanceof UsageError) return usageFailure(ctx, spec.name, error);
    throw error;
  }
  try {
    const result = body(ctx, parsed);
    if (result instanceof Promise) {
      return result.catch((error: unknown) => {
        if (error instanceof UsageError) return usageFailure(ctx, spec.name, error);
        throw error;
      });
    }
    return result;
  } catch (error) {
    if (error instanceof UsageError) return usageFailure(ctx, spec.name, error);
    throw error;
  }
}

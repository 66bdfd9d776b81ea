import { parseArgs as parseNodeArgs } from "node:util";
import { t, type Bilingual, type Lang } from "./lang";
import { pick } from "../internal/i18n";

/**
 * One option of a command, declared once: `kaohe <command>` parses with it and `--help` prints it.
 * Adding an option to a command is adding one entry to its `options`.
 */
export interface OptionSpec {
  /** `string` takes a value (`--out f.csv` or `--out=f.csv`); `boolean` is a switch. */
  readonly type: "string" | "boolean";
  /** A one-letter alias, e.g. `o` for `-o`. */
  readonly short?: string;
  /** The value's placeholder in the help, e.g. `<file>`. */
  readonly value?: string;
  /** The allowed values; any other is a usage error naming the option and the value. */
  readonly choices?: readonly string[];
  /** The default, as the help shows it (applied by the command, which may compute it). */
  readonly default?: string;
  /** May be given more than once. */
  readonly multiple?: boolean;
  /** What the option does. */
  readonly help: Bilingual;
}

/** A command's declaration: its usage, options, exit codes and examples, from which help is made. */
export interface CommandSpec {
  readonly name: string;
  /** The positionals of the usage line, e.g. `<assessment.json>…`. */
  readonly args: string;
  readonly summary: Bilingual;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Exit codes beyond the common 0, 2 and 130, with their meaning. */
  readonly exits: readonly (readonly [number, Bilingual])[];
  /** Example command lines (run by the docs tests). */
  readonly examples: readonly string[];
  /** Further notes printed after the options. */
  readonly notes?: readonly Bilingual[];
}

/** Exit codes: 0 done, 1 the input was wrong, 2 the command line was wrong, 130 interrupted (Ctrl-C). */
export const EXIT = { ok: 0, invalid: 1, usage: 2, interrupted: 130, terminated: 143 } as const;

/** A usage mistake on the command line (unknown command or option, missing argument): exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  /** The message in both languages. */
  readonly text: Bilingual;
  constructor(text: Bilingual | string) {
    const both = typeof text === "string" ? { zh: text, en: text } : text;
    super(both.en);
    this.text = both;
  }
}

/** The options every command takes. */
export const COMMON_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  lang: { type: "string", value: "<zh|en>", choices: ["zh", "en"], help: t("输出语言；默认中文，LANG/LC_ALL 为英文时用英文", "language of the output; Chinese unless LANG/LC_ALL is English") },
  help: { type: "boolean", short: "h", help: t("显示本命令的帮助", "show this command's help") },
};

/** Parsed arguments: positionals and option values (strings, booleans, or lists when `multiple`). */
export interface Parsed {
  readonly positionals: string[];
  readonly values: Record<string, string | boolean | string[] | undefined>;
}

function optionName(message: string): string {
  return /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? "";
}

/**
 * Parses a command's arguments with Node's `util.parseArgs` (strict) against its declaration and
 * the common options; checks `choices`.
 *
 * @throws {@link UsageError} for an unknown option, a missing value, or a value not among the choices.
 */
export function parseCommandArgs(spec: CommandSpec, args: readonly string[]): Parsed {
  const options = { ...spec.options, ...COMMON_OPTIONS };
  const config = Object.fromEntries(
    Object.entries(options).map(([name, o]) => [name, { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) }]),
  );
  let parsed: ReturnType<typeof parseNodeArgs>;
  try {
    parsed = parseNodeArgs({ args: [...args], options: config, allowPositionals: true, strict: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = (error as Error).message;
    const name = optionName(message);
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw new UsageError(t(`未知选项 ${name}`, `unknown option ${name}`));
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      if (/does not take an argument/.test(message)) throw new UsageError(t(`选项 ${name} 不带值`, `option ${name} takes no value`));
      throw new UsageError(t(`选项 ${name} 需要一个值`, `option ${name} needs a value`));
    }
    throw error;
  }
  const values = parsed.values as Parsed["values"];
  for (const [name, o] of Object.entries(options)) {
    const value = values[name];
    if (o.type !== "string" || value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value as string]) {
      if (one === "") throw new UsageError(t(`选项 --${name} 需要一个值`, `option --${name} needs a value`));
      if (o.choices && !o.choices.includes(one)) {
        throw new UsageError(t(`--${name} 只能是 ${o.choices.join("、")}（收到 "${one}"）`, `--${name} must be one of ${o.choices.join(", ")} (got "${one}")`));
      }
    }
  }
  return { positionals: parsed.positionals, values };
}

/** Reads a string option (the last one when given several times). */
export function stringOption(parsed: Parsed, name: string): string | undefined {
  const value = parsed.values[name];
  if (Array.isArray(value)) return value.at(-1);
  return typeof value === "string" ? value : undefined;
}

const COMMON_EXITS: readonly (readonly [number, Bilingual])[] = [
  [EXIT.ok, t("完成", "done")],
  [EXIT.usage, t("命令行有误（未知选项、缺少参数、--out 不能写：文件夹不存在或就是输入文件）", "the command line was wrong (unknown option, missing argument, an --out that cannot be written: no such folder, or an input)")],
  [EXIT.interrupted, t("被中断（Ctrl-C）；已有的输出文件保持不变", "interrupted (Ctrl-C); an existing output file is left unchanged")],
];

/** The help of a command: usage, every option with its meaning and default, exit codes, examples. */
export function formatHelp(spec: CommandSpec, lang: Lang): string[] {
  const l = (text: Bilingual) => pick(lang, text);
  const lines = [`${l(t("用法：", "Usage: "))}kaohe ${spec.name} ${spec.args} [${l(t("选项", "options"))}]`, "", l(spec.summary), "", l(t("选项：", "Options:"))];
  const entries = Object.entries({ ...spec.options, ...COMMON_OPTIONS });
  const heads = entries.map(([name, o]) => `${o.short ? `-${o.short}, ` : "    "}--${name}${o.value ? ` ${o.value}` : ""}`);
  const width = Math.max(...heads.map((h) => h.length));
  entries.forEach(([, o], i) => {
    const extra = [
      o.default !== undefined ? `${l(t("默认", "default"))} ${o.default}` : "",
      o.multiple ? l(t("可多次给出", "may be repeated")) : "",
    ].filter(Boolean);
    const suffix = extra.length === 0 ? "" : lang === "en" ? ` (${extra.join("; ")})` : `（${extra.join("；")}）`;
    lines.push(`  ${(heads[i] ?? "").padEnd(width)}  ${l(o.help)}${suffix}`);
  });
  for (const note of spec.notes ?? []) lines.push("", l(note));
  lines.push("", l(t("退出码：", "Exit codes:")));
  const exits = [...COMMON_EXITS, ...spec.exits].sort((a, b) => a[0] - b[0]);
  for (const [code, meaning] of exits) lines.push(`  ${String(code).padStart(3)}  ${l(meaning)}`);
  lines.push("", l(t("示例：", spec.examples.length > 1 ? "Examples:" : "Example:")));
  for (const example of spec.examples) lines.push(`  ${example}`);
  return lines;
}

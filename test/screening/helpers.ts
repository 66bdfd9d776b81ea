import { readFileSync } from "node:fs";
import { runScreenCommand, type ScreenCliIO } from "../../src/cli/screen";

export const EXAMPLES = new URL("../../examples/screening/", import.meta.url);
export const examplePath = (name: string) => new URL(name, EXAMPLES).pathname;

/**
 * The example rulebook, parsed afresh (tests may change their copy, also into an invalid rulebook:
 * hence untyped, as JSON.parse gives it; the library's typed entry points take it as a user's would).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function exampleRulebook(): any {
  return JSON.parse(readFileSync(examplePath("rulebook.json"), "utf8")) as never;
}

/** The findings each rule must give, declared by hand in generate.ts. */
export function expected(): { findings: Record<string, string[]>; households: Record<string, string>; rejected: Record<string, string[]> } {
  return JSON.parse(readFileSync(examplePath("expected.json"), "utf8")) as never;
}

/** Runs `kaohe screen` in-process, capturing its output; in English (`--lang en`) unless `lang` or a later `--lang` says otherwise. */
export async function runScreen(args: string[], extra: Partial<ScreenCliIO> & { lang?: "zh" | "en" } = {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const { lang = "en", ...io } = extra;
  const code = await runScreenCommand(["--lang", lang, ...args], {
    readFile: (path) => readFileSync(path, "utf8"),
    stdout: (line) => stdout.push(line),
    stderr: (line) => stderr.push(line),
    ...io,
  });
  return { code, stdout, stderr };
}

/** A row of a person of the example rulebook: a clean, insured adult of a one-person household, with overrides. */
export function examplePerson(household: string, n: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    county: "示例县", township: "甲乡", village: "一村", householdId: household, riskStatus: "未消除", perCapitaIncome: "9000",
    measures: "产业帮扶", householdSize: "1", personId: `${household}-${n}`, age: "40", labourAbility: "普通劳动力", employed: "是",
    insured: "是", ...over,
  };
}

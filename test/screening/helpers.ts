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

/** Runs `kaohe screen` in-process, capturing its output. */
export async function runScreen(args: string[], extra: Partial<ScreenCliIO> = {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runScreenCommand(args, {
    readFile: (path) => readFileSync(path, "utf8"),
    stdout: (line) => stdout.push(line),
    stderr: (line) => stderr.push(line),
    ...extra,
  });
  return { code, stdout, stderr };
}

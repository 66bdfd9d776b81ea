import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { COMMON_OPTIONS } from "../../src/cli/args";
import { COMMAND_SPECS } from "../../src/cli/main";
import { jsonSchemaSources } from "../../src/cli/schemas";
import { FILE_KINDS } from "../../src/cli/validate";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cli = join(root, "dist/cli.js");
const pages = { "docs/cli.md": readFileSync(join(root, "docs/cli.md"), "utf8"), "docs/zh/cli.md": readFileSync(join(root, "docs/zh/cli.md"), "utf8") };

interface Example {
  page: string;
  args: string[];
  expected: string[];
  code: number;
}

/** The ```console blocks of a page: `$ kaohe …` then the output shown, and `[exit N]` (default 0). */
function examples(page: string, text: string): Example[] {
  return [...text.matchAll(/```console\n([\s\S]*?)```/g)].map((block) => {
    const [command = "", ...rest] = (block[1] ?? "").trimEnd().split("\n");
    expect(command.startsWith("$ kaohe "), command).toBe(true);
    const exit = rest.at(-1)?.match(/^\[exit (\d+)\]$/);
    return { page, args: command.slice("$ kaohe ".length).split(" "), expected: exit ? rest.slice(0, -1) : rest, code: exit ? Number(exit[1]) : 0 };
  });
}

/** Lines match in order; `…` skips any number of lines, and a line ending in `…` matches by prefix. */
function matchesShown(actual: string[], expected: string[]): boolean {
  let i = 0;
  let skipping = false;
  for (const want of expected) {
    if (want === "…") {
      skipping = true;
      continue;
    }
    const fits = (line: string) => (want.endsWith("…") ? line.startsWith(want.slice(0, -1)) : line === want);
    if (skipping) {
      while (i < actual.length && !fits(actual[i] as string)) i++;
      if (i === actual.length) return false;
    } else if (!fits(actual[i] ?? "")) return false;
    i++;
    skipping = false;
  }
  return skipping || i === actual.length;
}

const all = Object.entries(pages).flatMap(([page, text]) => examples(page, text));

/*
 * The examples run in a temporary folder holding copies of the repository files they name, at the
 * same relative paths: an example that writes (or a stale dist that ignores a refusal) can only
 * write into the copy. Examples name files by relative paths inside the repository, never above it.
 */
const work = mkdtempSync(join(tmpdir(), "kaohe-docs-"));
const used = new Set(all.flatMap((e) => e.args.filter((arg) => !arg.startsWith("-") && existsSync(join(root, arg)) && statSync(join(root, arg)).isFile())));
for (const file of used) {
  mkdirSync(dirname(join(work, file)), { recursive: true });
  copyFileSync(join(root, file), join(work, file));
}
const original = new Map([...used].map((file) => [file, readFileSync(join(root, file))]));

/** The help's examples run by a shell (they may redirect or glob), with `kaohe` the built CLI, in a copy of examples/. */
const shellWork = mkdtempSync(join(tmpdir(), "kaohe-help-examples-"));
cpSync(join(root, "examples"), join(shellWork, "examples"), { recursive: true });
mkdirSync(join(shellWork, ".bin"));
writeFileSync(join(shellWork, ".bin", "kaohe"), `#!/bin/sh\nexec "${process.execPath}" "${cli}" "$@"\n`);
chmodSync(join(shellWork, ".bin", "kaohe"), 0o755);
const helpExamples = [...new Set(COMMAND_SPECS.flatMap((spec) => spec.examples))];

describe("docs/cli.md and docs/zh/cli.md", () => {
  it.each(all.map((e) => [`${e.page}: kaohe ${e.args.join(" ")}`, e] as const))("%s prints what the page shows", (_title, example) => {
    expect(existsSync(cli), "run `npm run build` first").toBe(true);
    for (const arg of example.args) expect(isAbsolute(arg) || normalize(arg).startsWith(".."), `${arg}: examples name files inside the repository`).toBe(false);
    const run = spawnSync(process.execPath, [cli, ...example.args], { cwd: work, encoding: "utf8", env: { PATH: process.env.PATH ?? "", LANG: "C.UTF-8" } });
    const output = `${run.stdout}${run.stderr}`.trimEnd().split("\n");
    expect(run.status, output.join("\n")).toBe(example.code);
    expect(matchesShown(output, example.expected), `shown:\n${example.expected.join("\n")}\n\nprinted:\n${output.join("\n")}`).toBe(true);
  });

  it.each(helpExamples)("the help's example `%s` runs and exits 0", (example) => {
    expect(example.startsWith("kaohe ")).toBe(true);
    const run = spawnSync("/bin/sh", ["-c", example], { cwd: shellWork, encoding: "utf8", env: { PATH: `${join(shellWork, ".bin")}:${process.env.PATH ?? ""}`, LANG: "C.UTF-8" } });
    expect(run.status, `${run.stdout.slice(0, 1000)}\n${run.stderr}`).toBe(0);
  });

  it("runs in a copy: the repository's files the examples name are unchanged", () => {
    expect(used.has("examples/screening/synthetic-households.csv")).toBe(true);
    for (const [file, bytes] of original) expect(readFileSync(join(root, file)).equals(bytes), file).toBe(true);
  });

  it.each(Object.entries(pages))("%s documents every command, option, exit code, file kind and schema", (_page, text) => {
    for (const spec of COMMAND_SPECS) {
      expect(text).toContain(`kaohe ${spec.name}`);
      for (const [name, option] of Object.entries({ ...spec.options, ...COMMON_OPTIONS })) {
        expect(text, `--${name} of ${spec.name}`).toContain(`--${name}`);
        if (option.short) expect(text).toContain(`-${option.short}`);
      }
    }
    for (const code of ["0", "1", "2", "130", "143"]) expect(text).toMatch(new RegExp(`\\b${code}\\b`));
    for (const kind of FILE_KINDS) expect(text).toContain(`\`${kind}\``);
    for (const name of Object.keys(jsonSchemaSources)) expect(text).toContain(`\`${name}\``);
  });
});

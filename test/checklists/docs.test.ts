import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * Runs the code of docs/checklists.md and the TSDoc @example blocks of the checklist modules, with
 * `import … from "kaohe"` pointed at a shim that exports those modules (so the examples run whether
 * or not src/index.ts lists them yet). Each line `expression; //=> expected` asserts deep equality.
 */
const root = fileURLToPath(new URL("../../", import.meta.url));
const out = join(root, ".tmp", "checklist-doc-examples");
const sources = [
  "src/model/checklistParse.ts",
  "src/frameworks/nearTermChecklist2025.ts",
  "src/checklists/status.ts",
  "src/checklists/recurrence.ts",
  "src/checklists/rectification.ts",
  "src/checklists/summary.ts",
  "src/checklists/schemas.ts",
];
const read = (file: string) => readFileSync(join(root, file), "utf8");

function examples(): { name: string; code: string }[] {
  const doc = [...read("docs/checklists.md").matchAll(/```ts\n([\s\S]*?)```/g)].map((m, i) => ({ name: `docs/checklists.md #${i + 1}`, code: m[1] ?? "" }));
  const tsdoc = sources.flatMap((file) =>
    [...read(file).matchAll(/@example\s*\n\s*\*\s*```ts\n([\s\S]*?)\*\s*```/g)].map((m, i) => ({
      name: `${file} @example #${i + 1}`,
      code: (m[1] ?? "").replace(/^\s*\* ?/gm, ""),
    })),
  );
  return [...doc, ...tsdoc];
}

function toModule(code: string, name: string): string {
  const lines = code.replace(/from "kaohe"/g, `from "./kaohe"`).split("\n");
  let checks = 0;
  for (let n = 0; n < lines.length; n++) {
    const match = /^(\s*)(.*?);?\s*\/\/=>\s*(.*)$/.exec(lines[n] ?? "");
    if (!match) continue;
    const where = JSON.stringify(`${name}, line ${n + 1}`);
    if (match[2]?.trim()) lines[n] = `${match[1]}__check(${match[2]}, ${match[3]}, ${where});`;
    else {
      const above = /^(\s*)(.*?);?\s*$/.exec(lines[n - 1] ?? "");
      lines[n - 1] = `${above?.[1] ?? ""}__check(${above?.[2] ?? "undefined"}, ${match[3]}, ${where});`;
      lines[n] = "";
    }
    checks++;
  }
  if (checks === 0) lines.push(`throw new Error("example shows no //=> result");`);
  return [`import { expect } from "vitest";`, `function __check(a: unknown, e: unknown, w: string) { expect(a, w).toEqual(e); }`, ...lines, `export const checked = true;`].join("\n");
}

describe("the checklist documentation", () => {
  mkdirSync(out, { recursive: true });
  const rel = (file: string) => relative(out, join(root, file)).replace(/\\/g, "/").replace(/\.ts$/, "");
  writeFileSync(
    join(out, "kaohe.ts"),
    ["src/checklists/index.ts", "src/model/checklist.ts", "src/model/checklistParse.ts", "src/frameworks/nearTermChecklist2025.ts"]
      .map((file) => `export * from "${rel(file)}";`)
      .join("\n"),
  );
  const all = examples();

  it("has examples in the guide and in the TSDoc of every module", () => {
    expect(all.filter((e) => e.name.startsWith("docs")).length).toBeGreaterThanOrEqual(4);
    for (const file of sources) expect(all.some((e) => e.name.startsWith(file)), file).toBe(true);
  });

  it.each(all.map((e, i) => ({ ...e, i })))("$name runs and gives what it shows", async ({ name, code, i }) => {
    const file = join(out, `example-${i}.ts`);
    writeFileSync(file, toModule(code, name));
    const module = (await import(/* @vite-ignore */ file)) as { checked: boolean };
    expect(module.checked).toBe(true);
  });

  it("shows the weekly review exactly as the command prints it", () => {
    // The English guide shows the English output (--lang en); the Chinese default is expected-<date>.zh.txt.
    const block = /<!-- output: kaohe checklist (\S+) --as-of (\S+)( --lang en)? -->\n```text\n([\s\S]*?)```/.exec(read("docs/checklists.md"));
    expect(block?.[1]).toBe("examples/county-2025/progress.json");
    expect(block?.[4]).toBe(read(`examples/county-2025/expected-${block?.[2]}${block?.[3] ? "" : ".zh"}.txt`));
  });

  it("draws every rectification state in the diagram", () => {
    const diagram = /```mermaid\n([\s\S]*?)```/.exec(read("docs/checklists.md"))?.[1] ?? "";
    for (const state of ["待整改", "整改中", "已整改", "已销号", "回炉"]) expect(diagram).toContain(state);
  });
});

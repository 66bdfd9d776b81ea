import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * Runs every code example of the docs: the ```ts blocks of README.md and docs/*.md, and the
 * @example blocks of the TSDoc in src/. `import … from "kaohe"` is pointed at src/index.ts, and
 * each line `expression; //=> expected` becomes an assertion that the expression deep-equals the
 * expected value.
 */
const root = fileURLToPath(new URL("..", import.meta.url));
const out = join(root, ".tmp", "doc-examples");

interface Example {
  name: string;
  code: string;
}

function markdownExamples(file: string): Example[] {
  const text = readFileSync(join(root, file), "utf8");
  const blocks = [...text.matchAll(/```ts\n([\s\S]*?)```/g)];
  return blocks.map((m, i) => ({ name: `${file} #${i + 1}`, code: m[1] ?? "" }));
}

function tsdocExamples(file: string): Example[] {
  const text = readFileSync(join(root, file), "utf8");
  const blocks = [...text.matchAll(/@example\s*\n\s*\*\s*```ts\n([\s\S]*?)\*\s*```/g)];
  return blocks.map((m, i) => ({
    name: `${file} @example #${i + 1}`,
    code: (m[1] ?? "").replace(/^\s*\* ?/gm, ""),
  }));
}

function walk(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : [],
  );
}

function docFiles(): string[] {
  // The guides and their Chinese twins (docs/zh/).
  const docs = ["docs", "docs/zh"].flatMap((dir) =>
    readdirSync(join(root, dir)).filter((f) => f.endsWith(".md")).map((f) => `${dir}/${f}`),
  );
  return ["README.md", ...docs];
}

/** Turns an example into a module that asserts each `//=>` line. */
function toModule(example: Example, file: string): string {
  const index = relative(join(out), join(root, "src", "index")).replace(/\\/g, "/");
  const sql = relative(join(out), join(root, "src", "sql", "index")).replace(/\\/g, "/");
  const tables = relative(join(out), join(root, "src", "screening", "tables", "index")).replace(/\\/g, "/");
  const loop = relative(join(out), join(root, "src", "loop", "index")).replace(/\\/g, "/");
  const authoring = relative(join(out), join(root, "src", "authoring", "index")).replace(/\\/g, "/");
  const lines = example.code
    .replace(/from "kaohe"/g, `from "${index}"`)
    .replace(/from "kaohe\/sql"/g, `from "${sql}"`)
    .replace(/from "kaohe\/tables"/g, `from "${tables}"`)
    .replace(/from "kaohe\/loop"/g, `from "${loop}"`)
    .replace(/from "kaohe\/authoring"/g, `from "${authoring}"`)
    .split("\n");
  let checks = 0;
  for (let n = 0; n < lines.length; n++) {
    const match = /^(\s*)(.*?);?\s*\/\/=>\s*(.*)$/.exec(lines[n] ?? "");
    if (!match) continue;
    const where = JSON.stringify(`${example.name}, line ${n + 1}`);
    if (match[2]?.trim()) {
      lines[n] = `${match[1]}__check(${match[2]}, ${match[3]}, ${where});`;
    } else {
      // `//=> value` on its own line shows the value of the statement just above it.
      const above = /^(\s*)(.*?);?\s*$/.exec(lines[n - 1] ?? "");
      lines[n - 1] = `${above?.[1] ?? ""}__check(${above?.[2] ?? "undefined"}, ${match[3]}, ${where});`;
      lines[n] = "";
    }
    checks++;
  }
  if (checks === 0 && !/no result shown/.test(example.code)) lines.push(`throw new Error("example shows no //=> result");`);
  return [`import { __check } from "./check";`, ...lines, `export const checked = true;`, `// from ${file}`].join("\n");
}

const examples = [
  ...docFiles().flatMap(markdownExamples),
  ...walk("src").flatMap(tsdocExamples),
];

describe("documentation examples", () => {
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, "check.ts"),
    [
      `import { expect } from "vitest";`,
      `export function __check(actual: unknown, expected: unknown, where: string): void {`,
      `  expect(actual, where).toEqual(expected);`,
      `}`,
    ].join("\n"),
  );

  it("finds examples in the docs and in the TSDoc", () => {
    expect(examples.length).toBeGreaterThan(10);
  });

  it("finds every TSDoc @example fenced as ```ts, so that none escapes this test", () => {
    const unfenced = walk("src").flatMap((file) =>
      [...readFileSync(join(root, file), "utf8").matchAll(/@example[ \t]*\n[ \t]*\*[ \t]*(?!```ts)(\S.*)/g)].map((m) => `${file}: ${m[1]}`),
    );
    expect(unfenced).toEqual([]);
  });

  it.each(examples.map((e, i) => ({ ...e, i })))("$name runs and gives what it shows", async ({ name, code, i }) => {
    const file = join(out, `example-${i}.ts`);
    writeFileSync(file, toModule({ name, code }, name));
    const module = (await import(/* @vite-ignore */ file)) as { checked: boolean };
    expect(module.checked).toBe(true);
  });
});

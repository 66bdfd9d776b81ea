import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import iconv from "iconv-lite";
import { beforeAll, describe, expect, it } from "vitest";
import { MISUSE_CASES, type MisuseCase } from "./misuse-cases";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cli = join(root, "dist/cli.js");
const work = mkdtempSync(join(tmpdir(), "kaohe-misuse-"));
const example = (path: string) => join(root, "examples", path);
const json = (path: string) => JSON.parse(readFileSync(example(path), "utf8")) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The workspace: copies of the examples and the hostile files each case needs. */
function buildWorkspace(): void {
  mkdirSync(join(work, "a"));
  for (const name of readdirSync(example("jiangxi-2025/assessments"))) copyFileSync(example(`jiangxi-2025/assessments/${name}`), join(work, "a", name));
  copyFileSync(example("jiangxi-2025/points.json"), join(work, "points.json"));
  copyFileSync(example("jiangxi-2025/grades.json"), join(work, "grades.json"));
  const points = json("jiangxi-2025/points.json");
  writeFileSync(join(work, "points-plain.json"), JSON.stringify({ points: points.points, methods: points.methods }));
  writeFileSync(join(work, "grades-high.json"), JSON.stringify({ grades: [{ grade: "好", min: 95 }, { grade: "较好", min: 90 }] }));
  writeFileSync(join(work, "proto-points.json"), '{"points":{"__proto__":{"i1":10}}}');
  writeFileSync(join(work, "bad-json.json"), "{ unit");
  writeFileSync(join(work, "empty.json"), "");
  writeFileSync(join(work, "empty-object.json"), "{}");
  const ganzhouText = readFileSync(example("jiangxi-2025/assessments/ganzhou.json"), "utf8");
  writeFileSync(join(work, "gbk.json"), iconv.encode(ganzhouText, "gbk"));
  writeFileSync(join(work, "utf16le.json"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(ganzhouText, "utf16le")]));
  writeFileSync(join(work, "utf16-nobom.json"), Buffer.from(ganzhouText, "utf16le"));
  const ganzhou = json("jiangxi-2025/assessments/ganzhou.json");
  writeFileSync(join(work, "unknown-indicator.json"), JSON.stringify({ ...ganzhou, indicators: { ...ganzhou.indicators, i99: { score: 1 } } }));
  const { i5: _dropped, ...withoutI5 } = ganzhou.indicators;
  writeFileSync(join(work, "missing-indicator.json"), JSON.stringify({ ...ganzhou, indicators: withoutI5 }));
  writeFileSync(join(work, "no-name.json"), JSON.stringify({ ...ganzhou, unit: { id: "ganzhou" } }));
  writeFileSync(join(work, "dup-ganzhou.json"), ganzhouText);
  writeFileSync(join(work, "bad-points.json"), JSON.stringify({ points: { ...points.points, i1: "abc", i99: 5 } }));
  copyFileSync(example("frameworks/county-2025.xlsx"), join(work, "county.xlsx"));
  copyFileSync(example("screening/rulebook.json"), join(work, "rulebook.json"));
  copyFileSync(example("screening/rulebook.json"), join(work, "rulebook.ndjson"));
  const rulebook = json("screening/rulebook.json");
  rulebook.rules[1].code = rulebook.rules[0].code;
  writeFileSync(join(work, "bad-rulebook.json"), JSON.stringify(rulebook));
  const csv = readFileSync(example("screening/synthetic-households.csv"), "utf8");
  writeFileSync(join(work, "households.csv"), csv);
  symlinkSync("households.csv", join(work, "link.csv"));
  const [header, ...rows] = csv.trimEnd().split("\n");
  writeFileSync(join(work, "inject.csv"), [header, ...rows.map((row) => row.replace(",一村,", ",=1+2,"))].join("\n") + "\n");
  // A long run to interrupt: the households repeated with distinct ids (about 170,000 rows).
  const big = [header];
  for (let k = 0; k < 8000; k++) for (const row of rows) big.push(row.replaceAll("SYN-", `S${k}-`));
  writeFileSync(join(work, "big.csv"), big.join("\n") + "\n");
  writeFileSync(join(work, "findings.csv"), "\uFEFF类型,规则编号\n问题线索,EARLIER-RUN\n");
  const progress = json("county-2025/progress.json");
  writeFileSync(join(work, "progress.json"), JSON.stringify(progress));
  writeFileSync(join(work, "problems.json"), JSON.stringify(progress.problems));
  writeFileSync(join(work, "submissions.json"), JSON.stringify([...progress.submissions.slice(0, 2), { unit: "town-01", deliverable: "t99-nothing", submittedOn: "2025-10-29" }]));
  writeFileSync(join(work, "progress-zh-ids.json"), JSON.stringify({ units: [{ id: "乡镇A", name: "乡镇A" }, { id: "360702", name: "章贡区" }], submissions: [{ unit: "乡镇A", deliverable: "t1-deployment", submittedOn: "2025-10-29" }] }));
}

/** Every file of the workspace (dot files included) and a digest of its bytes (or link target). */
function snapshot(dir = work, prefix = ""): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = lstatSync(path);
    if (stat.isDirectory()) for (const [k, v] of snapshot(path, `${prefix}${name}/`)) files.set(k, v);
    else files.set(`${prefix}${name}`, createHash("sha256").update(stat.isSymbolicLink() ? `link:${readlinkSync(path)}` : readFileSync(path)).digest("hex"));
  }
  return files;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI in a child process, with a signal or a closed pipe when the case asks. */
function run(c: MisuseCase): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = { PATH: process.env.PATH ?? "", LANG: "C.UTF-8", ...c.env };
    const child = spawn(process.execPath, [cli, ...c.args], { cwd: work, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      stdout += chunk;
      if (c.closeStdoutAfter !== undefined && stdout.length >= c.closeStdoutAfter) child.stdout.destroy();
    });
    child.stderr.on("data", (chunk: string) => (stderr += chunk));
    if (c.stdin) child.stdin.end(readFileSync(join(work, c.stdin)));
    else child.stdin.end();
    if (c.signal) {
      const signal = c.signal;
      const poll = setInterval(() => {
        if (readdirSync(work).some((name) => name.endsWith(".kaohe-tmp"))) {
          clearInterval(poll);
          child.kill(signal);
        }
      }, 5);
      child.on("exit", () => clearInterval(poll));
    }
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

function matches(text: string, expected: string | RegExp): boolean {
  return typeof expected === "string" ? text.includes(expected) : expected.test(text);
}

beforeAll(() => {
  if (!existsSync(cli)) throw new Error("dist/cli.js is missing: run `npm run build` first (npm test does)");
  buildWorkspace();
});

describe("the built kaohe command line, misused", () => {
  it("has at least 40 cases, among them SIGINT, SIGTERM, a closed pipe and atomic writes", () => {
    expect(MISUSE_CASES.length).toBeGreaterThanOrEqual(40);
    expect(MISUSE_CASES.some((c) => c.signal === "SIGINT")).toBe(true);
    expect(MISUSE_CASES.some((c) => c.signal === "SIGTERM")).toBe(true);
    expect(MISUSE_CASES.some((c) => c.closeStdoutAfter !== undefined)).toBe(true);
    expect(MISUSE_CASES.some((c) => c.creates?.length)).toBe(true);
  });

  it.each(MISUSE_CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const before = snapshot();
    const result = await run(c);
    const both = `${result.stdout}\n${result.stderr}`;
    expect(result.code, both).toBe(c.code);
    for (const text of c.stderr ?? []) expect(matches(result.stderr, text), `stderr should contain ${String(text)}:\n${result.stderr}`).toBe(true);
    for (const text of c.stdout ?? []) expect(matches(result.stdout, text), `stdout should contain ${String(text)}:\n${result.stdout.slice(0, 2000)}`).toBe(true);
    for (const text of c.never ?? []) expect(matches(both, text), `should not show ${String(text)}:\n${both.slice(0, 2000)}`).toBe(false);
    // Never a stack trace for a user's mistake.
    expect(result.stderr).not.toMatch(/\n\s+at /);
    if (c.output) {
      const text = readFileSync(join(work, c.output.file), "utf8");
      for (const part of c.output.contains) expect(text).toContain(part);
      for (const part of c.output.lacks ?? []) expect(text).not.toContain(part);
    }
    // No input nor earlier output changed, no temporary file left; only the declared outputs appear.
    const after = snapshot();
    for (const file of c.creates ?? []) {
      expect(after.has(file), `${file} should be written`).toBe(true);
      after.delete(file);
      rmSync(join(work, file));
    }
    expect(after).toEqual(before);
  });
});

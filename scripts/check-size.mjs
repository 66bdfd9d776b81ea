// Bundles the installed package as a browser user would (esbuild, platform browser, minified) and
// checks the gzipped size of three imports against their budgets (issue 12). Run from a project
// where the packed tarball is installed: `node scripts/check-size.mjs <project-dir> [--top N]`.
// `--top N` also prints the N modules that contribute most to each bundle (esbuild's metafile).
import { build } from "esbuild";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";

const KB = 1024;
/**
 * Each case: what a user writes and its gzipped budget in KB (issue 12). `enforced: false` marks a
 * budget not met yet: its figure is printed as NOT MET and fails nothing, so that the number stays
 * visible without a check that cannot fail. The schemas use zod/mini (decision 0502), which a
 * bundler trims to what they use; `compileRule` imports neither zod nor decimal.js (the rules'
 * exact arithmetic is their own, decision 0106), so it is the rules' own code. A budget met but not
 * enforced says so.
 */
const CASES = [
  {
    name: "compileRule",
    code: `import { compileRule } from "kaohe"; globalThis.out = compileRule;`,
    budget: 20,
    enforced: true,
  },
  {
    name: "scoreAssessment + jiangxi2025",
    code: `import { scoreAssessment, jiangxi2025 } from "kaohe"; globalThis.out = [scoreAssessment, jiangxi2025];`,
    budget: 60,
    enforced: true,
  },
  {
    name: "whole library",
    code: `import * as kaohe from "kaohe"; globalThis.out = kaohe;`,
    budget: 90,
    enforced: true,
  },
];

const args = process.argv.slice(2);
const project = resolve(args[0] ?? ".");
const topIndex = args.indexOf("--top");
const top = topIndex >= 0 ? Number(args[topIndex + 1]) : 0;
const tmp = mkdtempSync(join(project, ".size-"));
let failed = false;
try {
  for (const c of CASES) {
    const entry = join(tmp, "entry.mjs");
    writeFileSync(entry, c.code);
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      write: false,
      metafile: true,
      logLevel: "silent",
      absWorkingDir: project,
    });
    const bytes = result.outputFiles[0].contents;
    const gz = gzipSync(bytes, { level: 9 }).length;
    const over = gz > c.budget * KB;
    if (over && c.enforced) failed = true;
    const status = !over ? (c.enforced ? "ok     " : "MET (set enforced: true)") : c.enforced ? "OVER   " : "NOT MET";
    console.log(
      `${status} ${c.name}: ${(bytes.length / KB).toFixed(1)} KB minified, ` +
        `${(gz / KB).toFixed(1)} KB gzipped (budget ${c.budget} KB gzipped${c.enforced ? "" : ", not enforced yet"})`,
    );
    if (top > 0) {
      const inputs = Object.values(result.metafile.outputs)[0].inputs;
      const byPackage = new Map();
      for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
        const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)/.exec(path);
        const key = !m ? path : m[1] === "kaohe" ? `kaohe/${m[2]}` : `${m[1]}/${m[2].split("/").slice(0, -1).join("/") || "."}`;
        byPackage.set(key, (byPackage.get(key) ?? 0) + bytesInOutput);
      }
      for (const [key, n] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, top)) {
        console.log(`        ${(n / KB).toFixed(1).padStart(7)} KB  ${key}`);
      }
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
if (failed) {
  console.error("size budget exceeded (issue 12): see the figures above");
  process.exit(1);
}

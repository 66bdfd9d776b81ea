// Builds the static playground (examples/playground/) into examples/playground/dist/: the page, its
// stylesheet, and two bundles (the page and its screening Web Worker) of the library's sources with
// the example data built in. No server-side part: serve the folder with any static file server.
// Usage: npm run playground [-- --out <dir>]
import { build } from "esbuild";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..");
const SOURCE = join(ROOT, "examples/playground");

/** Builds the playground into `out` (emptied first) and returns it. */
export async function buildPlayground(out = join(SOURCE, "dist")): Promise<string> {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: { playground: join(SOURCE, "src/main.ts"), "screen-worker": join(SOURCE, "src/screen-worker.ts") },
    outdir: out,
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    alias: { kaohe: join(ROOT, "src/index.ts") },
    loader: { ".csv": "text" },
    legalComments: "none",
    logLevel: "warning",
  });
  for (const file of ["index.html", "style.css"]) copyFileSync(join(SOURCE, file), join(out, file));
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const at = process.argv.indexOf("--out");
  const out = await buildPlayground(at > 0 ? resolve(process.argv[at + 1] as string) : undefined);
  console.log(`playground built in ${out}`);
}

// Helpers shared by the benchmark scripts (scripts/bench-*.ts): command-line numbers, medians, and
// another checkout's screening modules bundled and loaded beside this one's.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

/** Reads `name <positive integer>` from the command line, or gives `fallback`. */
export function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} needs a positive integer`);
  return value;
}

/** Reads `--name <text>` from the command line, or undefined. */
export function textOption(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
}

/** The median of some figures (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Bundles some of a checkout's screening modules (`src/screening/<path>.ts`) into one ES module
 * (by esbuild, which tsup brings, as the CLI is built), writes it to `dir` and loads it: two
 * checkouts compared in one process each run compiled code, not sources through tsx.
 *
 * @param root - The checkout.
 * @param dir - Where the bundle is written (`<name>.mjs`).
 * @param name - The bundle's name.
 * @param paths - The modules, e.g. `node/run`.
 * @param external - Whether packages stay imports from node_modules rather than bundled.
 * @returns The module's exports.
 */
export async function importScreening(root: string, dir: string, name: string, paths: readonly string[], external = false): Promise<Record<string, any>> {
  const contents = paths.map((path) => `export * from "./src/screening/${path}.ts";`).join("\n");
  const bundle = await build({ stdin: { contents, resolveDir: root, loader: "ts" }, bundle: true, platform: "node", format: "esm", write: false, logLevel: "warning", ...(external ? { packages: "external" as const } : {}) });
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, bundle.outputFiles[0]?.text ?? "");
  return import(pathToFileURL(file).href);
}

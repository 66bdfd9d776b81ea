import { defineConfig } from "tsup";
import { readdirSync } from "node:fs";

// Runtime dependencies (package.json `dependencies`) stay external. Anything else that the library
// imports is bundled: @noble/hashes is ESM-only, and bundling it keeps the CJS build loadable by
// `require` on every supported Node version.
//
// The ESM build keeps one output file per source module (every library module is an entry, with
// code splitting), so that a browser bundler, told `sideEffects: false` by package.json, drops the
// modules a user does not import: `compileRule` alone does not bring the zod schemas (issue 12,
// docs/decisions/0501-package-dependencies.md).
const libraryModules = readdirSync("src", { recursive: true, encoding: "utf8" })
  .map((f) => `src/${f.replaceAll("\\", "/")}`)
  .filter((f) => f.endsWith(".ts") && !f.startsWith("src/cli/") && !f.startsWith("src/screening/node/") && !f.startsWith("src/sql/node/"));
/** Packages the CLI bundles; each is a devDependency, never installed for a library user. */
const CLI_BUNDLED = ["@noble/hashes", "exceljs", "iconv-lite", "piscina", "saxes", "yauzl"];

export default defineConfig([
  {
    entry: libraryModules,
    format: ["esm"],
    splitting: true,
    // Five public entries: kaohe, kaohe/sql (the SQL compiler), kaohe/tables (several exports
    // joined), kaohe/loop (the re-screening loop) and kaohe/authoring (framework tables, derived
    // versions, diffs), the last four kept out of the main bundle.
    dts: { entry: { index: "src/index.ts", "sql/index": "src/sql/index.ts", "screening/tables/index": "src/screening/tables/index.ts", "loop/index": "src/loop/index.ts", "authoring/index": "src/authoring/index.ts" } },
    sourcemap: true,
    clean: true,
    target: "es2022",
    platform: "neutral",
    noExternal: ["@noble/hashes"],
  },
  {
    entry: { index: "src/index.ts", "sql/index": "src/sql/index.ts", "screening/tables/index": "src/screening/tables/index.ts", "loop/index": "src/loop/index.ts", "authoring/index": "src/authoring/index.ts" },
    format: ["cjs"],
    dts: { entry: { index: "src/index.ts", "sql/index": "src/sql/index.ts", "screening/tables/index": "src/screening/tables/index.ts", "loop/index": "src/loop/index.ts", "authoring/index": "src/authoring/index.ts" } },
    sourcemap: true,
    target: "es2022",
    platform: "neutral",
    noExternal: ["@noble/hashes"],
  },
  {
    // The command line: Node only, ESM, with its shebang kept from src/cli/bin.ts. It bundles its
    // own dependencies (readers, encodings, worker pool), so that a library user does not install
    // them (docs/decisions/0501-package-dependencies.md); they are devDependencies.
    // The screening worker is loaded by file name next to cli.js, so it is an entry of its own;
    // piscina starts each thread from `worker.js` beside its own code, so its worker is one too.
    entry: {
      cli: "src/cli/bin.ts",
      "screen-worker": "src/screening/node/screen-worker.ts",
      "tables-worker": "src/screening/node/tables-worker.ts",
      worker: "node_modules/piscina/dist/worker.js",
    },
    format: ["esm"],
    sourcemap: true,
    target: "node20",
    platform: "node",
    noExternal: CLI_BUNDLED,
    // piscina's optional native helper for thread priority, loaded lazily and only when asked for.
    external: ["@napi-rs/nice"],
    // Source maps name the files and lines without embedding the bundled packages' sources (5 MB).
    esbuildOptions(options) {
      options.sourcesContent = false;
    },
    // The bundled CommonJS packages call `require` and read `__dirname`: give them both in ESM.
    shims: true,
    banner: { js: 'import { createRequire as __kaoheRequire } from "node:module"; const require = __kaoheRequire(import.meta.url);' },
  },
]);

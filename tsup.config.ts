import { defineConfig } from "tsup";

// Runtime dependencies (package.json `dependencies`) stay external. Anything else that the library
// imports is bundled: @noble/hashes is ESM-only, and bundling it keeps the CJS build loadable by
// `require` on every supported Node version.
export default defineConfig([
  {
    entry: { index: "src/index.ts" },
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "es2022",
    platform: "neutral",
    noExternal: ["@noble/hashes"],
  },
  {
    // The command line: Node only, ESM, with its shebang kept from src/cli/bin.ts.
    // The screening worker is loaded by file name next to cli.js, so it is an entry of its own.
    entry: { cli: "src/cli/bin.ts", "screen-worker": "src/screening/node/screen-worker.ts" },
    format: ["esm"],
    sourcemap: true,
    target: "node20",
    platform: "node",
    noExternal: ["@noble/hashes"],
  },
]);

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
    entry: { cli: "src/cli/bin.ts" },
    format: ["esm"],
    sourcemap: true,
    target: "node20",
    platform: "node",
    noExternal: ["@noble/hashes"],
  },
]);

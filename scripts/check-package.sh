#!/usr/bin/env bash
# Checks the package as users get it: publint and attw on the packed tarball, then a smoke test
# that installs the tarball into a temporary project and loads it from ESM, CJS and the CLI.
set -euo pipefail
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

tarball=$(npm pack --silent --pack-destination "$work" | tail -n 1)
echo "packed $tarball"
npx publint --strict "$work/$tarball"
npx attw --pack . --profile node16

cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --prefer-offline "./$tarball" >/dev/null

# What a library user installs (issue 12, docs/decisions/0501-package-dependencies.md): kaohe and
# its runtime dependencies only, at most 5 packages and 20 MB (apparent size of node_modules).
max_packages=5
max_bytes=$((20 * 1024 * 1024))
packages=$(npm ls --all --parseable | tail -n +2 | sort -u | wc -l)
bytes=$(du -sb node_modules | cut -f1)
echo "install: $packages packages, $(awk "BEGIN { printf \"%.1f\", $bytes / 1048576 }") MB" \
  "(budget $max_packages packages, $((max_bytes / 1048576)) MB)"
if [ "$packages" -gt "$max_packages" ] || [ "$bytes" -gt "$max_bytes" ]; then
  npm ls --all >&2 || true
  echo "install budget exceeded: $packages packages, $bytes bytes" >&2
  exit 1
fi
# Browser bundles of the installed package against their size budgets.
node "$root/scripts/check-size.mjs" .
cat > esm.mjs <<'JS'
import { jiangxi2025, parseFramework } from "kaohe";
const f = parseFramework(jiangxi2025);
if (f.categories.length !== 5) throw new Error("ESM: unexpected framework");
console.log("ESM import ok:", f.title);
JS
cat > sql.mjs <<'JS'
import { compileRulebookSql, SQL_DIALECTS } from "kaohe/sql";
import { readFileSync } from "node:fs";
const rulebook = JSON.parse(readFileSync(process.argv[2], "utf8"));
const { sql, rules } = compileRulebookSql(rulebook, { dialect: "postgres", table: "persons" });
if (!SQL_DIALECTS.includes("mysql") || rules.length !== 14 || !sql.includes('FROM "persons"')) throw new Error("ESM: unexpected kaohe/sql");
console.log("ESM import of kaohe/sql ok:", rules.length, "rules compiled");
JS
cat > tables.mjs <<'JS'
import { prepareTablesRulebook } from "kaohe/tables";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
const rulebook = JSON.parse(readFileSync(process.argv[2], "utf8"));
const esm = prepareTablesRulebook(rulebook);
const cjs = createRequire(import.meta.url)("kaohe/tables").prepareTablesRulebook(rulebook);
if (esm.rules.length !== cjs.rules.length || esm.rules.length === 0) throw new Error("unexpected kaohe/tables");
console.log("ESM import and CJS require of kaohe/tables ok:", esm.rules.length, "rules");
JS
cat > loop.mjs <<'JS'
import { maskId } from "kaohe/loop";
import { createRequire } from "node:module";
const cjs = createRequire(import.meta.url)("kaohe/loop");
const id = "360702199001011234";
if (maskId(id) !== "360702********1234" || cjs.maskId(id) !== maskId(id)) throw new Error("unexpected kaohe/loop");
console.log("ESM import and CJS require of kaohe/loop ok:", maskId(id));
JS
cat > authoring.mjs <<'JS'
import { digestJson, jiangxi2025 } from "kaohe";
import { exportFramework, importFramework } from "kaohe/authoring";
import { createRequire } from "node:module";
const esm = importFramework(exportFramework(jiangxi2025));
const cjs = createRequire(import.meta.url)("kaohe/authoring");
const again = cjs.importFramework(cjs.exportFramework(jiangxi2025));
if (digestJson(esm) !== digestJson(jiangxi2025) || digestJson(again) !== digestJson(jiangxi2025)) throw new Error("unexpected kaohe/authoring");
if (typeof createRequire(import.meta.url)("kaohe").importFramework !== "undefined") throw new Error("kaohe still exports importFramework");
console.log("ESM import and CJS require of kaohe/authoring ok:", esm.categories.length, "categories round-tripped");
JS
cat > cjs.cjs <<'JS'
const { jiangxi2025, parseFramework } = require("kaohe");
const f = parseFramework(jiangxi2025);
if (f.deductionClauses.length !== 8) throw new Error("CJS: unexpected framework");
console.log("CJS require ok:", f.deductionClauses.length, "deduction clauses");
JS
node esm.mjs
node sql.mjs "$root/examples/screening/rulebook.json"
node tables.mjs "$root/examples/screening/county/rulebook.json"
node authoring.mjs
node loop.mjs
node cjs.cjs
npx --no-install kaohe --help >/dev/null && echo "CLI ok"
# The built CLI with its worker file: screening on two worker threads, as users would run it.
npx --no-install kaohe screen --rules "$root/examples/screening/rulebook.json" --workers 2 \
  "$root/examples/screening/synthetic-households.csv" > screen.txt
grep -q "rows read" screen.txt && echo "CLI screen with 2 workers ok"
# The readers are bundled into the CLI (exceljs, iconv-lite): on the XLSX and GBK CSV exports the
# installed CLI prints what the CLI run from the sources (with the packages unbundled) prints.
for f in synthetic-households.xlsx synthetic-households-gbk.csv; do
  args=(screen --rules "$root/examples/screening/rulebook.json" "$root/examples/screening/$f")
  npx --no-install kaohe "${args[@]}" | sed 's/; [0-9.]* s$//' > installed.txt
  (cd "$root" && npx --no-install tsx src/cli/bin.ts "${args[@]}") | sed 's/; [0-9.]* s$//' > source.txt
  grep -q "rows read" installed.txt && diff source.txt installed.txt && echo "CLI screen $f ok"
done
cd "$root"

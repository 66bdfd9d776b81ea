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
cat > esm.mjs <<'JS'
import { jiangxi2025, parseFramework } from "kaohe";
const f = parseFramework(jiangxi2025);
if (f.categories.length !== 5) throw new Error("ESM: unexpected framework");
console.log("ESM import ok:", f.title);
JS
cat > cjs.cjs <<'JS'
const { jiangxi2025, parseFramework } = require("kaohe");
const f = parseFramework(jiangxi2025);
if (f.deductionClauses.length !== 8) throw new Error("CJS: unexpected framework");
console.log("CJS require ok:", f.deductionClauses.length, "deduction clauses");
JS
node esm.mjs
node cjs.cjs
npx --no-install kaohe --help >/dev/null && echo "CLI ok"
# The built CLI with its worker file: screening on two worker threads, as users would run it.
npx --no-install kaohe screen --rules "$root/examples/screening/rulebook.json" --workers 2 \
  "$root/examples/screening/synthetic-households.csv" > screen.txt
grep -q "rows read" screen.txt && echo "CLI screen with 2 workers ok"
cd "$root"

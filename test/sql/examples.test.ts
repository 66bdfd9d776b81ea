import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RulebookSchema } from "../../src/screening/schema";
import { compileRulebookSql } from "../../src/sql/index";
import { engineFor, useEngines, screenOnEngine } from "./engines";
import { combine, fromSql, inRowOrder, screenJs } from "./parity";

/** Every rulebook among the examples (any JSON file the rulebook schema accepts). */
function exampleRulebooks(dir = "examples"): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...exampleRulebooks(path));
    else if (name.endsWith(".json")) {
      try {
        if (RulebookSchema.safeParse(JSON.parse(readFileSync(path, "utf8"))).success) found.push(path);
      } catch {
        // not JSON: not a rulebook
      }
    }
  }
  return found.sort();
}

function readCsv(path: string): { header: string[]; rows: { row: number; cells: (string | null)[] }[] } {
  // The example has no quoted cells: lines split at commas.
  const records = readFileSync(path, "utf8").replace(/^\uFEFF/, "").split(/\r?\n/).filter((line) => line !== "").map((line) => line.split(","));
  const [header, ...body] = records as [string[], ...string[][]];
  return { header, rows: body.map((cells, i) => ({ row: i + 2, cells })) };
}

const rulebooks = exampleRulebooks();
const slots = useEngines();

describe("example rulebooks on every engine", () => {
  it("finds the example rulebooks", () => {
    expect(rulebooks).toContain(join("examples", "screening", "rulebook.json"));
  });
  // Each rulebook on the exports beside it: the fuping port on its persons and on its villages, the others on the synthetic households.
  const dataOf = (path: string) =>
    path.includes("fuping") ? ["examples/screening/fuping/persons.csv", "examples/screening/fuping/villages.csv"] : ["examples/screening/synthetic-households.csv"];
  for (const engineName of ["duckdb", "postgres", "mariadb"]) {
    it(`runs without a row column on ${engineName}: the same rows, with no row number`, async (context) => {
      const engine = engineFor(slots, engineName, context);
      if (!engine) return;
      const rulebook = JSON.parse(readFileSync("examples/screening/rulebook.json", "utf8"));
      const data = readCsv("examples/screening/synthetic-households.csv");
      const canonical = (rows: readonly Record<string, unknown>[]) => rows.map((row) => JSON.stringify({ ...row, row: null })).sort();
      const withRows = await screenOnEngine(engine, rulebook, data.header, data.rows);
      const without = await screenOnEngine(engine, rulebook, data.header, data.rows, undefined, false);
      expect(without.length).toBeGreaterThan(0);
      expect(without.every((row) => row.row === null)).toBe(true);
      expect(canonical(without)).toEqual(canonical(withRows));
    }, 240_000);
    for (const path of rulebooks) {
      for (const csv of dataOf(path)) {
        it(`${path} on ${csv} gives the JavaScript screener's findings on ${engineName}`, async (context) => {
          const engine = engineFor(slots, engineName, context);
          if (!engine) return;
          const rulebook = JSON.parse(readFileSync(path, "utf8"));
          const data = readCsv(csv);
          // Every example rulebook compiles (nothing refused) on every dialect.
          const compiled = compileRulebookSql(rulebook, { dialect: engine.dialect, table: "t", header: data.header });
          expect(compiled.rules.length).toBeGreaterThan(0);
          const expected = screenJs(rulebook, data.header, data.rows);
          expect(expected.outcomes.filter((o) => o.kind === "finding").length).toBeGreaterThan(0);
          const actual = fromSql(await screenOnEngine(engine, rulebook, data.header, data.rows));
          const sqlSide = combine(rulebook, data.header, data.rows, actual);
          expect(sqlSide).toEqual(inRowOrder(expected));
          // MariaDB takes about a minute to prepare the fuping port's query (decision 0704).
        }, 240_000);
      }
    }
  }
});

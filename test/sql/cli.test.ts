import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runSqlCommand } from "../../src/cli/sql";
import { engineFor, useEngines, ROW_COLUMN, type SqlRow } from "./engines";
import { combine, fromSql, inRowOrder, screenJs } from "./parity";

const RULES = "examples/screening/rulebook.json";
const dir = mkdtempSync(join(tmpdir(), "kaohe-sql-cli-"));

function runSql(args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = runSqlCommand(args, { readFile: (path) => readFileSync(path, "utf8"), stdout: (line) => stdout.push(line), stderr: (line) => stderr.push(line) });
  return { code, stdout: stdout.join("\n"), stderr };
}

// The example has no quoted cells: lines split at commas.
const records = readFileSync("examples/screening/synthetic-households.csv", "utf8").replace(/^\uFEFF/, "").split(/\r?\n/).filter((line) => line !== "").map((line) => line.split(","));
const [header, ...body] = records as [string[], ...string[][]];
const rows = body.map((cells, i) => ({ row: i + 2, cells }));
const expected = screenJs(JSON.parse(readFileSync(RULES, "utf8")), header, rows);

const slots = useEngines();

describe("kaohe sql", () => {
  it("prints a script with placeholders and the values bound apart, or { sql, params } as JSON", () => {
    const script = runSql(["--rules", RULES, "--dialect", "postgres"]);
    expect(script.code).toBe(0);
    expect(script.stdout).toMatch(/^-- kaohe sql: monitoring-screening-2025 2025\.1/);
    expect(script.stdout).toContain('FROM "persons"');
    const json = runSql(["--rules", RULES, "--dialect", "mysql", "--format", "json", "--table", "db.persons"]);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.sql).toContain("FROM `db`.`persons`");
    const outsideLiterals = (parsed.sql as string).replace(/'(?:[^']|'')*'/g, "''");
    expect(parsed.params.length).toBe((outsideLiterals.match(/\?/g) ?? []).length);
    expect(parsed.columns).toEqual(["kind", "code", "title", "severity", "subject", "record_id", "household_id", "county", "township", "village", "message", "values", "row", "reason_code", "field", "column", "value", "zh"]);
  });

  it("exits 2 on usage mistakes and 1 on an untranslatable rule", () => {
    expect(runSql(["--rules", RULES]).code).toBe(2);
    expect(runSql(["--rules", RULES, "--dialect", "oracle"]).code).toBe(2);
    expect(runSql(["--rules", RULES, "--dialect", "duckdb", "data.csv"]).code).toBe(2);
    const rulebook = JSON.parse(readFileSync(RULES, "utf8"));
    rulebook.rules[0].when = { "/": [1, { var: "perCapitaIncome" }] };
    writeFileSync(join(dir, "ratio.json"), JSON.stringify(rulebook));
    const refused = runSql(["--rules", join(dir, "ratio.json"), "--dialect", "duckdb", "--lang", "en"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.join("\n")).toMatch(/rules\[0\]\.when.*rule SC01 .*operator "\/" cannot be translated.*\[untranslatable_rule\]/);
  });

  const clients: Record<string, (script: string) => SqlRow[]> = {
    postgres: (script) => {
      const file = join(dir, "pg.sql");
      writeFileSync(file, script);
      // Unaligned output, fields and records split by control characters no cell holds; NULL marked.
      const run = spawnSync("psql", [process.env.KAOHE_PG_URL ?? "", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-A", "-F", "\u001f", "-R", "\u001e", "-P", "null=\u0002NULL", "-P", "footer=off", "-f", file], { encoding: "utf8" });
      if (run.status !== 0) throw new Error(run.stderr);
      const [head, ...lines] = run.stdout.replace(/\n$/, "").split("\u001e");
      const names = (head ?? "").split("\u001f");
      return lines.map((line) => Object.fromEntries(line.split("\u001f").map((cell, i) => [names[i] as string, cell === "\u0002NULL" ? null : cell])));
    },
    mariadb: (script) => {
      const url = new URL(process.env.KAOHE_MYSQL_URL ?? "mysql://x");
      const run = spawnSync("mariadb", ["--no-defaults", "-h", url.hostname, "-P", url.port, "-u", url.username, `-p${url.password}`, url.pathname.slice(1), "--batch"], { input: script, encoding: "utf8" });
      if (run.status !== 0) throw new Error(run.stderr);
      const [head, ...lines] = run.stdout.replace(/\n$/, "").split("\n");
      const names = (head ?? "").split("\t");
      const unescape = (cell: string) => (cell === "NULL" ? null : cell.replace(/\\(.)/g, (_, c: string) => ({ n: "\n", t: "\t", "0": "\0", "\\": "\\" })[c] ?? c));
      return lines.map((line) => Object.fromEntries(line.split("\t").map((cell, i) => [names[i] as string, unescape(cell)])));
    },
  };

  // The example on its households, and the fuping port on its persons (month arithmetic, trim, the ID check digit, a
  // 66-byte column name PostgreSQL cuts, and rows handed back for data-quality findings, replayed as --engine duckdb does).
  const FUPING = "examples/screening/fuping/rulebook.json";
  const fuping = (() => {
    const lines = readFileSync("examples/screening/fuping/persons.csv", "utf8").split(/\r?\n/).filter((line) => line !== "").map((line) => line.split(","));
    const [head, ...rest] = lines as [string[], ...string[][]];
    return { header: head, rows: rest.map((cells, i) => ({ row: i + 2, cells })) };
  })();
  const cases = [
    { label: "the example", rules: RULES, header, rows },
    { label: "the fuping port", rules: FUPING, header: fuping.header, rows: fuping.rows },
  ];
  const decided = (rules: string, h: readonly string[], r: typeof rows, result: SqlRow[]) => combine(JSON.parse(readFileSync(rules, "utf8")), h, r, fromSql(result));
  const wanted = (rules: string, h: readonly string[], r: typeof rows) => inRowOrder(screenJs(JSON.parse(readFileSync(rules, "utf8")), h, r));

  for (const name of ["postgres", "mariadb"]) {
    for (const c of cases) {
      it(`the printed script of ${c.label} runs as is in ${name}'s own client and gives the JavaScript screener's findings`, async (context) => {
        const engine = engineFor(slots, name, context);
        if (!engine) return;
        await engine.load("persons", c.header, c.rows);
        const script = runSql(["--rules", c.rules, "--dialect", name === "postgres" ? "postgres" : "mysql", "--row-column", ROW_COLUMN, "--columns", c.header.join(",")]);
        expect(script.code).toBe(0);
        const result = (clients[name] as (s: string) => SqlRow[])(script.stdout);
        if (c.rules === RULES) expect(fromSql(result)).toEqual(expected);
        expect(decided(c.rules, c.header, c.rows, result)).toEqual(wanted(c.rules, c.header, c.rows));
      // MariaDB takes about a minute to prepare the fuping port's query (decision 0704).
      }, 240_000);
    }
  }

  it.each(cases)("the printed DuckDB script of $label runs as is, statement after statement", async (c) => {
    const slot = slots.find((s) => s.name === "duckdb");
    if (!slot?.engine) throw new Error("DuckDB is embedded and always available");
    await slot.engine.load("persons", c.header, c.rows);
    const script = runSql(["--rules", c.rules, "--dialect", "duckdb", "--row-column", ROW_COLUMN, "--columns", `\uFEFF${c.header.join(",")}\r\n`]);
    const result = await (slot.engine.runScript as (s: string) => Promise<SqlRow[]>)(script.stdout);
    expect(decided(c.rules, c.header, c.rows, result)).toEqual(wanted(c.rules, c.header, c.rows));
  });
});

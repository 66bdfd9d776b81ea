/*
 * The SQL engines the parity tests run on: embedded DuckDB always; PostgreSQL and MariaDB when
 * KAOHE_PG_URL / KAOHE_MYSQL_URL name a server (set by .ci/run from scripts/ci/start-servers.sh).
 * Outside CI a missing server makes its tests skip with the reason in their names; in CI (CI set)
 * a missing server fails.
 */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import mysql from "mysql2/promise";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { compileRulebookSql, type CompiledSql, type SqlDialect } from "../../src/sql/index";
import type { Subject } from "../../src/screening/schema";

/** A result row of the compiled query, by column name. */
export type SqlRow = Record<string, string | number | null>;

export interface Engine {
  /** DuckDB only: runs a script of statements, returning the rows of the one that returns rows. */
  runScript?(script: string): Promise<SqlRow[]>;
  readonly name: string;
  readonly dialect: SqlDialect;
  /** Loads rows into a table of text columns named as the header, plus a row-number column. */
  load(table: string, header: readonly string[], rows: readonly { row: number; cells: readonly (string | null)[] }[]): Promise<void>;
  /** Runs a compiled query. */
  run(compiled: CompiledSql): Promise<SqlRow[]>;
  close(): Promise<void>;
}

export const ROW_COLUMN = "kh_line";

export const inCI = (() => {
  const ci = process.env.CI;
  return ci !== undefined && ci !== "" && ci !== "false" && ci !== "0";
})();

async function duckdbEngine(): Promise<Engine> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection: DuckDBConnection = await instance.connect();
  const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
  return {
    name: "duckdb",
    dialect: "duckdb",
    async load(table, header, rows) {
      await connection.run(`DROP TABLE IF EXISTS ${q(table)}`);
      await connection.run(`CREATE TABLE ${q(table)} (${[ROW_COLUMN, ...header].map((h) => `${q(h)} VARCHAR`).join(", ")})`);
      const appender = await connection.createAppender(table);
      for (const { row, cells } of rows) {
        appender.appendVarchar(String(row));
        header.forEach((_, i) => {
          const cell = cells[i];
          if (cell === null || cell === undefined) appender.appendNull();
          else appender.appendVarchar(cell);
        });
        appender.endRow();
      }
      appender.closeSync();
    },
    async run(compiled) {
      const reader = await connection.runAndReadAll(compiled.sql, compiled.params as never);
      return reader.getRowObjectsJson() as SqlRow[];
    },
    /** Runs a script of several statements as the duckdb client would; the last one's rows. */
    async runScript(script: string) {
      const statements = await connection.extractStatements(script);
      let rows: SqlRow[] = [];
      for (let i = 0; i < statements.count; i++) {
        const prepared = await statements.prepare(i);
        const reader = await prepared.runAndReadAll();
        if (reader.columnCount > 1) rows = reader.getRowObjectsJson() as SqlRow[];
      }
      return rows;
    },
    async close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

async function postgresEngine(url: string): Promise<Engine> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
  return {
    name: "postgres",
    dialect: "postgres",
    async load(table, header, rows) {
      await client.query(`DROP TABLE IF EXISTS ${q(table)}`);
      await client.query(`CREATE TABLE ${q(table)} (${[ROW_COLUMN, ...header].map((h) => `${q(h)} TEXT`).join(", ")})`);
      const width = header.length + 1;
      for (let start = 0; start < rows.length; start += 500) {
        const chunk = rows.slice(start, start + 500);
        const values: (string | null)[] = [];
        const tuples = chunk.map((r, k) => {
          values.push(String(r.row), ...header.map((_, i) => r.cells[i] ?? null));
          return `(${Array.from({ length: width }, (_, i) => `$${k * width + i + 1}`).join(", ")})`;
        });
        if (tuples.length > 0) await client.query(`INSERT INTO ${q(table)} VALUES ${tuples.join(", ")}`, values);
      }
    },
    async run(compiled) {
      const result = await client.query({ text: compiled.sql, values: compiled.params as unknown[] });
      return result.rows.map((row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? null : typeof v === "number" ? v : String(v)]))) as SqlRow[];
    },
    async close() {
      await client.end();
    },
  };
}

async function mysqlEngine(url: string): Promise<Engine> {
  const connection = await mysql.createConnection({ uri: url, charset: "utf8mb4", supportBigNumbers: true, bigNumberStrings: true, decimalNumbers: false });
  const q = (name: string) => `\`${name.replace(/`/g, "``")}\``;
  return {
    name: "mariadb",
    dialect: "mysql",
    async load(table, header, rows) {
      await connection.query(`DROP TABLE IF EXISTS ${q(table)}`);
      await connection.query(`CREATE TABLE ${q(table)} (${[ROW_COLUMN, ...header].map((h) => `${q(h)} TEXT`).join(", ")}) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
      for (let start = 0; start < rows.length; start += 500) {
        const chunk = rows.slice(start, start + 500);
        const values: (string | null)[] = [];
        const tuples = chunk.map((r) => {
          values.push(String(r.row), ...header.map((_, i) => r.cells[i] ?? null));
          return `(${Array.from({ length: header.length + 1 }, () => "?").join(", ")})`;
        });
        if (tuples.length > 0) await connection.execute(`INSERT INTO ${q(table)} VALUES ${tuples.join(", ")}`, values);
      }
    },
    async run(compiled) {
      for (const statement of compiled.setup) await connection.query(statement);
      const [rows] = await connection.execute(compiled.sql, compiled.params as never);
      // Each compiled query is a statement of its own: closed here, or the server keeps every one (gigabytes over a property test).
      connection.unprepare(compiled.sql);
      return (rows as Record<string, unknown>[]).map((row) =>
        Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? null : typeof v === "number" ? v : Buffer.isBuffer(v) ? v.toString("utf8") : String(v)])),
      ) as SqlRow[];
    },
    async close() {
      await connection.end();
    },
  };
}

/** An engine, or why it is not available. */
export type EngineSlot = { readonly name: string; readonly engine?: Engine; readonly missing?: string };

/**
 * Opens the engines before the tests of the calling file (or `describe`) and closes them after;
 * the returned list fills in `beforeAll`.
 */
export function useEngines(): EngineSlot[] {
  const slots: EngineSlot[] = [];
  beforeAll(async () => {
    slots.push(...(await openEngines()));
  }, 60_000);
  afterAll(async () => {
    for (const slot of slots) await slot.engine?.close();
  });
  return slots;
}

/**
 * The engine of this name for a test: outside CI, a missing server skips the test, saying why; in
 * CI it fails the test.
 *
 * @returns The engine, or undefined when the test was skipped.
 */
export function engineFor(slots: readonly EngineSlot[], name: string, context: { skip: () => void }): Engine | undefined {
  const slot = slots.find((s) => s.name === name);
  if (slot?.engine) return slot.engine;
  if (inCI) throw new Error(`${name} is required in CI: ${slot?.missing}`);
  console.warn(`skipped on ${name}: ${slot?.missing}`);
  context.skip();
  return undefined;
}

/** Opens the engines: DuckDB always, servers when their URL is set. */
export async function openEngines(): Promise<EngineSlot[]> {
  const slots: EngineSlot[] = [{ name: "duckdb", engine: await duckdbEngine() }];
  const pgUrl = process.env.KAOHE_PG_URL;
  const myUrl = process.env.KAOHE_MYSQL_URL;
  const open = async (name: string, url: string | undefined, variable: string, make: (url: string) => Promise<Engine>): Promise<EngineSlot> => {
    if (url === undefined || url === "") return { name, missing: `${variable} is not set (start the servers with scripts/ci/start-servers.sh and source /tmp/kaohe-servers/env)` };
    try {
      return { name, engine: await make(url) };
    } catch (error) {
      return { name, missing: `cannot connect to ${variable}: ${(error as Error).message}` };
    }
  };
  slots.push(await open("postgres", pgUrl, "KAOHE_PG_URL", postgresEngine));
  slots.push(await open("mariadb", myUrl, "KAOHE_MYSQL_URL", mysqlEngine));
  return slots;
}

/** Compiles for an engine's dialect and runs on rows loaded into a fresh table. */
export async function screenOnEngine(
  engine: Engine,
  rulebook: unknown,
  header: readonly string[],
  rows: readonly { row: number; cells: readonly (string | null)[] }[],
  level?: Subject,
  withRowColumn = true,
): Promise<SqlRow[]> {
  const table = "kh_input";
  await engine.load(table, header, rows);
  const compiled = compileRulebookSql(rulebook, { dialect: engine.dialect, table, header, ...(withRowColumn ? { rowColumn: ROW_COLUMN } : {}), ...(level ? { level } : {}) });
  return engine.run(compiled);
}

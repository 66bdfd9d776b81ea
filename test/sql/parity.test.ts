import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isKaoheError } from "../../src/internal/errors";
import { compileRulebookSql } from "../../src/sql/index";
import { engineFor, useEngines, screenOnEngine } from "./engines";
import { FIELDS, HEADER, rowsArb, rulebookArb } from "./generators";
import { combine, fromSql, inRowOrder, screenJs } from "./parity";

/*
 * Differential property test: random rules of the rulebook language (comparisons of numbers, text
 * and mixed operands, equality, in, missing, arithmetic, cat/substr, and/or/if/!, quantifiers over
 * members) on random rows (nulls, blanks, white space, two-place decimals, bad numbers, dates and
 * booleans, households of one to three members), screened by the JavaScript screener and by the
 * compiled SQL on each engine. Rules include the screening operations (months_between,
 * month_year, month_number, trim; valid and invalid operands, wrong arity) and substr at computed
 * positions. Cells include months in every accepted form, a trim: false text
 * field, a code table and unparsable cells; now and then a later row of a household holds another
 * cell in a household field. The SQL decides every record, unusable cells included (their
 * data-quality findings and the rules they leave undecided), except households with a rejected
 * row or rows that disagree, which it hands back as rejected rows; with the JavaScript screener's
 * items for those (as --engine duckdb does it), the result is the JavaScript screener's: the same
 * findings, undecided rules (with their messages and causes), data-quality findings (with their
 * Chinese reasons) and rejected rows, in row order.
 */

const slots = useEngines();

const HOUSEHOLD = HEADER.indexOf("户编号");
/** The household key of a row, trimmed as the screener reads it. */
function householdOf(rows: readonly { row: number; cells: readonly (string | null)[] }[], row: number): string {
  return String(rows.find((r) => r.row === row)?.cells[HOUSEHOLD] ?? "").trim();
}

const HOUSEHOLD_CELLS = Object.entries(FIELDS).flatMap(([, field], i) => (field.of === "household" && i !== HOUSEHOLD ? [i] : []));
/** Households whose rows hold different cells in a household field. */
function differing(rows: readonly { row: number; cells: readonly (string | null)[] }[]): string[] {
  const first = new Map<string, readonly (string | null)[]>();
  const out: string[] = [];
  for (const { cells } of rows) {
    const id = String(cells[HOUSEHOLD] ?? "").trim();
    const seen = first.get(id);
    if (seen === undefined) first.set(id, cells);
    else if (HOUSEHOLD_CELLS.some((i) => seen[i] !== cells[i])) out.push(id);
  }
  return out;
}

const RUNS: Record<string, number> = { duckdb: 100, postgres: 150, mariadb: 60 };

describe("the compiled SQL decides as the JavaScript screener does", () => {
  for (const name of ["duckdb", "postgres", "mariadb"]) {
    it(`on ${name}: random rules × random rows`, async (context) => {
      const engine = engineFor(slots, name, context);
      if (!engine) return;
      let compared = 0;
      let refused = 0;
      let undecided = 0;
      let findings = 0;
      let quality = 0;
      /** Data-quality findings, and rules undecided by them, that the SQL gave itself (not by handing the record back). */
      let sqlQuality = 0;
      let sqlUnusable = 0;
      /** How many compared rulebooks use each screening operation (so that they are tested, not only generated). */
      const used: Record<string, number> = { months_between: 0, month_year: 0, month_number: 0, trim: 0 };
      await fc.assert(
        fc.asyncProperty(rulebookArb, rowsArb, async (rulebook, rows) => {
          try {
            compileRulebookSql(rulebook, { dialect: engine.dialect, table: "t", header: HEADER });
          } catch (error) {
            if (!isKaoheError(error)) throw error;
            // A refusal names the rule and the operator; it is never a silent translation.
            for (const issue of error.issues) {
              expect(issue.code).toBe("untranslatable_rule");
              expect(issue.message).toMatch(/^rule R\d .*operator "[^"]+" cannot be translated to SQL exactly/);
            }
            refused++;
            return;
          }
          const js = screenJs(rulebook, HEADER, rows);
          const sql = fromSql(await screenOnEngine(engine, rulebook, HEADER, rows));
          // The SQL decides records with unusable cells itself; it hands back only households that have a rejected row or whose rows
          // hold different cells in a household field (JavaScript compares them row by row).
          const handBack = new Set([...js.rejected.map((r) => householdOf(rows, r.row)), ...differing(rows)]);
          for (const r of sql.rejected) expect(handBack).toContain(householdOf(rows, r.row));
          // Its decisions on the others, with the JavaScript screener's on those, are the JavaScript screener's.
          const expected = inRowOrder(js);
          const actual = combine(rulebook, HEADER, rows, sql);
          expect(actual.outcomes).toEqual(expected.outcomes);
          expect(actual.rejected.map((r) => r.row)).toEqual(expected.rejected.map((r) => r.row));
          compared++;
          const text = JSON.stringify(rulebook.rules);
          for (const op of Object.keys(used)) if (text.includes(`"${op}"`)) used[op] = (used[op] as number) + 1;
          quality += js.outcomes.filter((o) => o.kind === "data_quality").length;
          sqlQuality += sql.outcomes.filter((o) => o.kind === "data_quality").length;
          sqlUnusable += sql.outcomes.filter((o) => o.cause === "unusable_value").length;
          undecided += expected.outcomes.filter((o) => o.kind === "rule_failed").length;
          findings += expected.outcomes.filter((o) => o.kind === "finding").length;
        }),
        { numRuns: RUNS[name] ?? 50, seed: 20261201, endOnFailure: true },
      );
      console.info(`${name}: ${compared} compared, ${refused} refused, ${findings} findings, ${undecided} undecided, ${quality} data-quality findings (${sqlQuality} of them and ${sqlUnusable} undecided rules by the SQL); rulebooks using ${JSON.stringify(used)}`);
      for (const op of Object.keys(used)) expect(used[op], op).toBeGreaterThan(0);
      // Not vacuous: most random rules translate, and both findings and undecided rules occur.
      expect(compared).toBeGreaterThan(refused);
      expect(findings).toBeGreaterThan(0);
      expect(undecided).toBeGreaterThan(0);
      expect(quality).toBeGreaterThan(0);
      expect(sqlQuality).toBeGreaterThan(0);
      expect(sqlUnusable).toBeGreaterThan(0);
    }, 600_000);
  }
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isKaoheError } from "../../src/internal/errors";
import { compileRulebookSql } from "../../src/sql/index";
import { engineFor, useEngines, screenOnEngine } from "./engines";
import { HEADER, rowsArb, rulebookArb } from "./generators";
import { combine, fromSql, inRowOrder, screenJs } from "./parity";

/*
 * Differential property test: random rules of the rulebook language (comparisons of numbers, text
 * and mixed operands, equality, in, missing, arithmetic, cat/substr, and/or/if/!, quantifiers over
 * members) on random rows (nulls, blanks, white space, two-place decimals, bad numbers, dates and
 * booleans, households of one to three members), screened by the JavaScript screener and by the
 * compiled SQL on each engine. Rules include the screening operations (months_between,
 * month_year, month_number, trim; valid and invalid operands, wrong arity) and substr at computed
 * positions. Cells include months in every accepted form, a trim: false text
 * field, a code table and unparsable cells. The SQL decides the records whose cells all convert
 * and hands the others back as rejected rows; with the JavaScript screener's items for those (as
 * --engine duckdb does it), the result is the JavaScript screener's: the same findings, undecided
 * rules (with their messages), data-quality findings and rejected rows, in row order.
 */

const slots = useEngines();

const HOUSEHOLD = HEADER.indexOf("户编号");
/** The household key of a row, trimmed as the screener reads it. */
function householdOf(rows: readonly { row: number; cells: readonly (string | null)[] }[], row: number): string {
  return String(rows.find((r) => r.row === row)?.cells[HOUSEHOLD] ?? "").trim();
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
          // The SQL hands back only households that have a data-quality finding or a rejected row.
          const troubled = new Set([...js.outcomes.filter((o) => o.kind === "data_quality").map((o) => o.householdId ?? o.recordId), ...js.rejected.map((r) => householdOf(rows, r.row))]);
          for (const r of sql.rejected) expect(troubled).toContain(householdOf(rows, r.row));
          // Its decisions on the others, with the JavaScript screener's on those, are the JavaScript screener's.
          const expected = inRowOrder(js);
          const actual = combine(rulebook, HEADER, rows, sql);
          expect(actual.outcomes).toEqual(expected.outcomes);
          expect(actual.rejected.map((r) => r.row)).toEqual(expected.rejected.map((r) => r.row));
          compared++;
          const text = JSON.stringify(rulebook.rules);
          for (const op of Object.keys(used)) if (text.includes(`"${op}"`)) used[op] = (used[op] as number) + 1;
          quality += js.outcomes.filter((o) => o.kind === "data_quality").length;
          undecided += expected.outcomes.filter((o) => o.kind === "rule_failed").length;
          findings += expected.outcomes.filter((o) => o.kind === "finding").length;
        }),
        { numRuns: RUNS[name] ?? 50, seed: 20261201, endOnFailure: true },
      );
      console.info(`${name}: ${compared} compared, ${refused} refused, ${findings} findings, ${undecided} undecided, ${quality} data-quality findings; rulebooks using ${JSON.stringify(used)}`);
      for (const op of Object.keys(used)) expect(used[op], op).toBeGreaterThan(0);
      // Not vacuous: most random rules translate, and both findings and undecided rules occur.
      expect(compared).toBeGreaterThan(refused);
      expect(findings).toBeGreaterThan(0);
      expect(undecided).toBeGreaterThan(0);
      expect(quality).toBeGreaterThan(0);
    }, 600_000);
  }
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileRule, createRuleEngine, evaluateRule, safeEvaluateRule, type JsonLogicRule } from "../../src/rules/index";

type Case = [rule: JsonLogicRule, data: unknown, expected: unknown];

const suite = JSON.parse(readFileSync(new URL("../fixtures/conformance/jsonlogic-tests.json", import.meta.url), "utf8")) as unknown[];

/**
 * Cases of the public suite where kaohe answers differently on purpose, by the case's JSON, with
 * kaohe's own answer and the reason (listed in docs/rules.md, "Differences from json-logic-js").
 * The suite has none today: its arithmetic uses integers and halves, which are exact either way.
 */
const DELIBERATE_DIFFERENCES: ReadonlyMap<string, { readonly kaohe: unknown; readonly reason: string }> = new Map();

interface Section {
  readonly heading: string;
  readonly cases: Case[];
}

function sections(): Section[] {
  const out: Section[] = [];
  let current: Section = { heading: "(no heading)", cases: [] };
  for (const item of suite) {
    if (typeof item === "string") {
      // Headings mostly start with "#", but a few ("Substring", "EOF") do not.
      current = { heading: item.replace(/^#\s*/, ""), cases: [] };
      out.push(current);
    } else {
      current.cases.push(item as Case);
    }
  }
  return out.filter((s) => s.cases.length > 0);
}

const engine = createRuleEngine();

describe("the public JSON Logic conformance suite", () => {
  const all = sections();

  it("has every case of the file, about 280", () => {
    const count = all.reduce((n, s) => n + s.cases.length, 0);
    expect(count).toBe(suite.filter((item) => typeof item !== "string").length);
    expect(count).toBeGreaterThan(270);
  });

  for (const section of all) {
    describe(section.heading, () => {
      for (const [rule, data, expected] of section.cases) {
        const key = JSON.stringify(rule);
        const difference = DELIBERATE_DIFFERENCES.get(`${key} ${JSON.stringify(data)}`);
        const wanted = difference === undefined ? expected : difference.kaohe;
        it(`gives ${JSON.stringify(wanted)} for ${key} over ${JSON.stringify(data)}`, () => {
          expect(compileRule(rule).evaluate(data)).toEqual(wanted);
          expect(evaluateRule(rule, data)).toEqual(wanted);
          expect(engine.evaluateRule(rule, data)).toEqual(wanted);
          expect(safeEvaluateRule(rule, data)).toEqual({ success: true, data: wanted });
        });
      }
    });
  }
});

import { readdirSync, readFileSync } from "node:fs";
import jsonLogic from "json-logic-js";
import { describe, expect, it } from "vitest";
import { compileRule, evaluateRule, ruleVariables, type JsonLogicRule } from "../../src/rules/index";

interface Example {
  readonly title: string;
  readonly description: string;
  readonly rule: JsonLogicRule;
  readonly cases: readonly { readonly description: string; readonly data: unknown; readonly expected: unknown }[];
}

const dir = new URL("../../examples/rules/", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
const doc = readFileSync(new URL("../../docs/rules.md", import.meta.url), "utf8");

/** The JSON block that follows `<!-- example: examples/rules/NAME.json -->` in docs/rules.md. */
function embedded(file: string): unknown {
  const marker = `<!-- example: examples/rules/${file} -->`;
  const at = doc.indexOf(marker);
  if (at < 0) return undefined;
  const block = /```json\n([\s\S]*?)```/.exec(doc.slice(at + marker.length));
  return block === null ? undefined : JSON.parse(block[1] as string);
}

describe("the rule cookbook", () => {
  it("has examples", () => expect(files.length).toBeGreaterThanOrEqual(3));

  for (const file of files) {
    const example = JSON.parse(readFileSync(new URL(file, dir), "utf8")) as Example;
    describe(`${example.title} (${file})`, () => {
      it("is shown in docs/rules.md with the same rule", () => {
        expect(embedded(file)).toEqual(example.rule);
      });

      it("reads only literal paths, all listed", () => {
        expect(ruleVariables(example.rule).length).toBeGreaterThan(0);
      });

      for (const c of example.cases) {
        it(c.description, () => {
          expect(compileRule(example.rule).evaluate(c.data)).toEqual(c.expected);
          expect(evaluateRule(example.rule, c.data)).toEqual(c.expected);
        });
      }
    });
  }

  it("shows where binary floating point (json-logic-js) would get the boundary cases wrong", () => {
    const growth = JSON.parse(readFileSync(new URL("income-growth.json", dir), "utf8")) as Example;
    const risk = JSON.parse(readFileSync(new URL("household-risk.json", dir), "utf8")) as Example;
    expect(jsonLogic.apply(growth.rule as never, growth.cases[1]?.data)).toBe(false);
    expect(jsonLogic.apply(risk.rule as never, risk.cases[1]?.data)).toBe(true);
  });
});

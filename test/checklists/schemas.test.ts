import Ajv2020 from "ajv/dist/2020";
import * as z from "zod/mini";
import { describe, expect, it } from "vitest";
import { checklistJsonSchemas } from "../../src/checklists/index";
import { nearTermChecklist2025 } from "../../src/frameworks/nearTermChecklist2025";
import { readRepoJson } from "./helpers";

const ajv = new Ajv2020({ allErrors: true, strict: false });
const progress = readRepoJson<{ submissions: unknown[]; problems: unknown[] }>("examples/county-2025/progress.json");

describe("checklistJsonSchemas", () => {
  it("names the checklist, progress, submissions and problems schemas", () => {
    expect(Object.keys(checklistJsonSchemas)).toEqual(["checklist", "progress", "submissions", "problems"]);
  });

  it.each(Object.entries(checklistJsonSchemas))("converts %s with z.toJSONSchema(…, { io: 'input' }) without throwing", (_, schema) => {
    expect(() => z.toJSONSchema(schema, { io: "input" })).not.toThrow();
  });

  describe("validated by an independent validator (ajv)", () => {
    const validate = (name: keyof typeof checklistJsonSchemas, value: unknown) => {
      const check = ajv.compile(z.toJSONSchema(checklistJsonSchemas[name], { io: "input" }) as object);
      const ok = check(JSON.parse(JSON.stringify(value)));
      return ok ? "valid" : ajv.errorsText(check.errors);
    };

    it("accepts the embedded checklist", () => expect(validate("checklist", nearTermChecklist2025)).toBe("valid"));
    it("accepts the county's progress file", () => expect(validate("progress", progress)).toBe("valid"));
    it("accepts the county's submissions", () => expect(validate("submissions", progress.submissions)).toBe("valid"));
    it("accepts the county's problems", () => expect(validate("problems", progress.problems)).toBe("valid"));
    it("refuses a progress file with an unknown key", () => expect(validate("progress", { ...progress, extra: 1 })).not.toBe("valid"));
    it("refuses a submission without a date", () => expect(validate("submissions", [{ unit: "a", deliverable: "t1-deployment" }])).not.toBe("valid"));
  });
});

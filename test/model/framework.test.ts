import { describe, expect, it } from "vitest";
import { jiangxi2025, isKaoheError, parseFramework, parseKeyTasks, keyTasks2025, safeParseFramework, safeParseKeyTasks } from "../../src/index";
import type { KaoheIssue } from "../../src/index";

type Mutable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A bad framework: a change applied to a copy of jiangxi2025, and the issue it must produce. */
interface BadCase {
  description: string;
  change: (f: Mutable) => void;
  expected: Pick<KaoheIssue, "code" | "path">;
}

const firstIndicator = ["categories", 0, "indicators", 0];

const badFrameworks: BadCase[] = [
  { description: "a duplicate department id", change: (f) => f.departments.push({ id: "agri", name: "重复" }), expected: { code: "duplicate_id", path: ["departments", 16, "id"] } },
  { description: "a duplicate indicator id across categories", change: (f) => { f.categories[1].indicators[0].id = "i1"; }, expected: { code: "duplicate_id", path: ["categories", 1, "indicators", 0, "id"] } },
  { description: "a duplicate indicator code", change: (f) => { f.categories[1].indicators[1].code = "2"; }, expected: { code: "duplicate_code", path: ["categories", 1, "indicators", 1, "code"] } },
  { description: "a duplicate deduction clause id", change: (f) => { f.deductionClauses[1].id = "13a"; }, expected: { code: "duplicate_id", path: ["deductionClauses", 1, "id"] } },
  { description: "a duplicate category id", change: (f) => { f.categories[4].id = "c1"; }, expected: { code: "duplicate_id", path: ["categories", 4, "id"] } },
  { description: "an unknown department", change: (f) => f.categories[0].indicators[0].departments.push("moon"), expected: { code: "unknown_department", path: [...firstIndicator, "departments", 12] } },
  { description: "negative points", change: (f) => { f.deductionClauses[0].points = -1; }, expected: { code: "points_not_positive", path: ["deductionClauses", 0, "points"] } },
  { description: "zero points", change: (f) => { f.deductionClauses[0].points = "0.0"; }, expected: { code: "points_not_positive", path: ["deductionClauses", 0, "points"] } },
  { description: "NaN points", change: (f) => { f.deductionClauses[2].points = Number.NaN; }, expected: { code: "invalid_number", path: ["deductionClauses", 2, "points"] } },
  { description: "Infinity points", change: (f) => { f.categories[0].indicators[0].points = Number.POSITIVE_INFINITY; }, expected: { code: "invalid_number", path: [...firstIndicator, "points"] } },
  { description: "an exponent string", change: (f) => { f.deductionClauses[0].points = "1e3"; }, expected: { code: "invalid_format", path: ["deductionClauses", 0, "points"] } },
  { description: "an empty points string", change: (f) => { f.deductionClauses[0].points = ""; }, expected: { code: "invalid_format", path: ["deductionClauses", 0, "points"] } },
  { description: "points beyond the safe integer range", change: (f) => { f.categories[0].indicators[0].points = 2 ** 60; }, expected: { code: "invalid_number", path: [...firstIndicator, "points"] } },
  { description: "points of the wrong type", change: (f) => { f.categories[0].indicators[0].points = true; }, expected: { code: "invalid_union", path: [...firstIndicator, "points"] } },
  { description: "an impossible issue date", change: (f) => { f.document.issuedOn = "2025-02-30"; }, expected: { code: "invalid_date", path: ["document", "issuedOn"] } },
  { description: "a date in the wrong form", change: (f) => { f.document.issuedOn = "2025/10/28"; }, expected: { code: "invalid_format", path: ["document", "issuedOn"] } },
  { description: "grade bands out of order", change: (f) => { f.grades = [{ grade: "一般", min: 60 }, { grade: "好", min: 90 }]; }, expected: { code: "grades_not_descending", path: ["grades", 1, "min"] } },
  { description: "grade bands with equal minimums", change: (f) => { f.grades = [{ grade: "好", min: "90" }, { grade: "较好", min: 90 }]; }, expected: { code: "grades_not_descending", path: ["grades", 1, "min"] } },
  { description: "a repeated grade name", change: (f) => { f.grades = [{ grade: "好", min: 90 }, { grade: "好", min: 80 }]; }, expected: { code: "duplicate_grade", path: ["grades", 1, "grade"] } },
  { description: "an unknown key", change: (f) => { f.categories[0].indicators[0].weight = 5; }, expected: { code: "unrecognized_keys", path: firstIndicator } },
  { description: "a wrong type of title", change: (f) => { f.title = 2025; }, expected: { code: "invalid_type", path: ["title"] } },
  { description: "an unknown level", change: (f) => { f.level = "galactic"; }, expected: { code: "invalid_value", path: ["level"] } },
  { description: "an unknown scoring method", change: (f) => { f.categories[0].indicators[0].scoring = { method: "vote" }; }, expected: { code: "invalid_union", path: [...firstIndicator, "scoring", "method"] } },
  { description: "points on the deductions indicator", change: (f) => { f.categories[4].indicators[0].points = 5; }, expected: { code: "points_on_deductions_indicator", path: ["categories", 4, "indicators", 0, "points"] } },
  { description: "a declared total that differs from the points", change: (f) => { for (const c of f.categories) for (const i of c.indicators) if (i.code !== "13") i.points = 8; f.totalPoints = 100; }, expected: { code: "total_mismatch", path: ["totalPoints"] } },
  { description: "two policies of one kind", change: (f) => { f.policies.push({ ...f.policies[0], id: "again" }); }, expected: { code: "duplicate_policy", path: ["policies", 2, "kind"] } },
  { description: "an empty category", change: (f) => { f.categories[0].indicators = []; }, expected: { code: "too_small", path: ["categories", 0, "indicators"] } },
  { description: "an id with blanks", change: (f) => { f.departments[0].id = "省 委"; }, expected: { code: "invalid_format", path: ["departments", 0, "id"] } },
  { description: "an empty indicator name", change: (f) => { f.categories[0].indicators[0].name = ""; }, expected: { code: "too_small", path: [...firstIndicator, "name"] } },
  { description: "a missing source reference item", change: (f) => { delete f.deductionClauses[3].source.item; }, expected: { code: "invalid_type", path: ["deductionClauses", 3, "source", "item"] } },
];

function copy(): Mutable {
  return structuredClone(jiangxi2025) as Mutable;
}

describe("parseFramework", () => {
  describe.each(badFrameworks)("when given $description", ({ change, expected }) => {
    it(`reports ${expected.code} at its path, without throwing anything but a KaoheError`, () => {
      const input = copy();
      change(input);
      const result = safeParseFramework(input);
      expect(result.success).toBe(false);
      if (result.success) return;
      expect(result.error.issues.map((i) => ({ code: i.code, path: i.path }))).toContainEqual(expected);
      expect(() => parseFramework(input)).toThrow(result.error.message);
    });
  });

  it("reports every issue at once, shape and references together", () => {
    const input = copy();
    input.title = 1;
    input.categories[0].indicators[0].departments.push("moon");
    input.deductionClauses[0].points = "1e3";
    const result = safeParseFramework(input);
    expect(result.success ? [] : result.error.issues.map((i) => i.code).sort()).toEqual([
      "invalid_format",
      "invalid_type",
      "unknown_department",
    ]);
  });

  it("names the item by its Chinese label in the message", () => {
    const input = copy();
    input.categories[3].indicators[1].points = -2;
    const result = safeParseFramework(input);
    expect(result.success ? "" : result.error.issues[0]?.message).toContain("指标 11「脱贫地区农村居民收入变化情况」");
  });

  it.each([null, undefined, 42, "framework", [], { id: "x" }])("rejects %j with a KaoheError", (input) => {
    let caught: unknown;
    try {
      parseFramework(input);
    } catch (error) {
      caught = error;
    }
    expect(isKaoheError(caught)).toBe(true);
  });

  it("applies the default output precision of 2 places", () => {
    const { precision, ...rest } = copy();
    expect(precision).toBe(2);
    expect(parseFramework(rest).precision).toBe(2);
  });

  it("accepts decimal strings for points and grade minimums", () => {
    const input = copy();
    input.deductionClauses[0].points = "1.25";
    input.grades = [{ grade: "好", min: "90.5" }, { grade: "一般", min: 0 }];
    expect(parseFramework(input).deductionClauses[0]?.points).toBe("1.25");
  });
});

describe("parseKeyTasks", () => {
  it("reports a task that links an indicator the framework does not have", () => {
    const tasks = structuredClone(keyTasks2025);
    tasks[2]?.indicatorIds.push("i99");
    const result = safeParseKeyTasks(tasks, jiangxi2025);
    expect(result.success ? [] : result.error.issues).toEqual([
      expect.objectContaining({ code: "unknown_indicator", path: [2, "indicatorIds", 1] }),
    ]);
  });

  it("reports a repeated task number", () => {
    const tasks = structuredClone(keyTasks2025);
    if (tasks[1]) tasks[1].number = 1;
    expect(() => parseKeyTasks(tasks, jiangxi2025)).toThrow(/key task number "1" is given more than once/);
  });
});

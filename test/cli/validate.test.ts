import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020";
import { describe, expect, it } from "vitest";
import { jiangxi2025 } from "../../src/frameworks/jiangxi2025";
import { nearTermChecklist2025 } from "../../src/frameworks/nearTermChecklist2025";
import { readRepoJson, runCliCaptured } from "../helpers";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const copy = (path: string): any => readRepoJson(path);
const ajv = new Ajv2020({ allErrors: true, strict: false });
const schema = (name: string) => ajv.compile(JSON.parse(readFileSync(new URL(`../../schemas/${name}.schema.json`, import.meta.url), "utf8")) as object);
const validators = { score: schema("score-output"), validate: schema("validate-output"), checklist: schema("checklist-output"), framework: schema("framework-diff-output") };

/** Each file kind with a file holding two problems of different sorts: a shape error, and one a later check finds. */
function badFiles(): Record<string, { content: unknown; codes: string[] }> {
  const points = copy("examples/jiangxi-2025/points.json");
  const framework = JSON.parse(JSON.stringify(jiangxi2025));
  framework.categories[0].name = 5;
  framework.categories[1].indicators[0].id = framework.categories[0].indicators[0].id;
  // A rule that does not compile, which the shape errors used to hide.
  const ruled = framework.categories.flatMap((c: { indicators: { scoring: { method: string; rule?: unknown } }[] }) => c.indicators).find((i: { scoring: { method: string } }) => i.scoring.method === "rule");
  ruled.scoring.rule = { frobnicate: [1] };
  const checklist = JSON.parse(JSON.stringify(nearTermChecklist2025));
  checklist.title = 5;
  checklist.tasks[1].id = checklist.tasks[0].id;
  const progress = copy("examples/county-2025/progress.json");
  progress.submissions[0].submittedOn = 5;
  progress.submissions[1].deliverable = "t99-nothing";
  const problems = copy("examples/county-2025/progress.json").problems;
  problems[0].title = 5;
  problems[1].history.push({ type: "close", on: "2025-11-02" });
  const rulebook = copy("examples/screening/rulebook.json");
  rulebook.rules[0].severity = "huge";
  rulebook.rules[2].code = rulebook.rules[1].code;
  const ganzhou = copy("examples/jiangxi-2025/assessments/ganzhou.json");
  return {
    assessment: { content: { ...ganzhou, indicators: { ...ganzhou.indicators, i1: { score: "1e3" }, i99: { score: 1 } } }, codes: ["invalid_format", "unknown_indicator"] },
    points: { content: { points: { ...points.points, i1: "abc", i99: 5 } }, codes: ["invalid_format", "unknown_indicator"] },
    grades: { content: { grades: [{ grade: "好", min: "x" }, { grade: "较好", min: 80 }, { grade: "较好", min: 70 }] }, codes: ["invalid_format", "duplicate_grade"] },
    framework: { content: framework, codes: ["invalid_type", "duplicate_id", "unknown_operator"] },
    checklist: { content: checklist, codes: ["invalid_type", "duplicate_id"] },
    progress: { content: progress, codes: ["invalid_type", "unknown_deliverable"] },
    submissions: { content: [{ unit: "town-01", deliverable: "t1-deployment", submittedOn: 5 }, { unit: "town-01", deliverable: "t99-nothing", submittedOn: "2025-10-29" }], codes: ["invalid_type", "unknown_deliverable"] },
    problems: { content: problems, codes: ["invalid_type", "transition_not_allowed"] },
    rulebook: { content: rulebook, codes: ["invalid_value", "duplicate_code"] },
  };
}

const P = ["--points", "examples/jiangxi-2025/points.json"];

describe("kaohe validate: shape errors do not hide the other errors", () => {
  it.each(Object.entries(badFiles()))("a %s file with two problems of different sorts reports both, at once", async (kind, { content, codes }) => {
    const run = await runCliCaptured(["validate", "bad.json", "--kind", kind, ...P, "--lang", "en"], { "bad.json": JSON.stringify(content) });
    expect(run.code, run.stderr).toBe(1);
    for (const code of codes) expect(run.stderr, run.stderr).toContain(`[${code}]`);
    // The JSON output lists the same problems, and validates against its schema.
    const json = await runCliCaptured(["validate", "bad.json", "--kind", kind, ...P, "--format", "json"], { "bad.json": JSON.stringify(content) });
    const output = JSON.parse(json.stdout);
    expect(validators.validate(output), ajv.errorsText(validators.validate.errors)).toBe(true);
    expect(output).toMatchObject({ ok: false, file: "bad.json", kind });
    const found = output.errors.flatMap((e: { issues?: { code: string }[] }) => (e.issues ?? []).map((i) => i.code));
    for (const code of codes) expect(found).toContain(code);
  });

  it("maps what a later check says of an element back to the file's own numbering", async () => {
    const { content } = badFiles().progress as { content: unknown };
    const run = await runCliCaptured(["validate", "bad.json", "--kind", "progress", "--lang", "en"], { "bad.json": JSON.stringify(content) });
    expect(run.stderr).toContain('submissions[1].deliverable: submission 2 names deliverable "t99-nothing"');
    const rulebook = badFiles().rulebook as { content: { rules: { code: string }[] } };
    const rb = await runCliCaptured(["validate", "bad.json", "--kind", "rulebook", "--lang", "en"], { "bad.json": JSON.stringify(rulebook.content) });
    expect(rb.stderr).toContain(`rules[2].code: rule code "${rulebook.content.rules[1]?.code}" is already used by rules[1] [duplicate_code]`);
  });
});

describe("--format json: one shape, errors included, valid against the published schemas", () => {
  it.each([
    ["score", ["score", "examples/jiangxi-2025/assessments/ganzhou.json", ...P, "--format", "json"], 0],
    ["score", ["score", "examples/jiangxi-2025/assessments/ganzhou.json", "examples/jiangxi-2025/assessments/jian.json", ...P, "--format", "json"], 0],
    ["score", ["score", "nope.json", ...P, "--format", "json"], 1],
    ["validate", ["validate", "examples/screening/rulebook.json", "--format", "json"], 0],
    ["validate", ["validate", "nope.json", "--format", "json"], 1],
    ["validate", ["validate", "empty.json", "--format", "json"], 1],
    ["checklist", ["checklist", "examples/county-2025/progress.json", "--as-of", "2025-11-05", "--format", "json"], 0],
    ["checklist", ["checklist", "nope.json", "--as-of", "2025-11-05", "--format", "json"], 1],
    ["checklist", ["checklist", "bad.json", "--as-of", "2025-11-05", "--format", "json"], 1],
    ["framework", ["framework", "diff", "jiangxi2025", "examples/frameworks/province-2026.framework.json", "--format", "json"], 0],
    ["framework", ["framework", "diff", "jiangxi2025", "examples/frameworks/city-2025.framework.json", "--assessment", "examples/jiangxi-2025/assessments/nanchang.json", "--format", "json"], 0],
    ["framework", ["framework", "diff", "nope.json", "bad.json", "--assessment", "empty.json", "--format", "json"], 1],
  ] as const)("kaohe %s: %j", async (command, args, code) => {
    const run = await runCliCaptured([...args], { "empty.json": "{}", "bad.json": JSON.stringify({ units: [], submissions: [{ unit: 5 }] }) });
    expect(run.code, run.stderr).toBe(code);
    expect(run.stderr).toBe("");
    const output = JSON.parse(run.stdout);
    const valid = validators[command];
    expect(valid(output), ajv.errorsText(valid.errors)).toBe(true);
    expect(output.ok).toBe(code === 0);
    expect(output.errors.length === 0).toBe(code === 0);
  });

  it("framework diff reports both frameworks' problems and the assessment's, the diff null", async () => {
    const run = await runCliCaptured(["framework", "diff", "nope.json", "bad.json", "--assessment", "empty.json", "--format", "json", "--lang", "en"], { "empty.json": "{}", "bad.json": "{}" });
    const output = JSON.parse(run.stdout);
    expect(output).toMatchObject({ ok: false, diff: null, assessment: null });
    expect(output.errors.map((e: { file: string }) => e.file)).toEqual(["nope.json", "bad.json", "empty.json"]);
    expect(output.errors[0].message).toBe("nope.json: no such file");
  });

  it("framework diff with --assessment has the same shape, the misfits in assessment.issues", async () => {
    const run = await runCliCaptured(["framework", "diff", "jiangxi2025", "examples/frameworks/city-2025.framework.json", "--assessment", "examples/jiangxi-2025/assessments/nanchang.json", "--format", "json"]);
    const output = JSON.parse(run.stdout);
    expect(Object.keys(output)).toEqual(["ok", "diff", "assessment", "errors"]);
    expect(output.assessment.file).toBe("examples/jiangxi-2025/assessments/nanchang.json");
    expect(output.assessment.issues.length).toBeGreaterThan(0);
  });

  it("validate gives kind null when the kind cannot be told, with the message in the chosen language", async () => {
    const run = await runCliCaptured(["validate", "empty.json", "--format", "json", "--lang", "en"], { "empty.json": "{}" });
    expect(JSON.parse(run.stdout)).toEqual({ ok: false, file: "empty.json", kind: null, errors: [{ file: "empty.json", message: "empty.json: cannot tell what this file holds; pass --kind assessment|points|grades|framework|checklist|progress|submissions|problems|rulebook" }] });
  });

  it("checklist's errors name the file and each problem, with the parts null", async () => {
    const run = await runCliCaptured(["checklist", "bad.json", "--as-of", "2025-11-05", "--format", "json"], { "bad.json": JSON.stringify({ units: [], submissions: [{ unit: 5 }] }) });
    const output = JSON.parse(run.stdout);
    expect(output).toMatchObject({ ok: false, asOf: "2025-11-05", checklist: null, deliverables: null, duties: null, rectifications: null });
    expect(output.errors[0].file).toBe("bad.json");
    expect(output.errors[0].issues.map((i: { path: unknown[] }) => i.path)).toContainEqual(["submissions", 0, "unit"]);
  });
});

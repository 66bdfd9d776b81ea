import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { nearTermChecklist2025 } from "../../src/frameworks/nearTermChecklist2025";
import { runChecklistCaptured } from "./helpers";

const example = "examples/county-2025/progress.json";
const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

describe("kaohe checklist", () => {
  describe("on the synthetic county example", () => {
    it.each([
      { asOf: "2025-11-01", format: "table", lang: "zh", file: "expected-2025-11-01.zh.txt" },
      { asOf: "2025-11-05", format: "table", lang: "zh", file: "expected-2025-11-05.zh.txt" },
      { asOf: "2025-11-01", format: "table", lang: "en", file: "expected-2025-11-01.txt" },
      { asOf: "2025-11-05", format: "table", lang: "en", file: "expected-2025-11-05.txt" },
      { asOf: "2025-11-05", format: "json", lang: "zh", file: "expected-2025-11-05.json" },
    ])("prints examples/county-2025/$file as of $asOf (--lang $lang)", ({ asOf, format, lang, file }) => {
      const run = runChecklistCaptured([example, "--as-of", asOf, "--format", format, ...(lang === "en" ? ["--lang", "en"] : [])]);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(`${run.stdout}\n`).toBe(read(`examples/county-2025/${file}`));
    });

    it("is marked synthetic and has 12 乡镇, a few 行业帮扶单位 and ten problems, two sent back", () => {
      const progress = JSON.parse(read(example));
      expect(progress.synthetic).toBe(true);
      expect(progress.units.filter((u: { kind: string }) => u.kind === "乡镇")).toHaveLength(12);
      expect(progress.units.filter((u: { kind: string }) => u.kind === "行业帮扶单位").length).toBeGreaterThanOrEqual(3);
      expect(progress.problems).toHaveLength(10);
      const sentBack = progress.problems.filter((p: { history: { type: string }[] }) => p.history.some((e) => e.type === "send-back"));
      expect(sentBack).toHaveLength(2);
    });

    it("prints the overdue deliverables before anything else, then the rectification summary", () => {
      const { stdout } = runChecklistCaptured([example, "--as-of", "2025-11-01", "--lang", "en"]);
      expect(stdout.indexOf("Overdue")).toBeLessThan(stdout.indexOf("Due within"));
      expect(stdout.indexOf("Due within")).toBeLessThan(stdout.indexOf("Rectification"));
      expect(stdout).toContain("河口镇    task 1  工作部署情况  2025-10-31  overdue     1");
    });

    it("speaks Chinese by default: headings, statuses and the rectification summary", () => {
      const { stdout } = runChecklistCaptured([example, "--as-of", "2025-11-01"]);
      expect(stdout.indexOf("逾期未报：3")).toBeLessThan(stdout.indexOf("3 天内到期："));
      expect(stdout.indexOf("3 天内到期：")).toBeLessThan(stdout.indexOf("整改问题 10 个："));
      expect(stdout).toContain("河口镇    任务1  工作部署情况  2025-10-31  逾期未报     1");
    });
  });

  it("uses a checklist given in the progress file", () => {
    const checklist = { ...nearTermChecklist2025, id: "own", tasks: nearTermChecklist2025.tasks.slice(0, 1) };
    const file = JSON.stringify({ checklist, units: [{ id: "a", name: "甲镇" }] });
    const run = runChecklistCaptured(["p.json", "--as-of", "2025-11-01", "--format", "json"], { "p.json": file });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).deliverables.overdue).toHaveLength(1);
  });

  describe("when the command line is wrong, exits 2 with a usage message", () => {
    it.each([
      { description: "no file", args: ["--as-of", "2025-11-01"] },
      { description: "two files", args: ["a.json", "b.json", "--as-of", "2025-11-01"] },
      { description: "no --as-of", args: [example] },
      { description: "--as-of 2025-02-30", args: [example, "--as-of", "2025-02-30"] },
      { description: "--format xml", args: [example, "--as-of", "2025-11-01", "--format", "xml"] },
      { description: "--due-soon-days -1", args: [example, "--as-of", "2025-11-01", "--due-soon-days", "-1"] },
      { description: "an unknown option", args: [example, "--as-of", "2025-11-01", "--today"] },
    ])("for $description", ({ args }) => {
      const run = runChecklistCaptured(args);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(/^kaohe checklist: /);
      expect(run.stderr).toContain("运行 `kaohe help checklist` 查看用法。");
      expect(run.stderr).not.toMatch(/\n\s+at /);
    });
  });

  describe("when the file is wrong, exits 1 with a readable list of issues", () => {
    const units = [{ id: "a", name: "甲镇" }];
    it.each([
      { description: "a missing file", files: {}, args: ["missing.json"], expected: "missing.json: no such file" },
      { description: "bad JSON", files: { "p.json": "{ units: " }, expected: "p.json: not valid JSON" },
      {
        description: "a submission dated 2025-02-30",
        files: { "p.json": JSON.stringify({ units, submissions: [{ unit: "a", deliverable: "t1-deployment", submittedOn: "2025-02-30" }] }) },
        expected: "submissions[0].submittedOn: ",
      },
      {
        description: "an unknown unit and an unknown deliverable",
        files: { "p.json": JSON.stringify({ units, submissions: [{ unit: "b", deliverable: "t7", submittedOn: "2025-10-30" }] }) },
        expected: "p.json: 2 issues\n  submissions[0].unit: submission 1 names unit \"b\", which the units do not list [unknown_unit]",
      },
      {
        description: "a visit for a duty the checklist does not have",
        files: { "p.json": JSON.stringify({ units, visits: [{ unit: "a", recurrence: "t2-friday", on: "2025-10-31" }] }) },
        expected: "visits[0].recurrence: ",
      },
      {
        description: "a visit by an unknown unit, behind a valid one",
        files: {
          "p.json": JSON.stringify({
            units,
            visits: [
              { unit: "a", recurrence: "t2-wednesday", on: "2025-10-29" },
              { unit: "b", recurrence: "t2-wednesday", on: "2025-10-29" },
            ],
          }),
        },
        expected: "visits[1].unit: ",
      },
      {
        description: "a problem with a transition out of 已销号",
        files: {
          "p.json": JSON.stringify({
            units,
            problems: [
              {
                id: "p1", title: "问题", origin: { kind: "audit" }, unit: "a", foundOn: "2025-03-01", targetOn: "2025-06-30", state: "整改中",
                history: [{ type: "start", on: "2025-03-02" }, { type: "complete", on: "2025-03-03" }, { type: "close", on: "2025-03-04" }, { type: "start", on: "2025-03-05" }],
              },
            ],
          }),
        },
        expected: "problems[0].history[3].type: ",
      },
      { description: "no units", files: { "p.json": JSON.stringify({ units: [] }) }, expected: "units: " },
      { description: "a checklist of another name", files: { "p.json": JSON.stringify({ checklist: "jiangxi2025", units }) }, expected: "checklist: \"jiangxi2025\" is not an embedded checklist" },
    ])("for $description", ({ files, args, expected }) => {
      const run = runChecklistCaptured([...(args ?? ["p.json"]), "--as-of", "2025-11-01", "--lang", "en"], files);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain(expected);
      expect(run.stderr).not.toMatch(/\n\s+at |TypeError/);
    });
  });
});

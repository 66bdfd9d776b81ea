import { describe, expect, it } from "vitest";
import { isKaoheError } from "../../src/internal/errors";
import { nearTermChecklist2025 } from "../../src/frameworks/nearTermChecklist2025";
import { parseChecklist, safeParseChecklist } from "../../src/model/checklistParse";

/** A deep copy of the embedded checklist, changed by `edit`. */
function variant(edit: (c: any) => void): unknown {
  const copy = structuredClone(nearTermChecklist2025) as any;
  edit(copy);
  return copy;
}

interface BadCase {
  description: string;
  input: unknown;
  code: string;
  path: (string | number)[];
  /** Part of the message: the Chinese label of the item, where it has one. */
  names?: string;
}

const bad: BadCase[] = [
  { description: "an issue date that does not exist (2025-02-30)", input: variant((c) => (c.issuedOn = "2025-02-30")), code: "invalid_date", path: ["issuedOn"] },
  {
    description: "a due date that does not exist",
    input: variant((c) => (c.tasks[0].deliverables[0].dueOn = "2025-11-31")),
    code: "invalid_date",
    path: ["tasks", 0, "deliverables", 0, "dueOn"],
    names: "任务 1「及时调度部署」 › 报送材料「工作部署情况」",
  },
  {
    description: "a due date written with slashes",
    input: variant((c) => (c.tasks[2].deliverables[0].dueOn = "2025/11/05")),
    code: "invalid_format",
    path: ["tasks", 2, "deliverables", 0, "dueOn"],
    names: "任务 3「全面梳理总结」",
  },
  {
    description: "a deliverable due before the issue date",
    input: variant((c) => (c.tasks[0].deliverables[0].dueOn = "2025-10-27")),
    code: "due_before_issue",
    path: ["tasks", 0, "deliverables", 0, "dueOn"],
    names: "任务 1「及时调度部署」 › 报送材料「工作部署情况」",
  },
  { description: "two tasks with one id", input: variant((c) => (c.tasks[1].id = "t1")), code: "duplicate_id", path: ["tasks", 1, "id"] },
  { description: "two tasks with one number", input: variant((c) => (c.tasks[4].number = 4)), code: "duplicate_number", path: ["tasks", 4, "number"] },
  { description: "two parties with one id", input: variant((c) => (c.parties[1].id = "townships")), code: "duplicate_id", path: ["parties", 1, "id"] },
  {
    description: "two deliverables with one id in different tasks",
    input: variant((c) => (c.tasks[2].deliverables[0].id = "t1-deployment")),
    code: "duplicate_id",
    path: ["tasks", 2, "deliverables", 0, "id"],
  },
  {
    description: "a focus area and a focus group with one id",
    input: variant((c) => (c.tasks[3].focusGroups[0].id = "village-clinics")),
    code: "duplicate_id",
    path: ["tasks", 3, "focusGroups", 0, "id"],
  },
  {
    description: "a responsible party that is not listed",
    input: variant((c) => c.tasks[0].responsible.push("county-party-school")),
    code: "unknown_party",
    path: ["tasks", 0, "responsible", 2],
    names: "任务 1「及时调度部署」",
  },
  {
    description: "a recipient that is not listed",
    input: variant((c) => (c.tasks[2].deliverables[0].recipient = "city-bureau")),
    code: "unknown_party",
    path: ["tasks", 2, "deliverables", 0, "recipient"],
    names: "报送材料「总结材料」",
  },
  {
    description: "a recurrence kept by an unlisted party",
    input: variant((c) => (c.tasks[1].recurrences[0].parties = ["nobody"])),
    code: "unknown_party",
    path: ["tasks", 1, "recurrences", 0, "parties", 0],
    names: "常态化制度「周三帮扶日」",
  },
  { description: "weekday 8", input: variant((c) => (c.tasks[1].recurrences[0].weekday = 8)), code: "too_big", path: ["tasks", 1, "recurrences", 0, "weekday"] },
  {
    description: "a monthly recurrence",
    input: variant((c) => (c.tasks[1].recurrences[0].frequency = "monthly")),
    code: "invalid_value",
    path: ["tasks", 1, "recurrences", 0, "frequency"],
  },
  { description: "a milestone in month 13", input: variant((c) => (c.milestones[0].month = "2025-13")), code: "invalid_format", path: ["milestones", 0, "month"], names: "节点「省级考核」" },
  { description: "an unknown key", input: variant((c) => (c.tasks[0].deadline = "2025-10-31")), code: "unrecognized_keys", path: ["tasks", 0], names: "任务 1" },
  { description: "a task number that is a string", input: variant((c) => (c.tasks[0].number = "1")), code: "invalid_type", path: ["tasks", 0, "number"] },
  { description: "an empty title", input: variant((c) => (c.tasks[0].title = "")), code: "too_small", path: ["tasks", 0, "title"] },
  { description: "a task without its source", input: variant((c) => delete c.tasks[3].source), code: "invalid_type", path: ["tasks", 3, "source"] },
  { description: "a review without reasons", input: variant((c) => (c.tasks[4].reviews[0].sendBackReasons = [])), code: "too_small", path: ["tasks", 4, "reviews", 0, "sendBackReasons"] },
  { description: "no tasks at all", input: variant((c) => (c.tasks = [])), code: "too_small", path: ["tasks"] },
  { description: "tasks that are not an array", input: variant((c) => (c.tasks = { t1: {} })), code: "invalid_type", path: ["tasks"] },
  { description: "a checklist that is null", input: null, code: "invalid_type", path: [] },
];

describe("parseChecklist", () => {
  it("returns the embedded checklist as it is", () => {
    expect(parseChecklist(nearTermChecklist2025)).toEqual(nearTermChecklist2025);
  });

  it("fills in the lists a written checklist leaves out", () => {
    const minimal = {
      id: "c",
      title: "清单",
      issuedOn: "2025-10-28",
      parties: [],
      tasks: [{ id: "t", number: 1, title: "任务", content: "内容", responsible: [], source: { document: "d", part: "正文", item: "第1项" } }],
    };
    const parsed = parseChecklist(minimal);
    expect(parsed.milestones).toEqual([]);
    expect(parsed.tasks[0]).toMatchObject({ deliverables: [], recurrences: [], focusAreas: [], focusGroups: [], reviews: [] });
  });

  it("reports every issue at once", () => {
    const input = variant((c) => {
      c.issuedOn = "2025-02-30";
      c.tasks[1].id = "t1";
      c.tasks[2].deliverables[0].recipient = "nobody";
    });
    const result = safeParseChecklist(input);
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.issues.map((i) => i.code).sort()).toEqual(["duplicate_id", "invalid_date", "unknown_party"]);
  });

  describe("when the input is bad", () => {
    it("has a corpus of at least 20 bad checklists", () => expect(bad.length).toBeGreaterThanOrEqual(20));

    it.each(bad)("reports $code at the path for $description", ({ input, code, path, names }) => {
      const result = safeParseChecklist(input);
      expect(result.success).toBe(false);
      if (result.success) return;
      const found = result.error.issues.find((i) => i.code === code && JSON.stringify(i.path) === JSON.stringify(path));
      expect(found, JSON.stringify(result.error.issues)).toBeDefined();
      if (names) expect(found?.message).toContain(names);
    });

    it.each(bad)("throws a KaoheError, not a TypeError, for $description", ({ input }) => {
      let caught: unknown;
      try {
        parseChecklist(input);
      } catch (error) {
        caught = error;
      }
      expect(isKaoheError(caught)).toBe(true);
      expect((caught as Error).name).toBe("KaoheError");
    });
  });
});

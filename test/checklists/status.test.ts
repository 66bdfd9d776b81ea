import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checklistStatus, safeChecklistStatus, type DeliverableStatusKind, type Submission } from "../../src/checklists/index";
import { nearTermChecklist2025 } from "../../src/frameworks/nearTermChecklist2025";
import { isKaoheError } from "../../src/internal/errors";
import { readRepoJson, runChecklistCaptured, thrown } from "./helpers";

interface GoldenFile {
  units: { id: string; name: string }[];
  cases: { description: string; asOf: string; dueSoonDays?: number; submissions: Submission[]; expected: Record<string, DeliverableStatusKind> }[];
}

const golden = readRepoJson<GoldenFile>("test/checklists/status-cases.json");
const units = golden.units;
const statuses = (items: readonly { unit: string; deliverable: string; status: string }[]) =>
  Object.fromEntries(items.map((i) => [`${i.unit}/${i.deliverable}`, i.status]));

describe("checklistStatus", () => {
  describe.each(golden.cases)("when $description", ({ asOf, dueSoonDays, submissions, expected }) => {
    it("gives the expected statuses through the library", () => {
      const options = dueSoonDays === undefined ? { asOf, units } : { asOf, units, dueSoonDays };
      expect(statuses(checklistStatus(nearTermChecklist2025, submissions, options).items)).toEqual(expected);
    });

    it("gives the expected statuses through the CLI", () => {
      const file = JSON.stringify({ units, submissions });
      const args = ["progress.json", "--as-of", asOf, "--format", "json", "--due-soon-days", String(dueSoonDays ?? 366)];
      // The CLI always marks due-soon; a window of 366 days marks every unsubmitted, undue item, so map it back.
      const run = runChecklistCaptured(args, { "progress.json": file });
      expect(run.code, run.stderr).toBe(0);
      const got = statuses(JSON.parse(run.stdout).deliverables.items);
      const want = dueSoonDays === undefined ? Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, v === "pending" ? "due-soon" : v])) : expected;
      expect(got).toEqual(want);
    });
  });

  it("gives the dates behind each status", () => {
    const report = checklistStatus(
      nearTermChecklist2025,
      [
        { unit: "a", deliverable: "t1-deployment", submittedOn: "2025-11-02T09:00:00+08:00" },
        { unit: "b", deliverable: "t3-summary", submittedOn: "2025-11-01" },
      ],
      { asOf: "2025-11-03", units },
    );
    expect(report.items).toEqual([
      expect.objectContaining({ unit: "a", deliverable: "t1-deployment", status: "late", submittedOn: "2025-11-02", daysPastDue: 2, dueOn: "2025-10-31", recipient: "县农业农村局" }),
      expect.objectContaining({ unit: "b", deliverable: "t1-deployment", status: "overdue", daysPastDue: 3 }),
      expect.objectContaining({ unit: "a", deliverable: "t3-summary", status: "pending", daysLeft: 2 }),
      expect.objectContaining({ unit: "b", deliverable: "t3-summary", status: "done", submittedOn: "2025-11-01" }),
    ]);
  });

  it("puts the overdue list first, and totals per unit and per task", () => {
    const report = checklistStatus(nearTermChecklist2025, [{ unit: "a", deliverable: "t1-deployment", submittedOn: "2025-10-30" }], { asOf: "2025-11-06", units });
    expect(Object.keys(report)[0]).toBe("asOf");
    expect(Object.keys(report)[1]).toBe("overdue");
    expect(report.overdue.map((i) => `${i.unit}/${i.deliverable}`)).toEqual(["b/t1-deployment", "a/t3-summary", "b/t3-summary"]);
    expect(report.byUnit).toEqual([
      { unit: "a", name: "甲镇", counts: { overdue: 1, "due-soon": 0, pending: 0, late: 0, done: 1, total: 2 } },
      { unit: "b", name: "乙乡", counts: { overdue: 2, "due-soon": 0, pending: 0, late: 0, done: 0, total: 2 } },
    ]);
    expect(report.byTask.map((t) => [t.number, t.counts.total, t.counts.done, t.counts.overdue])).toEqual([
      [1, 2, 1, 1],
      [2, 0, 0, 0],
      [3, 2, 0, 2],
      [4, 0, 0, 0],
      [5, 0, 0, 0],
    ]);
  });

  it("applies a deliverable only to units of the responsible parties", () => {
    const report = checklistStatus(nearTermChecklist2025, [], {
      asOf: "2025-10-29",
      units: [
        { id: "town", name: "甲镇", parties: ["townships"] },
        { id: "team", name: "驻村工作队甲", parties: ["village-teams"] },
      ],
    });
    expect(report.items.map((i) => i.unit)).toEqual(["town", "town"]);
    expect(report.byUnit[1]?.counts.total).toBe(0);
  });

  describe("properties", () => {
    const day = fc.integer({ min: 0, max: 40 }).map((n) => new Date(Date.UTC(2025, 9, 28 + n)).toISOString().slice(0, 10));
    const submission = fc.record({
      unit: fc.constantFrom("a", "b"),
      deliverable: fc.constantFrom("t1-deployment", "t3-summary"),
      submittedOn: fc.oneof(
        day,
        fc.tuple(day, fc.integer({ min: 0, max: 23 }), fc.constantFrom("Z", "+08:00", "-03:30", "+12:45")).map(
          ([d, h, o]) => `${d}T${String(h).padStart(2, "0")}:30:00${o}`,
        ),
      ),
    });

    it("never moves a deliverable from done to anything else as asOf grows", () => {
      fc.assert(
        fc.property(fc.array(submission, { maxLength: 6 }), day, day, (subs, x, y) => {
          // A timestamp west of China may fall on the day before the issue date: keep only valid ones.
          const valid = subs.filter((s) => safeChecklistStatus(nearTermChecklist2025, [s], { asOf: x, units }).success);
          const [early, late] = x <= y ? [x, y] : [y, x];
          const before = statuses(checklistStatus(nearTermChecklist2025, valid, { asOf: early, units }).items);
          const after = statuses(checklistStatus(nearTermChecklist2025, valid, { asOf: late, units }).items);
          for (const [key, status] of Object.entries(before)) if (status === "done") expect(after[key]).toBe("done");
        }),
      );
    });

    it("gives the same report whatever the order of the submissions", () => {
      fc.assert(
        fc.property(fc.array(submission, { maxLength: 6 }), day, (subs, asOf) => {
          const valid = subs.filter((s) => safeChecklistStatus(nearTermChecklist2025, [s], { asOf, units }).success);
          const one = checklistStatus(nearTermChecklist2025, valid, { asOf, units });
          const two = checklistStatus(nearTermChecklist2025, [...valid].reverse(), { asOf, units });
          expect(two).toEqual(one);
        }),
      );
    });
  });

  describe("when the input is bad", () => {
    const ok = { asOf: "2025-11-01", units };
    const cases: { description: string; run: () => unknown; code: string; path: (string | number)[] }[] = [
      { description: "asOf 2025-02-30", run: () => checklistStatus(nearTermChecklist2025, [], { asOf: "2025-02-30", units }), code: "invalid_date", path: ["asOf"] },
      {
        description: "a submission dated 2025-02-30",
        run: () => checklistStatus(nearTermChecklist2025, [{ unit: "a", deliverable: "t1-deployment", submittedOn: "2025-02-30" }], ok),
        code: "invalid_date",
        path: ["submissions", 0, "submittedOn"],
      },
      {
        description: "a timestamp without an offset",
        run: () => checklistStatus(nearTermChecklist2025, [{ unit: "a", deliverable: "t1-deployment", submittedOn: "2025-10-30T10:00:00" }], ok),
        code: "invalid_date",
        path: ["submissions", 0, "submittedOn"],
      },
      {
        description: "a timestamp at hour 24",
        run: () => checklistStatus(nearTermChecklist2025, [{ unit: "a", deliverable: "t1-deployment", submittedOn: "2025-10-30T24:00:00Z" }], ok),
        code: "invalid_date",
        path: ["submissions", 0, "submittedOn"],
      },
      {
        description: "an unknown unit",
        run: () => checklistStatus(nearTermChecklist2025, [{ unit: "zz", deliverable: "t1-deployment", submittedOn: "2025-10-30" }], ok),
        code: "unknown_unit",
        path: ["submissions", 0, "unit"],
      },
      {
        description: "an unknown deliverable",
        run: () => checklistStatus(nearTermChecklist2025, [{ unit: "a", deliverable: "t9-report", submittedOn: "2025-10-30" }], ok),
        code: "unknown_deliverable",
        path: ["submissions", 0, "deliverable"],
      },
      {
        description: "a submission before the issue date",
        run: () => checklistStatus(nearTermChecklist2025, [{ unit: "a", deliverable: "t1-deployment", submittedOn: "2025-10-27" }], ok),
        code: "submission_before_issue",
        path: ["submissions", 0, "submittedOn"],
      },
      {
        description: "a timestamp that is before the issue date in China",
        run: () => checklistStatus(nearTermChecklist2025, [{ unit: "a", deliverable: "t1-deployment", submittedOn: "2025-10-27T15:59:00Z" }], ok),
        code: "submission_before_issue",
        path: ["submissions", 0, "submittedOn"],
      },
      {
        description: "a deliverable of a task the unit does not answer for",
        run: () =>
          checklistStatus(nearTermChecklist2025, [{ unit: "t", deliverable: "t1-deployment", submittedOn: "2025-10-30" }], {
            asOf: "2025-11-01",
            units: [{ id: "t", name: "驻村工作队", parties: ["village-teams"] }],
          }),
        code: "deliverable_not_assigned",
        path: ["submissions", 0, "deliverable"],
      },
      { description: "two units with one id", run: () => checklistStatus(nearTermChecklist2025, [], { asOf: "2025-11-01", units: [units[0]!, units[0]!] }), code: "duplicate_id", path: ["units", 1, "id"] },
      {
        description: "a unit in an unknown party",
        run: () => checklistStatus(nearTermChecklist2025, [], { asOf: "2025-11-01", units: [{ id: "x", name: "某镇", parties: ["villages"] }] }),
        code: "unknown_party",
        path: ["units", 0, "parties", 0],
      },
      { description: "no units", run: () => checklistStatus(nearTermChecklist2025, [], { asOf: "2025-11-01", units: [] }), code: "too_small", path: ["units"] },
      { description: "a negative dueSoonDays", run: () => checklistStatus(nearTermChecklist2025, [], { ...ok, dueSoonDays: -1 }), code: "too_small", path: ["dueSoonDays"] },
      { description: "NaN dueSoonDays", run: () => checklistStatus(nearTermChecklist2025, [], { ...ok, dueSoonDays: Number.NaN }), code: "invalid_type", path: ["dueSoonDays"] },
      { description: "submissions that are not an array", run: () => checklistStatus(nearTermChecklist2025, null as never, ok), code: "invalid_type", path: ["submissions"] },
      { description: "options that are undefined", run: () => checklistStatus(nearTermChecklist2025, [], undefined as never), code: "invalid_type", path: [] },
      {
        description: "a bad checklist",
        run: () => checklistStatus({ ...nearTermChecklist2025, issuedOn: "2025-13-01" }, [], ok),
        code: "invalid_date",
        path: ["checklist", "issuedOn"],
      },
    ];

    it.each(cases)("reports $code at the path for $description, as a KaoheError", ({ run, code, path }) => {
      const error = thrown(run);
      expect(error).not.toBeInstanceOf(TypeError);
      expect(isKaoheError(error)).toBe(true);
      if (!isKaoheError(error)) return;
      expect(error.issues.some((i) => i.code === code && JSON.stringify(i.path) === JSON.stringify(path)), JSON.stringify(error.issues)).toBe(true);
    });

    it("reports every semantic issue at once", () => {
      const result = safeChecklistStatus(
        nearTermChecklist2025,
        [
          { unit: "zz", deliverable: "t1-deployment", submittedOn: "2025-10-30" },
          { unit: "a", deliverable: "nope", submittedOn: "2025-10-01" },
        ],
        ok,
      );
      expect(result.success).toBe(false);
      if (!result.success) expect(result.error.issues.map((i) => i.code)).toEqual(["unknown_unit", "unknown_deliverable", "submission_before_issue"]);
    });
  });
});

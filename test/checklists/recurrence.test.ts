import { describe, expect, it } from "vitest";
import { expandRecurrence, markVisits, safeMarkVisits } from "../../src/checklists/index";
import { nearTermChecklist2025 } from "../../src/frameworks/nearTermChecklist2025";
import { isKaoheError } from "../../src/internal/errors";
import { thrown } from "./helpers";

const task2 = nearTermChecklist2025.tasks[1]!;
const units = [
  { id: "edu", name: "县教育局", parties: ["assisting-units"] },
  { id: "town", name: "甲镇", parties: ["townships"] },
];

describe("expandRecurrence", () => {
  it("lists every Wednesday (周三帮扶日) of a range, both ends inclusive", () => {
    expect(expandRecurrence(task2, { from: "2025-10-29", to: "2025-11-26" }).map((o) => o.date)).toEqual([
      "2025-10-29",
      "2025-11-05",
      "2025-11-12",
      "2025-11-19",
      "2025-11-26",
    ]);
  });

  it("gives nothing for a range without a Wednesday, or a task without a duty", () => {
    expect(expandRecurrence(task2, { from: "2025-10-30", to: "2025-11-04" })).toEqual([]);
    expect(expandRecurrence(nearTermChecklist2025.tasks[0]!, { from: "2025-10-01", to: "2025-12-31" })).toEqual([]);
  });

  it("stays on Wednesdays across years, leap days and other zones' daylight-saving changes", () => {
    const dates = expandRecurrence(task2, { from: "2023-12-25", to: "2028-03-31" }).map((o) => o.date);
    expect(dates[0]).toBe("2023-12-27");
    expect(dates).toContain("2024-02-28");
    expect(dates).toContain("2028-03-01");
    for (const date of dates) expect(new Date(`${date}T00:00:00Z`).getUTCDay()).toBe(3);
    for (let i = 1; i < dates.length; i++) expect(Date.parse(dates[i]!) - Date.parse(dates[i - 1]!)).toBe(7 * 86_400_000);
  });

  it.each([
    { description: "a reversed range", options: { from: "2025-11-05", to: "2025-11-01" }, code: "range_reversed", path: ["to"] },
    { description: "a range of more than ten years", options: { from: "2000-01-01", to: "2025-01-01" }, code: "range_too_long", path: ["to"] },
    { description: "a date 2025-02-30", options: { from: "2025-02-30", to: "2025-03-31" }, code: "invalid_date", path: ["from"] },
    { description: "a missing end", options: { from: "2025-02-01" }, code: "invalid_type", path: ["to"] },
  ])("reports $code for $description", ({ options, code, path }) => {
    const error = thrown(() => expandRecurrence(task2, options as never));
    expect(isKaoheError(error) && error.issues.map((i) => [i.code, i.path])).toEqual([[code, path]]);
  });
});

describe("markVisits", () => {
  const range = { from: "2025-10-28", to: "2025-11-19", units, asOf: "2025-11-06" };

  it("marks each Wednesday kept, missed or upcoming for the units that keep the duty", () => {
    const report = markVisits(
      task2,
      [
        { unit: "edu", recurrence: "t2-wednesday", on: "2025-10-29" },
        { unit: "edu", recurrence: "t2-wednesday", on: "2025-11-12" },
      ],
      range,
    );
    expect(report.units).toEqual([
      {
        unit: "edu",
        name: "县教育局",
        recurrence: "t2-wednesday",
        kept: 1,
        missed: 1,
        upcoming: 2,
        marks: [
          { date: "2025-10-29", mark: "kept" },
          { date: "2025-11-05", mark: "missed" },
          { date: "2025-11-12", mark: "upcoming" },
          { date: "2025-11-19", mark: "upcoming" },
        ],
      },
    ]);
  });

  it("reads a timestamp as its China date: 16:30 UTC on Tuesday is Wednesday in China", () => {
    const report = markVisits(task2, [{ unit: "edu", recurrence: "t2-wednesday", on: "2025-11-04T16:30:00Z" }], range);
    expect(report.units[0]?.marks[1]).toEqual({ date: "2025-11-05", mark: "kept" });
    expect(report.offDay).toEqual([]);
  });

  it("keeps no Wednesday with a visit on another day, and lists it", () => {
    const report = markVisits(task2, [{ unit: "edu", recurrence: "t2-wednesday", on: "2025-10-30" }], range);
    expect(report.units[0]?.kept).toBe(0);
    expect(report.offDay).toEqual([{ unit: "edu", recurrence: "t2-wednesday", on: "2025-10-30" }]);
  });

  it.each([
    { description: "an unknown unit", visit: { unit: "zz", recurrence: "t2-wednesday", on: "2025-10-29" }, code: "unknown_unit", path: ["visits", 0, "unit"] },
    { description: "an unknown duty", visit: { unit: "edu", recurrence: "t2-friday", on: "2025-10-29" }, code: "unknown_recurrence", path: ["visits", 0, "recurrence"] },
    { description: "a unit that does not keep the duty", visit: { unit: "town", recurrence: "t2-wednesday", on: "2025-10-29" }, code: "recurrence_not_assigned", path: ["visits", 0, "unit"] },
    { description: "a visit dated 2025-02-30", visit: { unit: "edu", recurrence: "t2-wednesday", on: "2025-02-30" }, code: "invalid_date", path: ["visits", 0, "on"] },
  ])("reports $code for $description", ({ visit, code, path }) => {
    const result = safeMarkVisits(task2, [visit], range);
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.issues.map((i) => [i.code, i.path])).toEqual([[code, path]]);
  });
});

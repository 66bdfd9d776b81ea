import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  RECTIFICATION_STATES,
  applyRectificationEvent,
  parseRectificationProblem,
  safeApplyRectificationEvent,
  summarizeRectifications,
  type RectificationEvent,
  type RectificationProblem,
} from "../../src/checklists/index";
import { isKaoheError } from "../../src/internal/errors";
import { readRepoJson, thrown } from "./helpers";

const fresh: RectificationProblem = {
  id: "p1",
  title: "部分监测对象识别纳入不及时",
  origin: { kind: "national-assessment", year: 2024 },
  unit: "town-01",
  foundOn: "2025-03-10",
  targetOn: "2025-06-30",
  state: "待整改",
  history: [],
};

function applyAll(problem: RectificationProblem, events: RectificationEvent[]): RectificationProblem {
  return events.reduce(applyRectificationEvent, problem);
}

const rectified = applyAll(fresh, [
  { type: "start", on: "2025-03-15" },
  { type: "complete", on: "2025-06-20" },
]);

describe("applyRectificationEvent", () => {
  it("moves a problem 待整改 → 整改中 → 已整改 → 已销号", () => {
    const closed = applyRectificationEvent(rectified, { type: "close", on: "2025-07-01" });
    expect(closed.state).toBe("已销号");
    expect(closed.history.map((e) => e.type)).toEqual(["start", "complete", "close"]);
  });

  describe("when a 回头看 finds the rectification incomplete", () => {
    const back = applyRectificationEvent(rectified, { type: "send-back", on: "2025-10-30", reasons: ["整改不彻底", "举一反三不到位"], note: "同类问题未排查" });

    it("sends it through 回炉 back to 整改中", () => expect(back.state).toBe("整改中"));

    it("records the reasons in the history", () =>
      expect(back.history.at(-1)).toEqual({ type: "send-back", on: "2025-10-30", reasons: ["整改不彻底", "举一反三不到位"], note: "同类问题未排查" }));

    it("lets it be rectified and closed again", () => {
      const again = applyAll(back, [
        { type: "complete", on: "2025-11-10" },
        { type: "review-passed", on: "2025-11-20" },
        { type: "close", on: "2025-11-21" },
      ]);
      expect(again.state).toBe("已销号");
    });
  });

  it("keeps the history append-only and leaves the problem given unchanged", () => {
    const before = structuredClone(rectified);
    const after = applyRectificationEvent(rectified, { type: "review-passed", on: "2025-10-29" });
    expect(rectified).toEqual(before);
    expect(after.history.slice(0, before.history.length)).toEqual(before.history);
    expect(after.history).toHaveLength(before.history.length + 1);
  });

  it("allows two events on the same day", () => {
    expect(applyAll(fresh, [{ type: "start", on: "2025-03-10" }, { type: "complete", on: "2025-03-10" }]).state).toBe("已整改");
  });

  describe("when the event is not allowed", () => {
    const closed = applyRectificationEvent(rectified, { type: "close", on: "2025-07-01" });
    const cases: { description: string; problem: RectificationProblem; event: unknown; code: string; path: (string | number)[] }[] = [
      { description: "reopening a problem that is 已销号", problem: closed, event: { type: "start", on: "2025-11-01" }, code: "transition_not_allowed", path: ["event", "type"] },
      {
        description: "sending back a problem that is 已销号",
        problem: closed,
        event: { type: "send-back", on: "2025-11-01", reasons: ["成效不明显"] },
        code: "transition_not_allowed",
        path: ["event", "type"],
      },
      { description: "closing a problem still 待整改", problem: fresh, event: { type: "close", on: "2025-04-01" }, code: "transition_not_allowed", path: ["event", "type"] },
      { description: "completing a problem not started", problem: fresh, event: { type: "complete", on: "2025-04-01" }, code: "transition_not_allowed", path: ["event", "type"] },
      {
        description: "sending back a problem still 整改中",
        problem: applyRectificationEvent(fresh, { type: "start", on: "2025-03-11" }),
        event: { type: "send-back", on: "2025-04-01", reasons: ["整改不彻底"] },
        code: "transition_not_allowed",
        path: ["event", "type"],
      },
      { description: "an event dated before the last one", problem: rectified, event: { type: "close", on: "2025-06-19" }, code: "event_date_backwards", path: ["event", "on"] },
      { description: "an event dated before the problem was found", problem: fresh, event: { type: "start", on: "2025-03-09" }, code: "event_date_backwards", path: ["event", "on"] },
      { description: "a send-back without reasons", problem: rectified, event: { type: "send-back", on: "2025-10-30", reasons: [] }, code: "missing_reason", path: ["event", "reasons"] },
      {
        description: "a send-back for a reason the document does not give",
        problem: rectified,
        event: { type: "send-back", on: "2025-10-30", reasons: ["材料不全"] },
        code: "invalid_value",
        path: ["event", "reasons", 0],
      },
      { description: "an event dated 2025-02-30", problem: fresh, event: { type: "start", on: "2025-02-30" }, code: "invalid_date", path: ["event", "on"] },
      { description: "an unknown event type", problem: fresh, event: { type: "reopen", on: "2025-04-01" }, code: "invalid_union", path: ["event", "type"] },
      {
        description: "a problem whose state disagrees with its history",
        problem: { ...rectified, state: "已销号" },
        event: { type: "review-passed", on: "2025-10-30" },
        code: "state_mismatch",
        path: ["problem", "state"],
      },
    ];

    it.each(cases)("refuses $description with $code, leaving the problem unchanged", ({ problem, event, code, path }) => {
      const before = structuredClone(problem);
      const error = thrown(() => applyRectificationEvent(problem, event as RectificationEvent));
      expect(isKaoheError(error)).toBe(true);
      if (!isKaoheError(error)) return;
      expect(error.issues.some((i) => i.code === code && JSON.stringify(i.path) === JSON.stringify(path)), JSON.stringify(error.issues)).toBe(true);
      expect(problem).toEqual(before);
      const safe = safeApplyRectificationEvent(problem, event as RectificationEvent);
      expect(safe.success).toBe(false);
    });

    it("names the problem and says why in the message", () => {
      const result = safeApplyRectificationEvent(closed, { type: "start", on: "2025-11-01" });
      expect(result.success).toBe(false);
      if (!result.success) expect(result.error.issues[0]?.message).toContain("整改问题 p1「部分监测对象识别纳入不及时」 is 已销号");
    });
  });

  describe("properties", () => {
    const event = fc.record({
      type: fc.constantFrom("start", "complete", "review-passed", "send-back", "close"),
      step: fc.integer({ min: -3, max: 20 }),
      reason: fc.constantFrom("整改不彻底", "成效不明显", "举一反三不到位"),
    });
    const day = (base: string, add: number) => new Date(Date.parse(`${base}T00:00:00Z`) + add * 86_400_000).toISOString().slice(0, 10);
    const toEvent = (e: { type: string; reason: string }, on: string): RectificationEvent =>
      (e.type === "send-back" ? { type: "send-back", on, reasons: [e.reason] } : { type: e.type, on }) as RectificationEvent;

    it("ends every sequence of events, accepted or refused, in a valid problem, and leaves it unchanged on refusal", () => {
      fc.assert(
        fc.property(fc.array(event, { maxLength: 12 }), (events) => {
          let problem = fresh;
          let on = fresh.foundOn;
          for (const e of events) {
            on = day(on, e.step);
            const before = structuredClone(problem);
            const result = safeApplyRectificationEvent(problem, toEvent(e, on));
            expect(problem).toEqual(before);
            if (result.success) problem = result.data;
            else expect(result.error.issues.every((i) => ["transition_not_allowed", "event_date_backwards"].includes(i.code))).toBe(true);
            expect(parseRectificationProblem(problem)).toEqual(problem);
            expect(RECTIFICATION_STATES).toContain(problem.state);
          }
        }),
      );
    });

    it("never leaves 已销号", () => {
      fc.assert(
        fc.property(fc.array(event, { maxLength: 6 }), (events) => {
          let problem = applyRectificationEvent(rectified, { type: "close", on: "2025-07-01" });
          for (const e of events) {
            const result = safeApplyRectificationEvent(problem, toEvent(e, "2025-12-01"));
            if (result.success) problem = result.data;
          }
          expect(problem.state).toBe("已销号");
          expect(problem.history).toHaveLength(3);
        }),
      );
    });
  });
});

describe("parseRectificationProblem", () => {
  it("accepts every problem of the county example", () => {
    const progress = readRepoJson<{ problems: unknown[] }>("examples/county-2025/progress.json");
    expect(progress.problems).toHaveLength(10);
    for (const problem of progress.problems) expect(parseRectificationProblem(problem)).toEqual(problem);
  });

  it("refuses a history with a transition out of 已销号", () => {
    const error = thrown(() =>
      parseRectificationProblem({ ...rectified, state: "整改中", history: [...rectified.history, { type: "close", on: "2025-07-01" }, { type: "start", on: "2025-08-01" }] }),
    );
    expect(isKaoheError(error) && error.issues.map((i) => [i.code, i.path.join(".")])).toEqual([["transition_not_allowed", "history.3.type"]]);
  });

  it("refuses a target date before the problem was found", () => {
    const error = thrown(() => parseRectificationProblem({ ...fresh, targetOn: "2025-03-01" }));
    expect(isKaoheError(error) && error.issues.map((i) => [i.code, i.path.join(".")])).toEqual([["target_before_found", "targetOn"]]);
  });
});

describe("summarizeRectifications", () => {
  const problems = readRepoJson<{ problems: RectificationProblem[] }>("examples/county-2025/progress.json").problems;

  it("counts the county's problems per state as of 2025-11-05", () => {
    const summary = summarizeRectifications(problems, { asOf: "2025-11-05" });
    expect(summary.total).toBe(10);
    expect(summary.byState).toEqual({ 待整改: 1, 整改中: 4, 已整改: 3, 已销号: 2 });
  });

  it("replays each history only up to asOf", () => {
    const summary = summarizeRectifications(problems, { asOf: "2025-11-01" });
    expect(summary.byState).toEqual({ 待整改: 1, 整改中: 3, 已整改: 5, 已销号: 1 });
    expect(summary.sentBackMoreThanOnce).toEqual([]);
  });

  it("lists open problems past their target date, most overdue first", () => {
    const summary = summarizeRectifications(problems, { asOf: "2025-11-05" });
    expect(summary.overdue.map((p) => [p.id, p.state, p.daysPastTarget])).toEqual([
      ["p03", "整改中", 66],
      ["p02", "整改中", 36],
      ["p05", "整改中", 5],
      ["p08", "待整改", 5],
    ]);
  });

  it("does not count a problem as overdue on its target date itself", () => {
    const open = { ...fresh, targetOn: "2025-10-31" };
    expect(summarizeRectifications([open], { asOf: "2025-10-31" }).overdue).toEqual([]);
    expect(summarizeRectifications([open], { asOf: "2025-11-01" }).overdue).toHaveLength(1);
  });

  it("lists the problems sent back more than once, with every reason", () => {
    const summary = summarizeRectifications(problems, { asOf: "2025-11-05" });
    expect(summary.sentBack).toBe(2);
    expect(summary.sentBackMoreThanOnce).toEqual([
      { id: "p03", title: "村级光伏电站收益分配不规范", unit: "town-07", times: 2, reasons: ["整改不彻底", "举一反三不到位"] },
    ]);
  });

  it("leaves out problems found after asOf", () => {
    expect(summarizeRectifications([fresh], { asOf: "2025-03-09" }).total).toBe(0);
  });

  describe("when the input is bad", () => {
    const cases: { description: string; problems: unknown[]; options: unknown; code: string; path: (string | number)[] }[] = [
      { description: "asOf 2025-11-31", problems: [], options: { asOf: "2025-11-31" }, code: "invalid_date", path: ["asOf"] },
      { description: "two problems with one id", problems: [fresh, fresh], options: { asOf: "2025-11-01" }, code: "duplicate_id", path: ["problems", 1, "id"] },
      { description: "an unknown unit", problems: [fresh], options: { asOf: "2025-11-01", units: [{ id: "town-02", name: "白沙镇" }] }, code: "unknown_unit", path: ["problems", 0, "unit"] },
      { description: "an unknown state", problems: [{ ...fresh, state: "已完成" }], options: { asOf: "2025-11-01" }, code: "invalid_value", path: ["problems", 0, "state"] },
      { description: "a foundOn of 2025-02-30", problems: [{ ...fresh, foundOn: "2025-02-30" }], options: { asOf: "2025-11-01" }, code: "invalid_date", path: ["problems", 0, "foundOn"] },
      {
        description: "a history going backwards",
        problems: [{ ...rectified, history: [{ type: "start", on: "2025-05-01" }, { type: "complete", on: "2025-04-01" }] }],
        options: { asOf: "2025-11-01" },
        code: "event_date_backwards",
        path: ["problems", 0, "history", 1, "on"],
      },
    ];

    it.each(cases)("reports $code at the path for $description", ({ problems: list, options, code, path }) => {
      const error = thrown(() => summarizeRectifications(list as RectificationProblem[], options as { asOf: string }));
      expect(isKaoheError(error)).toBe(true);
      if (!isKaoheError(error)) return;
      expect(error.issues.some((i) => i.code === code && JSON.stringify(i.path) === JSON.stringify(path)), JSON.stringify(error.issues)).toBe(true);
    });
  });
});

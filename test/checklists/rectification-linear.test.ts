import { describe, expect, it } from "vitest";
import {
  applyRectificationEvent,
  MAX_RECTIFICATION_HISTORY,
  parseRectificationProblem,
  safeApplyRectificationEvent,
  type RectificationEvent,
  type RectificationProblem,
} from "../../src/index";

/*
 * Issue 16, "No quadratic paths": events applied one by one are validated once each (a result given
 * back is trusted, being deep-frozen), and a history holds at most MAX_RECTIFICATION_HISTORY events.
 */

const fresh: RectificationProblem = {
  id: "p1",
  title: "监测帮扶不及时",
  origin: { kind: "provincial-assessment", year: 2024 },
  unit: "town-01",
  foundOn: "2025-03-01",
  targetOn: "2025-10-31",
  state: "待整改",
  history: [],
};

function cycle(n: number): RectificationEvent[] {
  const events: RectificationEvent[] = [{ type: "start", on: "2025-03-05" }];
  while (events.length < n) {
    events.push(events.length % 2 === 1 ? { type: "complete", on: "2025-07-01" } : { type: "send-back", on: "2025-07-01", reasons: ["整改不彻底"] });
  }
  return events;
}

describe("applyRectificationEvent one by one", () => {
  it(`applies ${MAX_RECTIFICATION_HISTORY} events and refuses one more with history_too_long`, () => {
    const events = cycle(MAX_RECTIFICATION_HISTORY);
    const last = events.reduce((p, e) => applyRectificationEvent(p, e), fresh);
    expect(last.history).toHaveLength(MAX_RECTIFICATION_HISTORY);
    expect(last.state).toBe(MAX_RECTIFICATION_HISTORY % 2 === 0 ? "已整改" : "整改中");
    const outcome = safeApplyRectificationEvent(last, { type: last.state === "已整改" ? "close" : "complete", on: "2025-08-01" });
    expect(outcome.success ? null : outcome.error.issues.map((i) => [i.code, i.path])).toEqual([["history_too_long", ["problem", "history"]]]);
    expect(() => parseRectificationProblem({ ...JSON.parse(JSON.stringify(last)), history: [...last.history, ...last.history] })).toThrow(/history_too_long/);
  });

  it("returns deep-frozen problems and leaves the one given unchanged", () => {
    const before = JSON.stringify(fresh);
    const started = applyRectificationEvent(fresh, { type: "start", on: "2025-03-05" });
    const sent = applyRectificationEvent(applyRectificationEvent(started, { type: "complete", on: "2025-06-30" }), { type: "send-back", on: "2025-07-01", reasons: ["整改不彻底"] });
    expect(JSON.stringify(fresh)).toBe(before);
    expect(Object.isFrozen(sent)).toBe(true);
    expect(Object.isFrozen(sent.history)).toBe(true);
    expect(sent.history.every((e) => Object.isFrozen(e))).toBe(true);
    const back = sent.history[2];
    expect(back?.type === "send-back" && Object.isFrozen(back.reasons)).toBe(true);
    expect(Object.isFrozen(sent.origin)).toBe(true);
  });

  it("gives a trusted result the same answers as a copy that is validated again", () => {
    const events = cycle(40);
    let trusted = fresh;
    for (const event of events) {
      trusted = applyRectificationEvent(trusted, event);
      const copy = JSON.parse(JSON.stringify(trusted)) as RectificationProblem;
      for (const next of [{ type: "close", on: "2025-07-02" }, { type: "start", on: "2025-07-02" }, { type: "complete", on: "2025-01-01" }] as RectificationEvent[]) {
        const a = safeApplyRectificationEvent(trusted, next);
        const b = safeApplyRectificationEvent(copy, next);
        expect(a.success).toBe(b.success);
        if (a.success && b.success) expect(JSON.stringify(a.data)).toBe(JSON.stringify(b.data));
        else if (!a.success && !b.success) expect(a.error.issues).toEqual(b.error.issues);
      }
    }
  });

  it("still validates a problem it did not return, and the event, reporting both", () => {
    const outcome = safeApplyRectificationEvent({ ...fresh, state: "整改中" }, { type: "start", on: "2025-03-05" });
    expect(outcome.success ? null : outcome.error.issues.map((i) => i.code)).toEqual(["state_mismatch"]);
    const both = safeApplyRectificationEvent({ ...fresh, unit: "" } as never, { type: "nope", on: "x" } as never);
    const paths = both.success ? [] : both.error.issues.map((i) => String(i.path[0]));
    expect(paths).toContain("problem");
    expect(paths).toContain("event");
  });
});

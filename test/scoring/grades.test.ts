import { describe, expect, it } from "vitest";
import { toExact } from "../../src/internal/decimal";
import { gradeTotal } from "../../src/scoring/grades";

const bands = [
  { grade: "好", min: 90 },
  { grade: "较好", min: 80 },
  { grade: "一般", min: 75 },
];

describe("gradeTotal (decision 0601)", () => {
  it("gives the highest band whose minimum the total reaches", () => {
    expect(gradeTotal(toExact("80"), bands, false).grade).toEqual({ base: "较好", final: "较好", downgraded: false, alreadyLowest: false });
  });

  it("gives no grade to a total below every band's minimum, and says why", () => {
    const outcome = gradeTotal(toExact("72.5"), bands, false);
    expect(outcome.grade).toBeNull();
    expect(outcome.trace[0]?.message).toBe("总分 72.5 低于最低一档「一般」的最低分 75，不定等次");
  });

  it("gives no grade after a downgrade either, when the total reaches no band", () => {
    expect(gradeTotal(toExact("72.5"), bands, true).grade).toBeNull();
  });

  it("keeps the lowest band of bands that start at 0", () => {
    expect(gradeTotal(toExact("1"), [...bands, { grade: "较差", min: 0 }], true).grade).toEqual({ base: "较差", final: "较差", downgraded: false, alreadyLowest: true });
  });
});

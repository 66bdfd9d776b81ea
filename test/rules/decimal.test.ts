import { Decimal } from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addExact,
  addFast,
  addSlow,
  divideExact,
  divideFast,
  divideSlow,
  multiplyExact,
  multiplyFast,
  multiplySlow,
  remainderExact,
  remainderSlow,
  ruleNumberToString,
  scaleOf,
  subtractExact,
  subtractSlow,
} from "../../src/rules/decimal";
import { anyFinite, fewPlaces, fullPrecision, operand, Ref, RefDiv, slowOperand } from "./numbers";

/** decimal.js's result, as the rules computed it before decision 0106: NaN where it is not finite. */
const finiteOr = (x: number): number => (Number.isFinite(x) ? x + 0 : Number.NaN);

const same = (x: number, y: number): boolean => x === y || (Number.isNaN(x) && Number.isNaN(y));

describe("exact decimal arithmetic", () => {
  describe("on the examples of issue 3", () => {
    it("adds 0.1 and 0.2 to 0.3", () => expect(addExact(0.1, 0.2)).toBe(0.3));
    it("multiplies 1.1 by 3 to 3.3", () => expect(multiplyExact(1.1, 3)).toBe(3.3));
    it("subtracts 0.1 from 0.3 to 0.2", () => expect(subtractExact(0.3, 0.1)).toBe(0.2));
    it("divides 0.3 by 0.1 to 3", () => expect(divideExact(0.3, 0.1)).toBe(3));
    it("takes 0.3 modulo 0.1 as 0", () => expect(remainderExact(0.3, 0.1)).toBe(0));
    it("rounds one third to the nearest JS number", () => expect(divideExact(1, 3)).toBe(0.3333333333333333));
    it("keeps the sign of the dividend in a remainder, as JS does", () => expect(remainderExact(-7.5, 2)).toBe(-1.5));
  });

  describe("scaleOf", () => {
    it("finds the decimal places of short decimals", () => {
      expect([scaleOf(0), scaleOf(12), scaleOf(0.1), scaleOf(12.34), scaleOf(-0.005), scaleOf(1e-10)]).toEqual([0, 0, 1, 2, 3, 10]);
    });
    it("refuses binary noise, long decimals and unsafe integers", () => {
      expect([scaleOf(0.1 + 0.2), scaleOf(1 / 3), scaleOf(2 ** 60), scaleOf(1e-11)]).toEqual([-1, -1, -1, -1]);
    });
  });

  describe("compared with decimal.js by property tests", () => {
    it("gives the nearest JS number to the exact sum", () => {
      fc.assert(fc.property(operand, operand, (a, b) => same(addExact(a, b), new Ref(a).plus(b).toNumber())), { numRuns: 5_000 });
    });
    it("gives the nearest JS number to the exact difference", () => {
      fc.assert(fc.property(operand, operand, (a, b) => same(subtractExact(a, b), new Ref(a).minus(b).toNumber())), { numRuns: 5_000 });
    });
    it("gives the nearest JS number to the exact product", () => {
      fc.assert(fc.property(operand, operand, (a, b) => same(multiplyExact(a, b), new Ref(a).times(b).toNumber())), { numRuns: 5_000 });
    });
    it("gives the nearest JS number to the exact quotient", () => {
      fc.assert(
        fc.property(operand, operand, (a, b) => {
          fc.pre(b !== 0);
          return same(divideExact(a, b), new RefDiv(a).div(b).toNumber());
        }),
        { numRuns: 5_000 },
      );
    });
    it("gives the quotient a 2,000-digit division gives, so the 120-digit step never double-rounds here", () => {
      fc.assert(
        fc.property(operand, operand, (a, b) => {
          fc.pre(b !== 0);
          return same(divideExact(a, b), new Ref(a).div(b).toNumber());
        }),
        { numRuns: 5_000 },
      );
    });
    it("gives the exact remainder of truncating division", () => {
      fc.assert(
        fc.property(operand, operand, (a, b) => {
          fc.pre(b !== 0);
          return same(remainderExact(a, b), new Ref(a).mod(b).toNumber());
        }),
        { numRuns: 5_000 },
      );
    });
    it("computes, off the fast path, exactly what decimal.js computed (full-precision, extreme and large operands)", () => {
      const Exact = Decimal.clone({ precision: 1_000, rounding: Decimal.ROUND_HALF_EVEN, modulo: Decimal.ROUND_DOWN });
      const ops: readonly [string, (a: number, b: number) => number, (a: number, b: number) => number][] = [
        ["+", addSlow, (a, b) => new Exact(a).plus(b).toNumber()],
        ["-", subtractSlow, (a, b) => new Exact(a).minus(b).toNumber()],
        ["*", multiplySlow, (a, b) => new Exact(a).times(b).toNumber()],
        ["/", divideSlow, (a, b) => new RefDiv(a).div(b).toNumber()],
        ["%", remainderSlow, (a, b) => new Exact(a).mod(b).toNumber()],
      ];
      for (const [name, mine, reference] of ops) {
        fc.assert(
          fc.property(slowOperand, slowOperand, (a, b) => {
            fc.pre(b !== 0 || name === "+" || name === "-" || name === "*");
            const got = mine(a, b);
            const want = finiteOr(reference(a, b));
            return same(Number.isFinite(got) ? got : Number.NaN, want) && !Object.is(got, -0);
          }),
          { numRuns: 3_000 },
        );
      }
    });
    it("gives decimal.js's results on full-precision doubles, which take the near path (decision 0106)", () => {
      const Exact = Decimal.clone({ precision: 1_000, rounding: Decimal.ROUND_HALF_EVEN });
      const mixed = fc.oneof(fullPrecision, fullPrecision, fewPlaces, fc.integer({ min: -1e6, max: 1e6 }), fc.double({ min: 1e-5, max: 1e14, noNaN: true }));
      const ops: readonly [(a: number, b: number) => number, (a: number, b: number) => number][] = [
        [addExact, (a, b) => new Exact(a).plus(b).toNumber()],
        [subtractExact, (a, b) => new Exact(a).minus(b).toNumber()],
        [multiplyExact, (a, b) => new Exact(a).times(b).toNumber()],
        [divideExact, (a, b) => new RefDiv(a).div(b).toNumber()],
      ];
      for (const [mine, reference] of ops) {
        fc.assert(
          fc.property(mixed, mixed, (a, b) => {
            fc.pre(b !== 0);
            return same(mine(a, b), reference(a, b) + 0);
          }),
          { numRuns: 20_000 },
        );
      }
    });
    it("takes the near path, not the slow one, for most full-precision doubles", () => {
      const next = ((seed) => () => ((seed = (seed * 48271) % 2147483647) / 2147483647))(7);
      let near = 0;
      for (let i = 0; i < 1_000; i++) {
        const a = 1_000 + next() * 60_000;
        const b = a * (0.9 + next() * 0.25);
        for (const r of [addFast(a, -b), divideFast(a, b), multiplyFast(a / b, 3)]) if (r === r) near++;
      }
      expect(near).toBeGreaterThan(2_950);
    });
    it("rounds a quotient at 120 digits, half even, before the final rounding, as decimal.js", () => {
      // Cases where the exact quotient has more than 120 digits and lies near a midpoint.
      for (const [a, b] of [[1, 3], [2, 3], [-1, 7], [1e308, 3e-300], [5e-324, 3], [1.7976931348623157e308, 0.1], [0.30000000000000004, 0.1], [7299.987654321123, 8123.123456789012]] as const) {
        expect(divideSlow(a, b), `${a} / ${b}`).toBe(new RefDiv(a).div(b).toNumber() + 0);
        expect(divideExact(a, b), `${a} / ${b}`).toBe(new RefDiv(a).div(b).toNumber() + 0);
      }
    });
    it("writes results whose decimal is the exact one when it has at most 15 digits", () => {
      fc.assert(
        fc.property(fewPlaces, fewPlaces, (a, b) => {
          const exact = new Ref(a).plus(b);
          fc.pre(exact.sd() <= 15);
          return new Ref(addExact(a, b)).eq(exact);
        }),
        { numRuns: 2_000 },
      );
    });
  });
});

describe("ruleNumberToString", () => {
  it("writes a rule's number as its exact plain decimal", () => {
    expect(ruleNumberToString(0.3)).toBe("0.3");
    expect(ruleNumberToString(-12.5)).toBe("-12.5");
    expect(ruleNumberToString(1e21)).toBe("1000000000000000000000");
    expect(ruleNumberToString(1.5e-7)).toBe("0.00000015");
    expect(ruleNumberToString(-0)).toBe("0");
  });
  it("round-trips through Number for every finite number", () => {
    fc.assert(fc.property(anyFinite, (x) => Number(ruleNumberToString(x)) === x));
  });
  it("refuses NaN and infinities", () => {
    expect(() => ruleNumberToString(Number.NaN)).toThrow(RangeError);
    expect(() => ruleNumberToString(Infinity)).toThrow(RangeError);
  });
});

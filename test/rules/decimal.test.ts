import { Decimal } from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addExact,
  divideExact,
  multiplyExact,
  remainderExact,
  ruleNumberToString,
  scaleOf,
  subtractExact,
} from "../../src/rules/decimal";

/** The reference: decimal.js in a private clone, far more precise than any result needs. */
const Ref = Decimal.clone({ precision: 2_000, rounding: Decimal.ROUND_HALF_EVEN });
const RefDiv = Decimal.clone({ precision: 120, rounding: Decimal.ROUND_HALF_EVEN });

/** Decimals as they arrive in data: an integer of up to 12 digits over 10^0…10^6. */
const fewPlaces = fc
  .tuple(fc.integer({ min: -999_999_999_999, max: 999_999_999_999 }), fc.integer({ min: 0, max: 6 }))
  .map(([n, k]) => n / 10 ** k);
/** Any finite double, binary noise included (0.30000000000000004, 1e-300, …). */
const anyFinite = fc.double({ noNaN: true, noDefaultInfinity: true });
const operand = fc.oneof(fewPlaces, fewPlaces, anyFinite, fc.integer({ min: -1e6, max: 1e6 }));

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

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Exact, toExact } from "../../src/internal/decimal";
import { amountText, compare, minus, plus, roundedText, toAmount, type Amount } from "../../src/scoring/amount";

/*
 * Scoring's amounts (src/scoring/amount.ts) against decimal.js, which every amount was before and
 * which stays the reference: the same text, sum, difference, order and rounding for operands of
 * either form (safe integers of millionths, or decimal.js values), and mixed.
 */

/** Plain decimal texts: up to 20 integer digits (leading zeros too), up to 9 places (trailing zeros too). */
const decimalText = fc
  .tuple(fc.boolean(), fc.stringMatching(/^\d{1,20}$/), fc.option(fc.stringMatching(/^\d{1,9}$/), { nil: undefined }))
  .map(([negative, whole, fraction]) => `${negative ? "-" : ""}${whole}${fraction === undefined ? "" : `.${fraction}`}`);

/** Short texts of the integer form's size: up to 9 integer digits and 6 places. */
const shortText = fc
  .tuple(fc.boolean(), fc.stringMatching(/^\d{1,9}$/), fc.option(fc.stringMatching(/^\d{1,6}$/), { nil: undefined }))
  .map(([negative, whole, fraction]) => `${negative ? "-" : ""}${whole}${fraction === undefined ? "" : `.${fraction}`}`);

/** Finite numbers: short decimals (integers over a power of ten), integers near 2^53, and any double. */
const finite = fc.oneof(
  fc.tuple(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 9 })).map(([n, k]) => n / 10 ** k),
  fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }).map((n) => n * (n % 3 === 0 ? 1 : 1e-6)),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 9007199254.740991, 9007199254.740992, 1e-7, 5e-324, 1e21, 0.1, 0.3),
);

/** Texts at the edge of the integer form: about 2^53 millionths, so that sums and differences leave it. */
const edgeText = fc
  .tuple(fc.boolean(), fc.integer({ min: 8_000_000_000, max: 9_007_199_254 }), fc.stringMatching(/^\d{6}$/))
  .map(([negative, whole, fraction]) => `${negative ? "-" : ""}${whole}.${fraction}`);

const input = fc.oneof(decimalText, shortText, finite, edgeText);

/** An operand of either form: read from an input, or the sum of two (which may leave the integer form). */
const operand = fc.oneof(
  input.map((value) => ({ amount: toAmount(value), exact: toExact(value) })),
  fc.tuple(input, input).map(([a, b]) => ({ amount: plus(toAmount(a), toAmount(b)), exact: toExact(a).plus(toExact(b)) })),
);

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);

describe("scoring amounts (decision 0005, revised)", () => {
  it("read a number or decimal text as decimal.js does: the same text (property)", () => {
    fc.assert(
      fc.property(input, (value) => {
        expect(amountText(toAmount(value))).toBe(toExact(value).toFixed());
      }),
      { numRuns: 5000 },
    );
  });

  it("take the integer form for texts of up to six places below 9·10^9, and numbers of them below 10^4 (property)", () => {
    fc.assert(
      fc.property(shortText, (value) => {
        expect(typeof toAmount(value)).toBe("number");
        // Numbers go through the rules' scaleOf, which takes at most five places from 10^4 on.
        if (Math.abs(Number(value)) < 1e4) expect(typeof toAmount(Number(value))).toBe("number");
      }),
      { numRuns: 2000 },
    );
    // Past six places or 2^53 millionths, decimal.js.
    expect(typeof toAmount("0.0000001")).toBe("object");
    expect(typeof toAmount("9007199254.740992")).toBe("object");
    expect(typeof toAmount(1 / 3)).toBe("object");
  });

  it("add, subtract and compare as decimal.js does, whatever the operands' forms (property)", () => {
    fc.assert(
      fc.property(operand, operand, (a, b) => {
        expect(amountText(plus(a.amount, b.amount))).toBe(a.exact.plus(b.exact).toFixed());
        expect(amountText(minus(a.amount, b.amount))).toBe(a.exact.minus(b.exact).toFixed());
        expect(sign(compare(a.amount, b.amount))).toBe(sign(a.exact.comparedTo(b.exact)));
        expect(compare(a.amount, a.amount)).toBe(0);
      }),
      { numRuns: 5000 },
    );
  });

  it("sum long lists exactly, past the integer form's range too (property)", () => {
    fc.assert(
      fc.property(fc.array(input, { maxLength: 40 }), (values) => {
        const sum = values.reduce<Amount>((total, v) => plus(total, toAmount(v)), 0);
        expect(amountText(sum)).toBe(values.reduce((total, v) => total.plus(toExact(v)), toExact(0)).toFixed());
      }),
      { numRuns: 1000 },
    );
  });

  it("round half up to 0–10 places as decimal.js does (property)", () => {
    fc.assert(
      fc.property(operand, fc.integer({ min: 0, max: 10 }), (a, places) => {
        expect(roundedText(a.amount, places)).toBe(a.exact.toDecimalPlaces(places, Exact.ROUND_HALF_UP).toFixed(places));
      }),
      { numRuns: 5000 },
    );
    // Ties go away from zero, and what rounds to zero has no sign.
    expect(["0.125", "-0.125", "-0.004", "2.5"].map((v, i) => roundedText(toAmount(v), i < 3 ? 2 - i : 0))).toEqual(["0.13", "-0.1", "0", "3"]);
  });

  it("refuse what decimal.js refuses, and read what it reads, from any text (property)", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[-+0-9.e ]{0,8}$/), (text) => {
        let expected: string;
        try {
          expected = toExact(text).toFixed();
        } catch (error) {
          expect(() => toAmount(text)).toThrow((error as Error).message);
          return;
        }
        expect(amountText(toAmount(text))).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });
});

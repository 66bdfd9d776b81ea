import { createHash, hash } from "node:crypto";
import { readdirSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { canonicalJson, digestJson, jiangxi2025, prepareFramework } from "../../src/index";
import { NODE_CRYPTO, compareCodePoints, sha256With } from "../../src/scoring/digest";
import { assessmentJson } from "../../src/scoring/canonical-json";
import type { Assessment } from "../../src/scoring/assessment";
import { readRepoJson } from "../helpers";

// decision 0005 (revised 2026-12-03): digests are taken by node:crypto where the runtime offers it
// without an import, by @noble/hashes elsewhere (browsers). Both must give the same hex for every text.

const portable = sha256With(undefined);
/** Node's one-shot `hash`, and `createHash` where there is none (Node < 20.12, other runtimes). */
const native = sha256With({ hash, createHash });
const nativeStream = sha256With({ createHash: (algorithm) => createHash(algorithm) });

/** Strings of any UTF-16 code units: lone surrogates, pairs (non-BMP), controls, ASCII, CJK. */
const anyText = fc
  .array(
    fc.oneof(
      fc.integer({ min: 0xd800, max: 0xdfff }).map((u) => String.fromCharCode(u)),
      fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
      fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u)),
      fc.constantFrom("a", "\"", "\\", "\n", "事项", "𠀋", "\u2028", "\ufeff"),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(""));

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** JSON values whose strings and keys are texts of `text`. */
const jsonOf = (text: fc.Arbitrary<string>) => fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    text,
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 5 }),
    fc.dictionary(text, tie("value"), { maxKeys: 5 }),
  ),
})).value;
const anyJson = jsonOf(anyText);

describe("SHA-256, native and portable", () => {
  it("gives the known digest of {\"a\":1} both ways (checked with sha256sum)", () => {
    const known = "015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862";
    expect(portable('{"a":1}')).toBe(known);
    expect(native('{"a":1}')).toBe(known);
    expect(nativeStream('{"a":1}')).toBe(known);
  });

  it("hashes the bytes TextEncoder writes, lone surrogates (U+FFFD) and non-BMP characters included", () => {
    const encoder = new TextEncoder();
    fc.assert(
      fc.property(anyText, (text) => {
        const bytes = createHash("sha256").update(encoder.encode(text)).digest("hex");
        expect(portable(text)).toBe(bytes);
        expect(native(text)).toBe(bytes);
        expect(nativeStream(text)).toBe(bytes);
      }),
      { numRuns: 3000 },
    );
    expect(native("a\ud800b")).toBe(portable("a\ufffdb"));
    expect(nativeStream("x\udbff")).toBe(portable("x\ufffd"));
    expect(portable("\udc00")).toBe(native("\ufffd"));
  });

  it("is taken natively on this Node, and digestJson equals the portable hash of the canonical JSON", () => {
    expect(typeof NODE_CRYPTO?.createHash).toBe("function");
    const spy = vi.spyOn(NODE_CRYPTO as Required<NonNullable<typeof NODE_CRYPTO>>, "hash");
    try {
      expect(digestJson({ a: 1 })).toBe("015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862");
      expect(spy).toHaveBeenCalledWith("sha256", '{"a":1}', "hex");
    } finally {
      spy.mockRestore();
    }
    fc.assert(
      fc.property(anyJson, (value) => {
        const text = canonicalJson(value);
        expect(digestJson(value)).toBe(portable(text));
        expect(text).not.toMatch(LONE_SURROGATE);
      }),
      { numRuns: 3000 },
    );
  });
});

/** Code point order, the slow way: arrays of code points compared (a lone surrogate is its own). */
function byCodePoints(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0) ?? 0);
  const y = Array.from(b, (c) => c.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  return x.length - y.length;
}

/** Canonical JSON as decision 0004 defines it, written plainly with JSON.stringify. */
function reference(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => reference(item ?? null)).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).filter((key) => record[key] !== undefined).sort(byCodePoints);
    return `{${keys.map((key) => `${JSON.stringify(key)}:${reference(record[key])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** A number input: a number (any finite double, -0 included) or a decimal string. */
const numberInput = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.constantFrom("9.75", "0.25", "-0", "1", "0.50"));
/** An optional field: absent, present as undefined (zod keeps such keys), or given. */
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });

/** Assessments of the schema's shape with any texts (keys, names, notes), optional fields absent, undefined or given. */
const anyAssessment: fc.Arbitrary<Assessment> = fc.record(
  {
    $comment: maybe(anyText),
    unit: fc.record({ id: anyText, name: anyText, level: maybe(anyText) }, { requiredKeys: ["id", "name"] }),
    period: maybe(anyText),
    indicators: fc.dictionary(
      anyText,
      fc.oneof(
        fc.record({ score: numberInput }),
        fc.record({ findings: fc.array(fc.record({ id: maybe(anyText), points: numberInput, note: maybe(anyText) }, { requiredKeys: ["points"] }), { maxLength: 4 }) }),
        fc.record({ facts: fc.dictionary(anyText, fc.oneof(fc.boolean(), numberInput), { maxKeys: 4 }) }),
      ),
      { maxKeys: 8 },
    ),
    deductions: maybe(fc.array(fc.record({ matter: anyText, clause: anyText, note: maybe(anyText) }, { requiredKeys: ["matter", "clause"] }), { maxLength: 4 })),
    severe: maybe(
      fc.record(
        {
          reason: anyText,
          scaleReturnToPoverty: maybe(fc.boolean()),
          seriousMatters: maybe(fc.array(anyText, { maxLength: 3 })),
          discretionary: maybe(fc.array(fc.record({ points: numberInput, reason: anyText }), { maxLength: 3 })),
        },
        { requiredKeys: ["reason"] },
      ),
    ),
  },
  { requiredKeys: ["unit", "indicators"] },
) as fc.Arbitrary<Assessment>;

/**
 * Well-formed texts (lone surrogates made U+FFFD). Where a key holds a lone high surrogate before a
 * pair, compareCodePoints orders it by the pair's code point, not by the surrogate's (it compares
 * at the first differing code unit): digests of such keys rest on that order, so it is kept, and
 * the plain definition is checked where the two agree.
 */
const wellFormedText = anyText.map((text) => text.replace(new RegExp(LONE_SURROGATE, "g"), "\ufffd"));

describe("canonical JSON", () => {
  it("is the plain definition's text (keys by code point, undefined left out) for any JSON value", () => {
    fc.assert(
      fc.property(jsonOf(wellFormedText), (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 20_000 },
    );
    expect(canonicalJson({ b: [1, undefined, -0], a: { "\ud83d\ude00": 1, "\uffff": 2 }, c: undefined })).toBe('{"a":{"\uffff":2,"😀":1},"b":[1,null,0]}');
  });

  it("of an assessment, written from its shape, is canonicalJson's text", () => {
    fc.assert(
      fc.property(anyAssessment, fc.array(anyText, { maxLength: 3 }), fc.nat({ max: 8 }), (assessment, extra, drop) => {
        const json = canonicalJson(assessment);
        expect(assessmentJson(assessment)).toBe(json);
        // With an order of ids (the framework's, in code point order) that has other ids, or lacks one.
        const ids = Object.keys(assessment.indicators).filter((_, i) => i !== drop);
        expect(assessmentJson(assessment, [...new Set([...ids, ...extra])].sort(compareCodePoints))).toBe(json);
      }),
      { numRuns: 20_000 },
    );
    const dir = "examples/jiangxi-2025/assessments";
    for (const file of readdirSync(dir)) {
      const assessment = readRepoJson(`${dir}/${file}`) as Assessment;
      expect(assessmentJson(assessment)).toBe(canonicalJson(assessment));
      expect(assessmentJson(assessment, prepareFramework(jiangxi2025).index.idOrder)).toBe(canonicalJson(assessment));
    }
  });
});

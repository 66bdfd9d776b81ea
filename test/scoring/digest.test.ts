import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { canonicalJson, digestJson } from "../../src/index";
import { NODE_CRYPTO, sha256With } from "../../src/scoring/digest";

// decision 0005 (revised 2026-12-03): digests are taken by node:crypto where the runtime offers it
// without an import, by @noble/hashes elsewhere (browsers). Both must give the same hex for every text.

const portable = sha256With(undefined);
const native = sha256With({ createHash: (algorithm) => createHash(algorithm) });

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

/** JSON values whose strings and keys are any of those texts. */
const anyJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    anyText,
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 5 }),
    fc.dictionary(anyText, tie("value"), { maxKeys: 5 }),
  ),
})).value;

describe("SHA-256, native and portable", () => {
  it("gives the known digest of {\"a\":1} both ways (checked with sha256sum)", () => {
    const known = "015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862";
    expect(portable('{"a":1}')).toBe(known);
    expect(native('{"a":1}')).toBe(known);
  });

  it("hashes the bytes TextEncoder writes, lone surrogates (U+FFFD) and non-BMP characters included", () => {
    const encoder = new TextEncoder();
    fc.assert(
      fc.property(anyText, (text) => {
        const bytes = createHash("sha256").update(encoder.encode(text)).digest("hex");
        expect(portable(text)).toBe(bytes);
        expect(native(text)).toBe(bytes);
      }),
      { numRuns: 3000 },
    );
    expect(native("a\ud800b")).toBe(portable("a\ufffdb"));
    expect(portable("\udc00")).toBe(native("\ufffd"));
  });

  it("is taken natively on this Node, and digestJson equals the portable hash of the canonical JSON", () => {
    expect(typeof NODE_CRYPTO?.createHash).toBe("function");
    const spy = vi.spyOn(NODE_CRYPTO as NonNullable<typeof NODE_CRYPTO>, "createHash");
    try {
      digestJson({ a: 1 });
      expect(spy).toHaveBeenCalledWith("sha256");
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

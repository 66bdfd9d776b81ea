import { describe, expect, it } from "vitest";
import { readRepoJson } from "../helpers";
import { resultTexts } from "./result-texts";

describe("the results' JSON text", () => {
  it("is, key order included, what it was before the fast path (44 results of the examples and their variants)", () => {
    const expected = readRepoJson<Record<string, string>>("test/scoring/result-texts.json");
    expect(Object.keys(expected)).toHaveLength(44);
    expect(resultTexts()).toEqual(expected);
  });
});

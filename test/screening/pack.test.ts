import { describe, expect, it } from "vitest";
import { prepareRulebook } from "../../src/screening/prepare";
import { Screener } from "../../src/screening/screen";
import { packEntries, unpackEntries } from "../../src/screening/node/pack";
import { exampleRulebook, examplePerson as person } from "./helpers";

describe("records packed for a worker", () => {
  const prepared = prepareRulebook(exampleRulebook());

  it("unpack to records equal to those packed: data-quality findings, unusable fields, rejected rows and hand-made entries included", () => {
    const screener = new Screener(prepared, "person", "户.csv");
    const rows = [
      person("H1", 1, { householdSize: "3", age: "abc" }),
      person("H1", 2, { householdSize: "3", perCapitaIncome: "100" }),
      person("H1", 2, { householdSize: "3" }),
      person("H2", 1, { perCapitaIncome: "约七千" }),
      person("H3", 1),
      person("H3", 2, { personId: " " }),
    ];
    rows.forEach((row, i) => screener.push(row, i + 2));
    const entries = screener.take(true);
    const extra = { ...(entries[0] as object), note: "not from the assembler" } as unknown as (typeof entries)[number];
    const all = [...entries, extra];
    expect(entries.filter((e) => e.kind === "record")).toHaveLength(3);
    const packed = structuredClone(packEntries(all));
    // Every record of the assembler is packed; the hand-made one goes as it is.
    const asIs = packed.flat.filter((v) => typeof v === "object" && v !== null && (v as { kind?: unknown }).kind === "record");
    expect(asIs).toEqual([extra]);
    expect(unpackEntries(packed)).toEqual(all);
    expect(screener.evaluate(unpackEntries(packed))).toEqual(screener.evaluate(all));
  });

  it("keep records without a file, and villages", () => {
    const screener = new Screener(prepared, "person");
    screener.push(person("H1", 1), 1);
    const entries = screener.take(true);
    expect(unpackEntries(structuredClone(packEntries(entries)))).toEqual(entries);
  });
});

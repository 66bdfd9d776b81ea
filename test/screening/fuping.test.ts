import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { personRows } from "../../examples/screening/fuping/data";
import type { ScreeningItem } from "../../src/screening/evaluate";
import { screenFile } from "../../src/screening/node/run";
import { prepareRulebook, type Finding as ScreeningFinding, type RulebookInput } from "../../src/screening/index";
import { examplePath, runScreen } from "./helpers";

const fuping = (name: string) => examplePath(`fuping/${name}`);
const RULES = fuping("rulebook.json");
const rulebook = JSON.parse(readFileSync(RULES, "utf8")) as RulebookInput & { rules: { code: string }[] };
const want = JSON.parse(readFileSync(fuping("expected.json"), "utf8")) as {
  findings: Record<string, string[]>;
  undecided: Record<string, string[]>;
  dataQuality: { record: string; code: string; column: string; value: string; person: string }[];
  withParameter: { parameters: Record<string, string>; findings: Record<string, string[]> };
  rejected: unknown[];
};
const FORMATS = { "CSV (UTF-8)": ["persons.csv", "villages.csv"], "CSV (GB18030)": ["persons-gb18030.csv", "villages-gb18030.csv"], "XLSX (title rows)": ["persons.xlsx", "villages.xlsx"] } as const;

const people = personRows();
const labelOf = new Map(people.map((p) => [p.cells[4] as string, p.label]));
/** The label of the person on a row of the person file: CSV rows start at 2, XLSX rows at 4 (two title rows, then the header). */
const labelAt = (file: string | undefined, row: number) => people[row - (file?.endsWith(".xlsx") ? 4 : 2)]?.label;

/** Items in the shape of expected.json. */
function digest(items: readonly ScreeningItem[]) {
  const findings: Record<string, string[]> = Object.fromEntries(rulebook.rules.map((r) => [r.code, []]));
  const undecided: Record<string, string[]> = {};
  const dataQuality: { record: string; code: string; column: string; value: unknown; person: string | undefined }[] = [];
  const rejected: unknown[] = [];
  for (const item of items) {
    if (item.kind === "rejected") rejected.push(item);
    else if (item.kind === "data_quality") dataQuality.push({ record: item.recordId, code: item.code, column: item.column, value: item.value, person: labelAt(item.file, item.row) });
    else (item.kind === "finding" ? findings : (undecided[item.code] ??= []) && undecided)[item.code]?.push(labelOf.get(item.recordId) ?? item.recordId);
  }
  for (const list of [...Object.values(findings), ...Object.values(undecided)]) list.sort();
  return { findings, undecided, dataQuality, rejected };
}

async function screenLibrary(files: readonly string[], parameters: Record<string, string> = {}): Promise<ScreeningItem[]> {
  const prepared = prepareRulebook(rulebook, { parameters });
  const items: ScreeningItem[] = [];
  for (const file of files) {
    const result = await screenFile(prepared, fuping(file), { onItems: (batch) => void items.push(...batch) });
    expect(result.ok, file).toBe(true);
  }
  return items;
}

describe("the fuping port over synthetic exports", () => {
  it("ports at least 20 of fuping's rules, each citing its file", () => {
    const cited = new Set(rulebook.rules.map((r) => /^Gzuwkj\/fuping ((?:rules|countryside)\/[\w-]+\.py) /.exec((r as { basis?: string }).basis ?? "")?.[1]));
    expect(cited.has(undefined)).toBe(false);
    expect(cited.size).toBeGreaterThanOrEqual(20);
  });

  describe.each(Object.entries(FORMATS))("read as %s", (_, files) => {
    it("finds exactly the hand-derived findings, undecided rules and data-quality findings, and rejects nothing", async () => {
      expect(digest(await screenLibrary(files))).toEqual({ findings: want.findings, undecided: want.undecided, dataQuality: want.dataQuality, rejected: want.rejected });
    });
  });

  it("gives identical output through the CLI with 0, 1 and 2 workers, the same as the library, for every format", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kaohe-fuping-"));
    const library = await screenLibrary(FORMATS["CSV (UTF-8)"]);
    for (const [format, files] of Object.entries(FORMATS)) {
      const outputs: string[] = [];
      for (const workers of ["0", "1", "2"]) {
        const out = join(dir, `${files[0]}-${workers}.ndjson`);
        const run = await runScreen(["--rules", RULES, ...files.map(fuping), "--out", out, "--workers", workers]);
        expect(run.code, `${format} ${workers}`).toBe(0);
        outputs.push(readFileSync(out, "utf8"));
      }
      expect(outputs[1], format).toBe(outputs[0]);
      expect(outputs[2], format).toBe(outputs[0]);
      const items = (outputs[0] ?? "").trim().split("\n").map((line) => JSON.parse(line) as ScreeningItem);
      expect(digest(items), format).toEqual(digest(library));
    }
  }, 120_000);

  it("overrides the income line for one run with --param, shows it in every finding's values and in the summary", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kaohe-fuping-param-"));
    const out = join(dir, "findings.ndjson");
    const run = await runScreen(["--rules", RULES, fuping("persons.csv"), fuping("villages.csv"), "--out", out, "--param", "incomeLine=7600"]);
    expect(run.code).toBe(0);
    const items = readFileSync(out, "utf8").trim().split("\n").map((line) => JSON.parse(line) as ScreeningItem);
    expect(digest(items).findings["1_02_006"]).toEqual(want.withParameter.findings["1_02_006"]);
    const findings = items.filter((i): i is ScreeningFinding => i.kind === "finding" || i.kind === "rule_failed");
    expect(findings.length).toBeGreaterThan(20);
    expect(findings.every((f) => f.values["params.incomeLine"] === 7600)).toBe(true);
    expect(run.stdout).toContain("parameters for this run: incomeLine=7600 (防返贫监测收入标准（元/人·年）; default 7300)");
    expect(digest(await screenLibrary(FORMATS["CSV (UTF-8)"], want.withParameter.parameters)).findings["1_02_006"]).toEqual(want.withParameter.findings["1_02_006"]);
    const wrong = await runScreen(["--rules", RULES, fuping("persons.csv"), "--param", "incomeLine=七千六"]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.join("\n")).toContain('parameter "incomeLine" (防返贫监测收入标准（元/人·年）) must be a finite number, like its default 7300 (got "七千六")');
  });

  it("says the run is incomplete (exit 3) and names the village rules when no file of villages is given", async () => {
    const run = await runScreen(["--rules", RULES, fuping("persons.csv")]);
    expect(run.code).toBe(3);
    const at = run.stdout.indexOf("INCOMPLETE: 5 rules ran on no file of this run:");
    expect(at).toBeGreaterThan(0);
    expect(run.stdout.slice(at + 1).map((line) => line.trim().split(" ")[0])).toEqual(["1_03_002", "1_03_002-intent", "1_03_003", "1_03_004", "2_03_001"]);
  });
});

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evaluateEntries, planRules, type ScreeningItem } from "../../src/screening/evaluate";
import { workerOptions, type EvaluateTask, type EvaluatorPool } from "../../src/screening/node/pool";
import { assembleLines, linesAssembler, type LinesTask } from "../../src/screening/node/lines";
import type { RejectedRow, ScreeningRecord } from "../../src/screening/records";
import { screenFile } from "../../src/screening/node/run";
import { Screener, prepareRulebook, screenRecords, type PreparedRulebook } from "../../src/screening/index";
import { examplePath, examplePerson, exampleRulebook } from "./helpers";

/** An uninsured adult (SC13), so that every household has a finding to compare. */
const person = (household: string, n: number, over: Record<string, unknown> = {}) => examplePerson(household, n, { insured: "否", ...over });

describe("a rule that fails on one record", () => {
  it("is undecided for that record when it exceeds a limit, and the run goes on", () => {
    const rows = [
      ...Array.from({ length: 40 }, (_, i) => person("BIG", i, { householdSize: "40", riskStatus: "已消除", clearedBy: "自然消除" })),
      person("H2", 1, { measures: "综合保障" }),
    ];
    const result = screenRecords(rows, exampleRulebook(), { limits: { maxSteps: 60 } });
    const failed = result.findings.filter((f) => f.kind === "rule_failed");
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((f) => f.recordId === "BIG" && f.cause === "rule_error")).toBe(true);
    expect(failed[0]?.message).toMatch(/^规则无法判断 \(rule could not be decided\): .*\[evaluation_too_long\]$/);
    // H2 is still screened by every rule: SC05 (labour in a household of 综合保障 only) and SC13.
    expect(result.findings.filter((f) => f.recordId.startsWith("H2")).map((f) => [f.kind, f.code])).toEqual([["finding", "SC05"], ["finding", "SC13"]]);
  });

  it("is undecided with the error's name and message for any other error (a RangeError, out of memory)", () => {
    const prepared = prepareRulebook(exampleRulebook());
    const sc13 = prepared.rules.find((r) => r.rule.code === "SC13");
    if (!sc13) throw new Error("SC13 missing");
    const broken: PreparedRulebook = {
      ...prepared,
      rules: prepared.rules.map((r) =>
        r === sc13
          ? {
              ...r,
              condition: {
                ...r.condition,
                test: (data: unknown) => {
                  if ((data as { personId?: string }).personId === "H1-2") throw new RangeError("Invalid string length");
                  return r.condition.test(data);
                },
              },
            }
          : r,
      ),
    };
    const screener = new Screener(broken, "person");
    [person("H1", 1, { householdSize: "2" }), person("H1", 2, { householdSize: "2" }), person("H2", 1)].forEach((row, i) => screener.push(row, i + 2));
    const items = screener.evaluate(screener.take(true));
    expect(items.map((i) => (i.kind === "rejected" || i.kind === "data_quality" ? [i.kind] : [i.kind, i.code, i.recordId, i.cause]))).toEqual([
      ["finding", "SC13", "H1-1", undefined],
      ["rule_failed", "SC13", "H1-2", "rule_error"],
      ["finding", "SC13", "H2-1", undefined],
    ]);
    expect((items[1] as { message: string }).message).toBe("规则无法判断 (rule could not be decided): RangeError: Invalid string length");
  });
});

describe("a worker that stops while it holds a batch", () => {
  const prepared = prepareRulebook(exampleRulebook());
  const file = examplePath("synthetic-households.csv");

  /** A pool whose worker "dies" on every task that holds household SYN-0107 (alone or not), and on a batch that holds SYN-0116 with others. */
  function dyingPool(): EvaluatorPool & { calls: number } {
    const dies = (entries: readonly (ScreeningRecord | RejectedRow)[]) => {
      const holds = (id: string) => entries.some((e) => e.kind === "record" && e.id === id);
      if (holds("SYN-0107") || (holds("SYN-0116") && entries.length > 1)) {
        throw Object.assign(new Error("Worker terminated due to reaching memory limit: JS heap out of memory"), { name: "Error", code: "ERR_WORKER_OUT_OF_MEMORY" });
      }
    };
    const pool = {
      calls: 0,
      evaluate: async (task: EvaluateTask) => {
        pool.calls++;
        dies(task.entries);
        return evaluateEntries(prepared, planRules(prepared, task.level, task.missing ?? {}), task.entries);
      },
      // A batch of lines is assembled first, as the real worker does.
      screenLines: async (task: LinesTask) => {
        pool.calls++;
        const assembler = linesAssembler(prepared, task);
        const entries = assembleLines(assembler, task);
        dies(entries);
        return { items: evaluateEntries(prepared, planRules(prepared, task.level, task.missing ?? {}), entries), keys: assembler.takeKeys(), counts: { ...assembler.counts } };
      },
      close: async () => undefined,
    };
    return pool;
  }

  it("is reported with the rows it held, which are screened again one record at a time; what fails again is reported as not screened", async () => {
    const inline: ScreeningItem[] = [];
    await screenFile(prepared, file, { onItems: (batch) => void inline.push(...batch), batchSize: 5 });
    const pooled: ScreeningItem[] = [];
    const pool = dyingPool();
    const result = await screenFile(prepared, file, { pool, onItems: (batch) => void pooled.push(...batch), batchSize: 5 });
    if (!result.ok) throw new Error(result.reason);
    const lost = pooled.filter((i) => i.kind === "rejected");
    expect(lost.map((r) => [r.code, r.row])).toEqual([["not_screened", 6], ["not_screened", 7]]);
    expect(lost[0]?.kind === "rejected" && lost[0].reason).toMatch(/^not screened: the worker evaluating record SYN-0107 stopped twice \(Error: Worker terminated/);
    // Everything else is exactly what the inline run found, in the same order.
    const notBad = (i: ScreeningItem) => !(i.kind !== "rejected" && "recordId" in i && i.recordId.startsWith("SYN-0107"));
    expect(pooled.filter((i) => i.kind !== "rejected")).toEqual(inline.filter(notBad));
    // Batches of at least 5 rows, each cut at the first household boundary from its fifth row on:
    // rows 2–7 (SYN-0101, -0104, -0107; SYN-0107 fails again alone), rows 8–13 (SYN-0110, -0113,
    // -0116; each passes alone).
    expect(result.workerFailures.map((f) => [f.rows, f.notScreened])).toEqual([[[2, 7], 1], [[8, 13], 0]]);
    expect(result.workerFailures[0]?.reason).toMatch(/JS heap out of memory/);
    expect(result.counts).toMatchObject({ rowsRead: 21, rowsScreened: 19, rowsRejected: 2, notScreened: 2 });
  });
});

describe("worker threads under node flags", () => {
  it("pass on module loaders only, and turn heap and stack sizes into resource limits", () => {
    expect(workerOptions(["--max-old-space-size=300", "--stack-size", "2000", "--require", "/x/preflight.cjs", "--import", "file:///x/tsx/loader.mjs", "--enable-source-maps", "--conditions=dev"])).toEqual({
      execArgv: ["--require", "/x/preflight.cjs", "--import", "file:///x/tsx/loader.mjs", "--conditions=dev"],
      resourceLimits: { maxOldGenerationSizeMb: 300, stackSizeMb: 2 },
    });
    expect(workerOptions([], ["--import", "tsx"])).toEqual({ execArgv: ["--import", "tsx"] });
    expect(workerOptions(["--import=file:///x/tsx/esm/index.mjs"], ["--import", "tsx"])).toEqual({ execArgv: ["--import=file:///x/tsx/esm/index.mjs"] });
  });

  it("screen the same with --max-old-space-size and --stack-size given to node, on 2 workers, as inline", () => {
    const dir = mkdtempSync(join(tmpdir(), "kaohe-flags-"));
    const cli = new URL("../../src/cli/bin.ts", import.meta.url).pathname;
    const outputs = ["0", "2"].map((workers) => {
      const out = join(dir, `w${workers}.ndjson`);
      const run = spawnSync(process.execPath, ["--max-old-space-size=256", "--stack-size=1800", "--import", "tsx", cli, "screen", "--rules", examplePath("rulebook.json"), examplePath("synthetic-households.csv"), "--workers", workers, "--out", out], { encoding: "utf8" });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      return readFileSync(out, "utf8");
    });
    expect(outputs[1]).toBe(outputs[0]);
    expect(outputs[0]?.split("\n").length).toBeGreaterThan(5);
  }, 60_000);
});

describe("a receiver of the findings that fails", () => {
  it("is not reported as a file that cannot be read: its error reaches the caller", async () => {
    const prepared = prepareRulebook(exampleRulebook());
    const failing = screenFile(prepared, examplePath("synthetic-households.csv"), {
      onItems: () => {
        throw Object.assign(new Error("write EPIPE"), { code: "EPIPE" });
      },
    });
    await expect(failing).rejects.toThrow("write EPIPE");
  });
});

/**
 * With a pool, `screenFile` sends a CSV's rows to a worker in batches of their text, cut where the
 * household key changes, each screened as a file of its own, and claims the keys of each batch's
 * records when it delivers it, screening a batch again itself where one was read before (decision
 * 0303: "batches of lines", and "blocks of lines", its eighth revision). These tests check that nothing of that shows in
 * the output: random messy exports give exactly the items and counts of the inline run, whatever
 * the batch size and however busy the pool is.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ScreeningItem } from "../../src/screening/evaluate";
import { batchEvaluator, linesAssembler, type LinesResult, type LinesTask } from "../../src/screening/node/lines";
import { createEvaluatorPool, type EvaluateTask, type EvaluatorPool } from "../../src/screening/node/pool";
import { screenFile } from "../../src/screening/node/run";
import { mapColumns } from "../../src/screening/columns";
import { prepareRulebook } from "../../src/screening/prepare";
import { LineCutter, splitLine, type RejectedRow, type ScreeningRecord } from "../../src/screening/records";
import { exampleRulebook } from "./helpers";

const HEADER = ["县", "乡镇", "行政村", "户编号", "监测对象类别", "风险是否消除", "风险消除方式", "人均纯收入（元）", "帮扶措施", "家庭人口数", "人编号", "年龄", "劳动技能", "在校生状况", "是否务工就业", "是否参加城乡居民基本医疗保险"];

/** What can go wrong with one row of an export (or nothing, most of the time). */
type Flaw = "none" | "noKey" | "noPerson" | "samePerson" | "spacedKey" | "badAge" | "otherIncome" | "narrow" | "wide" | "wideBlank" | "quoted" | "blankLine" | "earlierHousehold" | "undecodedVillage" | "undecodedPerson" | "spacedCodes";

const flaw = fc.oneof(
  { weight: 12, arbitrary: fc.constant<Flaw>("none") },
  { weight: 1, arbitrary: fc.constantFrom<Flaw>("noKey", "noPerson", "samePerson", "spacedKey", "badAge", "otherIncome", "narrow", "wide", "wideBlank", "quoted", "blankLine", "earlierHousehold", "undecodedVillage", "undecodedPerson", "spacedCodes") },
);

const household = fc.record({
  size: fc.integer({ min: 1, max: 4 }),
  cleared: fc.boolean(),
  income: fc.constantFrom("6000", "9000.5", "", "12000", "约七千"),
  flaws: fc.array(flaw, { minLength: 4, maxLength: 4 }),
  ages: fc.array(fc.integer({ min: 3, max: 80 }), { minLength: 4, maxLength: 4 }),
});

type Household = { size: number; cleared: boolean; income: string; flaws: Flaw[]; ages: number[] };

/** The CSV text of some households, each of its rows perhaps flawed. */
function exportOf(households: readonly Household[]): string {
  const lines = [HEADER.join(",")];
  households.forEach((h, n) => {
    const id = `H${n + 1}`;
    for (let i = 0; i < h.size; i++) {
      const f = h.flaws[i] as Flaw;
      const key = f === "noKey" ? "" : f === "spacedKey" ? ` ${id} ` : f === "earlierHousehold" && n > 0 ? "H1" : id;
      const person = f === "noPerson" ? "" : f === "samePerson" && i > 0 ? `${id}-1` : `${id}-${i + 1}`;
      const cells = [
        // U+FFFD (bytes that did not decode) in a household's or a person's cell; codes and a
        // boolean padded with white space that trim removes (U+3000, U+00A0, a tab).
        "示例县", "甲乡", f === "undecodedVillage" ? "一\uFFFD村" : "一村", key, "脱贫不稳定户", h.cleared ? "已消除" : "未消除", h.cleared ? "帮扶消除" : "",
        f === "otherIncome" ? "7000" : h.income, f === "quoted" ? '"产业帮扶,就业帮扶"' : "产业帮扶", String(h.size), person,
        f === "badAge" ? "约七十" : String(h.ages[i]), f === "undecodedPerson" ? "普通\uFFFD劳动力" : f === "spacedCodes" ? "\u3000普通劳动力\u00a0" : "普通劳动力", "非在校生", f === "spacedCodes" ? "\t是" : "是", i === 0 ? "否" : "是",
      ];
      if (f === "narrow") cells.pop();
      if (f === "wide") cells.push("多余");
      // A further cell that is empty: the row is read as of the header's width.
      if (f === "wideBlank") cells.push("");
      if (f === "blankLine") lines.push("");
      lines.push(cells.join(","));
    }
  });
  return `${lines.join("\r\n")}\r\n`;
}

const prepared = prepareRulebook(exampleRulebook());
const dir = mkdtempSync(join(tmpdir(), "kaohe-lines-"));

/** A pool on this thread doing what a worker does, across a copy as between threads, answering after `delays[i]` turns of the event loop. */
function pool(delays: readonly number[]): EvaluatorPool & { lines: number; records: number } {
  const evaluate = batchEvaluator(prepareRulebook(exampleRulebook()));
  let calls = 0;
  const counted = {
    lines: 0,
    records: 0,
    evaluate: async (task: EvaluateTask): Promise<ScreeningItem[]> => {
      counted.records++;
      return structuredClone(evaluate.records(structuredClone(task)));
    },
    screenLines: async (task: LinesTask): Promise<LinesResult> => {
      counted.lines++;
      const turns = delays[calls++ % delays.length] ?? 0;
      for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
      return structuredClone(evaluate.lines(structuredClone(task)));
    },
    close: async () => undefined,
  };
  return counted;
}

/** A pool on this thread that shows each batch of lines to `look` before screening it as a worker would. */
function recordingPool(look: (task: LinesTask) => void): EvaluatorPool {
  const evaluate = batchEvaluator(prepared);
  return {
    evaluate: async (task) => evaluate.records(task),
    screenLines: async (task) => {
      look(task);
      return evaluate.lines(task);
    },
    close: async () => undefined,
  };
}

/** `count` households, a row of household n now and then flawed (where (7n + 13i) % `every` is 0) by one of `flaws`. */
function scattered(count: number, flaws: readonly Flaw[], every: number): Household[] {
  return Array.from({ length: count }, (_, n) => ({
    size: 1 + (n % 4),
    cleared: n % 3 === 0,
    income: ["6000", "9000.5", "", "12000"][n % 4] as string,
    flaws: [0, 1, 2, 3].map((i) => ((n * 7 + i * 13) % every === 0 ? (flaws[(n + i) % flaws.length] as Flaw) : "none")),
    ages: [40, 12, 70, 5].map((age) => age + (n % 5)),
  }));
}

async function screen(file: string, batchSize: number, withPool?: EvaluatorPool) {
  const items: ScreeningItem[] = [];
  const result = await screenFile(prepared, file, { onItems: (batch) => void items.push(...batch), batchSize, ...(withPool ? { pool: withPool } : {}) });
  return { items, result };
}

describe("screening with a pool, in batches of lines", () => {
  it("gives exactly the items and counts of the inline run on random messy exports, whatever the batch size and the pool's pace", async () => {
    let run = 0;
    let sentAsLines = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(household, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 6 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 5 }), async (households, batchSize, delays) => {
        const file = join(dir, `export-${run++}.csv`);
        writeFileSync(file, exportOf(households));
        const inline = await screen(file, batchSize);
        const workers = pool(delays);
        const pooled = await screen(file, batchSize, workers);
        sentAsLines += workers.lines;
        expect(workers.records).toBe(0);
        expect(pooled.items).toEqual(inline.items);
        expect(pooled.result).toEqual(inline.result);
      }),
      { numRuns: 150 },
    );
    // The property is about batches of lines: most runs must have sent some.
    expect(sentAsLines).toBeGreaterThan(150);
  }, 120_000);

  it("sends the rows of a clean export to the pool as runs of lines, in batches of whole households of at least the batch size", async () => {
    const households = Array.from({ length: 40 }, (_, n) => ({ size: 1 + (n % 3), cleared: n % 2 === 0, income: "9000", flaws: ["none", "none", "none", "none"] as Flaw[], ages: [40, 12, 70, 5] }));
    const file = join(dir, "clean.csv");
    writeFileSync(file, exportOf(households));
    const batches: { lines: string[]; rows: number[] }[] = [];
    const recording = recordingPool((task) => {
      // One text per batch here: the file is one run of plain lines after its header.
      expect(task.parts.every((part) => typeof part === "string")).toBe(true);
      batches.push({ lines: task.parts.flatMap((part) => (part as string).split("\n")), rows: [...task.rows] });
    });
    const inline = await screen(file, 10);
    const pooled = await screen(file, 10, recording);
    expect(pooled.items).toEqual(inline.items);
    expect(pooled.result).toEqual(inline.result);
    // Every line after the header, once, in order: the batches' lines are the file's.
    const body = exportOf(households).split("\r\n").slice(1, -1);
    expect(batches.flatMap((batch) => batch.lines.map((line) => line.replace(/\r$/, "")))).toEqual(body);
    expect(batches.map((batch) => batch.rows[0])).toEqual(batches.map((_, i) => 2 + batches.slice(0, i).reduce((sum, b) => sum + b.lines.length, 0)));
    const keys = batches.map((batch) => batch.lines.map((line) => line.split(",")[3]));
    for (let i = 0; i < keys.length; i++) {
      const [first, last] = [keys[i]?.[0], keys[i]?.at(-1)];
      // Households never split between batches; every batch but the last has at least 10 rows, and
      // ends with the first household boundary from its tenth row on.
      if (i > 0) expect(first).not.toBe(keys[i - 1]?.at(-1));
      if (i < keys.length - 1) {
        const lines = keys[i] as string[];
        expect(lines.length).toBeGreaterThanOrEqual(10);
        expect(lines.slice(9).every((key) => key === last)).toBe(true);
      }
    }
    expect(batches.length).toBeGreaterThan(3);
  });

  it("gives the inline run's items on an export of many reads (blocks of lines cut anywhere), flawed near and far from their ends", async () => {
    // About 6 MB: the reader's 256 KiB reads end inside lines, and blocks of lines end at flaws.
    const flaws: Flaw[] = ["noKey", "noPerson", "samePerson", "spacedKey", "badAge", "narrow", "wide", "wideBlank", "quoted", "blankLine", "earlierHousehold", "undecodedPerson", "spacedCodes"];
    const households = scattered(16_000, flaws, 211);
    const file = join(dir, "large.csv");
    writeFileSync(file, exportOf(households));
    for (const batchSize of [1000, 37]) {
      const inline = await screen(file, batchSize);
      const workers = pool([0, 2, 1]);
      const pooled = await screen(file, batchSize, workers);
      expect(workers.records).toBe(0);
      expect(workers.lines).toBeGreaterThan(10);
      expect(pooled.items).toEqual(inline.items);
      expect(pooled.result).toEqual(inline.result);
      // Households split across the file (an earlier household's key again) are refused as inline.
      expect(inline.items.some((item) => item.kind === "rejected" && item.code === "household_not_contiguous")).toBe(true);
    }
  }, 120_000);

  it("does not hold rows that give no place to cut: past 16 batches' worth, the rest is screened on the main thread, as inline", async () => {
    // 200 clean households, then 1,500 whose every row is one cell short (all rejected), then 200 clean ones.
    const clean = (n: number): Household => ({ size: 1 + (n % 3), cleared: n % 2 === 0, income: "9000", flaws: ["none", "none", "none", "none"], ages: [40, 12, 70, 5] });
    const households = Array.from({ length: 1900 }, (_, n) => (n >= 200 && n < 1700 ? { ...clean(n), flaws: ["narrow", "narrow", "narrow", "narrow"] as Flaw[] } : clean(n)));
    const file = join(dir, "narrow.csv");
    writeFileSync(file, exportOf(households));
    const batchRows: number[] = [];
    const recording = recordingPool((task) => batchRows.push(task.parts.reduce<number>((sum, part) => sum + (typeof part === "string" ? part.split("\n").length : 1), 0)));
    const inline = await screen(file, 10);
    const pooled = await screen(file, 10, recording);
    expect(pooled.items).toEqual(inline.items);
    expect(pooled.result).toEqual(inline.result);
    expect(inline.items.filter((item) => item.kind === "rejected" && item.code === "wrong_cell_count").length).toBeGreaterThan(2000);
    // Batches went to the pool before the narrow rows, none after (the rest was screened here), and none held more than 16 batches' worth.
    expect(batchRows.length).toBeGreaterThan(10);
    expect(Math.max(...batchRows)).toBeLessThanOrEqual(16 * 10 + 3);
    expect(batchRows.reduce((a, b) => a + b, 0)).toBeLessThan(600);
  });

  it("gives the inline run's items on a real worker thread, for a messy export of 600 households", async () => {
    const flaws: Flaw[] = ["noKey", "noPerson", "samePerson", "spacedKey", "badAge", "otherIncome", "narrow", "wide", "wideBlank", "quoted", "blankLine", "earlierHousehold"];
    const households = scattered(600, flaws, 29);
    const file = join(dir, "messy.csv");
    writeFileSync(file, exportOf(households));
    const inline = await screen(file, 50);
    const threads = createEvaluatorPool(1, { rulebook: exampleRulebook(), parameters: {} });
    try {
      let lines = 0;
      const counting: EvaluatorPool = { evaluate: (task) => threads.evaluate(task), screenLines: (task) => ((lines += 1), threads.screenLines(task)), close: () => threads.close() };
      const pooled = await screen(file, 50, counting);
      expect(lines).toBeGreaterThan(0);
      expect(pooled.items).toEqual(inline.items);
      expect(pooled.result).toEqual(inline.result);
      expect(inline.items.some((item) => item.kind === "rejected")).toBe(true);
      expect(inline.items.some((item) => item.kind === "data_quality")).toBe(true);
    } finally {
      await threads.close();
    }
  }, 60_000);

  it("splits a line as String.prototype.split does, after its final CR is cut", () => {
    const piece = fc.constantFrom("a", "甲", "12", ",", ";", "\t", "|", ":", "\r", "", " ", "ab,cd");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }).map((pieces) => pieces.join("")), fc.constantFrom(",", ";", "\t", "|", "::"), (line, delimiter) => {
        const cut = line.endsWith("\r") ? line.slice(0, -1) : line;
        expect(splitLine(line, delimiter)).toEqual(cut.split(delimiter));
        expect(splitLine(`${line}\r`, delimiter)).toEqual(line.split(delimiter));
      }),
      { numRuns: 2000 },
    );
  });

  it("cuts lines of any width, and the cells after any index, as splitLine does, line after line", () => {
    const piece = fc.constantFrom("a", "甲", "12", ",", ";", "\r", "", " ", "ab,cd", ",,");
    const text = fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join(""));
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 20 }), fc.integer({ min: 1, max: 6 }), fc.constantFrom(",", ";", "::"), fc.boolean(), (lines, width, delimiter, known) => {
        const cutter = new LineCutter();
        for (const line of lines) {
          const cells = splitLine(line, delimiter);
          expect(cutter.line(line, delimiter, known ? width : undefined)).toEqual(cells);
          // From just after each delimiter (where a household's cells end), any number of cells expected.
          for (let at = line.indexOf(delimiter); at !== -1; at = line.indexOf(delimiter, at + 1)) {
            const from = at + delimiter.length;
            const rest = line.charCodeAt(line.length - 1) === 13 ? line.slice(from, -1) : line.slice(from);
            expect(cutter.from(line, from, delimiter, width)).toEqual(rest.split(delimiter));
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("assembles a line as it assembles the line's cells, whatever the order of the columns", () => {
    // The export's own order (household columns first, where lines share a household prefix), or any other.
    const identity = HEADER.map((_, i) => i);
    const columnOrder = fc.oneof(fc.constant(identity), fc.shuffledSubarray(identity, { minLength: HEADER.length }));
    fc.assert(
      fc.property(fc.array(household, { minLength: 1, maxLength: 12 }), columnOrder, (households, order) => {
        // Plain lines only, as the reader hands them to pushLine: one line, no quote, the header's width.
        const [header, ...rows] = exportOf(households).split("\r\n").slice(0, -1).map((line) => line.split(","));
        const plain = rows.filter((cells) => cells.length === HEADER.length);
        const lines = plain.map((cells) => order.map((i) => cells[i]).join(","));
        const task: LinesTask = {
          kind: "lines",
          level: "person",
          columns: { indexes: columnsOf(order.map((i) => header?.[i] as string)) },
          delimiter: ",",
          width: HEADER.length,
          parts: [lines.join("\n")],
          rows: [2],
        };
        const byCells = linesAssembler(prepared, task);
        const byLines = linesAssembler(prepared, task);
        const fromCells: (ScreeningRecord | RejectedRow)[] = [];
        const fromLines: (ScreeningRecord | RejectedRow)[] = [];
        lines.forEach((line, i) => {
          byCells.push(splitLine(`${line}\r`, ","), i + 2, fromCells);
          byLines.pushLine(`${line}\r`, ",", i + 2, fromLines);
        });
        byCells.end(fromCells);
        byLines.end(fromLines);
        expect(fromLines).toEqual(fromCells);
      }),
      { numRuns: 300 },
    );
  });
});

/** Each field's column in a header, as screenFile maps them. */
function columnsOf(header: readonly string[]): readonly (readonly [string, number])[] {
  const mapped = mapColumns(prepared, header);
  if (!mapped.ok) throw new Error(mapped.reason);
  return mapped.map.indexes;
}

/**
 * Batches of a CSV's rows that a worker thread assembles and screens from their text: sending lines
 * is far cheaper than sending cells or records between threads, and runs of lines cheaper still as
 * one text (decision 0303: "batches of lines", and "blocks of lines", its eighth revision). A
 * batch is read as if it were the whole file; the keys of its records go back with its items, and
 * the reader of the file claims them in order, screening a batch again on its own thread where one
 * was seen before.
 */
import { EntryEvaluator, evaluateEntries, planRules, type RulePlan, type ScreeningItem } from "../evaluate";
import { RecordAssembler, splitLine, type RejectedRow, type RowCounts, type ScreeningRecord } from "../records";
import type { PreparedRulebook } from "../prepare";
import type { Subject } from "../schema";
import type { EvaluateTask } from "./pool";
import type { SourceRow } from "./rows";

/** A batch of a CSV's rows, starting with a record and ending with one, as the file holds them. */
export interface LinesTask {
  /** Marks a batch of lines. */
  readonly kind: "lines";
  /** What one row holds. */
  readonly level: Subject;
  /** Fields whose column the file lacks (their rules are not run). */
  readonly missing?: Readonly<Record<string, string>>;
  /** The file, quoted in findings. */
  readonly file?: string;
  /** The column of each field, and the header of each field's column. */
  readonly columns: { readonly indexes: readonly (readonly [string, number])[]; readonly names?: Readonly<Record<string, string>> };
  /** The file's delimiter. */
  readonly delimiter: string;
  /** The header's width: a row of another width is rejected, as `screenFile` rejects it. */
  readonly width: number;
  /**
   * The rows, in order: texts of one or more one-line records without quotes (their lines joined
   * by LF, the last one without it), and rows as the reader gave them (a quoted record's cells, a
   * line it could not read).
   */
  readonly parts: readonly (string | SourceRow)[];
  /** Each part's row number (a text's first line's). */
  readonly rows: readonly number[];
}

/** What a batch of lines gives: its items, and what the reader of the file needs to account for it. */
export interface LinesResult {
  /** Findings, data-quality findings and rejected rows, in order. */
  readonly items: ScreeningItem[];
  /** The keys of the batch's records, in the order of their first rows, for the reader of the file to claim. */
  readonly keys: readonly string[];
  /** The batch's rows read, screened and rejected. */
  readonly counts: RowCounts;
}

/** An assembler for batches of lines of one file (it may serve many batches, its memo of conversions with them). */
export function linesAssembler(prepared: PreparedRulebook, task: LinesTask): RecordAssembler {
  const assembler = new RecordAssembler(prepared, task.level, task.file);
  assembler.useColumns(task.columns.indexes, task.columns.names);
  return assembler;
}

/**
 * Pushes a batch's rows into an assembler, then ends it; `each` is given what each row completes.
 * A line of another width than the header's is taken as its cells (and rejected, as a CSV's).
 */
function pushParts(assembler: RecordAssembler, task: LinesTask, out: (ScreeningRecord | RejectedRow)[], each?: (entries: (ScreeningRecord | RejectedRow)[]) => void): void {
  const { parts, rows, delimiter, width } = task;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string | SourceRow;
    if (typeof part !== "string") {
      assembler.pushRow(part, width, true, out);
      if (each !== undefined && out.length > 0) each(out);
      continue;
    }
    let row = rows[i] as number;
    for (let at = 0; ; row++) {
      const n = part.indexOf("\n", at);
      const line = n === -1 ? (at === 0 ? part : part.slice(at)) : part.slice(at, n);
      if (!assembler.pushLine(line, delimiter, row, out, width)) assembler.pushRow({ row, cells: splitLine(line, delimiter) }, width, true, out);
      if (each !== undefined && out.length > 0) each(out);
      if (n === -1) break;
      at = n + 1;
    }
  }
  assembler.end(out);
  if (each !== undefined && out.length > 0) each(out);
}

/**
 * Assembles the records of a batch of lines, as the file's own assembler would have.
 *
 * @param assembler - From {@link linesAssembler} for the same file.
 * @param task - The batch.
 * @returns Its records and rejected rows, in order.
 */
export function assembleLines(assembler: RecordAssembler, task: LinesTask): (ScreeningRecord | RejectedRow)[] {
  const out: (ScreeningRecord | RejectedRow)[] = [];
  pushParts(assembler, task, out);
  return out;
}

/**
 * Assembles and evaluates the records of a batch of lines, each record as soon as it is complete
 * (records are not held until the end of the batch: fewer objects live through a collection).
 *
 * @param assembler - From {@link linesAssembler}, or the file's own assembler.
 * @param evaluator - For the batch's kind of rows.
 * @param task - The batch.
 * @returns Findings, data-quality findings and rejected rows, in order.
 */
export function screenLines(assembler: RecordAssembler, evaluator: EntryEvaluator, task: LinesTask): ScreeningItem[] {
  // Whatever a batch that threw left behind is not this batch's.
  evaluator.take();
  pushParts(assembler, task, [], (done) => {
    for (const entry of done) evaluator.add(entry);
    done.length = 0;
  });
  return evaluator.take();
}

/**
 * Screens a batch of lines as if it were a file of its own, with an assembler that serves batches:
 * its items, the keys of its records and its counts.
 *
 * @param assembler - From {@link linesAssembler}.
 * @param evaluator - For the batch's kind of rows.
 * @param task - The batch.
 * @returns What the batch gives.
 */
export function screenBatch(assembler: RecordAssembler, evaluator: EntryEvaluator, task: LinesTask): LinesResult {
  // A household or keys that a batch that threw left behind are not this batch's.
  assembler.end([]);
  assembler.takeKeys();
  const { rowsRead, rowsScreened, rowsRejected } = assembler.counts;
  const items = screenLines(assembler, evaluator, task);
  const after = assembler.counts;
  return { items, keys: assembler.takeKeys(), counts: { rowsRead: after.rowsRead - rowsRead, rowsScreened: after.rowsScreened - rowsScreened, rowsRejected: after.rowsRejected - rowsRejected } };
}

/** What a worker thread does with batches (see {@link batchEvaluator}). */
export interface BatchEvaluator {
  /** Evaluates a batch of records (and passes its rejected rows through). */
  records(task: EvaluateTask): ScreeningItem[];
  /** Screens a batch of lines (see {@link screenBatch}). */
  lines(task: LinesTask): LinesResult;
}

/**
 * What a worker thread does with each batch: evaluates records, or assembles lines into records
 * and evaluates those. Rule plans, evaluators and assemblers are kept per kind of batch, so that
 * an assembler's memo of conversions serves every batch of its file.
 *
 * @param prepared - The rulebook, prepared in the worker.
 * @returns The evaluator of batches.
 */
export function batchEvaluator(prepared: PreparedRulebook): BatchEvaluator {
  const plans = new Map<string, { plan: RulePlan; evaluator: EntryEvaluator }>();
  const assemblers = new Map<string, RecordAssembler>();
  const planned = (task: EvaluateTask | LinesTask) => {
    const key = `${task.level}:${Object.keys(task.missing ?? {}).sort().join(",")}`;
    let found = plans.get(key);
    if (!found) {
      const plan = planRules(prepared, task.level, task.missing ?? {});
      found = { plan, evaluator: new EntryEvaluator(prepared, plan) };
      plans.set(key, found);
    }
    return found;
  };
  return {
    records: (task) => evaluateEntries(prepared, planned(task).plan, task.entries as (ScreeningRecord | RejectedRow)[]),
    lines: (task) => {
      const at = JSON.stringify([task.level, task.file ?? null, task.columns]);
      let assembler = assemblers.get(at);
      if (!assembler) {
        if (assemblers.size >= 16) assemblers.clear();
        assembler = linesAssembler(prepared, task);
        assemblers.set(at, assembler);
      }
      return screenBatch(assembler, planned(task).evaluator, task);
    },
  };
}

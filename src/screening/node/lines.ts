/**
 * Batches of one-line CSV records that a worker thread assembles and screens from their text:
 * sending lines is far cheaper than sending cells or records between threads (see decision
 * 0303, "Batches of lines").
 */
import { EntryEvaluator, evaluateEntries, planRules, type RulePlan, type ScreeningItem } from "../evaluate";
import { RecordAssembler, type RejectedRow, type ScreeningRecord } from "../records";
import type { PreparedRulebook } from "../prepare";
import type { Subject } from "../schema";
import type { EvaluateTask } from "./pool";

/** A batch of whole records, as the lines of the file that hold them. */
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
  /** The lines, each without its LF. */
  readonly lines: readonly string[];
  /** Each line's row number in the file. */
  readonly rows: readonly number[];
}

/** An assembler for batches of lines: it keeps no keys (the reader of the file checked them). */
export function linesAssembler(prepared: PreparedRulebook, task: LinesTask): RecordAssembler {
  const assembler = new RecordAssembler(prepared, task.level, task.file, { trackKeys: false });
  assembler.useColumns(task.columns.indexes, task.columns.names);
  return assembler;
}

/**
 * Assembles the records of a batch of lines, as the file's own assembler would have.
 *
 * @param assembler - From {@link linesAssembler} for the same file (it may serve many batches).
 * @param task - The batch.
 * @returns Its records, in order.
 */
export function assembleLines(assembler: RecordAssembler, task: LinesTask): (ScreeningRecord | RejectedRow)[] {
  const out: (ScreeningRecord | RejectedRow)[] = [];
  const { lines, rows, delimiter } = task;
  for (let i = 0; i < rows.length; i++) assembler.pushLine(lines[i] as string, delimiter, rows[i] as number, out);
  assembler.end(out);
  return out;
}

/**
 * Assembles and evaluates the records of a batch of lines, each record as soon as it is complete
 * (records are not held until the end of the batch: fewer objects live through a collection).
 *
 * @param assembler - From {@link linesAssembler} for the same file.
 * @param evaluator - For the batch's kind of rows.
 * @param task - The batch.
 * @returns Findings, data-quality findings and rejected rows, in order.
 */
export function screenLines(assembler: RecordAssembler, evaluator: EntryEvaluator, task: LinesTask): ScreeningItem[] {
  const done: (ScreeningRecord | RejectedRow)[] = [];
  const { lines, rows, delimiter } = task;
  // Whatever a batch that threw left behind is not this batch's.
  evaluator.take();
  for (let i = 0; i <= rows.length; i++) {
    if (i < rows.length) assembler.pushLine(lines[i] as string, delimiter, rows[i] as number, done);
    else assembler.end(done);
    if (done.length === 0) continue;
    for (const entry of done) evaluator.add(entry);
    done.length = 0;
  }
  return evaluator.take();
}

/**
 * What a worker thread does with each batch: evaluates records, or assembles lines into records
 * and evaluates those. Rule plans, evaluators and assemblers are kept per kind of batch, so that
 * an assembler's memo of conversions serves every batch of its file.
 *
 * @param prepared - The rulebook, prepared in the worker.
 * @returns The evaluator of batches: findings, data-quality findings and rejected rows, in order.
 */
export function batchEvaluator(prepared: PreparedRulebook): (task: EvaluateTask | LinesTask) => ScreeningItem[] {
  const plans = new Map<string, { plan: RulePlan; evaluator: EntryEvaluator }>();
  const assemblers = new Map<string, RecordAssembler>();
  return (task) => {
    const key = `${task.level}:${Object.keys(task.missing ?? {}).sort().join(",")}`;
    let planned = plans.get(key);
    if (!planned) {
      const plan = planRules(prepared, task.level, task.missing ?? {});
      planned = { plan, evaluator: new EntryEvaluator(prepared, plan) };
      plans.set(key, planned);
    }
    if ("kind" in task && task.kind === "lines") {
      const at = JSON.stringify([task.level, task.file ?? null, task.columns]);
      let assembler = assemblers.get(at);
      if (!assembler) {
        if (assemblers.size >= 16) assemblers.clear();
        assembler = linesAssembler(prepared, task);
        assemblers.set(at, assembler);
      }
      return screenLines(assembler, planned.evaluator, task);
    }
    return evaluateEntries(prepared, planned.plan, (task as EvaluateTask).entries as (ScreeningRecord | RejectedRow)[]);
  };
}

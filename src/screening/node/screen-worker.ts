/**
 * The worker thread of `kaohe screen --workers N` (a piscina task module, its own tsup entry
 * `dist/screen-worker.js`): it prepares the rulebook once, then evaluates batches of records or
 * of lines (see {@link batchEvaluator}), and sends the items back packed.
 */
import { workerData } from "node:worker_threads";
import { prepareRulebook } from "../prepare";
import type { RulebookInput } from "../schema";
import { batchEvaluator, type LinesTask } from "./lines";
import { packItems, type PackedItems } from "./pack";
import type { EvaluateTask, PackedLinesResult, WorkerInit } from "./pool";

const init = workerData as WorkerInit;
// The rulebook the main thread already validated (prepareRulebook validates it again here).
const evaluate = batchEvaluator(prepareRulebook(init.rulebook as RulebookInput, { parameters: init.parameters }));

/**
 * Screens one batch; its items go back packed (see {@link packItems}).
 *
 * @param task - Records, or lines.
 * @returns The batch's items, packed (with, for lines, the keys and counts of its records).
 */
export default function run(task: EvaluateTask | LinesTask): PackedItems | PackedLinesResult {
  if ("kind" in task) {
    const result = evaluate.lines(task);
    return { ...result, items: packItems(result.items) };
  }
  return packItems(evaluate.records(task));
}

/**
 * The worker thread of `kaohe screen --workers N` (a piscina task module, its own tsup entry
 * `dist/screen-worker.js`): it prepares the rulebook once, then evaluates batches of records or
 * of lines (see {@link batchEvaluator}), and sends the items back packed.
 */
import { workerData } from "node:worker_threads";
import { prepareRulebook } from "../prepare";
import type { RulebookInput } from "../schema";
import { batchEvaluator } from "./lines";
import { packItems, type PackedItems } from "./pack";
import type { WorkerInit } from "./pool";

const init = workerData as WorkerInit;
// The rulebook the main thread already validated (prepareRulebook validates it again here).
const evaluate = batchEvaluator(prepareRulebook(init.rulebook as RulebookInput, { parameters: init.parameters }));

/**
 * Screens one batch; its items go back packed (see {@link packItems}).
 *
 * @param task - Records, or lines.
 * @returns The batch's items, packed.
 */
export default function run(task: Parameters<typeof evaluate>[0]): PackedItems {
  return packItems(evaluate(task));
}

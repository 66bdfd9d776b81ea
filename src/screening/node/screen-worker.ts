/**
 * The worker thread of `kaohe screen --workers N` (a piscina task module, its own tsup entry
 * `dist/screen-worker.js`): it prepares the rulebook once, then evaluates batches of records or
 * of lines (see {@link batchEvaluator}).
 */
import { workerData } from "node:worker_threads";
import { prepareRulebook } from "../prepare";
import type { RulebookInput } from "../schema";
import { batchEvaluator } from "./lines";
import type { WorkerInit } from "./pool";

const init = workerData as WorkerInit;
// The rulebook the main thread already validated (prepareRulebook validates it again here).
export default batchEvaluator(prepareRulebook(init.rulebook as RulebookInput, { parameters: init.parameters }));

/**
 * The worker thread of `kaohe screen --table … --workers N` (a piscina task module, its own tsup
 * entry `dist/tables-worker.js`): it prepares the multi-table rulebook once, then runs batches of
 * record rules' conditions over the data the main thread assembled (joins and aggregates included).
 */
import { workerData } from "node:worker_threads";
import { prepareTablesRulebook } from "../tables/prepare";
import { runRuleTests, type RuleTest, type RuleTestResult } from "../tables/screen";
import type { TablesRulebookInput } from "../tables/schema";
import type { WorkerInit } from "./pool";

const init = workerData as WorkerInit;
const prepared = prepareTablesRulebook(init.rulebook as TablesRulebookInput, { parameters: init.parameters });

/**
 * Runs one batch of rule tests.
 *
 * @param tasks - The tests.
 * @returns Their results, in order.
 */
export default function run(tasks: readonly RuleTest[]): RuleTestResult[] {
  return runRuleTests(prepared, tasks);
}

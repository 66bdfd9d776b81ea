/**
 * The worker thread of `kaohe screen --workers N` (a piscina task module, its own tsup entry
 * `dist/screen-worker.js`): it prepares the rulebook once, then evaluates batches of records.
 */
import { workerData } from "node:worker_threads";
import { evaluateEntries, planRules, type RulePlan, type ScreeningItem } from "../evaluate";
import { prepareRulebook } from "../prepare";
import type { RejectedRow, ScreeningRecord } from "../records";
import type { RulebookInput } from "../schema";
import type { EvaluateTask, WorkerInit } from "./pool";

const init = workerData as WorkerInit;
// The rulebook the main thread already validated (prepareRulebook validates it again here).
const prepared = prepareRulebook(init.rulebook as RulebookInput, { parameters: init.parameters });
const plans = new Map<string, RulePlan>();

/**
 * Evaluates one batch of records.
 *
 * @param task - The kind of rows and the entries.
 * @returns Findings and rejected rows, in order.
 */
export default function evaluate(task: EvaluateTask): ScreeningItem[] {
  const key = `${task.level}:${Object.keys(task.missing ?? {}).sort().join(",")}`;
  let plan = plans.get(key);
  if (!plan) {
    plan = planRules(prepared, task.level, task.missing ?? {});
    plans.set(key, plan);
  }
  return evaluateEntries(prepared, plan, task.entries as (ScreeningRecord | RejectedRow)[]);
}

/**
 * The re-screening loop (筛查 → 整改 → 再筛查): exemption lists, comparison with an earlier run,
 * rectification problems from findings, dated rulebooks and identity masking. Pure post-processing
 * of findings; reading the lists and writing workbooks is Node-only, in `src/screening/loop/node/`.
 *
 * @module
 */
export { resolveDatedRulebook } from "./dated";
export type { ParameterPeriod, RulebookVersion } from "./dated";
export { ScreeningLoop, parseExemptions, parseBaseline, maskId, maskIdsIn, maskItem } from "./loop";
export type { Exemption, BaselineFinding, BaselineStatus, LoopFinding, LoopCounts, LoopReport, UnusedExemption, ScreeningLoopOptions } from "./loop";
export { followUpProblems, problemIdOf } from "./rectify";
export type { FollowUpOptions } from "./rectify";

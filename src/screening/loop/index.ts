/**
 * The re-screening loop (筛查 → 整改 → 再筛查): exemption lists, comparison with an earlier run,
 * rectification problems from findings, dated rulebooks and identity masking. Pure post-processing
 * of findings; reading the lists and writing workbooks is Node-only, in `src/cli/screen-loop.ts`.
 *
 * @module
 */
export { resolveDatedRulebook } from "./dated";
export type { ParameterPeriod, RulePeriod, ResolvedRulebook, RulebookVersion } from "./dated";
export { ScreeningLoop, maskId } from "./loop";
// The readers of exemption lists and findings files, and the masking of whole items, serve the CLI
// (src/cli/screen-loop.ts) and are not exported: the library's size budget is tight.
export type { AppliedVersion, Exemption, BaselineFinding, BaselineStatus, LoopFinding, LoopMarks, LoopSubject, LoopCounts, LoopReport, UnusedExemption, ScreeningLoopOptions } from "./loop";
export { followUpProblems, problemIdOf } from "./rectify";
export type { FollowUpOptions } from "./rectify";

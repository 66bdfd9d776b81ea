/**
 * The re-screening loop (筛查 → 整改 → 再筛查), the subpath entry `kaohe/loop`: exemption lists,
 * the comparison with an earlier run, rectification problems from findings, dated rulebooks and
 * identity masking. Kept out of the main entry's bundle, like `kaohe/sql` (the library's size
 * budget, docs/decisions/0307-screening-loop.md). Browser-safe: pure post-processing of findings.
 *
 * @module
 */
export { resolveDatedRulebook, ScreeningLoop, maskId, followUpProblems, problemIdOf } from "../screening/loop/index";
export type { ParameterPeriod, RulePeriod, ResolvedRulebook, RulebookVersion, AppliedVersion, Exemption, BaselineFinding, BaselineStatus, LoopFinding, LoopMarks, LoopSubject, LoopCounts, LoopReport, UnusedExemption, ScreeningLoopOptions, FollowUpOptions } from "../screening/loop/index";

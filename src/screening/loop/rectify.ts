import { applyRectificationEvent, parseRectificationProblem, type RectificationEvent, type RectificationProblem } from "../../checklists/rectification";
import type { BaselineFinding, LoopFinding } from "./loop";

/** An id of the checklists module from any text: characters other than letters, digits, `_`, `.`, `-` become `_`. */
const asId = (text: string) => text.replace(/[^\p{L}\p{M}\p{N}_.-]/gu, "_").replace(/^[^\p{L}\p{N}]/u, "x");

/**
 * The id of the rectification problem of a finding: its rule code and record key (never a row),
 * so that the next run finds the same problem again.
 *
 * @param finding - A finding, or a finding of an earlier run.
 * @returns The id, e.g. `SC02.SYN-0104`.
 */
export function problemIdOf(finding: Pick<BaselineFinding, "code" | "recordId" | "householdId">): string {
  return asId(`${finding.code}.${finding.householdId ? `${finding.householdId}.` : ""}${finding.recordId}`);
}

/** Options of {@link followUpProblems}. */
export interface FollowUpOptions {
  /** The date of the run (the events' date and a new problem's 发现日期). */
  readonly on: string;
  /** The 整改时限 of a new problem. */
  readonly targetOn: string;
  /** The name of the screening, e.g. `2025年7月数据过筛`. */
  readonly name?: string;
}

/**
 * Carries the screening into the rectification problems (整改) of the checklists module, so that the
 * 回头看 review sees the screening history: a finding without a problem becomes one (待整改, unit:
 * its village), unless exempted; a problem whose finding persists although marked 已整改 is sent back
 * (回炉, 整改不彻底); a problem whose finding is resolved (not found again) is completed and closed
 * (销号), with the events dated `on`. Other problems are left as they are.
 *
 * @param problems - The problems so far (e.g. from the last run), any that are not of screening too.
 * @param findings - This run's findings, with their status against the baseline ({@link ScreeningLoop}).
 * @param resolved - The earlier findings not found again (`LoopReport.resolvedFindings`).
 * @param options - The date and the target date.
 * @returns The problems, updated, then the new ones in the findings' order.
 * @example
 * ```ts
 * import { followUpProblems } from "kaohe/loop";
 * const unit = { county: "示例县", township: "甲乡", village: "一村" };
 * const found = { kind: "finding" as const, code: "SC02", title: "收入低于标准", severity: "high" as const, subject: "household" as const,
 *   recordId: "H1", unit, message: "人均纯收入6000元", values: {}, row: 2 };
 * const [problem] = followUpProblems([], [found], [], { on: "2025-07-01", targetOn: "2025-08-31" });
 * [problem?.id, problem?.state]; //=> ["SC02.H1", "待整改"]
 * const [closed] = followUpProblems([problem!], [], [{ code: "SC02", recordId: "H1", unit }], { on: "2025-09-01", targetOn: "2025-10-31" });
 * [closed?.state, closed?.history.map((e) => e.type)]; //=> ["已销号", ["start", "complete", "close"]]
 * ```
 */
export function followUpProblems(
  problems: readonly RectificationProblem[],
  findings: Iterable<LoopFinding>,
  resolved: readonly Pick<BaselineFinding, "code" | "recordId" | "householdId">[],
  options: FollowUpOptions,
): RectificationProblem[] {
  const { on } = options;
  const byId = new Map(problems.map((p) => [p.id, p]));
  const added: RectificationProblem[] = [];
  const apply = (p: RectificationProblem, types: RectificationEvent["type"][], note: string) =>
    types.reduce((q, type) => applyRectificationEvent(q, (type === "send-back" ? { type, on, reasons: ["整改不彻底"], note } : { type, on, note }) as RectificationEvent), p);
  for (const f of findings) {
    if (f.kind !== "finding") continue;
    const id = problemIdOf(f);
    const p = byId.get(id);
    if (p?.state === "已整改") byId.set(id, apply(p, ["send-back"], `再筛查仍发现：${f.message}`));
    else if (!p && !f.exemption && !added.some((a) => a.id === id)) {
      added.push(
        parseRectificationProblem({
          id,
          title: `${f.code} ${f.title}：${f.recordId}，${f.message}`,
          origin: { kind: "other", name: options.name ?? "数据过筛" },
          unit: asId(`${f.unit.county}.${f.unit.township}.${f.unit.village}`),
          foundOn: on,
          targetOn: options.targetOn,
          state: "待整改",
        }),
      );
    }
  }
  for (const f of resolved) {
    const p = byId.get(problemIdOf(f));
    if (!p || p.state === "已销号") continue;
    const steps: RectificationEvent["type"][] = p.state === "待整改" ? ["start", "complete", "close"] : p.state === "整改中" ? ["complete", "close"] : ["close"];
    byId.set(p.id, apply(p, steps, "再筛查未再发现"));
  }
  return [...problems.map((p) => byId.get(p.id) ?? p), ...added];
}

import { checklistStatus, type ChecklistStatusReport, type DeliverableStatus } from "../checklists/status";
import { markVisits, type VisitReport } from "../checklists/recurrence";
import { summarizeRectifications, type RectificationSummary } from "../checklists/summary";
import { EMBEDDED_CHECKLIST_NAME, ProgressSchema } from "../checklists/schemas";
import { RECTIFICATION_STATES } from "../checklists/rectification";
import { nearTermChecklist2025 } from "../frameworks/nearTermChecklist2025";
import { isKaoheError, type KaoheIssue } from "../internal/errors";
import type { Checklist } from "../model/checklist";
import { safeParseChecklist } from "../model/checklistParse";
import { fromZodIssues } from "../model/issues";
import { isCalendarDate } from "../model/primitives";
import { EXIT, UsageError, parseArgs, readJson, reportIssues, type CliIO } from "./io";
import { renderTable } from "./table";
import { PARSE_OPTIONS } from "../internal/zod";

/** The usage line of `kaohe checklist`. */
export const CHECKLIST_USAGE =
  "kaohe checklist <progress.json> --as-of YYYY-MM-DD [--due-soon-days N] [--format table|json]";

/** The CLI's due-soon window when `--due-soon-days` is not given (the library's default is none). */
const DEFAULT_DUE_SOON_DAYS = 3;

/** Everything the command computes, as `--format json` prints it. */
export interface ChecklistCommandResult {
  readonly asOf: string;
  readonly checklist: { readonly id: string; readonly title: string; readonly issuedOn: string };
  readonly milestones: readonly { readonly name: string; readonly month: string }[];
  readonly deliverables: ChecklistStatusReport;
  readonly duties: readonly VisitReport[];
  readonly rectifications: RectificationSummary;
}

/** Runs a library call; a kaoheError's issues are collected instead of thrown. */
function collect<T>(issues: KaoheIssue[], run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    if (!isKaoheError(error)) throw error;
    issues.push(...error.issues);
    return undefined;
  }
}

/**
 * Computes the checklist command's result from a progress file's content, or the issues that stop it.
 *
 * @param input - The parsed JSON of a progress file.
 * @param asOf - The day the status is taken.
 * @param dueSoonDays - The due-soon window in days.
 * @returns The result, or every issue found (paths relative to the file).
 * @internal
 */
export function computeChecklistProgress(
  input: unknown,
  asOf: string,
  dueSoonDays: number,
): { ok: true; result: ChecklistCommandResult } | { ok: false; issues: KaoheIssue[] } {
  const parsed = ProgressSchema.safeParse(input, PARSE_OPTIONS);
  if (!parsed.success) {
    const named = (input as { checklist?: unknown } | null)?.checklist;
    const issues = fromZodIssues(parsed.error.issues).map((issue) =>
      issue.path.length === 1 && issue.path[0] === "checklist" && typeof named === "string"
        ? { code: "unknown_checklist", path: issue.path, message: `"${named}" is not an embedded checklist: give "${EMBEDDED_CHECKLIST_NAME}" or a checklist object` }
        : issue,
    );
    return { ok: false, issues };
  }
  const progress = parsed.data;
  let checklist: Checklist = nearTermChecklist2025;
  if (progress.checklist !== EMBEDDED_CHECKLIST_NAME) {
    const own = safeParseChecklist(progress.checklist);
    if (!own.success) return { ok: false, issues: own.error.issues.map((i) => ({ ...i, path: ["checklist", ...i.path] })) };
    checklist = own.data;
  }
  const issues: KaoheIssue[] = [];
  const { units } = progress;
  const deliverables = collect(issues, () => checklistStatus(checklist, progress.submissions, { asOf, units, dueSoonDays }));
  const from = checklist.issuedOn < asOf ? checklist.issuedOn : asOf;
  const duties = checklist.tasks
    .filter((task) => task.recurrences.length > 0)
    .map((task) => {
      // Each task sees the visits of its own duties; issue paths are mapped back to the file's indexes.
      const indexes = progress.visits.flatMap((v, i) => (task.recurrences.some((r) => r.id === v.recurrence) ? [i] : []));
      const visits = indexes.map((i) => progress.visits[i] as (typeof progress.visits)[number]);
      const found: KaoheIssue[] = [];
      const report = collect(found, () => markVisits(task, visits, { from, to: asOf, units, asOf }));
      issues.push(...found.map((i) => (i.path[0] === "visits" ? { ...i, path: ["visits", indexes[i.path[1] as number] ?? 0, ...i.path.slice(2)] } : i)));
      return report;
    });
  progress.visits.forEach((v, i) => {
    if (!checklist.tasks.some((t) => t.recurrences.some((r) => r.id === v.recurrence))) {
      issues.push({ code: "unknown_recurrence", path: ["visits", i, "recurrence"], message: `visit ${i + 1} names duty "${v.recurrence}", which the checklist does not have` });
    }
  });
  const rectifications = collect(issues, () => summarizeRectifications(progress.problems, { asOf, units }));
  if (issues.length > 0 || !deliverables || !rectifications || duties.some((d) => d === undefined)) {
    // Unit issues are found by every call that takes the units: report each once.
    const seen = new Set<string>();
    const unique = issues.filter((i) => {
      const key = `${i.code}|${i.path.join(".")}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
    return { ok: false, issues: unique };
  }
  return {
    ok: true,
    result: {
      asOf,
      checklist: { id: checklist.id, title: checklist.title, issuedOn: checklist.issuedOn },
      milestones: checklist.milestones.map((m) => ({ name: m.name, month: m.month })),
      deliverables,
      duties: duties as VisitReport[],
      rectifications,
    },
  };
}

const STATUS_LABEL: Record<string, string> = { overdue: "逾期未报", "due-soon": "即将到期", pending: "未到期", late: "逾期已报", done: "按时报送" };

/** Rows grouped per unit (in the file's order of units), then by due date. */
function deliverableRows(items: readonly DeliverableStatus[], unitOrder: readonly string[]): string[][] {
  const position = (unit: string) => unitOrder.indexOf(unit);
  return [...items]
    .sort((a, b) => position(a.unit) - position(b.unit) || (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : 0))
    .map((i) => [i.unitName, `任务${i.taskNumber}`, i.deliverableName, i.dueOn, STATUS_LABEL[i.status] ?? i.status, String(i.daysPastDue ?? i.daysLeft ?? "")]);
}

/**
 * Renders the command's result as text tables: overdue and due-soon deliverables per unit, totals
 * per unit, the weekly duties, then the rectification summary.
 *
 * @internal
 */
export function formatChecklistProgress(result: ChecklistCommandResult, dueSoonDays: number): string[] {
  const { deliverables: d, rectifications: r } = result;
  const unitOrder = d.byUnit.map((u) => u.unit);
  const unitName = (id: string) => d.byUnit.find((u) => u.unit === id)?.name ?? id;
  const lines = [`${result.checklist.title} (issued ${result.checklist.issuedOn}), as of ${result.asOf}`];
  for (const m of result.milestones) lines.push(`  ${m.name} starts in ${m.month}`);
  const columns = [{ heading: "单位" }, { heading: "任务" }, { heading: "报送材料" }, { heading: "截止" }, { heading: "状态" }, { heading: "天数", align: "right" as const }];
  lines.push("", `Overdue (逾期未报): ${d.overdue.length}`);
  if (d.overdue.length > 0) lines.push(...renderTable(columns, deliverableRows(d.overdue, unitOrder)));
  lines.push("", `Due within ${dueSoonDays} days (即将到期): ${d.dueSoon.length}`);
  if (d.dueSoon.length > 0) lines.push(...renderTable(columns, deliverableRows(d.dueSoon, unitOrder)));
  lines.push("", "Per unit:");
  const statuses = ["done", "late", "overdue", "due-soon", "pending"] as const;
  lines.push(
    ...renderTable(
      [{ heading: "单位" }, ...statuses.map((s) => ({ heading: STATUS_LABEL[s] ?? s, align: "right" as const }))],
      d.byUnit.map((u) => [u.name, ...statuses.map((s) => String(u.counts[s]))]),
    ),
  );
  for (const duty of result.duties) {
    const name = duty.occurrences[0]?.name ?? "weekly duty";
    lines.push("", `${name}: ${duty.occurrences.length} occurrence(s) up to ${result.asOf}`);
    lines.push(...renderTable([{ heading: "单位" }, { heading: "kept", align: "right" }, { heading: "missed", align: "right" }], duty.units.map((u) => [u.name, String(u.kept), String(u.missed)])));
  }
  lines.push("", `Rectification (整改), ${r.total} problem(s): ${RECTIFICATION_STATES.map((s) => `${s} ${r.byState[s]}`).join(", ")}`);
  lines.push(`  past target date: ${r.overdue.length}`);
  for (const p of r.overdue) lines.push(`    ${p.id} ${unitName(p.unit)} ${p.state}, target ${p.targetOn}, ${p.daysPastTarget} day(s) past: ${p.title}`);
  lines.push(`  sent back (回炉): ${r.sentBack}; more than once: ${r.sentBackMoreThanOnce.length}`);
  for (const p of r.sentBackMoreThanOnce) lines.push(`    ${p.id} ${unitName(p.unit)} sent back ${p.times} times (${p.reasons.join("、")}): ${p.title}`);
  return lines;
}

/**
 * Runs `kaohe checklist <progress.json> --as-of YYYY-MM-DD [--due-soon-days N] [--format table|json]`:
 * prints the overdue and due-soon deliverables per unit, the weekly duties kept and missed, then the
 * rectification summary. A progress file without `checklist` uses the embedded
 * `nearTermChecklist2025`.
 *
 * @param args - The arguments after `checklist`.
 * @param io - How to read files and write lines.
 * @returns The exit code: 0 success, 1 invalid input (a list of issues on stderr), 2 usage error.
 * @remarks
 * From a shell (the CLI is tested in `test/checklists/cli.test.ts`):
 * ```sh
 * kaohe checklist examples/county-2025/progress.json --as-of 2025-11-01
 * kaohe checklist examples/county-2025/progress.json --as-of 2025-11-01 --format json
 * ```
 */
export function runChecklistCommand(args: string[], io: CliIO): number {
  let file: string;
  let asOf: string;
  let format: string;
  let dueSoonDays = DEFAULT_DUE_SOON_DAYS;
  try {
    const { positionals, options } = parseArgs(args, ["as-of", "format", "due-soon-days"]);
    if (positionals.length !== 1) throw new UsageError(`checklist takes one progress file\nUsage: ${CHECKLIST_USAGE}`);
    file = positionals[0] as string;
    if (options["as-of"] === undefined) throw new UsageError(`checklist needs --as-of YYYY-MM-DD (nothing reads the clock)\nUsage: ${CHECKLIST_USAGE}`);
    asOf = options["as-of"];
    if (!isCalendarDate(asOf)) throw new UsageError(`--as-of must be a real date YYYY-MM-DD (got "${asOf}")`);
    format = options.format ?? "table";
    if (format !== "table" && format !== "json") throw new UsageError(`--format must be table or json (got "${format}")`);
    const days = options["due-soon-days"];
    if (days !== undefined) {
      if (!/^\d{1,3}$/.test(days)) throw new UsageError(`--due-soon-days must be a whole number of days (got "${days}")`);
      dueSoonDays = Number(days);
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    for (const line of `kaohe: ${error.message}`.split("\n")) io.stderr(line);
    return EXIT.usage;
  }
  const read = readJson(io, file);
  if (!read.ok) {
    io.stderr(read.message);
    return EXIT.invalid;
  }
  const computed = computeChecklistProgress(read.value, asOf, dueSoonDays);
  if (!computed.ok) {
    reportIssues(io, file, computed.issues);
    return EXIT.invalid;
  }
  if (format === "json") io.stdout(JSON.stringify(computed.result, null, 2));
  else for (const line of formatChecklistProgress(computed.result, dueSoonDays)) io.stdout(line);
  return EXIT.ok;
}

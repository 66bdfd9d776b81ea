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
import { pick } from "../internal/i18n";
import { stringOption, type CommandSpec, type Parsed } from "./args";
import { runCommand } from "./command";
import { inputName } from "./input";
import { EXIT, UsageError, readJson, reportIssues, type CliIO, type Ctx } from "./io";
import { t, type Bilingual, type Lang } from "./lang";
import { FileIssues, jsonErrors, type ScoreOutput } from "./score";
import { renderTable } from "./table";
import { PARSE_OPTIONS } from "../internal/zod";

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

/**
 * What `--format json` prints, whatever the outcome (schemas/checklist-output.schema.json): the
 * result's parts, null when the progress file could not be used, and every problem in `errors`.
 */
type ChecklistOutput = { readonly ok: boolean; readonly errors: ScoreOutput["errors"] } & {
  readonly [K in keyof ChecklistCommandResult]: K extends "asOf" ? string : ChecklistCommandResult[K] | null;
};

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
        ? { code: "unknown_checklist", path: issue.path, message: `"${named}" is not an embedded checklist: give "${EMBEDDED_CHECKLIST_NAME}" or a checklist object`, zh: `「${named}」不是内嵌的任务清单：请写 "${EMBEDDED_CHECKLIST_NAME}"，或直接给出任务清单对象` }
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
      issues.push({ code: "unknown_recurrence", path: ["visits", i, "recurrence"], message: `visit ${i + 1} names duty "${v.recurrence}", which the checklist does not have`, zh: `第 ${i + 1} 条走访记录的周期任务「${v.recurrence}」不在任务清单中` });
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

const STATUS_LABEL: Readonly<Record<string, Bilingual>> = {
  overdue: t("逾期未报", "overdue"),
  "due-soon": t("即将到期", "due soon"),
  pending: t("未到期", "pending"),
  late: t("逾期已报", "late"),
  done: t("按时报送", "on time"),
};

/** Rows grouped per unit (in the file's order of units), then by due date. */
function deliverableRows(lang: Lang, items: readonly DeliverableStatus[], unitOrder: readonly string[]): string[][] {
  const position = (unit: string) => unitOrder.indexOf(unit);
  return [...items]
    .sort((a, b) => position(a.unit) - position(b.unit) || (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : 0))
    .map((i) => [i.unitName, lang === "en" ? `task ${i.taskNumber}` : `任务${i.taskNumber}`, i.deliverableName, i.dueOn, pick(lang, STATUS_LABEL[i.status] ?? t(i.status, i.status)), String(i.daysPastDue ?? i.daysLeft ?? "")]);
}

/**
 * Renders the command's result as text tables: overdue and due-soon deliverables per unit, totals
 * per unit, the weekly duties, then the rectification summary, in Chinese (or English).
 *
 * @internal
 */
export function formatChecklistProgress(result: ChecklistCommandResult, dueSoonDays: number, lang: Lang = "zh"): string[] {
  const l = (zh: string, en: string) => (lang === "en" ? en : zh);
  const { deliverables: d, rectifications: r } = result;
  const unitOrder = d.byUnit.map((u) => u.unit);
  const unitName = (id: string) => d.byUnit.find((u) => u.unit === id)?.name ?? id;
  const lines = [l(`${result.checklist.title}（${result.checklist.issuedOn} 印发），统计日期 ${result.asOf}`, `${result.checklist.title} (issued ${result.checklist.issuedOn}), as of ${result.asOf}`)];
  for (const m of result.milestones) lines.push(l(`  ${m.name}：${m.month} 开始`, `  ${m.name} starts in ${m.month}`));
  const columns = [
    { heading: l("单位", "unit") }, { heading: l("任务", "task") }, { heading: l("报送材料", "deliverable") },
    { heading: l("截止", "due") }, { heading: l("状态", "status") }, { heading: l("天数", "days"), align: "right" as const },
  ];
  lines.push("", l(`逾期未报：${d.overdue.length}`, `Overdue (逾期未报): ${d.overdue.length}`));
  if (d.overdue.length > 0) lines.push(...renderTable(columns, deliverableRows(lang, d.overdue, unitOrder)));
  lines.push("", l(`${dueSoonDays} 天内到期：${d.dueSoon.length}`, `Due within ${dueSoonDays} days (即将到期): ${d.dueSoon.length}`));
  if (d.dueSoon.length > 0) lines.push(...renderTable(columns, deliverableRows(lang, d.dueSoon, unitOrder)));
  lines.push("", l("各单位：", "Per unit:"));
  const statuses = ["done", "late", "overdue", "due-soon", "pending"] as const;
  lines.push(
    ...renderTable(
      [{ heading: l("单位", "unit") }, ...statuses.map((s) => ({ heading: pick(lang, STATUS_LABEL[s] ?? t(s, s)), align: "right" as const }))],
      d.byUnit.map((u) => [u.name, ...statuses.map((s) => String(u.counts[s]))]),
    ),
  );
  for (const duty of result.duties) {
    const name = duty.occurrences[0]?.name ?? l("每周任务", "weekly duty");
    lines.push("", l(`${name}：截至 ${result.asOf} 共 ${duty.occurrences.length} 次`, `${name}: ${duty.occurrences.length} occurrence(s) up to ${result.asOf}`));
    lines.push(...renderTable([{ heading: l("单位", "unit") }, { heading: l("已开展", "kept"), align: "right" }, { heading: l("未开展", "missed"), align: "right" }], duty.units.map((u) => [u.name, String(u.kept), String(u.missed)])));
  }
  const states = RECTIFICATION_STATES.map((s) => `${s} ${r.byState[s]}`).join(l("，", ", "));
  lines.push("", l(`整改问题 ${r.total} 个：${states}`, `Rectification (整改), ${r.total} problem(s): ${states}`));
  lines.push(l(`  超过整改期限：${r.overdue.length}`, `  past target date: ${r.overdue.length}`));
  for (const p of r.overdue) lines.push(l(`    ${p.id} ${unitName(p.unit)} ${p.state}，期限 ${p.targetOn}，已超 ${p.daysPastTarget} 天：${p.title}`, `    ${p.id} ${unitName(p.unit)} ${p.state}, target ${p.targetOn}, ${p.daysPastTarget} day(s) past: ${p.title}`));
  lines.push(l(`  回炉：${r.sentBack}；多次回炉：${r.sentBackMoreThanOnce.length}`, `  sent back (回炉): ${r.sentBack}; more than once: ${r.sentBackMoreThanOnce.length}`));
  for (const p of r.sentBackMoreThanOnce) lines.push(l(`    ${p.id} ${unitName(p.unit)} 回炉 ${p.times} 次（${p.reasons.join("、")}）：${p.title}`, `    ${p.id} ${unitName(p.unit)} sent back ${p.times} times (${p.reasons.join("、")}): ${p.title}`));
  return lines;
}

/** The declaration of `kaohe checklist`, from which its parsing and help are made. */
export const CHECKLIST_SPEC: CommandSpec = {
  name: "checklist",
  args: "<progress.json>",
  summary: t(
    "按统计日期列出各单位逾期和即将到期的报送材料、每周帮扶日的开展情况和整改汇总；进度文件不写 checklist 时用内嵌的近期任务清单。",
    "Lists the overdue and due-soon deliverables per unit as of a date, the weekly duties kept and missed, and the rectification summary; a progress file without `checklist` uses the embedded near-term checklist.",
  ),
  options: {
    "as-of": { type: "string", value: "<YYYY-MM-DD>", help: t("统计日期（必填：程序不读系统时钟）", "the day the status is taken (required: nothing reads the clock)") },
    "due-soon-days": { type: "string", value: "<N>", default: String(DEFAULT_DUE_SOON_DAYS), help: t("几天内到期算“即将到期”", "how many days ahead count as due soon") },
    format: { type: "string", value: "<table|json>", choices: ["table", "json"], default: "table", help: t("输出格式；json 时出错信息也是 JSON（schemas/checklist-output.schema.json）", "output format; with json, errors are JSON too (schemas/checklist-output.schema.json)") },
  },
  exits: [[EXIT.invalid, t("进度文件有误（逐条列出问题）", "the progress file is invalid (every issue listed)")]],
  examples: ["kaohe checklist examples/county-2025/progress.json --as-of 2025-11-01", "kaohe checklist examples/county-2025/progress.json --as-of 2025-11-05 --format json"],
  notes: [t("文件名为 - 时从标准输入读取。", "A file named - is read from standard input.")],
};

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
  return runCommand(CHECKLIST_SPEC, args, io, (ctx, parsed) => checklist(ctx, parsed)) as number;
}

function checklist(ctx: Ctx, parsed: Parsed): number {
  if (parsed.positionals.length !== 1) throw new UsageError(t("checklist 只读一个进度文件", "checklist takes one progress file"));
  const file = parsed.positionals[0] as string;
  const asOf = stringOption(parsed, "as-of");
  if (asOf === undefined) throw new UsageError(t("checklist 需要 --as-of YYYY-MM-DD（程序不读系统时钟）", "checklist needs --as-of YYYY-MM-DD (nothing reads the clock)"));
  if (!isCalendarDate(asOf)) throw new UsageError(t(`--as-of 必须是真实的日期 YYYY-MM-DD（收到 "${asOf}"）`, `--as-of must be a real date YYYY-MM-DD (got "${asOf}")`));
  const format = stringOption(parsed, "format") ?? "table";
  const days = stringOption(parsed, "due-soon-days");
  let dueSoonDays = DEFAULT_DUE_SOON_DAYS;
  if (days !== undefined) {
    if (!/^\d{1,3}$/.test(days)) throw new UsageError(t(`--due-soon-days 必须是天数（0 到 999 的整数，收到 "${days}"）`, `--due-soon-days must be a whole number of days (got "${days}")`));
    dueSoonDays = Number(days);
  }
  const read = readJson(ctx.io, file);
  const computed = read.ok ? computeChecklistProgress(read.value, asOf, dueSoonDays) : undefined;
  if (format === "json") {
    const failure = !read.ok ? new FileIssues(inputName(file), read.message) : computed && !computed.ok ? new FileIssues(inputName(file), computed.issues) : undefined;
    const none = { checklist: null, milestones: null, deliverables: null, duties: null, rectifications: null };
    const output: ChecklistOutput = computed?.ok
      ? { ok: true, ...computed.result, errors: [] }
      : { ok: false, asOf, ...none, errors: failure ? jsonErrors(ctx.lang, [failure]) : [] };
    ctx.io.stdout(JSON.stringify(output, null, 2));
    return output.ok ? EXIT.ok : EXIT.invalid;
  }
  if (!read.ok) {
    ctx.err(read.message);
    return EXIT.invalid;
  }
  if (!computed?.ok) {
    reportIssues(ctx, inputName(file), computed?.issues ?? []);
    return EXIT.invalid;
  }
  for (const line of formatChecklistProgress(computed.result, dueSoonDays, ctx.lang)) ctx.io.stdout(line);
  return EXIT.ok;
}

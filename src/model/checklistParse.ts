import { KaoheError, toSafe, type KaoheIssue, type SafeResult } from "../internal/errors";
import { ChecklistSchema, type Checklist } from "./checklist";
import { fromZodIssues, inLanguage, type MessageOptions } from "./issues";
import { isCalendarDate } from "./primitives";
import { checkInputStructure, checkUnique, field, items, text, type Path } from "./read";
import { PARSE_OPTIONS } from "../internal/zod";

/** The Chinese label of a checklist task, e.g. `任务 1「及时调度部署」`. */
function taskLabel(task: unknown): string {
  const number = field(task, "number");
  return `任务 ${typeof number === "number" ? number : "?"}「${text(task, "title") ?? "?"}」`;
}

const LABELS: Record<string, (node: unknown) => string> = {
  tasks: taskLabel,
  deliverables: (node) => `报送材料「${text(node, "name") ?? text(node, "id") ?? "?"}」`,
  recurrences: (node) => `常态化制度「${text(node, "name") ?? text(node, "id") ?? "?"}」`,
  parties: (node) => `责任方「${text(node, "name") ?? text(node, "id") ?? "?"}」`,
  focusAreas: (node) => `重点区域「${text(node, "name") ?? "?"}」`,
  focusGroups: (node) => `重点人群「${text(node, "name") ?? "?"}」`,
  reviews: (node) => `回头看「${text(node, "subject") ?? "?"}」`,
  milestones: (node) => `节点「${text(node, "name") ?? "?"}」`,
};

/**
 * Names the items of a checklist that a path runs through, in Chinese, e.g.
 * `任务 1「及时调度部署」 › 报送材料「工作部署情况」`.
 *
 * @internal
 */
export function checklistLabel(input: unknown): (path: readonly PropertyKey[]) => string | undefined {
  return (path) => {
    let node = input;
    const labels: string[] = [];
    for (let i = 0; i < path.length; i++) {
      node = field(node, path[i] as PropertyKey);
      const parent = path[i - 1];
      const label = typeof path[i] === "number" && typeof parent === "string" ? LABELS[parent] : undefined;
      if (label) labels.push(label(node));
    }
    return labels.length > 0 ? labels.join(" › ") : undefined;
  };
}

/**
 * Checks what a checklist's shape cannot: unique ids and task numbers, referenced parties that
 * exist, and no deliverable due before the issue date. Reads the input defensively, so that it runs
 * beside the shape check and every issue is reported at once.
 *
 * @internal
 */
export function checkChecklistReferences(input: unknown): KaoheIssue[] {
  const issues: KaoheIssue[] = [];
  const parties = checkUnique(
    items(input, "parties").map(([p, i]) => ({ value: field(p, "id"), path: ["parties", i, "id"] })),
    "party id",
    issues,
  );
  const tasks = items(input, "tasks");
  checkUnique(tasks.map(([t, i]) => ({ value: field(t, "id"), path: ["tasks", i, "id"] })), "task id", issues);
  checkUnique(tasks.map(([t, i]) => ({ value: field(t, "number"), path: ["tasks", i, "number"] })), "task number", issues, "duplicate_number");
  checkUnique(items(input, "milestones").map(([m, i]) => ({ value: field(m, "id"), path: ["milestones", i, "id"] })), "milestone id", issues);
  const nested = (key: string) =>
    tasks.flatMap(([task, ti]) => items(task, key).map(([node, i]) => ({ task, node, path: ["tasks", ti, key, i] as Path })));
  const deliverables = nested("deliverables");
  const recurrences = nested("recurrences");
  checkUnique(deliverables.map(({ node, path }) => ({ value: field(node, "id"), path: [...path, "id"] })), "deliverable id", issues);
  checkUnique(recurrences.map(({ node, path }) => ({ value: field(node, "id"), path: [...path, "id"] })), "recurrence id", issues);
  checkUnique(nested("reviews").map(({ node, path }) => ({ value: field(node, "id"), path: [...path, "id"] })), "review id", issues);
  for (const [task, ti] of tasks) {
    const focus = (key: string) =>
      items(task, key).map(([node, i]) => ({ value: field(node, "id"), path: ["tasks", ti, key, i, "id"] as Path }));
    checkUnique([...focus("focusAreas"), ...focus("focusGroups")], "focus id", issues);
  }

  const unknownParty = (id: unknown, path: Path, who: string) => {
    if (typeof id === "string" && !parties.has(id)) {
      issues.push({ code: "unknown_party", path, message: `${who} names party "${id}", which the checklist's parties do not list` });
    }
  };
  for (const [task, ti] of tasks) {
    for (const [id, i] of items(task, "responsible")) unknownParty(id, ["tasks", ti, "responsible", i], taskLabel(task));
  }
  for (const { task, node, path } of recurrences) {
    for (const [id, i] of items(node, "parties")) {
      unknownParty(id, [...path, "parties", i], `${taskLabel(task)} › 常态化制度「${text(node, "name") ?? "?"}」`);
    }
  }
  const issuedOn = text(input, "issuedOn");
  for (const { task, node, path } of deliverables) {
    const who = `${taskLabel(task)} › 报送材料「${text(node, "name") ?? "?"}」`;
    unknownParty(field(node, "recipient"), [...path, "recipient"], who);
    const dueOn = text(node, "dueOn");
    if (issuedOn && dueOn && isCalendarDate(issuedOn) && isCalendarDate(dueOn) && dueOn < issuedOn) {
      issues.push({
        code: "due_before_issue",
        path: [...path, "dueOn"],
        message: `${who} is due on ${dueOn}, before the checklist was issued on ${issuedOn}`,
      });
    }
  }
  return issues;
}

/**
 * Parses and validates a work checklist (任务清单): its shape, and what the shape cannot say
 * (unique ids and task numbers, parties that exist, real dates, no deliverable due before the
 * issue date).
 *
 * @param input - A checklist, e.g. read from JSON.
 * @param options - `lang: "zh"` gives the issues' messages in Chinese.
 * @returns The typed checklist, with empty lists filled in.
 * @throws {@link KaoheError} holding every issue found, each with a code, a path and a message that
 *   names the item by its Chinese label.
 * @example
 * ```ts
 * import { parseChecklist, nearTermChecklist2025 } from "kaohe";
 * parseChecklist(nearTermChecklist2025).tasks.length; //=> 5
 * ```
 */
export function parseChecklist(input: unknown, options: MessageOptions = {}): Checklist {
  return inLanguage(options.lang, "Invalid checklist", () => {
    const result = ChecklistSchema.safeParse(input, PARSE_OPTIONS);
    const issues = checkInputStructure(input);
    if (!result.success) issues.push(...fromZodIssues(result.error.issues, checklistLabel(input)));
    issues.push(...checkChecklistReferences(input));
    if (issues.length > 0 || !result.success) throw new KaoheError(issues, "Invalid checklist");
    return result.data;
  });
}

/**
 * Like {@link parseChecklist}, but returns `{ success: true, data }` or `{ success: false, error }`
 * instead of throwing.
 *
 * @param input - A checklist, e.g. read from JSON.
 * @param options - `lang: "zh"` gives the issues' messages in Chinese.
 * @returns The typed checklist, or the error holding every issue.
 * @example
 * ```ts
 * import { safeParseChecklist } from "kaohe";
 * safeParseChecklist({ id: "x" }).success; //=> false
 * ```
 */
export function safeParseChecklist(input: unknown, options: MessageOptions = {}): SafeResult<Checklist> {
  return toSafe(parseChecklist)(input, options);
}

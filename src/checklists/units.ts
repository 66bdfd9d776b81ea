import type { KaoheIssue } from "../internal/errors";
import type { Checklist } from "../model/checklist";
import { safeParseChecklist } from "../model/checklistParse";
import { fromZodIssues } from "../model/issues";
import { checkInputStructure } from "../model/read";
import type { ChecklistUnit } from "./schemas";
import type { z } from "zod/mini";
import { PARSE_OPTIONS } from "../internal/zod";

// Validation shared by the status and recurrence functions: every input checked, every issue
// reported at once, with paths relative to the call's arguments.

/** Prefixes every issue's path. @internal */
export function prefixed(issues: readonly KaoheIssue[], prefix: readonly (string | number)[]): KaoheIssue[] {
  return issues.map((issue) => ({ ...issue, path: [...prefix, ...issue.path] }));
}

/** Runs a zod schema; returns the value or pushes the issues (prefixed) and returns `undefined`. @internal */
export function check<T>(schema: z.ZodMiniType<T>, input: unknown, prefix: (string | number)[], issues: KaoheIssue[]): T | undefined {
  const result = schema.safeParse(input, PARSE_OPTIONS);
  const structure = checkInputStructure(input, prefix);
  issues.push(...structure);
  if (result.success && structure.length === 0) return result.data;
  if (!result.success) issues.push(...prefixed(fromZodIssues(result.error.issues), prefix));
  return undefined;
}

/** Parses a checklist given to a function, reporting its issues under `checklist`. @internal */
export function checkChecklist(input: unknown, issues: KaoheIssue[]): Checklist | undefined {
  const result = safeParseChecklist(input);
  if (result.success) return result.data;
  issues.push(...prefixed(result.error.issues, ["checklist"]));
  return undefined;
}

/** Checks that unit ids are unique and that their parties exist in the checklist. @internal */
export function checkUnits(units: readonly ChecklistUnit[], checklist: Checklist | undefined, issues: KaoheIssue[]): void {
  const seen = new Set<string>();
  const parties = new Set(checklist?.parties.map((p) => p.id));
  units.forEach((unit, i) => {
    if (seen.has(unit.id)) {
      issues.push({ code: "duplicate_id", path: ["units", i, "id"], message: `unit id "${unit.id}" (${unit.name}) is given more than once` });
    }
    seen.add(unit.id);
    unit.parties?.forEach((party, j) => {
      if (checklist && !parties.has(party)) {
        issues.push({
          code: "unknown_party",
          path: ["units", i, "parties", j],
          message: `unit ${unit.name} belongs to party "${party}", which the checklist's parties do not list`,
        });
      }
    });
  });
}

/**
 * Tells whether a unit answers for something the given parties are responsible for: always when the
 * unit names no parties or the document names no responsible party.
 *
 * @internal
 */
export function unitAnswersFor(unit: ChecklistUnit, parties: readonly string[]): boolean {
  return parties.length === 0 || unit.parties === undefined || unit.parties.some((party) => parties.includes(party));
}

import type { KaoheIssue } from "../internal/errors";
import { toExact } from "../internal/decimal";
import { DECIMAL_STRING_PATTERN } from "./primitives";
import { checkInputStructure, checkUnique, field, items, text } from "./read";

function isNumberLike(value: unknown): value is number | string {
  return (
    (typeof value === "number" && Number.isFinite(value)) ||
    (typeof value === "string" && DECIMAL_STRING_PATTERN.test(value))
  );
}

/**
 * Checks what a framework's shape cannot: unique ids and codes, references to departments that
 * exist, one policy per kind, no points on the deductions indicator, grade bands strictly
 * descending, and a declared total that matches the indicators' points. It reads the input
 * defensively, so it can run beside the shape check and report everything at once.
 */
export function checkFrameworkReferences(input: unknown): KaoheIssue[] {
  const issues: KaoheIssue[] = [];
  const departmentIds = checkUnique(
    items(input, "departments").map(([d, i]) => ({ value: field(d, "id"), path: ["departments", i, "id"] })),
    "department id",
    issues,
  );
  checkUnique(
    items(input, "categories").map(([c, i]) => ({ value: field(c, "id"), path: ["categories", i, "id"] })),
    "category id",
    issues,
  );
  const indicators = items(input, "categories").flatMap(([category, ci]) =>
    items(category, "indicators").map(([indicator, ii]) => ({
      indicator,
      path: ["categories", ci, "indicators", ii] as (string | number)[],
    })),
  );
  checkUnique(indicators.map(({ indicator, path }) => ({ value: field(indicator, "id"), path: [...path, "id"] })), "indicator id", issues);
  checkUnique(
    indicators.map(({ indicator, path }) => ({ value: field(indicator, "code"), path: [...path, "code"] })),
    "indicator code",
    issues,
    "duplicate_code",
  );
  checkUnique(
    items(input, "deductionClauses").map(([d, i]) => ({ value: field(d, "id"), path: ["deductionClauses", i, "id"] })),
    "deduction clause id",
    issues,
  );
  checkUnique(
    items(input, "policies").map(([p, i]) => ({ value: field(p, "id"), path: ["policies", i, "id"] })),
    "policy id",
    issues,
  );
  checkUnique(
    items(input, "policies").map(([p, i]) => ({ value: field(p, "kind"), path: ["policies", i, "kind"] })),
    "policy kind",
    issues,
    "duplicate_policy",
  );

  let total = toExact(0);
  let allPointed = true;
  for (const { indicator, path } of indicators) {
    const label = `indicator ${text(indicator, "code") ?? "?"}「${text(indicator, "name") ?? "?"}」`;
    for (const [department, di] of items(indicator, "departments")) {
      if (typeof department === "string" && !departmentIds.has(department)) {
        issues.push({
          code: "unknown_department",
          path: [...path, "departments", di],
          message: `${label} refers to department "${department}", which the framework's departments do not list`,
        });
      }
    }
    const points = field(indicator, "points");
    const method = text(field(indicator, "scoring"), "method");
    if (method === "deductions" && points !== undefined) {
      issues.push({
        code: "points_on_deductions_indicator",
        path: [...path, "points"],
        message: `${label} is scored through the deduction clauses and cannot have points of its own`,
      });
    } else if (method !== "deductions") {
      if (isNumberLike(points)) total = total.plus(toExact(points));
      else allPointed = false;
    }
  }

  const declared = field(input, "totalPoints");
  if (allPointed && isNumberLike(declared) && !toExact(declared).equals(total)) {
    issues.push({
      code: "total_mismatch",
      path: ["totalPoints"],
      message: `the declared total ${declared} differs from the sum of the indicators' points, ${total.toFixed()}`,
    });
  }
  issues.push(...checkGradeBands(field(input, "grades"), ["grades"]));
  return issues;
}

/** Checks that grade bands have unique names and strictly descending minimums. */
export function checkGradeBands(grades: unknown, path: (string | number)[]): KaoheIssue[] {
  const issues: KaoheIssue[] = [];
  if (!Array.isArray(grades)) return issues;
  checkUnique(
    grades.map((band, i) => ({ value: field(band, "grade"), path: [...path, i, "grade"] })),
    "grade",
    issues,
    "duplicate_grade",
  );
  for (let i = 1; i < grades.length; i++) {
    const previous = field(grades[i - 1], "min");
    const current = field(grades[i], "min");
    if (isNumberLike(previous) && isNumberLike(current) && !toExact(current).lessThan(toExact(previous))) {
      issues.push({
        code: "grades_not_descending",
        path: [...path, i, "min"],
        message: `grade "${text(grades[i], "grade") ?? "?"}" has minimum ${current}, which must be below the previous band's ${previous}`,
      });
    }
  }
  return issues;
}

/** Checks that every key task links indicators that exist in the framework, and has a unique id. */
export function checkKeyTaskReferences(input: unknown, indicatorIds: ReadonlySet<string>): KaoheIssue[] {
  const issues: KaoheIssue[] = [];
  const tasks = Array.isArray(input) ? input : [];
  checkUnique(tasks.map((t, i) => ({ value: field(t, "id"), path: [i, "id"] })), "key task id", issues);
  checkUnique(tasks.map((t, i) => ({ value: field(t, "number"), path: [i, "number"] })), "key task number", issues);
  tasks.forEach((task, ti) => {
    for (const [id, li] of items(task, "indicatorIds")) {
      if (typeof id === "string" && !indicatorIds.has(id)) {
        issues.push({
          code: "unknown_indicator",
          path: [ti, "indicatorIds", li],
          message: `key task ${field(task, "number") ?? ti + 1}「${text(task, "title") ?? "?"}」 links indicator "${id}", which the framework does not have`,
        });
      }
    }
  });
  return issues;
}

/**
 * Reports every own `__proto__`, `constructor` or `prototype` key in a JSON-like input, and nesting
 * too deep to walk safely (see {@link checkInputStructure}, which this is).
 */
export function checkForbiddenKeys(input: unknown, path: (string | number)[] = []): KaoheIssue[] {
  return checkInputStructure(input, path);
}

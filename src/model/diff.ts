import type { Category, Framework, Indicator } from "./framework";
import type { NumberInput } from "./primitives";
import { diffText, type TextDiffPart } from "./text-diff";

/** How an indicator of one framework was matched to one of the other. */
export type IndicatorMatch = "id" | "code_and_name" | "name" | "code";

/** An indicator as the diff shows it: id, code, name and its category. */
export interface IndicatorSide {
  /** The indicator's id. */
  readonly id: string;
  /** The indicator's number in its document. */
  readonly code: string;
  /** The indicator's name. */
  readonly name: string;
  /** The category that holds it. */
  readonly category: {
    /** The category's numeral. */
    readonly code: string;
    /** The category's name. */
    readonly name: string;
  };
}

/** What changed in one indicator matched between the two frameworks. */
export interface IndicatorDiff {
  /** Whether the indicator is in both frameworks (`changed`), only in `to` (`added`) or only in `from` (`removed`). */
  readonly kind: "changed" | "added" | "removed";
  /** How it was matched (for `changed`). */
  readonly match?: IndicatorMatch;
  /** The indicator in the first framework (for `changed` and `removed`). */
  readonly from?: IndicatorSide;
  /** The indicator in the second framework (for `changed` and `added`). */
  readonly to?: IndicatorSide;
  /** Its name changed. */
  readonly renamed?: boolean;
  /** Its number (code) changed. */
  readonly renumbered?: boolean;
  /** Its id changed (it was matched otherwise). */
  readonly idChanged?: boolean;
  /** Moved to another category (compared by the category's code and name). */
  readonly moved?: boolean;
  /** The content's text diff, when the content changed. */
  readonly content?: readonly TextDiffPart[];
  /** Its points, before and after, when they changed (absent where it has none). */
  readonly points?: {
    /** The points in the first framework. */
    readonly from?: NumberInput;
    /** The points in the second framework. */
    readonly to?: NumberInput;
  };
  /** Its scoring method, before and after, when it changed. */
  readonly method?: {
    /** The method in the first framework. */
    readonly from: string;
    /** The method in the second framework. */
    readonly to: string;
  };
  /** Whether the on-site assessment is a data source, before and after, when it changed. */
  readonly onSite?: {
    /** In the first framework. */
    readonly from: boolean;
    /** In the second framework. */
    readonly to: boolean;
  };
  /** Data sources by department name. */
  readonly departments?: {
    /** The departments named only by the second framework. */
    readonly added: readonly string[];
    /** The departments named only by the first framework. */
    readonly removed: readonly string[];
  };
}

/** What changed in a deduction clause, matched by id, then by text. */
export interface ClauseDiff {
  /** Whether the clause is in both frameworks (`changed`), only in `to` (`added`) or only in `from` (`removed`). */
  readonly kind: "changed" | "added" | "removed";
  /** How it was matched (for `changed`): by id, or by its text. */
  readonly match?: "id" | "text";
  /** The clause in the first framework (for `changed` and `removed`). */
  readonly from?: {
    /** Its id. */
    readonly id: string;
    /** Its condition. */
    readonly text: string;
    /** Its points per item. */
    readonly points: NumberInput;
  };
  /** The clause in the second framework (for `changed` and `added`). */
  readonly to?: {
    /** Its id. */
    readonly id: string;
    /** Its condition. */
    readonly text: string;
    /** Its points per item. */
    readonly points: NumberInput;
  };
  /** The points per item changed (re-pointed). */
  readonly repointed?: boolean;
  /** The condition's text diff, when the text changed. */
  readonly text?: readonly TextDiffPart[];
}

/** What changed in a policy, matched by kind. */
export interface PolicyDiff {
  /** Whether the policy's text changed, or it is only in `to` (`added`) or only in `from` (`removed`). */
  readonly kind: "changed" | "added" | "removed";
  /** The policy's kind, e.g. `same_matter_highest`. */
  readonly policy: string;
  /** Its text in the first framework. */
  readonly from?: string;
  /** Its text in the second framework. */
  readonly to?: string;
}

/** A field of the framework itself that changed. */
export interface FieldDiff {
  /** The field. */
  readonly field: "title" | "year" | "level" | "region" | "totalPoints" | "grades" | "precision";
  /** Its value in the first framework. */
  readonly from: unknown;
  /** Its value in the second framework. */
  readonly to: unknown;
}

/** The differences between two frameworks, as data. */
export interface FrameworkDiff {
  /** The first framework. */
  readonly from: {
    /** Its id. */
    readonly id: string;
    /** Its year. */
    readonly year: number;
    /** Its title. */
    readonly title: string;
  };
  /** The second framework. */
  readonly to: {
    /** Its id. */
    readonly id: string;
    /** Its year. */
    readonly year: number;
    /** Its title. */
    readonly title: string;
  };
  /** The framework's own fields that changed. */
  readonly fields: readonly FieldDiff[];
  /** Changed, added and removed indicators; unchanged ones are left out. */
  readonly indicators: readonly IndicatorDiff[];
  /** How every indicator of `to` that exists in `from` was matched, by `to`'s id. */
  readonly matches: Readonly<Record<string, {
    /** The id of the matched indicator in `from`. */
    readonly fromId: string;
    /** How it was matched. */
    readonly match: IndicatorMatch;
  }>>;
  /** Changed, added and removed deduction clauses. */
  readonly clauses: readonly ClauseDiff[];
  /** Changed, added and removed policies. */
  readonly policies: readonly PolicyDiff[];
  /** Whether nothing differs. */
  readonly same: boolean;
}

interface Placed {
  readonly indicator: Indicator;
  readonly category: Category;
}

const placed = (f: Framework): Placed[] => f.categories.flatMap((category) => category.indicators.map((indicator) => ({ indicator, category })));
const side = ({ indicator, category }: Placed): IndicatorSide => ({
  id: indicator.id,
  code: indicator.code,
  name: indicator.name,
  category: { code: category.code, name: category.name },
});

/**
 * Compares two frameworks (two years, or a base and what derives from it): indicators added,
 * removed, renamed, renumbered or moved between categories, content changed (with a text diff),
 * points, scoring methods and data sources changed; deduction clauses added, removed or
 * re-pointed; policies and the framework's own fields changed. Indicators are matched by id, then
 * by code and name, then by name, then by code, and each match says how it was made.
 *
 * @param a - The earlier framework.
 * @param b - The later framework.
 * @returns The differences as data; `same` when there are none.
 * @example
 * ```ts
 * import { jiangxi2025 } from "kaohe";
 * import { deriveFramework, diffFrameworks } from "kaohe/authoring";
 * const next = deriveFramework(jiangxi2025, { id: "jiangxi2026", year: 2026, indicators: { i12: { name: "群众认可度" } } });
 * const diff = diffFrameworks(jiangxi2025, next);
 * diff.indicators.map((d) => [d.kind, d.match, d.renamed]); //=> [["changed", "id", true]]
 * ```
 */
export function diffFrameworks(a: Framework, b: Framework): FrameworkDiff {
  const left = placed(a);
  const right = placed(b);
  const pairs = new Map<Placed, { other: Placed; match: IndicatorMatch }>();
  const taken = new Set<Placed>();
  const tests: [IndicatorMatch, (x: Indicator, y: Indicator) => boolean][] = [
    ["id", (x, y) => x.id === y.id],
    ["code_and_name", (x, y) => x.code === y.code && x.name === y.name],
    ["name", (x, y) => x.name === y.name],
    ["code", (x, y) => x.code === y.code],
  ];
  for (const [match, test] of tests) {
    for (const r of right) {
      if (pairs.has(r)) continue;
      const l = left.find((candidate) => !taken.has(candidate) && test(candidate.indicator, r.indicator));
      if (!l) continue;
      pairs.set(r, { other: l, match });
      taken.add(l);
    }
  }
  const name = (f: Framework, id: string) => f.departments.find((d) => d.id === id)?.name ?? id;
  const indicators: IndicatorDiff[] = [];
  const matches: Record<string, { fromId: string; match: IndicatorMatch }> = {};
  for (const r of right) {
    const pair = pairs.get(r);
    if (!pair) {
      indicators.push({ kind: "added", to: side(r) });
      continue;
    }
    matches[r.indicator.id] = { fromId: pair.other.indicator.id, match: pair.match };
    const x = pair.other.indicator;
    const y = r.indicator;
    const fromNames = x.departments.map((id) => name(a, id));
    const toNames = y.departments.map((id) => name(b, id));
    const added = toNames.filter((n) => !fromNames.includes(n));
    const removed = fromNames.filter((n) => !toNames.includes(n));
    const entry: IndicatorDiff = {
      kind: "changed",
      match: pair.match,
      from: side(pair.other),
      to: side(r),
      ...(x.name !== y.name ? { renamed: true } : {}),
      ...(x.code !== y.code ? { renumbered: true } : {}),
      ...(x.id !== y.id ? { idChanged: true } : {}),
      ...(pair.other.category.code !== r.category.code || pair.other.category.name !== r.category.name ? { moved: true } : {}),
      ...(x.content !== y.content ? { content: diffText(x.content, y.content) } : {}),
      ...(String(x.points ?? "") !== String(y.points ?? "") ? { points: { ...(x.points !== undefined ? { from: x.points } : {}), ...(y.points !== undefined ? { to: y.points } : {}) } } : {}),
      ...(x.scoring.method !== y.scoring.method ? { method: { from: x.scoring.method, to: y.scoring.method } } : {}),
      ...(x.onSite !== y.onSite ? { onSite: { from: x.onSite, to: y.onSite } } : {}),
      ...(added.length > 0 || removed.length > 0 ? { departments: { added, removed } } : {}),
    };
    if (Object.keys(entry).length > 4) indicators.push(entry);
  }
  for (const l of left) if (!taken.has(l)) indicators.push({ kind: "removed", from: side(l) });

  const fields: FieldDiff[] = [];
  for (const field of ["title", "year", "level", "region", "totalPoints", "grades", "precision"] as const) {
    if (JSON.stringify(a[field] ?? null) !== JSON.stringify(b[field] ?? null)) fields.push({ field, from: a[field], to: b[field] });
  }
  const clauses = diffClauses(a, b);
  const policies = diffPolicies(a, b);
  return {
    from: { id: a.id, year: a.year, title: a.title },
    to: { id: b.id, year: b.year, title: b.title },
    fields,
    indicators,
    matches,
    clauses,
    policies,
    same: fields.length === 0 && indicators.length === 0 && clauses.length === 0 && policies.length === 0,
  };
}

function diffClauses(a: Framework, b: Framework): ClauseDiff[] {
  const out: ClauseDiff[] = [];
  const taken = new Set<string>();
  const pick = (c: Framework["deductionClauses"][number]) => ({ id: c.id, text: c.text, points: c.points });
  for (const y of b.deductionClauses) {
    const byId = a.deductionClauses.find((x) => x.id === y.id && !taken.has(x.id));
    const x = byId ?? a.deductionClauses.find((c) => c.text === y.text && !taken.has(c.id));
    if (!x) {
      out.push({ kind: "added", to: pick(y) });
      continue;
    }
    taken.add(x.id);
    const repointed = String(x.points) !== String(y.points);
    if (repointed || x.text !== y.text || x.id !== y.id) {
      out.push({ kind: "changed", match: byId ? "id" : "text", from: pick(x), to: pick(y), ...(repointed ? { repointed } : {}), ...(x.text !== y.text ? { text: diffText(x.text, y.text) } : {}) });
    }
  }
  for (const x of a.deductionClauses) if (!taken.has(x.id)) out.push({ kind: "removed", from: pick(x) });
  return out;
}

function diffPolicies(a: Framework, b: Framework): PolicyDiff[] {
  const out: PolicyDiff[] = [];
  for (const kind of ["same_matter_highest", "severe_case"] as const) {
    const x = a.policies.find((p) => p.kind === kind);
    const y = b.policies.find((p) => p.kind === kind);
    if (x && !y) out.push({ kind: "removed", policy: kind, from: x.text });
    else if (!x && y) out.push({ kind: "added", policy: kind, to: y.text });
    else if (x && y && x.text !== y.text) out.push({ kind: "changed", policy: kind, from: x.text, to: y.text });
  }
  return out;
}

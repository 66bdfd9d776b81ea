import type { Finding } from "./evaluate";
import type { DataQualityFinding } from "./records";
import type { Severity } from "./schema";

/** Counts of one group: findings, rules that could not be decided, and data-quality findings. */
export interface FindingCounts {
  /** Findings: records for which a rule holds. */
  readonly findings: number;
  /** Rules that could not be decided for a record. */
  readonly ruleFailures: number;
  /** Data-quality findings. */
  readonly dataQuality: number;
}

/** Findings per rule, village and township (the summary table of a screening run). */
export interface FindingSummary extends FindingCounts {
  /** Per rule: in the order of `options.rules` when given (rules without findings included), else by code. */
  readonly byRule: readonly (Omit<FindingCounts, "dataQuality"> & {
    /** The rule's code. */
    readonly code: string;
    /** The rule's title. */
    readonly title: string;
    /** The rule's severity. */
    readonly severity: Severity;
  })[];
  /** Per township (乡), by county then township in code-point order. */
  readonly byTownship: readonly (FindingCounts & {
    /** The county (县). */
    readonly county: string;
    /** The township (乡镇). */
    readonly township: string;
  })[];
  /** Per village (村), by county, township, then village in code-point order. */
  readonly byVillage: readonly (FindingCounts & {
    /** The county (县). */
    readonly county: string;
    /** The township (乡镇). */
    readonly township: string;
    /** The village (村). */
    readonly village: string;
  })[];
}

/** Options of {@link summarizeFindings}. */
export interface SummarizeFindingsOptions {
  /** The rulebook's rules: the summary then lists every rule, in rulebook order, also those with no finding. */
  readonly rules?: readonly {
    /** The rule's code. */
    readonly code: string;
    /** The rule's title. */
    readonly title: string;
    /** The rule's severity. */
    readonly severity: Severity;
  }[];
}

interface Counter {
  findings: number;
  ruleFailures: number;
  dataQuality: number;
}

const SEP = "\u0000";

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Adds findings one at a time into a {@link FindingSummary}, in memory proportional to the number
 * of rules and villages (never to the number of findings), for streams of any length.
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { FindingTally, screenRecordStream } from "kaohe";
 * const rulebook = JSON.parse(readFileSync("examples/screening/rulebook.json", "utf8"));
 * const person = (township: string, village: string, householdId: string, over: Record<string, string>) => ({
 *   county: "示例县", township, village, householdId, riskStatus: "未消除", perCapitaIncome: "9000",
 *   measures: "产业帮扶", householdSize: "1", personId: `${householdId}-1`, age: "40",
 *   labourAbility: "普通劳动力", employed: "是", insured: "是", ...over,
 * });
 * const rows = [
 *   person("甲乡", "一村", "H1", { insured: "否" }),                     // SC13
 *   person("甲乡", "二村", "H2", { insured: "否" }),                     // SC13
 *   person("乙乡", "三村", "H3", { riskStatus: "已消除", housingSafe: "否" }), // SC04
 * ];
 * const tally = new FindingTally({ rules: rulebook.rules });
 * for await (const item of screenRecordStream(rows, rulebook)) if (item.kind !== "rejected") tally.add(item);
 * const summary = tally.summary();
 * summary.findings; //=> 3
 * summary.byRule.length; //=> 14
 * summary.byRule.filter((r) => r.findings > 0).map((r) => [r.code, r.findings]); //=> [["SC04", 1], ["SC13", 2]]
 * ```
 */
export class FindingTally {
  private readonly total: Counter = { findings: 0, ruleFailures: 0, dataQuality: 0 };
  private readonly rules = new Map<string, Omit<Counter, "dataQuality"> & { title: string; severity: Severity }>();
  private readonly townships = new Map<string, Counter>();
  private readonly villages = new Map<string, Counter>();
  private readonly listed: boolean;

  /**
   * Starts an empty tally.
   *
   * @param options - The rulebook's rules, to list every rule in order.
   */
  constructor(options: SummarizeFindingsOptions = {}) {
    this.listed = options.rules !== undefined;
    for (const rule of options.rules ?? []) this.rules.set(rule.code, { findings: 0, ruleFailures: 0, title: rule.title, severity: rule.severity });
  }

  /**
   * Counts one finding, undecided rule or data-quality finding.
   *
   * @param finding - The finding.
   */
  add(finding: Finding | DataQualityFinding): void {
    if (finding.kind === "data_quality") {
      this.total.dataQuality++;
      const { county, township, village } = finding.unit;
      bump(this.townships, county + SEP + township).dataQuality++;
      bump(this.villages, county + SEP + township + SEP + village).dataQuality++;
      return;
    }
    const key = finding.kind === "finding" ? "findings" : "ruleFailures";
    this.total[key]++;
    let rule = this.rules.get(finding.code);
    if (!rule) {
      rule = { findings: 0, ruleFailures: 0, title: finding.title, severity: finding.severity };
      this.rules.set(finding.code, rule);
    }
    rule[key]++;
    const { county, township, village } = finding.unit;
    bump(this.townships, county + SEP + township)[key]++;
    bump(this.villages, county + SEP + township + SEP + village)[key]++;
  }

  /**
   * The summary of the findings added so far.
   *
   * @returns Totals, and counts per rule, township and village.
   */
  summary(): FindingSummary {
    const rules = [...this.rules.entries()].map(([code, c]) => ({ code, title: c.title, severity: c.severity, findings: c.findings, ruleFailures: c.ruleFailures }));
    if (!this.listed) rules.sort((a, b) => byCodePoint(a.code, b.code));
    const sorted = (map: Map<string, Counter>) => [...map.entries()].sort(([a], [b]) => byCodePoint(a, b));
    return {
      ...this.total,
      byRule: rules,
      byTownship: sorted(this.townships).map(([key, c]) => {
        const [county = "", township = ""] = key.split(SEP);
        return { county, township, findings: c.findings, ruleFailures: c.ruleFailures, dataQuality: c.dataQuality };
      }),
      byVillage: sorted(this.villages).map(([key, c]) => {
        const [county = "", township = "", village = ""] = key.split(SEP);
        return { county, township, village, findings: c.findings, ruleFailures: c.ruleFailures, dataQuality: c.dataQuality };
      }),
    };
  }
}

function bump(map: Map<string, Counter>, key: string): Counter {
  let counter = map.get(key);
  if (!counter) {
    counter = { findings: 0, ruleFailures: 0, dataQuality: 0 };
    map.set(key, counter);
  }
  return counter;
}

/**
 * Counts findings per rule, township (乡) and village (村). The result depends only on the
 * findings, not on their order.
 *
 * @param findings - Findings, e.g. `screenRecords(…).findings`.
 * @param options - The rulebook's rules, to list every rule in rulebook order.
 * @returns Totals and counts per rule, township and village.
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { screenRecords, summarizeFindings } from "kaohe";
 * const rulebook = JSON.parse(readFileSync("examples/screening/rulebook.json", "utf8"));
 * const person = (township: string, village: string, householdId: string, over: Record<string, string>) => ({
 *   county: "示例县", township, village, householdId, riskStatus: "未消除", perCapitaIncome: "9000",
 *   measures: "产业帮扶", householdSize: "1", personId: `${householdId}-1`, age: "40",
 *   labourAbility: "普通劳动力", employed: "是", insured: "是", ...over,
 * });
 * const rows = [
 *   person("甲乡", "一村", "H1", { insured: "否" }),                     // SC13
 *   person("甲乡", "二村", "H2", { insured: "否" }),                     // SC13
 *   person("乙乡", "三村", "H3", { riskStatus: "已消除", housingSafe: "否" }), // SC04
 * ];
 * const { findings } = screenRecords(rows, rulebook);
 * summarizeFindings(findings).byTownship;
 * //=> [{ county: "示例县", township: "乙乡", findings: 1, ruleFailures: 0, dataQuality: 0 }, { county: "示例县", township: "甲乡", findings: 2, ruleFailures: 0, dataQuality: 0 }]
 * summarizeFindings(findings).byRule.map((r) => [r.code, r.findings]); //=> [["SC04", 1], ["SC13", 2]]
 * ```
 */
export function summarizeFindings(findings: Iterable<Finding | DataQualityFinding>, options: SummarizeFindingsOptions = {}): FindingSummary {
  const tally = new FindingTally(options);
  for (const finding of findings) tally.add(finding);
  return tally.summary();
}

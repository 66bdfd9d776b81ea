import type { FindingSummary } from "../screening/summary";
import { severityLabel, type Lang } from "./lang";
import { renderTable } from "./table";

/** The summary's two finding tables, per rule and per township, as one- and multi-table screenings print them. */
export function findingTables(lang: Lang, summary: FindingSummary): string[] {
  const n = (value: number) => value.toLocaleString("en-US");
  const h = (zh: string, en: string) => (lang === "en" ? en : zh);
  return [
    ...renderTable(
      [{ heading: h("规则", "rule") }, { heading: h("严重程度", "severity") }, { heading: h("名称", "title") }, { heading: h("问题线索", "findings"), align: "right" }, { heading: h("未判定", "failed"), align: "right" }],
      summary.byRule.map((rule) => [rule.code, severityLabel(lang, rule.severity), rule.title, n(rule.findings), n(rule.ruleFailures)]),
    ),
    "",
    ...renderTable(
      [{ heading: "县" }, { heading: "乡" }, { heading: h("问题线索", "findings"), align: "right" }, { heading: h("未判定", "failed"), align: "right" }],
      summary.byTownship.map((tw) => [tw.county, tw.township, n(tw.findings), n(tw.ruleFailures)]),
    ),
  ];
}

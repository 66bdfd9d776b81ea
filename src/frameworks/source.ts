import type { SourceRef } from "../model/primitives";

/** The title of the source document of the 2025 embedded data. */
export const SOURCE_DOCUMENT_2025 = "近期巩固拓展脱贫攻坚成果重点工作任务清单";

/** The parts of the 2025 source document, as SourceRef `part` values. */
export const PARTS_2025 = {
  body: "正文",
  keyTasks: "附件1 巩固拓展脱贫攻坚成果重点工作任务",
  indicators: "附件2 2025年度巩固拓展脱贫攻坚成果考核指标体系",
} as const;

/** A source reference into the 2025 source document. */
export function ref2025(part: keyof typeof PARTS_2025, item: string): SourceRef {
  return { document: SOURCE_DOCUMENT_2025, part: PARTS_2025[part], item };
}

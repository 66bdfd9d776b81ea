import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { nearTermChecklist2025 } from "../../src/frameworks/nearTermChecklist2025";
import { parseChecklist } from "../../src/model/checklistParse";

/** The transcription's header and Part A: the text every clause of the checklist must quote. */
const transcription = readFileSync(new URL("../fixtures/seed/TRANSCRIPTION.md", import.meta.url), "utf8");
const partA = transcription.slice(0, transcription.indexOf("## Part B"));
/** Part A's table rows by task number, cell by cell. */
const rows = new Map(
  partA
    .split("\n")
    .filter((line) => /^\| \d \|/.test(line))
    .map((line) => line.split("|").slice(1, -1).map((cell) => cell.trim()))
    .map((cells) => [Number(cells[0]), cells] as const),
);
const tasks = nearTermChecklist2025.tasks;

describe("nearTermChecklist2025", () => {
  it("parses as a valid checklist, unchanged", () => {
    expect(parseChecklist(nearTermChecklist2025)).toEqual(nearTermChecklist2025);
  });

  it("was issued on 2025-10-28 under the document's title", () => {
    expect(nearTermChecklist2025.issuedOn).toBe("2025-10-28");
    expect(partA).toContain(`Document: ${nearTermChecklist2025.title} (a county-level notice), dated 2025-10-28.`);
  });

  it("has the five tasks of Part A, numbered 1 to 5, with their titles", () => {
    expect(tasks.map((t) => t.number)).toEqual([1, 2, 3, 4, 5]);
    expect(tasks.map((t) => t.title)).toEqual(tasks.map((t) => rows.get(t.number)?.[1]));
  });

  it.each(tasks)("quotes task $number's content word for word", (task) => {
    expect(task.content).toBe(rows.get(task.number)?.[3]);
  });

  it.each(tasks)("gives task $number the source 正文 第$number项", (task) => {
    expect(task.source).toEqual({ document: "近期巩固拓展脱贫攻坚成果重点工作任务清单", part: "正文", item: `第${task.number}项` });
  });

  it("names the responsible parties of the Who column, and none where it names none", () => {
    const names = (ids: readonly string[]) => ids.map((id) => nearTermChecklist2025.parties.find((p) => p.id === id)?.name);
    for (const task of tasks) {
      const who = rows.get(task.number)?.[2] ?? "";
      if (who === "(not named)") expect(task.responsible).toEqual([]);
      else for (const name of names(task.responsible)) expect(who).toContain(name);
    }
  });

  it("has the two deliverables due 2025-10-31 and 2025-11-05 to 县农业农村局, quoting the deadline cells", () => {
    const deliverables = tasks.flatMap((t) => t.deliverables.map((d) => ({ task: t.number, ...d })));
    expect(deliverables.map((d) => [d.task, d.name, d.dueOn, d.recipient])).toEqual([
      [1, "工作部署情况", "2025-10-31", "county-agriculture-bureau"],
      [3, "总结材料", "2025-11-05", "county-agriculture-bureau"],
    ]);
    for (const d of deliverables) expect(d.text).toBe(rows.get(d.task)?.[4]);
    expect(nearTermChecklist2025.parties.find((p) => p.id === "county-agriculture-bureau")?.name).toBe("县农业农村局");
  });

  it("has the weekly 周三帮扶日 of task 2 on Wednesdays", () => {
    expect(tasks.flatMap((t) => t.recurrences.map((r) => [t.number, r.name, r.frequency, r.weekday]))).toEqual([[2, "周三帮扶日", "weekly", 3]]);
  });

  it("has the six focus areas and three focus groups of task 4, in the document's order", () => {
    const task4 = tasks[3];
    const content = rows.get(4)?.[3] ?? "";
    expect(task4?.focusAreas.map((f) => f.name).join("、")).toBe(/重点区域：(.*?)。/.exec(content)?.[1]);
    expect(task4?.focusGroups.map((f) => f.name).join("、")).toBe(/重点人群：(.*?)。/.exec(content)?.[1]);
  });

  it("reviews the 2024 national and provincial feedback in task 5, with the three reasons for 回炉", () => {
    expect(tasks[4]?.reviews).toEqual([
      { id: "t5-feedback-2024", subject: "2024 年度国家及省级考核反馈问题", year: 2024, sendBackReasons: ["整改不彻底", "成效不明显", "举一反三不到位"] },
    ]);
  });

  it("starts the provincial assessment in November and the national one in December", () => {
    expect(nearTermChecklist2025.milestones.map((m) => [m.name, m.month])).toEqual([
      ["省级考核", "2025-11"],
      ["国家巩固拓展脱贫攻坚成果考核", "2025-12"],
    ]);
    expect(partA).toContain("national assessment (国家巩固拓展脱贫攻坚成果考核) starts in December");
    expect(partA).toContain("provincial\nassessment (省级考核) starts in November");
  });

  it("quotes every text of the data word for word from the transcription", () => {
    const texts: string[] = [];
    const walk = (value: unknown, key: string): void => {
      if (typeof value === "string") {
        if (/[\u4e00-\u9fff]/.test(value) && key !== "document") texts.push(value);
      } else if (Array.isArray(value)) value.forEach((v) => walk(v, key));
      else if (typeof value === "object" && value !== null) for (const [k, v] of Object.entries(value)) if (k !== "source") walk(v, k);
    };
    walk(nearTermChecklist2025, "");
    expect(texts.length).toBeGreaterThan(30);
    for (const text of texts) expect(partA, text).toContain(text);
  });
});

import { describe, expect, it } from "vitest";
import { IdSchema } from "../../src/model/primitives";
import { checklistStatus, localizeIssues, nearTermChecklist2025, safeParseChecklist, safeParseFramework } from "../../src/index";

describe("IdSchema", () => {
  it.each(["乡镇A", "青山镇", "360702", "town-01", "i1", "县人社局", "Ünterdorf.2"])("accepts the id %s", (id) => {
    expect(IdSchema.safeParse(id).success).toBe(true);
  });

  it.each(["", " ", "青山 镇", " 青山镇", "__proto__", "-x", ".x", "a/b"])("refuses the id %j", (id) => {
    expect(IdSchema.safeParse(id).success).toBe(false);
  });

  it("lets checklistStatus take a unit named 乡镇A and one named by its division code", () => {
    const report = checklistStatus(nearTermChecklist2025, [{ unit: "乡镇A", deliverable: "t1-deployment", submittedOn: "2025-10-29" }], {
      asOf: "2025-11-01",
      units: [{ id: "乡镇A", name: "乡镇A" }, { id: "360702", name: "章贡区" }],
    });
    expect(report.byUnit.map((u) => u.unit)).toEqual(["乡镇A", "360702"]);
  });
});

describe("issue messages", () => {
  it("names a missing field by its Chinese label instead of passing zod's message on", () => {
    const result = safeParseFramework({ id: "x", categories: [] }, { lang: "zh" });
    expect(result.success).toBe(false);
    if (result.success) return;
    const messages = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(messages).toContain("title: 缺少标题，必须填写（应为文字）");
    expect(messages).toContain("categories: 类别：至少要有一个类别（收到一个列表）");
    expect(result.error.message).toContain("缺少标题");
    expect(messages.join("\n")).not.toMatch(/Invalid input|expected string/);
  });

  it("keeps English by default, also rewritten from zod's", () => {
    const result = safeParseFramework({ id: "x", categories: [] });
    if (result.success) throw new Error("should fail");
    expect(result.error.issues.find((i) => i.path[0] === "title")?.message).toBe("is required (a text)");
  });

  it("gives the checklist's issues in Chinese on request, with the same codes and paths", () => {
    const en = safeParseChecklist({ id: "x" });
    const zh = safeParseChecklist({ id: "x" }, { lang: "zh" });
    if (en.success || zh.success) throw new Error("should fail");
    expect(zh.error.issues.map((i) => [i.code, i.path])).toEqual(en.error.issues.map((i) => [i.code, i.path]));
    expect(zh.error.issues.every((i) => /[\u4e00-\u9fff]/.test(i.message))).toBe(true);
  });

  it("localizeIssues leaves an issue without Chinese text as it is", () => {
    expect(localizeIssues([{ code: "x", path: [], message: "only English" }], "zh")[0]?.message).toBe("only English");
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
const blocks = (text: string) => [...text.matchAll(/```(ts|sh)\n([\s\S]*?)```/g)].map((m) => m[0]);

describe("docs/zh/frameworks.md", () => {
  it("shows the same examples as docs/frameworks.md, which the docs test executes", () => {
    const en = blocks(read("docs/frameworks.md"));
    expect(en.filter((b) => b.startsWith("```ts"))).toHaveLength(6);
    expect(blocks(read("docs/zh/frameworks.md"))).toEqual(en);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matterKey, safeScoreAssessment, scoreAssessment, type AssessmentInput } from "../../src/index";
import { exampleFramework } from "../helpers";

/*
 * "同一事项按就高原则计算，不重复扣分" when clerks type the same matter twice (issue 16, "Same words,
 * same matter"): names are compared after NFKC and white space collapsed and trimmed.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const framework = exampleFramework();

function fullMarks(deductions: Json[], severe?: Json): AssessmentInput {
  const indicators: Json = {};
  for (const i of framework.categories.flatMap((c) => c.indicators)) {
    if (i.scoring.method === "manual") indicators[i.id] = { score: i.points };
  }
  indicators.i9 = { findings: [] };
  indicators.i10 = { facts: { wholeTownshipOrVillageRisk: false } };
  indicators.i11 = { facts: { growth: 7, provinceGrowth: 6.5, nationalGrowth: 6.6 } };
  return { unit: { id: "c", name: "某市" }, indicators, deductions, ...(severe ? { severe } : {}) } as unknown as AssessmentInput;
}

/** Pairs of spellings a clerk may type for one matter, as the issue lists them. */
const SAME: readonly (readonly [string, string, string])[] = [
  ["a trailing space", "媒体曝光", "媒体曝光 "],
  ["a leading ideographic space (U+3000)", "媒体曝光", "\u3000媒体曝光"],
  ["a no-break space", "媒体 曝光", "媒体\u00A0曝光"],
  ["a zero-width space", "媒体曝光", "媒体\u200B曝光"],
  ["a byte-order mark", "媒体曝光", "\uFEFF媒体曝光"],
  ["full-width digits", "2025年问题", "２０２５年问题"],
  ["a compatibility ideograph (U+F9D0)", "\u985E似问题", "\uF9D0似问题"],
  ["NFD accents", "Café问题", "Cafe\u0301问题"],
  ["runs of white space and a line break", "媒体 曝光", " 媒体 \t\n 曝光 "],
];

describe("deductions of one matter however it is typed", () => {
  for (const [what, a, b] of SAME) {
    it(`counts one matter when the names differ by ${what}`, () => {
      const result = scoreAssessment(framework, fullMarks([{ matter: a, clause: "13d" }, { matter: b, clause: "13a" }]));
      expect(result.deductions.matters).toHaveLength(1);
      expect(result.deductions.total).toBe("1");
      expect(result.total).toBe("99.00");
      const matter = result.deductions.matters[0];
      // Shown as written: the first spelling in code-point order, superseded clause listed.
      expect(matter?.matter).toBe([a, b].sort()[0] === a ? a : b);
      expect([a, b]).toContain(matter?.matter);
      expect(matter?.superseded.map((c) => c.id)).toEqual(["13d"]);
      expect(result.trace.find((t) => t.kind === "deduction")?.message).toContain("同一事项亦写作");
    });
  }

  it("groups 20,000 events of one matter into one deduction at its highest clause", () => {
    const clauses = framework.deductionClauses.map((c) => c.id).filter((id) => id !== "13a" && id !== "13e" && id !== "13g");
    const events = Array.from({ length: 20_000 }, (_, i) => ({ matter: i % 2 === 0 ? "同一事项" : " 同一事项\u3000", clause: clauses[i % clauses.length] as string, note: `第${i}次` }));
    const result = scoreAssessment(framework, fullMarks(events));
    expect(result.deductions.matters).toHaveLength(1);
    expect(result.deductions.total).toBe("0.8");
    expect(result.deductions.matters[0]?.notes).toHaveLength(20_000);
  });

  it("keeps different words different matters", () => {
    const result = scoreAssessment(framework, fullMarks([{ matter: "媒体曝光", clause: "13d" }, { matter: "媒体曝光2", clause: "13a" }]));
    expect(result.deductions.matters).toHaveLength(2);
    expect(result.deductions.total).toBe("1.5");
  });

  it("refuses a blank matter with blank_matter, naming the event", () => {
    for (const blank of [" ", "\n", "\u3000", "\u00A0", "\u200B", "\uFEFF \t"]) {
      const outcome = safeScoreAssessment(framework, fullMarks([{ matter: "媒体曝光", clause: "13d" }, { matter: blank, clause: "13a" }]));
      expect(outcome.success).toBe(false);
      const issue = outcome.success ? undefined : outcome.error.issues.find((i) => i.code === "blank_matter");
      expect(issue).toMatchObject({ code: "blank_matter", path: ["deductions", 1, "matter"] });
      expect(issue?.message).toContain("13a");
      expect(issue?.zh).toContain("空白");
    }
  });

  it("matches serious matters by the same comparison", () => {
    const result = scoreAssessment(
      framework,
      fullMarks([{ matter: "媒体曝光", clause: "13d" }], { reason: "情节严重", seriousMatters: ["\u3000媒体曝光 "] }),
    );
    expect(result.deductions.matters[0]?.serious).toBe(true);
    expect(result.flags.downgrade).toBe(true);
  });

  it("gives the same result for a noisy spelling of every matter (property)", () => {
    const word = fc.stringMatching(/^[媒体曝光通报问题A-Za-z0-9]{1,6}$/);
    const noise = fc.constantFrom("", " ", "\u3000", "\u00A0", "\u200B", "\uFEFF", "\t", "\n ");
    const separator = fc.constantFrom(" ", "  ", "\u3000", "\u00A0", "\t", " \u200B ", "\r\n");
    const clause = fc.constantFrom(...framework.deductionClauses.map((c) => c.id));
    /** A spelling a clerk may type: noise around and between the words, full-width digits or NFD. */
    const spelled = (words: readonly string[]) =>
      fc
        .tuple(noise, noise, fc.array(separator, { minLength: words.length, maxLength: words.length }), fc.boolean(), fc.boolean())
        .map(([before, after, gaps, wide, nfd]) => {
          let text = before + words.map((w, i) => (i > 0 ? (gaps[i] as string) : "") + w).join("") + after;
          if (wide) text = text.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
          return nfd ? text.normalize("NFD") : text;
        });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.array(word, { minLength: 1, maxLength: 3 }), clause), { minLength: 1, maxLength: 6 }).chain((events) =>
          fc.tuple(fc.constant(events), fc.tuple(...events.map(([words]) => spelled(words)))),
        ),
        ([events, noisy]) => {
          const clean = events.map(([words, c]) => ({ matter: words.join(" "), clause: c }));
          const typed = events.map(([, c], i) => ({ matter: noisy[i] as string, clause: c }));
          const a = scoreAssessment(framework, fullMarks(clean));
          const b = scoreAssessment(framework, fullMarks(typed));
          expect(b.total).toBe(a.total);
          expect(b.deductions.total).toBe(a.deductions.total);
          expect(b.deductions.matters.map((m) => matterKey(m.matter))).toEqual(a.deductions.matters.map((m) => m.matter));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("matterKey is idempotent and never keeps edge or double white space (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 20 }), (text) => {
        const key = matterKey(text);
        expect(matterKey(key)).toBe(key);
        expect(key).toBe(key.trim());
        expect(key).not.toMatch(/\s\s|[\u200B-\u200D\u2060\uFEFF]/);
      }),
      { numRuns: 2_000 },
    );
  });
});

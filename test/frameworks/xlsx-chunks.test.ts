import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import yauzl from "yauzl";
import { afterAll, describe, expect, it } from "vitest";
import { workbookBytes } from "../../src/cli/tables";
import { digestJson, jiangxi2025, parseFramework, type Framework } from "../../src/index";
import { exportFramework, importFramework } from "../../src/authoring/index";
import { runCliCaptured } from "../helpers";

const root = fileURLToPath(new URL("../..", import.meta.url));
const tmp = join(root, ".tmp", "framework-xlsx-chunks");
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The inflated bytes of one part of a zip. */
function part(file: string, name: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      zip.on("entry", (entry: yauzl.Entry) => {
        if (entry.fileName !== name) return zip.readEntry();
        zip.openReadStream(entry, (err, stream) => {
          if (err) return reject(err);
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("end", () => {
            zip.close();
            resolve(Buffer.concat(chunks));
          });
        });
      });
      zip.on("end", () => reject(new Error(`${name} not in ${file}`)));
      zip.readEntry();
    });
  });
}

// Long 评分标准 in Chinese, each indicator's different (3 bytes a character in UTF-8).
const PHRASE = Array.from("𬌗𫖮按照考核评分标准对照乡村振兴责任落实情况逐项核实，未按要求完成的每项扣分，资料不全的酌情扣分；");
const longText = (seed: number, length: number) => Array.from({ length }, (_, i) => PHRASE[(i * 7 + seed) % PHRASE.length]).join("");

describe("kaohe framework import of a workbook whose shared strings exceed 64 KiB", () => {
  // exceljs 4.4.0's streaming reader garbles text split at a 64 KiB chunk (upstream #2063, #2084,
  // #2316); the shared XLSX reader decodes each part as one stream. (exceljs's non-streaming reader,
  // which tables.ts used before, decodes a part whole and also reads this file right.)
  it("reads Chinese text (astral characters too) across every 64 KiB boundary of the shared strings exactly", async () => {
    mkdirSync(tmp, { recursive: true });
    const input = structuredClone(jiangxi2025) as unknown as { categories: { indicators: { content: string }[] }[] };
    let seed = 0;
    for (const category of input.categories) for (const indicator of category.indicators) indicator.content = longText(seed++, 9000);
    const framework: Framework = parseFramework(input);
    const tables = exportFramework(framework);
    const file = join(tmp, "long.xlsx");
    writeFileSync(file, await workbookBytes(tables));

    // The test is meaningful: the shared strings span several 64 KiB chunks, and each boundary falls
    // inside the Chinese text, splitting a character at least twice.
    const strings = await part(file, "xl/sharedStrings.xml");
    const boundaries = Array.from({ length: Math.floor(strings.length / 65536) }, (_, k) => (k + 1) * 65536);
    expect(boundaries.length).toBeGreaterThanOrEqual(4);
    for (const at of boundaries) expect(strings.subarray(at - 3, at + 3).every((b) => b >= 0x80), `byte ${at}`).toBe(true);
    expect(boundaries.filter((at) => ((strings[at] as number) & 0xc0) === 0x80).length).toBeGreaterThanOrEqual(2);

    const out = join(tmp, "long.json");
    const run = await runCliCaptured(["framework", "import", file, "--out", out]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const written = JSON.parse(readFileSync(out, "utf8")) as Framework;
    expect(written).toEqual(JSON.parse(JSON.stringify(importFramework(tables, { file: "long.xlsx" }))));
    expect(digestJson(written)).toBe(digestJson(framework));
    expect(written.categories[0]?.indicators[0]?.content).toBe(longText(0, 9000));
    expect(JSON.stringify(written)).not.toContain("\uFFFD");
  });
});

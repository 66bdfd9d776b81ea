import { open } from "node:fs/promises";
import iconv from "iconv-lite";

/** The encodings a CSV may be given in: UTF-8 (with or without BOM) and the Chinese GBK family. */
export const CSV_ENCODINGS = ["auto", "utf8", "gbk", "gb18030"] as const;

/** An encoding a CSV may be given in: see {@link CSV_ENCODINGS}. */
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

/** Reads `utf-8`, `UTF8`, `GBK`, `gb2312`, … as one of {@link CSV_ENCODINGS}; undefined if unknown. */
export function normalizeEncoding(name: string): CsvEncoding | undefined {
  const key = name.toLowerCase().replace(/[-_]/g, "");
  if (key === "auto") return "auto";
  if (key === "utf8" || key === "utf8bom") return "utf8";
  if (key === "gbk" || key === "gb2312" || key === "cp936") return "gbk";
  if (key === "gb18030") return "gb18030";
  return undefined;
}

/** How many bytes of a file's start decide its encoding. */
const SAMPLE = 256 * 1024;

/**
 * Decides a CSV's encoding from its first bytes: a UTF-8 BOM, or bytes that are valid UTF-8, mean
 * UTF-8; anything else is read as GB18030 (a superset of GBK and GB2312, what Chinese Excel
 * writes). A later byte that is invalid in the chosen encoding marks its row as malformed.
 *
 * @param path - The file.
 * @returns `utf8` or `gb18030`.
 * @throws A Node error when the file cannot be read.
 */
export async function detectEncoding(path: string): Promise<"utf8" | "gb18030"> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(SAMPLE);
    const { bytesRead } = await handle.read(buffer, 0, SAMPLE, 0);
    const head = buffer.subarray(0, bytesRead);
    if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return "utf8";
    try {
      // stream: true tolerates a character cut at the end of the sample.
      new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: bytesRead === SAMPLE });
      return "utf8";
    } catch {
      return "gb18030";
    }
  } finally {
    await handle.close();
  }
}

/**
 * A transform that decodes GBK/GB18030 bytes to text.
 *
 * @param encoding - The encoding.
 * @returns A Node transform stream of text.
 */
export function decodeStream(encoding: "gbk" | "gb18030"): NodeJS.ReadWriteStream {
  return iconv.decodeStream(encoding);
}

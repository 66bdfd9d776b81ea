import { readError } from "./read-error";

/**
 * The encodings a CSV may be given in: UTF-8 (with or without BOM), the Chinese GBK family
 * (`gbk` is read as GB18030, its superset) and UTF-16 (Excel's "Unicode text").
 */
export const CSV_ENCODINGS = ["auto", "utf8", "gbk", "gb18030", "utf16le", "utf16be"] as const;

/** An encoding a CSV may be given in: see {@link CSV_ENCODINGS}. */
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

/** An encoding a CSV is decoded with, once decided. */
export type TextEncoding = "utf8" | "gb18030" | "utf16le" | "utf16be";

/** Reads `utf-8`, `UTF8`, `GBK`, `gb2312`, `UTF-16LE`, … as one of {@link CSV_ENCODINGS}; undefined if unknown. */
export function normalizeEncoding(name: string): CsvEncoding | undefined {
  const key = name.toLowerCase().replace(/[-_]/g, "");
  if (key === "auto") return "auto";
  if (key === "utf8" || key === "utf8bom") return "utf8";
  if (key === "gbk" || key === "gb2312" || key === "cp936") return "gbk";
  if (key === "gb18030") return "gb18030";
  if (key === "utf16le" || key === "utf16" || key === "ucs2") return "utf16le";
  if (key === "utf16be") return "utf16be";
  return undefined;
}

/** How many bytes of a file's start decide its encoding. */
export const ENCODING_SAMPLE = 256 * 1024;

/** What the first bytes of a file say about its encoding. */
export interface SampleStats {
  /** The byte order mark, if any. */
  readonly bom?: TextEncoding;
  /** Whether a NUL byte occurs (outside a UTF-16 file: not text). */
  readonly nul: boolean;
  /** Valid UTF-8 multi-byte sequences. */
  readonly utf8Valid: number;
  /** Invalid UTF-8 sequences (a sequence cut by the end of the sample is not counted). */
  readonly utf8Invalid: number;
  /** Offset of the first invalid UTF-8 sequence, or -1. */
  readonly firstInvalid: number;
  /** Offset of the first byte above 0x7F, or -1. */
  readonly firstHigh: number;
  /** Whether the sample decodes as GB18030 without error. */
  readonly gb18030: boolean;
}

/** The length of the valid UTF-8 sequence starting at `i`, 0 if invalid, -1 if cut by the end. */
function utf8Length(bytes: Uint8Array, i: number): number {
  const b = bytes[i] as number;
  let need: number;
  let min = 0x80;
  let max = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) need = 1;
  else if (b >= 0xe0 && b <= 0xef) {
    need = 2;
    if (b === 0xe0) min = 0xa0;
    if (b === 0xed) max = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    need = 3;
    if (b === 0xf0) min = 0x90;
    if (b === 0xf4) max = 0x8f;
  } else return 0;
  for (let k = 1; k <= need; k++) {
    if (i + k >= bytes.length) return -1;
    const c = bytes[i + k] as number;
    if (k === 1 ? c < min || c > max : c < 0x80 || c > 0xbf) return 0;
  }
  return need + 1;
}

/**
 * Counts what the first bytes of a file say about its encoding.
 *
 * @param bytes - The sample (at most {@link ENCODING_SAMPLE} bytes of the file's start).
 * @param whole - Whether the sample is the whole file (then a cut sequence at its end is invalid).
 * @returns The counts.
 */
export function sampleStats(bytes: Uint8Array, whole: boolean): SampleStats {
  let bom: TextEncoding | undefined;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bom = "utf8";
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) bom = "utf16le";
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) bom = "utf16be";
  let nul = false;
  let valid = 0;
  let invalid = 0;
  let firstInvalid = -1;
  let firstHigh = -1;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      if (b === 0) nul = true;
      i++;
      continue;
    }
    if (firstHigh === -1) firstHigh = i;
    const length = utf8Length(bytes, i);
    if (length > 0) {
      valid++;
      i += length;
    } else if (length === -1 && !whole) break;
    else {
      invalid++;
      if (firstInvalid === -1) firstInvalid = i;
      i++;
    }
  }
  let gb18030 = true;
  try {
    new TextDecoder("gb18030", { fatal: true }).decode(bytes, { stream: !whole });
  } catch {
    gb18030 = false;
  }
  return { ...(bom ? { bom } : {}), nul, utf8Valid: valid, utf8Invalid: invalid, firstInvalid, firstHigh, gb18030 };
}

/** The verdict on a sample: an encoding, confidently, or `ambiguous`. */
export type EncodingVerdict = TextEncoding | "ambiguous";

/**
 * Decides the encoding from a sample's counts. UTF-8 when every multi-byte sequence is valid, or
 * when valid ones outnumber invalid ones ten to one (a UTF-8 file with a few damaged bytes: their
 * rows are then reported `invalid_encoding`); GB18030 when the sample decodes as GB18030 and
 * invalid UTF-8 sequences outnumber valid ones three to one (GBK text read as UTF-8 has about one
 * valid sequence, by chance, for six or seven invalid ones); otherwise ambiguous.
 *
 * @param stats - The counts of {@link sampleStats}.
 * @returns The verdict.
 */
export function judgeEncoding(stats: SampleStats): EncodingVerdict {
  if (stats.bom) return stats.bom;
  if (stats.utf8Invalid === 0) return "utf8";
  if (stats.gb18030 && stats.utf8Valid * 3 <= stats.utf8Invalid) return "gb18030";
  if (stats.utf8Valid >= 10 * stats.utf8Invalid) return "utf8";
  return "ambiguous";
}

/** The 1-based line of a byte offset in a sample (counting LF bytes). */
function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

const NAMES: Record<TextEncoding, string> = { utf8: "UTF-8", gb18030: "GB18030 (GBK)", utf16le: "UTF-16LE", utf16be: "UTF-16BE" };

/**
 * Decides the encoding of a CSV from its first bytes, or checks the one given against them.
 *
 * @param file - The file, named in errors.
 * @param sample - Its first bytes (at most {@link ENCODING_SAMPLE}).
 * @param whole - Whether the sample is the whole file.
 * @param requested - The encoding asked for; `auto` detects.
 * @returns The encoding to decode with.
 * @throws {@link KaoheError} `not_text` for NUL bytes without a UTF-16 byte order mark,
 *   `ambiguous_encoding` when detection is unsure, `invalid_encoding` when the requested encoding
 *   contradicts a confident reading of the bytes (naming the line).
 */
export function chooseEncoding(file: string, sample: Uint8Array, whole: boolean, requested: CsvEncoding): TextEncoding {
  const stats = sampleStats(sample, whole);
  const wanted: TextEncoding | "auto" = requested === "gbk" ? "gb18030" : requested;
  const utf16 = wanted === "utf16le" || wanted === "utf16be" || stats.bom === "utf16le" || stats.bom === "utf16be";
  if (stats.nul && !utf16) {
    throw readError(file, "not_text", {
      en: `the file holds NUL bytes: it is not a text (CSV) file, or it is UTF-16 without a byte order mark (give --encoding utf16le)`,
      zh: `文件含有 NUL 字节：不是文本（CSV）文件，或是没有字节顺序标记的 UTF-16 文件（请指定 --encoding utf16le）`,
    });
  }
  const verdict = judgeEncoding(stats);
  if (wanted === "auto") {
    if (verdict !== "ambiguous") return verdict;
    const line = lineAt(sample, stats.firstInvalid);
    throw readError(file, "ambiguous_encoding", {
      en: `cannot tell the encoding: the first ${Math.round(sample.length / 1024)} KiB hold ${stats.utf8Valid} valid UTF-8 characters and ${stats.utf8Invalid} invalid byte sequences (the first at line ${line}); give --encoding utf8 or --encoding gb18030`,
      zh: `无法判断文件编码：前 ${Math.round(sample.length / 1024)} KiB 中有 ${stats.utf8Valid} 个有效的 UTF-8 字符和 ${stats.utf8Invalid} 处无效字节（第一处在第 ${line} 行）；请用 --encoding utf8 或 --encoding gb18030 指定`,
    });
  }
  if (wanted === verdict || verdict === "ambiguous") return wanted;
  if (stats.bom && stats.bom !== wanted) {
    throw readError(file, "invalid_encoding", {
      en: `the file starts with a ${NAMES[stats.bom]} byte order mark, not ${NAMES[wanted]}: give --encoding auto`,
      zh: `文件以 ${NAMES[stats.bom]} 字节顺序标记开头，不是 ${NAMES[wanted]}：请用 --encoding auto`,
    });
  }
  if (wanted === "utf8" && stats.firstInvalid !== -1) {
    const line = lineAt(sample, stats.firstInvalid);
    throw readError(file, "invalid_encoding", {
      en: `line ${line} is not valid UTF-8 (${stats.utf8Invalid} invalid byte sequences in the first ${Math.round(sample.length / 1024)} KiB); the file looks like ${NAMES[verdict]}: give --encoding ${verdict === "gb18030" ? "gb18030" : "auto"}`,
      zh: `第 ${line} 行不是有效的 UTF-8（前 ${Math.round(sample.length / 1024)} KiB 中有 ${stats.utf8Invalid} 处无效字节）；文件像是 ${NAMES[verdict]} 编码：请用 --encoding ${verdict === "gb18030" ? "gb18030" : "auto"}`,
    });
  }
  if (wanted === "gb18030" && verdict === "utf8" && stats.firstHigh !== -1) {
    const line = lineAt(sample, stats.firstHigh);
    throw readError(file, "invalid_encoding", {
      en: `the file is UTF-8, not GB18030/GBK (line ${line} holds a UTF-8 character, and all ${stats.utf8Valid} in the first ${Math.round(sample.length / 1024)} KiB are valid): give --encoding utf8`,
      zh: `文件是 UTF-8 编码，不是 GB18030/GBK（第 ${line} 行有 UTF-8 字符，前 ${Math.round(sample.length / 1024)} KiB 中的 ${stats.utf8Valid} 个均有效）：请用 --encoding utf8`,
    });
  }
  if ((wanted === "utf16le" || wanted === "utf16be") && !stats.nul && stats.firstHigh === -1 && sample.length > 1) {
    throw readError(file, "invalid_encoding", {
      en: `the file is not UTF-16 (line 1 has no NUL bytes between its ASCII characters): give --encoding auto`,
      zh: `文件不是 UTF-16 编码（第 1 行的 ASCII 字符之间没有 NUL 字节）：请用 --encoding auto`,
    });
  }
  return wanted;
}

/** The WHATWG label of an encoding, for `TextDecoder`. */
export function decoderLabel(encoding: TextEncoding): string {
  return encoding === "utf8" ? "utf-8" : encoding === "gb18030" ? "gb18030" : encoding === "utf16le" ? "utf-16le" : "utf-16be";
}

import { formatPath } from "../internal/errors";
import { parseJsonText } from "../internal/json";
import { t, type Bilingual } from "./lang";

/** What reading a JSON input gives: the value, or a message naming the file and the problem. */
export type ReadJsonResult = { ok: true; value: unknown; encoding: string } | { ok: false; message: Bilingual };

/**
 * Decodes a JSON file's bytes: UTF-8 with or without BOM, UTF-16 with a BOM, and GBK/GB18030
 * (what Chinese Windows tools write) when the bytes are not UTF-8 but are valid GB18030. UTF-16
 * without a BOM and bytes that are neither are refused, naming what was found.
 */
export function decodeText(file: string, bytes: Uint8Array): { ok: true; text: string; encoding: string } | { ok: false; message: Bilingual } {
  const [a, b, c] = bytes;
  if (a === 0xef && b === 0xbb && c === 0xbf) return { ok: true, text: new TextDecoder("utf-8").decode(bytes.subarray(3)), encoding: "UTF-8 (BOM)" };
  if (a === 0xff && b === 0xfe) return { ok: true, text: new TextDecoder("utf-16le").decode(bytes.subarray(2)), encoding: "UTF-16LE" };
  if (a === 0xfe && b === 0xff) return { ok: true, text: new TextDecoder("utf-16be").decode(bytes.subarray(2)), encoding: "UTF-16BE" };
  const sample = bytes.subarray(0, 4096);
  if (sample.length >= 2 && sample.filter((byte) => byte === 0).length * 4 >= sample.length) {
    return {
      ok: false,
      message: t(`${file}：看起来是没有 BOM 的 UTF-16 文件，无法可靠读取；请另存为 UTF-8`, `${file}: looks like UTF-16 without a BOM, which cannot be read reliably; save it as UTF-8`),
    };
  }
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "UTF-8" };
  } catch {
    // Not UTF-8: try the Chinese national encoding (GB18030 is a superset of GBK and GB2312).
  }
  try {
    return { ok: true, text: new TextDecoder("gb18030", { fatal: true }).decode(bytes), encoding: "GB18030" };
  } catch {
    return {
      ok: false,
      message: t(`${file}：既不是 UTF-8 也不是 GBK/GB18030 编码，无法读取；请另存为 UTF-8`, `${file}: is neither UTF-8 nor GBK/GB18030 text and cannot be read; save it as UTF-8`),
    };
  }
}

/** The display name of an input: standard input is shown as 标准输入 / standard input. */
export function inputName(file: string): string {
  return file === "-" ? "(stdin)" : file;
}

/**
 * Reads and parses a JSON input, turning a missing file, an undecodable encoding or bad JSON
 * into a message that names the file.
 *
 * @param readFile - Reads a file's bytes (or, from tests, its text); `-` is standard input.
 */
export function readJsonInput(readFile: (path: string) => string | Uint8Array, file: string): ReadJsonResult {
  const name = inputName(file);
  let content: string | Uint8Array;
  try {
    content = readFile(file);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ENOENT") return { ok: false, message: t(`${name}：找不到这个文件`, `${name}: no such file`) };
    if (code === "EISDIR") return { ok: false, message: t(`${name}：这是文件夹，不是文件`, `${name}: is a folder, not a file`) };
    return { ok: false, message: t(`${name}：无法读取文件${code ? `（${code}）` : ""}`, `${name}: cannot read the file${code ? ` (${code})` : ""}`) };
  }
  let text: string;
  let encoding = "UTF-8";
  if (typeof content === "string") text = content.replace(/^\uFEFF/, "");
  else {
    const decoded = decodeText(name, content);
    if (!decoded.ok) return decoded;
    ({ text, encoding } = decoded);
  }
  if (text.trim() === "") return { ok: false, message: t(`${name}：文件是空的`, `${name}: the file is empty`) };
  // Duplicate keys with different values, depth and prototype keys are refused (issue 16).
  const parsed = parseJsonText(text);
  if (parsed.success) return { ok: true, value: parsed.data, encoding };
  const issues = parsed.error.issues;
  const line = (lang: "zh" | "en") =>
    issues.map((i) => `${i.path.length > 0 ? `${formatPath(i.path)}: ` : ""}${lang === "zh" ? (i.zh ?? i.message) : i.message} [${i.code}]`).join(lang === "zh" ? "；" : "; ");
  return { ok: false, message: t(`${name}：${line("zh")}`, `${name}: ${line("en")}`) };
}

import { extname } from "node:path";
import { readError } from "./read-error";

/** What a file is read as. */
export type FileKind = "csv" | "xlsx";

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const EMPTY_ZIP = [0x50, 0x4b, 0x05, 0x06];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const WORKBOOK_EXTENSIONS = new Set([".xlsx", ".xlsm", ".xltx", ".xltm", ".xlsb", ".ods"]);

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

/** Whether text (of any common encoding) starts like an HTML table or an XML Spreadsheet 2003. */
function looksLikeMarkup(bytes: Uint8Array): boolean {
  const head = new TextDecoder("utf-8").decode(bytes.subarray(0, 2048)).replace(/\0/g, "").replace(/^\uFEFF/, "").trimStart().slice(0, 512).toLowerCase();
  return /^<(!doctype html|html|table|\?xml|meta|head)/.test(head) || head.includes("urn:schemas-microsoft-com:office:spreadsheet");
}

/**
 * Decides how a file is read from its extension and first bytes, and refuses a file whose bytes
 * do not match its extension, naming what it is and what to do.
 *
 * @param path - The file.
 * @param head - Its first bytes.
 * @returns `xlsx` for a zip with a workbook extension, `csv` for text with any other extension.
 * @throws {@link KaoheError} `legacy_xls` for an OLE2 file (Excel 97–2003 or a password-protected
 *   workbook), `wrong_extension` when the bytes are another kind than the extension says.
 */
export function sniffKind(path: string, head: Uint8Array): FileKind {
  const ext = extname(path).toLowerCase();
  const zip = startsWith(head, ZIP) || startsWith(head, EMPTY_ZIP);
  if (startsWith(head, OLE2)) {
    throw readError(path, "legacy_xls", {
      en: `the file is an Excel 97–2003 workbook (.xls, BIFF) or a password-protected workbook, which kaohe does not read: open it in Excel, remove any password, and 另存为 (save as) .xlsx`,
      zh: `文件是 Excel 97–2003 工作簿（.xls）或设有密码的工作簿，考核工具不能读取：请用 Excel 打开（如有密码先取消），另存为 .xlsx`,
    });
  }
  if (WORKBOOK_EXTENSIONS.has(ext)) {
    if (zip) return "xlsx";
    const what = looksLikeMarkup(head) ? { en: "an HTML or XML table", zh: "HTML 或 XML 表格" } : { en: "text (or another kind of file)", zh: "文本（或其他类型的文件）" };
    throw readError(path, "wrong_extension", {
      en: `the file is named ${ext} but holds ${what.en}, not a zip workbook: if it is CSV, rename it to .csv; otherwise open it in Excel and 另存为 (save as) .xlsx`,
      zh: `文件扩展名是 ${ext}，内容却是${what.zh}，不是 zip 格式的工作簿：如果是 CSV，请改名为 .csv；否则请用 Excel 打开并另存为 .xlsx`,
    });
  }
  if (ext === ".xls") {
    const what = zip
      ? { en: "an .xlsx workbook named .xls: rename it to .xlsx", zh: "改名为 .xls 的 .xlsx 工作簿：请改名为 .xlsx" }
      : looksLikeMarkup(head)
        ? { en: "an HTML or XML table named .xls, as some systems export: open it in Excel and 另存为 (save as) .xlsx", zh: "扩展名为 .xls 的 HTML 或 XML 表格（有的系统这样导出）：请用 Excel 打开并另存为 .xlsx" }
        : { en: "not an Excel 97–2003 workbook: if it is CSV, rename it to .csv; otherwise open it in Excel and 另存为 (save as) .xlsx", zh: "不是 Excel 97–2003 工作簿：如果是 CSV，请改名为 .csv；否则请用 Excel 打开并另存为 .xlsx" };
    throw readError(path, "wrong_extension", { en: `the file is ${what.en}`, zh: `文件是${what.zh}` });
  }
  if (zip && path === "-") {
    throw readError(path, "wrong_extension", {
      en: "standard input holds a zip (an Excel workbook?): a workbook is read by random access, so give the .xlsx file by its name instead of -",
      zh: "标准输入中是 zip 压缩格式（Excel 工作簿？）：工作簿需要随机读取，请直接给出 .xlsx 文件名，不要用 -",
    });
  }
  if (zip) {
    throw readError(path, "wrong_extension", {
      en: `the file is a zip (an Excel workbook .xlsx?) named ${ext || "without an extension"}: rename it to .xlsx if it is a workbook`,
      zh: `文件是 zip 压缩格式（Excel 工作簿 .xlsx？），扩展名却是 ${ext || "（无）"}：如果是工作簿，请改名为 .xlsx`,
    });
  }
  return "csv";
}

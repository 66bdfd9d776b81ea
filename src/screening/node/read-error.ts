import { KaoheError } from "../../internal/errors";
import type { Bilingual } from "../../internal/i18n";

/**
 * The codes of the errors that stop the reading of a whole file (thrown as a {@link KaoheError}
 * whose one issue has the code and the file as its path):
 *
 * - `legacy_xls`: an Excel 97–2003 workbook (BIFF in an OLE2 container), or a password-protected one;
 * - `not_a_workbook`: a zip that is not an Excel workbook (a Word or OpenDocument file, an .xlsb…);
 * - `wrong_extension`: the bytes are another kind of file than the extension says;
 * - `not_text`: a "CSV" holding NUL bytes (a binary file, or UTF-16 without a byte order mark);
 * - `ambiguous_encoding`: the first 256 KiB could be UTF-8 with errors or GB18030: give the encoding;
 * - `invalid_encoding`: the encoding given does not fit the bytes (at the line named);
 * - `corrupt_workbook`: the zip or the XML inside is damaged (bad CRC, truncated, malformed);
 * - `inflate_limit`: a part of the workbook inflates past a size or ratio limit (a zip bomb);
 * - `no_such_sheet`: the `sheet` option names no sheet of the workbook;
 * - `empty_workbook`: every sheet of the workbook is empty.
 */
export const READ_ERROR_CODES = [
  "legacy_xls",
  "not_a_workbook",
  "wrong_extension",
  "not_text",
  "ambiguous_encoding",
  "invalid_encoding",
  "corrupt_workbook",
  "inflate_limit",
  "no_such_sheet",
  "empty_workbook",
] as const;

/** A code of {@link READ_ERROR_CODES}. */
export type ReadErrorCode = (typeof READ_ERROR_CODES)[number];

/**
 * Builds the error thrown when a file cannot be read at all: a {@link KaoheError} with one issue
 * whose `path` is the file.
 *
 * @param file - The file's path.
 * @param code - Why, as a code.
 * @param text - The message in both languages.
 * @returns The error, to throw.
 */
export function readError(file: string, code: ReadErrorCode, text: Bilingual): KaoheError {
  return new KaoheError([{ code, path: [file], message: text.en, zh: text.zh }], `Cannot read ${file}`);
}

/** The one issue of a reader's error, if the value is one. */
export function readErrorIssue(error: unknown): { code: string; message: string; zh?: string } | undefined {
  if (!(error instanceof KaoheError) || error.issues.length !== 1) return undefined;
  const issue = error.issues[0];
  if (!issue || !(READ_ERROR_CODES as readonly string[]).includes(issue.code)) return undefined;
  return issue.zh === undefined ? { code: issue.code, message: issue.message } : { code: issue.code, message: issue.message, zh: issue.zh };
}

/**
 * The error of a damaged workbook.
 *
 * @param file - The file.
 * @param detail - What is wrong, in English (zip and zlib messages have no Chinese).
 * @returns The error.
 */
export function corrupt(file: string, detail: string) {
  return readError(file, "corrupt_workbook", {
    en: `the workbook is damaged (${detail}): open it in Excel, repair it if asked, and save it again as .xlsx`,
    zh: `工作簿已损坏（${detail}）：请用 Excel 打开（如提示修复则修复），再另存为 .xlsx`,
  });
}

import { PartsWorkbook, type WorkbookLimits } from "./xlsx-book";
import { WorkbookZip } from "./zip";

export type { SheetEntry, SheetRow, WorkbookLimits } from "./xlsx-book";

/** A workbook file opened for reading (its zip read with yauzl): its sheets, shared strings and date styles. */
export class Workbook extends PartsWorkbook {
  /**
   * Opens a workbook: checks that the zip is an Excel workbook and lists its sheets.
   *
   * @param file - The file.
   * @param limits - The limits.
   * @returns The workbook.
   * @throws {@link KaoheError} `not_a_workbook`, `corrupt_workbook` or `inflate_limit`.
   */
  static async open(file: string, limits: WorkbookLimits): Promise<Workbook> {
    return PartsWorkbook.fromParts(file, await WorkbookZip.open(file, limits), limits);
  }
}

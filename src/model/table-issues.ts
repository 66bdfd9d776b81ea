import type { KaoheIssue } from "../internal/errors";
import { showValue } from "./issues";
import type { SourceRef } from "./primitives";
import { cellAddress } from "./table";

/** A place in a workbook: the sheet and the cell (`指标体系!C7`). */
export interface CellPlace {
  readonly sheet: string;
  readonly row: number;
  readonly column: number;
}

/** `指标体系!C7`. */
export function placeName(place: CellPlace): string {
  return `${place.sheet}!${cellAddress(place.row, place.column)}`;
}

/**
 * An issue about a cell: its path is `[sheet, "C7"]`, and both messages start with `指标体系!C7`
 * and show the value found.
 */
export function cellIssue(code: string, place: CellPlace, value: unknown, en: string, zh: string): KaoheIssue {
  const shown = value === undefined ? "" : ` (got ${showValue(value)})`;
  const shownZh = value === undefined ? "" : `（值为 ${showValue(value)}）`;
  return {
    code,
    path: [place.sheet, cellAddress(place.row, place.column)],
    message: `${placeName(place)}: ${en}${shown}`,
    zh: `${placeName(place)}：${zh}${shownZh}`,
  };
}

/** An issue about a whole table or workbook rather than a cell. */
export function tableIssue(code: string, path: (string | number)[], en: string, zh: string): KaoheIssue {
  return { code, path, message: en, zh };
}

/** The separator of a source reference written in a 出处 cell: document｜part｜item. */
export const SOURCE_SEPARATOR = "｜";

/** Writes a source reference into a 出处 cell. */
export function formatSourceCell(source: SourceRef): string {
  return [source.document, source.part, source.item].join(SOURCE_SEPARATOR);
}

/** Reads a 出处 cell written by {@link formatSourceCell}; `undefined` when it is not one. */
export function parseSourceCell(text: string): SourceRef | undefined {
  const parts = text.split(SOURCE_SEPARATOR);
  if (parts.length !== 3 || parts.some((p) => p === "")) return undefined;
  return { document: parts[0] as string, part: parts[1] as string, item: parts[2] as string };
}

/** The reference to a cell of the table itself: file, sheet and cell. */
export function cellSource(file: string, place: CellPlace, suffix = ""): SourceRef {
  return { document: file, part: place.sheet, item: `${cellAddress(place.row, place.column)}${suffix}` };
}

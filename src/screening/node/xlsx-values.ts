/** The values of a sheet's cells: rich text, column letters, date formats and date serials. */

/** The last column of a sheet (XFD). */
export const MAX_COLUMNS = 16384;

/** Excel's built-in number formats that show a date or time. */
export const DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** Collects the text of a rich text (`<si>`, `<is>`): its `<t>`s, outside phonetic runs (`<rPh>`). */
export function richTextCollector() {
  let parts: string[] = [];
  let inT = false;
  let phonetic = 0;
  return {
    start() {
      parts = [];
      inT = false;
      phonetic = 0;
    },
    open(name: string) {
      if (name === "rPh") phonetic++;
      else if (name === "t" && phonetic === 0) inT = true;
    },
    text(t: string) {
      if (inT) parts.push(t);
    },
    close(name: string) {
      if (name === "rPh") phonetic--;
      else if (name === "t") inT = false;
    },
    end(): string {
      return parts.join("");
    },
  };
}

/** The 1-based column of a cell reference (`AB12` → 28); 0 if it is not one. */
export function columnOf(ref: string): number {
  let column = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    const upper = c >= 97 && c <= 122 ? c - 32 : c;
    if (upper < 65 || upper > 90) break;
    column = column * 26 + (upper - 64);
    if (column > MAX_COLUMNS) return 0;
  }
  return i === 0 ? 0 : column;
}

/** Whether a custom number format shows a date or time (y, m, d, h, s outside quotes and brackets). */
export function isDateFormat(code: string): boolean {
  const bare = code.replace(/"[^"]*"/g, "").replace(/\[[^\]]*\]/g, "").replace(/\\./g, "").split(";")[0] ?? "";
  return /[ymdhs]/i.test(bare) && !/^general$/i.test(bare.trim());
}

/** An Excel date serial as a UTC date (the 1900 system's phantom 29 February 1900 accounted for; a time alone, below 1, on 1899-12-30 as Excel's day 0). */
export function serialToDate(serial: number, date1904: boolean): Date {
  const days = date1904 ? serial + 1462 : serial >= 1 && serial < 61 ? serial + 1 : serial;
  return new Date(Math.round((days - 25569) * 86400000));
}

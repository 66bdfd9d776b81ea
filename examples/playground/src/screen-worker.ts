// The page's Web Worker: screening runs here, off the page's thread, on data that never leaves it.
import "./zod-jitless";
import { isKaoheError } from "kaohe";
import { screenExport } from "./screen-export";

export interface ScreenRequest {
  /** The export's bytes: CSV (UTF-8 or GBK) or an XLSX workbook. */
  readonly bytes: Uint8Array;
  readonly file: string;
  readonly rulebook: string;
}

self.onmessage = async (event: MessageEvent<ScreenRequest>) => {
  const { bytes, file, rulebook } = event.data;
  try {
    let book: unknown;
    try {
      book = JSON.parse(rulebook);
    } catch (error) {
      throw new Error(`rulebook: not valid JSON: ${(error as Error).message}`);
    }
    self.postMessage({ ok: true, result: await screenExport(bytes, book, file) });
  } catch (error) {
    const message = isKaoheError(error)
      ? error.issues.map((issue) => `${issue.path.join(".")}: ${issue.zh ? `${issue.message}（${issue.zh}）` : issue.message}`).join("\n")
      : (error as Error).message;
    self.postMessage({ ok: false, message });
  }
};

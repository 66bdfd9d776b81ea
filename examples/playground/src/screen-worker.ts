// The page's Web Worker: screening runs here, off the page's thread, on data that never leaves it.
import "./zod-jitless";
import { isKaoheError } from "kaohe";
import { decodeExport, screenCsv } from "./screen-csv";

export interface ScreenRequest {
  readonly csv: Uint8Array;
  readonly file: string;
  readonly rulebook: string;
}

self.onmessage = (event: MessageEvent<ScreenRequest>) => {
  const { csv, file, rulebook } = event.data;
  try {
    let book: unknown;
    try {
      book = JSON.parse(rulebook);
    } catch (error) {
      throw new Error(`rulebook: not valid JSON: ${(error as Error).message}`);
    }
    self.postMessage({ ok: true, result: screenCsv(decodeExport(csv), book, file) });
  } catch (error) {
    const message = isKaoheError(error)
      ? error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("\n")
      : (error as Error).message;
    self.postMessage({ ok: false, message });
  }
};

import { randomBytes } from "node:crypto";
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

/**
 * Writes a file atomically: to a temporary file beside the target, then renamed over it, so that
 * a reader never sees a half-written file and a failure leaves the target as it was. (A local
 * stand-in until the CLI's shared atomic-output module lands; same contract.)
 *
 * @param path - The target file.
 * @param data - The bytes or text to write.
 * @throws The Node error of the write or the rename; the temporary file is removed first.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    writeFileSync(temp, data, { flag: "wx" });
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** Tells whether two paths name the same file (after resolving them). */
export function samePath(a: string, b: string): boolean {
  return resolve(a) === resolve(b);
}

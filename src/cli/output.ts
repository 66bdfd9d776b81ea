import { createWriteStream, existsSync, realpathSync, statSync, unlinkSync, renameSync, type WriteStream } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import { pick } from "../internal/i18n";
import { EXIT } from "./args";
import { t, type Bilingual, type Lang } from "./lang";

/*
 * Everything the command line writes goes through this module: output files are written to a
 * temporary file beside the target and renamed over it only when the run succeeded (as npm's
 * write-file-atomic and git's lock files do), an output that is an input is refused before
 * anything is opened, and standard output closed by the reader (`| head`) ends the run quietly.
 */

/** Temporary files of this process not yet renamed: removed on a signal, a crash or a failed run. */
const pending = new Set<string>();

/** Removes every temporary output file of this process (synchronously, so it works on exit). */
export function removePendingOutputs(): void {
  for (const path of pending) {
    try {
      unlinkSync(path);
    } catch {
      // Already gone.
    }
    pending.delete(path);
  }
}

function sameFile(a: string, b: string): boolean {
  try {
    const sa = statSync(a);
    const sb = statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

/**
 * Checks an output path before any input is read or any file opened: its folder must exist, it
 * must not be a folder, and it must not be one of the inputs (compared by their resolved real
 * paths and by file identity, so `./a.csv`, a symbolic link or a hard link to an input are refused).
 *
 * @returns The problem, or `undefined` when the path may be written.
 */
export function checkOutputPath(out: string, inputs: readonly string[]): Bilingual | undefined {
  const folder = dirname(resolve(out));
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    return t(`${out}：输出文件夹 ${dirname(out)} 不存在，请先创建`, `${out}: the output folder ${dirname(out)} does not exist; create it first`);
  }
  if (existsSync(out) && statSync(out).isDirectory()) return t(`${out}：这是文件夹，不是输出文件`, `${out}: is a folder, not an output file`);
  const real = existsSync(out) ? realpathSync(out) : join(realpathSync(folder), basename(out));
  for (const input of inputs) {
    if (input === "-" || !existsSync(input)) continue;
    if (realpathSync(input) === real || sameFile(input, out)) {
      return t(`--out ${out} 就是输入文件 ${input}：不会覆盖输入，请换一个输出文件名`, `--out ${out} is the input ${input}: an input is never overwritten; choose another output file`);
    }
  }
  return undefined;
}

/**
 * An output file written atomically: lines go to a temporary file in the target's folder, which
 * {@link AtomicFile.commit} renames over the target; {@link AtomicFile.abort}, a signal or a crash
 * removes it and leaves any previous file untouched.
 */
export class AtomicFile {
  private readonly stream: WriteStream;
  private failure: Error | undefined;
  private readonly temp: string;

  constructor(readonly path: string) {
    this.temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.kaohe-tmp`);
    pending.add(this.temp);
    this.stream = createWriteStream(this.temp, { flags: "wx" });
    this.stream.on("error", (error) => {
      this.failure = error;
    });
  }

  /** Writes text (or bytes), waiting when the stream's buffer is full (bounded memory). */
  async write(text: string | Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.stream.write(text)) {
      await new Promise<void>((done) => {
        const finish = () => {
          this.stream.off("drain", finish);
          this.stream.off("error", finish);
          done();
        };
        this.stream.once("drain", finish);
        this.stream.once("error", finish);
      });
    }
    if (this.failure) throw this.failure;
  }

  private async close(): Promise<void> {
    if (this.stream.closed) return;
    await new Promise<void>((done) => this.stream.end(() => done()));
  }

  /** Closes the temporary file and renames it over the target. */
  async commit(): Promise<void> {
    await this.close();
    if (this.failure) throw this.failure;
    renameSync(this.temp, this.path);
    pending.delete(this.temp);
  }

  /** Closes and removes the temporary file; the target is left as it was. */
  async abort(): Promise<void> {
    await this.close().catch(() => undefined);
    try {
      unlinkSync(this.temp);
    } catch {
      // Never created, or already removed.
    }
    pending.delete(this.temp);
  }
}

/** A plain number (which a spreadsheet reads as a number, not a formula): `-3`, `+1.5`, `0.25`. */
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
/** The first characters that make Excel and WPS read a cell as a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Quotes a CSV cell, and (for CSV written for people) neutralises a cell that a spreadsheet would
 * run as a formula: one that begins with `=`, `+`, `-`, `@`, tab or carriage return and is not a
 * plain number gets a leading `'`, as OWASP's CSV injection guidance advises.
 *
 * @param value - The cell's text.
 * @param neutralise - False for CSV read by programs (`--raw-csv`): the text is kept as it is.
 */
export function csvCell(value: string, neutralise = true): string {
  const safe = neutralise && FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
  return /[",\r\n\t]/.test(safe) || safe !== value ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * Makes the process safe for the files it writes, once, from the entry point: Ctrl-C (SIGINT) and
 * SIGTERM remove temporary outputs, say 已中断 (interrupted) and exit 130 (143 for SIGTERM); a
 * closed standard output (EPIPE, `kaohe … | head -2`) ends the run quietly; any exit removes the
 * temporary outputs left.
 *
 * @param lang - The language of the interruption message.
 */
export function installProcessGuards(lang: Lang): void {
  const interrupted = (code: number) => () => {
    removePendingOutputs();
    process.stderr.write(`\n${pick(lang, t("已中断，输出文件未改动", "interrupted; no output file was changed"))}\n`);
    process.exit(code);
  };
  process.on("SIGINT", interrupted(EXIT.interrupted));
  process.on("SIGTERM", interrupted(EXIT.terminated));
  process.on("exit", removePendingOutputs);
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") {
        removePendingOutputs();
        process.exit(EXIT.ok);
      }
      throw error;
    });
  }
}

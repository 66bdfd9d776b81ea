import type { Readable } from "node:stream";
import { createInflateRaw, crc32 } from "node:zlib";
import yauzl from "yauzl";
import { corrupt, readError } from "./read-error";
import { partKey } from "./xlsx-book";

export { corrupt };

/** The bounds on inflating a workbook's parts (see `ReadLimits` in rows.ts for the defaults). */
export interface InflateLimits {
  /** The largest inflated size of one part, in bytes. */
  readonly maxPartSize: number;
  /** The largest ratio of inflated to compressed size of a part over 1 MiB. */
  readonly maxRatio: number;
  /** The most entries a workbook's zip may list. */
  readonly maxEntries: number;
}

/** Below this inflated size a part's ratio is not checked (small XML compresses very well). */
const RATIO_FLOOR = 1024 * 1024;

/**
 * A workbook's zip opened for reading: its central directory listed once, each part inflated on
 * demand as a stream of text, in memory only (nothing is written to disk), checked against its
 * declared size and CRC-32, and bounded by {@link InflateLimits}.
 */
export class WorkbookZip {
  private constructor(
    private readonly file: string,
    private readonly zip: yauzl.ZipFile,
    private readonly entries: ReadonlyMap<string, yauzl.Entry>,
    private readonly limits: InflateLimits,
  ) {}

  /**
   * Opens a zip and lists its entries.
   *
   * @param file - The file.
   * @param limits - The inflation bounds.
   * @returns The opened zip.
   * @throws {@link KaoheError} `corrupt_workbook` when the zip's directory is damaged, `inflate_limit` for too many entries.
   */
  static async open(file: string, limits: InflateLimits): Promise<WorkbookZip> {
    let zip: yauzl.ZipFile;
    try {
      zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
        yauzl.open(file, { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true }, (error, opened) => (error ? reject(error) : resolve(opened)));
      });
    } catch (error) {
      throw corrupt(file, (error as Error).message);
    }
    if (zip.entryCount > limits.maxEntries) {
      zip.close();
      throw readError(file, "inflate_limit", {
        en: `the workbook's zip lists ${zip.entryCount} entries, more than the limit of ${limits.maxEntries}`,
        zh: `工作簿压缩包列出 ${zip.entryCount} 个条目，超过上限 ${limits.maxEntries}`,
      });
    }
    const entries = new Map<string, yauzl.Entry>();
    try {
      await new Promise<void>((resolve, reject) => {
        zip.on("entry", (entry: yauzl.Entry) => {
          entries.set(partKey(entry.fileName), entry);
          zip.readEntry();
        });
        zip.on("end", () => resolve());
        zip.on("error", reject);
        zip.readEntry();
      });
    } catch (error) {
      zip.close();
      throw corrupt(file, (error as Error).message);
    }
    return new WorkbookZip(file, zip, entries, limits);
  }

  /** The names of the entries, lower-cased. */
  names(): string[] {
    return [...this.entries.keys()];
  }

  /** Whether an entry exists (names compare case-insensitively, a leading `/` ignored). */
  has(name: string): boolean {
    return this.entries.has(partKey(name));
  }

  /**
   * Inflates one part as UTF-8 text, chunk by chunk.
   *
   * @param name - The entry's name.
   * @param maxSize - A lower bound than the limits' for this part, if any.
   * @returns The text, in chunks.
   * @throws {@link KaoheError} `corrupt_workbook` for a damaged part, `inflate_limit` past the bounds.
   */
  async *text(name: string, maxSize = this.limits.maxPartSize): AsyncGenerator<string> {
    const entry = this.entries.get(partKey(name));
    if (!entry) throw corrupt(this.file, `it has no part ${name}`);
    const limit = Math.min(maxSize, this.limits.maxPartSize);
    const declared = entry.uncompressedSize;
    if (declared > limit) throw this.tooLarge(name, `inflates to ${mib(declared)}, more than the limit of ${mib(limit)}`, `解压后 ${mib(declared)}，超过上限 ${mib(limit)}`);
    const ratio = declared / Math.max(1, entry.compressedSize);
    if (declared > RATIO_FLOOR && ratio > this.limits.maxRatio) {
      throw this.tooLarge(name, `inflates ${Math.round(ratio)} times its compressed size (${mib(entry.compressedSize)} to ${mib(declared)}), more than the limit of ${this.limits.maxRatio}`, `解压后是压缩大小的 ${Math.round(ratio)} 倍（${mib(entry.compressedSize)} 到 ${mib(declared)}），超过上限 ${this.limits.maxRatio} 倍`);
    }
    if (entry.isEncrypted()) throw corrupt(this.file, `its part ${name} is encrypted`);
    if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) throw corrupt(this.file, `its part ${name} uses compression method ${entry.compressionMethod}`);
    let raw: Readable;
    try {
      raw = await new Promise<Readable>((resolve, reject) => {
        this.zip.openReadStream(entry, { decodeFileData: false }, (error, stream) => (error ? reject(error) : resolve(stream)));
      });
    } catch (error) {
      throw corrupt(this.file, `${name}: ${(error as Error).message}`);
    }
    const source: AsyncIterable<Buffer> = entry.compressionMethod === 8 ? raw.pipe(createInflateRaw()) : raw;
    raw.on("error", (error) => (source as Readable).destroy(error));
    const decoder = new TextDecoder("utf-8");
    let size = 0;
    let crc = 0;
    try {
      for await (const chunk of source) {
        size += chunk.length;
        if (size > declared) throw corrupt(this.file, `its part ${name} inflates past its declared size of ${declared} bytes`);
        crc = crc32(chunk, crc);
        yield decoder.decode(chunk, { stream: true });
      }
    } catch (error) {
      if (error instanceof Error && error.name === "KaoheError") throw error;
      throw corrupt(this.file, `${name}: ${(error as Error).message}`);
    } finally {
      raw.destroy();
      if (source !== raw) (source as Readable).destroy();
    }
    if (size !== declared) throw corrupt(this.file, `its part ${name} inflates to ${size} bytes, not the declared ${declared}`);
    if (crc >>> 0 !== entry.crc32 >>> 0) throw corrupt(this.file, `its part ${name} fails its CRC-32 check`);
    const tail = decoder.decode();
    if (tail !== "") yield tail;
  }

  /** Closes the file. */
  close(): void {
    this.zip.close();
  }

  private tooLarge(name: string, en: string, zh: string) {
    return readError(this.file, "inflate_limit", {
      en: `the workbook's part ${name} ${en} (a zip bomb?)`,
      zh: `工作簿的部件 ${name} ${zh}（疑为压缩炸弹）`,
    });
  }
}

function mib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${bytes} bytes`;
}

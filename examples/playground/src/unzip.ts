// A workbook's zip held in memory, read in the browser: the central directory listed once, each part
// inflated on demand with the platform's DecompressionStream("deflate-raw") and checked against its
// declared size and CRC-32, as the CLI's reader (src/screening/node/zip.ts, on yauzl) does.
import { corrupt, readError } from "../../../src/screening/node/read-error";
import { partKey, type WorkbookParts } from "../../../src/screening/node/xlsx-book";
import type { InflateLimits } from "../../../src/screening/node/zip";

interface Entry {
  readonly method: number;
  readonly flags: number;
  readonly crc: number;
  readonly compressed: number;
  readonly size: number;
  readonly local: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const RATIO_FLOOR = 1024 * 1024;

let crcTable: Uint32Array | undefined;
/** The CRC-32 (IEEE, as zip uses) of `bytes`, continuing from `crc`. */
export function crc32(bytes: Uint8Array, crc = 0): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = ~crc;
  for (let i = 0; i < bytes.length; i++) c = (crcTable[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return ~c >>> 0;
}

/** A zip in memory, with the parts a workbook reader asks for (see `WorkbookParts`). */
export class MemoryZip implements WorkbookParts {
  private constructor(
    private readonly file: string,
    private readonly bytes: Uint8Array,
    private readonly entries: ReadonlyMap<string, Entry>,
    private readonly limits: InflateLimits,
  ) {}

  /**
   * Lists a zip's entries from its central directory.
   *
   * @throws KaoheError `corrupt_workbook` for a damaged or ZIP64 directory, `inflate_limit` for too many entries.
   */
  static open(file: string, bytes: Uint8Array, limits: InflateLimits): MemoryZip {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let end = -1;
    for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
      if (view.getUint32(at, true) === EOCD) {
        end = at;
        break;
      }
    }
    if (end === -1) throw corrupt(file, "no end of central directory record: the file is truncated or not a zip");
    const count = view.getUint16(end + 10, true);
    const directory = view.getUint32(end + 16, true);
    if (count === 0xffff || directory === 0xffffffff) throw corrupt(file, "a ZIP64 archive, which the page does not read: use the CLI (kaohe screen)");
    if (count > limits.maxEntries) {
      throw readError(file, "inflate_limit", {
        en: `the workbook's zip lists ${count} entries, more than the limit of ${limits.maxEntries}`,
        zh: `工作簿压缩包列出 ${count} 个条目，超过上限 ${limits.maxEntries}`,
      });
    }
    const entries = new Map<string, Entry>();
    const decoder = new TextDecoder("utf-8");
    let at = directory;
    for (let i = 0; i < count; i++) {
      if (at + 46 > end || view.getUint32(at, true) !== CENTRAL) throw corrupt(file, `central directory entry ${i + 1} is damaged`);
      const nameLength = view.getUint16(at + 28, true);
      const skip = nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
      const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
      const entry: Entry = {
        flags: view.getUint16(at + 8, true),
        method: view.getUint16(at + 10, true),
        crc: view.getUint32(at + 16, true),
        compressed: view.getUint32(at + 20, true),
        size: view.getUint32(at + 24, true),
        local: view.getUint32(at + 42, true),
      };
      if (entry.compressed === 0xffffffff || entry.size === 0xffffffff || entry.local === 0xffffffff) throw corrupt(file, `its part ${name} needs ZIP64, which the page does not read: use the CLI (kaohe screen)`);
      entries.set(partKey(name), entry);
      at += 46 + skip;
    }
    return new MemoryZip(file, bytes, entries, limits);
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  has(name: string): boolean {
    return this.entries.has(partKey(name));
  }

  async *text(name: string, maxSize = this.limits.maxPartSize): AsyncGenerator<string> {
    const { file, bytes, limits } = this;
    const entry = this.entries.get(partKey(name));
    if (!entry) throw corrupt(file, `it has no part ${name}`);
    const limit = Math.min(maxSize, limits.maxPartSize);
    const ratio = entry.size / Math.max(1, entry.compressed);
    if (entry.size > limit || (entry.size > RATIO_FLOOR && ratio > limits.maxRatio)) {
      throw readError(file, "inflate_limit", {
        en: `the workbook's part ${name} inflates to ${entry.size} bytes (${Math.round(ratio)} times its compressed size), past the limits of ${limit} bytes and ${limits.maxRatio} times (a zip bomb?)`,
        zh: `工作簿的部件 ${name} 解压后 ${entry.size} 字节（压缩大小的 ${Math.round(ratio)} 倍），超过上限 ${limit} 字节或 ${limits.maxRatio} 倍（疑为压缩炸弹）`,
      });
    }
    if (entry.flags & 1) throw corrupt(file, `its part ${name} is encrypted`);
    if (entry.method !== 0 && entry.method !== 8) throw corrupt(file, `its part ${name} uses compression method ${entry.method}`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (entry.local + 30 > bytes.length || view.getUint32(entry.local, true) !== LOCAL) throw corrupt(file, `the local header of ${name} is damaged`);
    const start = entry.local + 30 + view.getUint16(entry.local + 26, true) + view.getUint16(entry.local + 28, true);
    if (start + entry.compressed > bytes.length) throw corrupt(file, `its part ${name} is truncated`);
    const data = bytes.subarray(start, start + entry.compressed);
    const source = entry.method === 8 ? chunksOf(new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("deflate-raw"))) : [data];
    const decoder = new TextDecoder("utf-8");
    let size = 0;
    let crc = 0;
    try {
      for await (const chunk of source) {
        size += chunk.length;
        if (size > entry.size) throw corrupt(file, `its part ${name} inflates past its declared size of ${entry.size} bytes`);
        crc = crc32(chunk, crc);
        yield decoder.decode(chunk, { stream: true });
      }
    } catch (error) {
      if (error instanceof Error && error.name === "KaoheError") throw error;
      throw corrupt(file, `${name}: ${(error as Error).message}`);
    }
    if (size !== entry.size) throw corrupt(file, `its part ${name} inflates to ${size} bytes, not the declared ${entry.size}`);
    if (crc !== entry.crc >>> 0) throw corrupt(file, `its part ${name} fails its CRC-32 check`);
    const tail = decoder.decode();
    if (tail !== "") yield tail;
  }

  close(): void {}
}

/** The chunks of a stream (a reader loop: not every browser iterates a ReadableStream). */
async function* chunksOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) yield next.value;
  } finally {
    reader.releaseLock();
  }
}

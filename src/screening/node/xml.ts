import { SaxesParser } from "saxes";
import { corrupt } from "./read-error";

/** The handlers of {@link parseXml}: element names come without their namespace prefix. */
export interface XmlHandlers {
  open(name: string, attributes: Readonly<Record<string, string>>, selfClosing: boolean): void;
  text(text: string): void;
  close(name: string): void;
}

/** An element's or attribute's name without its namespace prefix (`x:row` → `row`). */
export function localName(name: string): string {
  const colon = name.indexOf(":");
  return colon === -1 ? name : name.slice(colon + 1);
}

/**
 * Feeds XML text, chunk by chunk, to saxes (a conforming streaming parser) and yields after each
 * chunk so that the caller can hand on what the handlers collected. A run of text or of one tag
 * longer than `maxRun` characters (no `<` or `>` in it) is refused before saxes buffers it.
 *
 * @param file - The workbook, named in errors.
 * @param part - The part's name, named in errors.
 * @param chunks - The part's text.
 * @param handlers - What to do with elements and text.
 * @param maxRun - The longest run of characters between markup.
 * @returns After each chunk, nothing; the caller drains its handlers' output.
 * @throws {@link KaoheError} `corrupt_workbook` for malformed XML, `inflate_limit` for an over-long run.
 */
export async function* parseXml(file: string, part: string, chunks: AsyncIterable<string>, handlers: XmlHandlers, maxRun: number): AsyncGenerator<void> {
  const parser = new SaxesParser({ position: false });
  parser.on("error", (error) => {
    throw corrupt(file, `${part}: ${error.message}`);
  });
  parser.on("opentag", (tag) => handlers.open(localName(tag.name), tag.attributes as Record<string, string>, tag.isSelfClosing));
  parser.on("closetag", (tag) => handlers.close(localName(tag.name)));
  parser.on("text", (text) => handlers.text(text));
  parser.on("cdata", (text) => handlers.text(text));
  let run = 0;
  for await (const chunk of chunks) {
    const first = firstMarkup(chunk);
    if (first === -1) run += chunk.length;
    else {
      run += first;
      if (run <= maxRun) run = chunk.length - 1 - Math.max(chunk.lastIndexOf("<"), chunk.lastIndexOf(">"));
    }
    if (run > maxRun) throw corrupt(file, `${part} has a run of more than ${maxRun} characters without markup (a cell or tag that large is not a spreadsheet's)`);
    parser.write(chunk);
    yield;
  }
  parser.close();
  yield;
}

function firstMarkup(chunk: string): number {
  const lt = chunk.indexOf("<");
  const gt = chunk.indexOf(">");
  return lt === -1 ? gt : gt === -1 ? lt : Math.min(lt, gt);
}

/** The text of an attribute by its local name (`r:id` matches `id` only when asked with a prefix-free name). */
export function attribute(attributes: Readonly<Record<string, string>>, name: string): string | undefined {
  const direct = attributes[name];
  if (direct !== undefined) return direct;
  for (const key of Object.keys(attributes)) if (localName(key) === name && key !== name) return attributes[key];
  return undefined;
}

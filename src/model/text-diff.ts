/** A piece of a text diff: kept (`=`), removed (`-`) or added (`+`). */
export interface TextDiffPart {
  /** Kept (`=`), removed (`-`) or added (`+`). */
  readonly op: "=" | "-" | "+";
  /** The text of the piece. */
  readonly text: string;
}

/** Longer texts are compared by sentences, not characters, to bound the work. */
const CHARACTER_LIMIT = 4000;

/**
 * A character diff of two texts (a longest common subsequence, by code point), or a sentence
 * diff when either is long: the parts that turn `a` into `b`, adjacent parts of one kind merged.
 */
export function diffText(a: string, b: string): TextDiffPart[] {
  const long = a.length > CHARACTER_LIMIT || b.length > CHARACTER_LIMIT;
  const split = (text: string) => (long ? text.split(/(?<=[。；;\n])/) : Array.from(text));
  const x = split(a);
  const y = split(b);
  // Trim the common head and tail first: most edits change a little in the middle.
  let head = 0;
  while (head < x.length && head < y.length && x[head] === y[head]) head++;
  let tail = 0;
  while (tail < x.length - head && tail < y.length - head && x[x.length - 1 - tail] === y[y.length - 1 - tail]) tail++;
  const xs = x.slice(head, x.length - tail);
  const ys = y.slice(head, y.length - tail);
  const parts: TextDiffPart[] = [];
  const push = (op: TextDiffPart["op"], text: string) => {
    const last = parts[parts.length - 1];
    if (text === "") return;
    if (last && last.op === op) parts[parts.length - 1] = { op, text: last.text + text };
    else parts.push({ op, text });
  };
  push("=", x.slice(0, head).join(""));
  const n = xs.length;
  const m = ys.length;
  const table: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    const row = table[i] as Uint32Array;
    const below = table[i + 1] as Uint32Array;
    for (let j = m - 1; j >= 0; j--) row[j] = xs[i] === ys[j] ? (below[j + 1] as number) + 1 : Math.max(below[j] as number, row[j + 1] as number);
  }
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && xs[i] === ys[j]) {
      push("=", xs[i++] as string);
      j++;
    } else if (i < n && (j === m || ((table[i + 1] as Uint32Array)[j] ?? 0) >= ((table[i] as Uint32Array)[j + 1] ?? 0))) push("-", xs[i++] as string);
    else push("+", ys[j++] as string);
  }
  push("=", x.slice(x.length - tail).join(""));
  return parts;
}

/**
 * Renders a text diff on one line: removed text as `[-…-]`, added as `{+…+}`, long kept runs cut
 * to a few characters of context on each side.
 */
export function renderTextDiff(parts: readonly TextDiffPart[], context = 8): string {
  return parts
    .map((part, index) => {
      if (part.op === "-") return `[-${part.text}-]`;
      if (part.op === "+") return `{+${part.text}+}`;
      const chars = Array.from(part.text);
      const first = index === 0;
      const last = index === parts.length - 1;
      if (chars.length <= context * 2 + 1) return part.text;
      if (first) return `…${chars.slice(-context).join("")}`;
      if (last) return `${chars.slice(0, context).join("")}…`;
      return `${chars.slice(0, context).join("")}…${chars.slice(-context).join("")}`;
    })
    .join("");
}

import { readFileSync } from "node:fs";
import { runChecklistCommand } from "../../src/cli/checklist";

/** Reads a JSON file of the repository. */
export function readRepoJson<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), "utf8")) as T;
}

/** Runs `kaohe checklist` in process with files from a map (or the disk) and captures its output. */
export function runChecklistCaptured(args: string[], files: Record<string, string> = {}): { code: number; stdout: string; stderr: string } {
  const out: string[] = [];
  const err: string[] = [];
  const code = runChecklistCommand(args, {
    readFile: (path) => files[path] ?? readFileSync(path, "utf8"),
    stdout: (line) => out.push(line),
    stderr: (line) => err.push(line),
  });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

/** Captures what a function throws. */
export function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

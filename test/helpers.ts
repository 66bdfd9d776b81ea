import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020";
import { runCli } from "../src/cli/main";
import { jiangxi2025, withMethods, withPoints, type Framework, type ScoreResult } from "../src/index";

/** Reads a JSON file of the repository. */
export function readRepoJson<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(new URL(`../${path}`, import.meta.url), "utf8")) as T;
}

interface PointsFile {
  points: Record<string, number | string>;
  methods: Record<string, "manual" | "findings">;
  total: number;
}

/** The embedded framework with the examples' illustrative points (and indicator 9 by findings). */
export function exampleFramework(): Framework {
  const file = readRepoJson<PointsFile>("examples/jiangxi-2025/points.json");
  return withPoints(withMethods(jiangxi2025, file.methods), file.points, { total: file.total });
}

/** The examples' illustrative grade bands. */
export function exampleGrades(): { grade: string; min: number }[] {
  return readRepoJson<{ grades: { grade: string; min: number }[] }>("examples/jiangxi-2025/grades.json").grades;
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
const resultValidator = ajv.compile(readRepoJson<object>("schemas/result.schema.json"));

/** Asserts that a result validates against the published result JSON Schema (with ajv). */
export function assertValidResult(result: ScoreResult): void {
  if (!resultValidator(JSON.parse(JSON.stringify(result)))) {
    throw new Error(`result does not match schemas/result.schema.json: ${ajv.errorsText(resultValidator.errors)}`);
  }
}

/** Runs the CLI in process with files from a map (or the disk) and captures its output. */
export async function runCliCaptured(
  args: string[],
  files: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    readFile: (path) => files[path] ?? readFileSync(path, "utf8"),
    stdout: (line) => out.push(line),
    stderr: (line) => err.push(line),
  });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

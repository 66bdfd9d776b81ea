// npm run bench:score — validate + score + digest the 11 example assessments repeatedly, beside a
// same-run baseline (JSON.parse + JSON.stringify of the same inputs), in interleaved rounds.
// Prints assessments/s (median of rounds) and the ratio to the baseline. Not a test: machines are
// shared and noisy, so only the same-process ratio means much. Issue 15's goal is ≥ 20,000/s for
// "prepared framework and options". The "of which" lines time one step alone, as scoreAssessment
// runs it on valid input (the one-walk read, not zod, unless the input needs the full checks).
import { readFileSync, readdirSync } from "node:fs";
import { AssessmentSchema, jiangxi2025, type Assessment, type AssessmentInput, prepareFramework, prepareScoreOptions, scoreAssessment, withMethods, withPoints, canonicalJson, digestJson, parseAssessment } from "../src/index";
import { readAssessment } from "../src/scoring/fast-read";
import { assessmentJson } from "../src/scoring/canonical-json";
import { sha256Hex } from "../src/scoring/digest";
import { checkInputStructure } from "../src/model/read";

const dir = "examples/jiangxi-2025";
const pointsFile = JSON.parse(readFileSync(`${dir}/points.json`, "utf8"));
const grades = JSON.parse(readFileSync(`${dir}/grades.json`, "utf8")).grades;
const framework = withPoints(withMethods(jiangxi2025, pointsFile.methods), pointsFile.points, { total: pointsFile.total });
const prepared = prepareFramework(framework);
const texts = readdirSync(`${dir}/assessments`).map((f) => readFileSync(`${dir}/assessments/${f}`, "utf8"));
const inputs = texts.map((t) => JSON.parse(t) as AssessmentInput);
const preparedOptions = prepareScoreOptions({ grades });
// The digest is of the assessment in canonical order; these are close enough (parsed, not sorted).
const parsed = inputs.map((a) => parseAssessment(a));

const rounds = Number(process.argv[process.argv.indexOf("--rounds") + 1]) || 9;
const perRound = Number(process.argv[process.argv.indexOf("--per-round") + 1]) || 2000;

function time(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

let sink = 0;
const variants: Record<string, () => void> = {
  "baseline: JSON.parse + JSON.stringify": () => {
    for (let i = 0; i < perRound; i++) sink += JSON.stringify(JSON.parse(texts[i % texts.length] ?? "{}")).length;
  },
  "scoreAssessment (validate + score + digest)": () => {
    for (let i = 0; i < perRound; i++) sink += scoreAssessment(framework, (inputs[i % inputs.length] as AssessmentInput), { grades }).total.length;
  },
  "scoreAssessment with a prepared framework": () => {
    for (let i = 0; i < perRound; i++) sink += scoreAssessment(prepared, (inputs[i % inputs.length] as AssessmentInput), { grades }).total.length;
  },
  "scoreAssessment, prepared framework and options": () => {
    for (let i = 0; i < perRound; i++) sink += scoreAssessment(prepared, (inputs[i % inputs.length] as AssessmentInput), preparedOptions).total.length;
  },
  "  of which: one-walk read of the assessment": () => {
    for (let i = 0; i < perRound; i++) sink += readAssessment(inputs[i % inputs.length]) ? 1 : 0;
  },
  // As scoring takes it: the JSON written from the assessment's shape, hashed natively where Node allows.
  "  of which: digest of the assessment": () => {
    for (let i = 0; i < perRound; i++) sink += sha256Hex(assessmentJson(parsed[i % parsed.length] as Assessment, prepared.index.idOrder)).length;
  },
  "  of which: canonical JSON of the assessment": () => {
    for (let i = 0; i < perRound; i++) sink += assessmentJson(parsed[i % parsed.length] as Assessment, prepared.index.idOrder).length;
  },
  "  the same by canonicalJson (any value)": () => {
    for (let i = 0; i < perRound; i++) sink += canonicalJson(parsed[i % parsed.length]).length;
  },
  "  options validated per call (prepareScoreOptions)": () => {
    for (let i = 0; i < perRound; i++) sink += prepareScoreOptions({ grades }).grades?.length ?? 0;
  },
  "  full checks, for input that fails the read: zod": () => {
    for (let i = 0; i < perRound; i++) sink += AssessmentSchema.safeParse(inputs[i % inputs.length]).success ? 1 : 0;
  },
  "  full checks: structure walk (forbidden keys, depth)": () => {
    for (let i = 0; i < perRound; i++) sink += checkInputStructure(inputs[i % inputs.length]).length;
  },
  "  of which: digest of the framework alone": () => {
    for (let i = 0; i < perRound; i++) sink += digestJson(framework).length;
  },
  "  of which: canonical JSON of the framework alone": () => {
    for (let i = 0; i < perRound; i++) sink += canonicalJson(framework).length;
  },
};

const times: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (const run of Object.values(variants)) run(); // warm up
for (let r = 0; r < rounds; r++) {
  for (const [name, run] of Object.entries(variants)) times[name]?.push(time(run));
}

const rate = (name: string) => perRound / median(times[name] ?? []);
const base = rate("baseline: JSON.parse + JSON.stringify");
console.log(`bench:score — ${rounds} interleaved rounds of ${perRound} assessments, medians (node ${process.version})`);
for (const name of Object.keys(variants)) {
  console.log(`${name.padEnd(54)} ${rate(name).toFixed(0).padStart(10)} /s   ${(rate(name) / base).toFixed(4)} × baseline`);
}
if (sink === 0) console.log("(sink)");

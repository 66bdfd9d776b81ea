// The playground: scoring, rules and screening from the library, in the page, under a strict CSP.
import "./zod-jitless";
import {
  formatSourceRef,
  explainResult,
  isKaoheError,
  jiangxi2025,
  ruleNumberToString,
  safeCompileRule,
  safeScoreAssessment,
  withMethods,
  withPoints,
} from "kaohe";
import type { Framework, JsonLogicRule, RuleValue, ScoreOptions, ScoreResult } from "kaohe";
import { pick } from "../../../src/internal/i18n";
import rulebookExample from "../../screening/rulebook.json";
import grades from "../../jiangxi-2025/grades.json";
import points from "../../jiangxi-2025/points.json";
import { EXAMPLE_ASSESSMENTS, EXAMPLE_CSV } from "./examples";
import { TEXT, type Lang, type TextKey } from "./i18n";
import type { ExportScreening } from "./screen-export";

let lang: Lang = "zh";
const t = (key: TextKey): string => pick(lang, TEXT[key]);

/** Creates an element with attributes and children; text is always set as text, never as HTML. */
function el(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}
function label(key: TextKey, forId: string): HTMLElement {
  return el("label", { for: forId, "data-text": key }, t(key));
}
function table(testId: string, headings: TextKey[], rows: (string | Node)[][], numeric: number[] = []): HTMLElement {
  return el(
    "table",
    { "data-testid": testId },
    el("thead", {}, el("tr", {}, ...headings.map((h) => el("th", { "data-text": h }, t(h))))),
    el("tbody", {}, ...rows.map((cells) => el("tr", {}, ...cells.map((c, i) => el("td", numeric.includes(i) ? { class: "num" } : {}, c))))),
  );
}
function errorBox(testId: string, message: string): HTMLElement {
  return el("p", { class: "error", "data-testid": testId }, message);
}
function issuesText(error: unknown): string {
  if (isKaoheError(error)) return error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${lang === "zh" && i.zh ? i.zh : i.message}`).join("\n");
  return error instanceof Error ? error.message : String(error);
}
function readJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: `${t("invalidJson")}: ${(error as Error).message}` };
  }
}

// ---- Scoring -------------------------------------------------------------------------------

/** The embedded framework with the illustrative points (and methods) of examples/jiangxi-2025/. */
function frameworkWithPoints(): Framework {
  const methods = points.methods as Record<string, "manual" | "findings">;
  return withPoints(withMethods(jiangxi2025, methods), points.points, { total: points.total });
}

function renderScore(out: HTMLElement, result: ScoreResult): void {
  const categories = table(
    "categories",
    ["category", "points", "scoreCol"],
    result.categories.map((c) => [`${c.code}、${c.name}`, c.points, c.score]),
    [1, 2],
  );
  const matters = result.deductions.matters.map((m) => [
    m.matter,
    el("span", {}, `${m.clause.id} `, el("span", { class: "source" }, formatSourceRef(m.clause.source))),
    `−${m.points}`,
    el("span", { class: "superseded", "data-testid": "superseded" }, m.superseded.map((c) => `${c.id}（−${c.points}）`).join("、")),
  ]);
  const severe = result.severe
    ? el("span", { class: "flag", "data-testid": "severe" }, `${result.severe.reason}${result.severe.source ? `（${formatSourceRef(result.severe.source)}）` : ""}`)
    : el("span", { "data-testid": "severe" }, t("none"));
  const flags = [result.flags.downgrade ? t("downgrade") : "", result.flags.interview ? t("interview") : ""].filter(Boolean).join("、");
  const explanation = explainResult(result)
    .map((line) => `${"  ".repeat(line.level)}${line.text}${line.source ? `  ——${formatSourceRef(line.source)}` : ""}`)
    .join("\n");
  out.replaceChildren(
    el("p", {}, el("span", { "data-text": "total" }, t("total")), "：", el("span", { class: "total", "data-testid": "total" }, result.total)),
    el("p", {}, el("span", { "data-text": "grade" }, t("grade")), "：", el("span", { "data-testid": "grade" }, result.grade?.final ?? t("noGrade")),
      result.grade?.downgraded ? el("span", { class: "flag" }, `（${result.grade.base} → ${result.grade.final}）`) : ""),
    el("p", {}, el("span", { "data-text": "severe" }, t("severe")), "：", severe, flags ? el("span", { class: "flag", "data-testid": "flags" }, ` ${flags}`) : ""),
    el("h3", { "data-text": "categories" }, t("categories")),
    categories,
    el("h3", { "data-text": "deductions" }, t("deductions")),
    matters.length > 0 ? table("matters", ["matter", "clause", "deducted", "superseded"], matters, [2]) : el("p", { "data-testid": "matters" }, t("noDeductions")),
    el("h3", { "data-text": "explanation" }, t("explanation")),
    el("pre", { class: "explanation", "data-testid": "explanation" }, explanation),
  );
}

function scorePanel(panel: HTMLElement): () => void {
  const select = el("select", { id: "example", "data-testid": "example" }, ...Object.keys(EXAMPLE_ASSESSMENTS).map((name) => el("option", { value: name }, name)));
  const frameworkSelect = el("select", { id: "framework" }, el("option", { value: "jiangxi2025" }, jiangxi2025.title));
  const usePoints = el("input", { type: "checkbox", id: "illustrative", checked: "" }) as HTMLInputElement;
  const input = el("textarea", { id: "assessment", "data-testid": "assessment", spellcheck: "false" }) as HTMLTextAreaElement;
  const out = el("div", { "data-testid": "score-output" });
  const load = () => {
    input.value = JSON.stringify(EXAMPLE_ASSESSMENTS[(select as HTMLSelectElement).value], null, 2);
  };
  const run = () => {
    const parsed = readJson(input.value);
    if (!parsed.ok) return out.replaceChildren(errorBox("score-error", parsed.message));
    const framework = usePoints.checked ? frameworkWithPoints() : jiangxi2025;
    const options: ScoreOptions = usePoints.checked ? { grades: grades.grades } : {};
    const scored = safeScoreAssessment(framework, parsed.value as never, options);
    if (!scored.success) return out.replaceChildren(errorBox("score-error", issuesText(scored.error)));
    renderScore(out, scored.data);
  };
  select.addEventListener("change", () => (load(), run()));
  const button = el("button", { type: "button", "data-testid": "score", "data-text": "score" }, t("score"));
  button.addEventListener("click", run);
  panel.append(
    el("div", { class: "row" },
      el("div", {},
        label("framework", "framework"), frameworkSelect,
        el("label", { for: "illustrative" }, usePoints, " ", el("span", { "data-text": "illustrative" }, t("illustrative"))),
        label("example", "example"), select,
        label("assessment", "assessment"), input, button),
      out),
  );
  load();
  return run;
}

// ---- Rules ---------------------------------------------------------------------------------

function showValue(value: RuleValue): string {
  // A number as the exact decimal the engine computed (never 1e-7), anything else as JSON.
  return typeof value === "number" ? ruleNumberToString(value) : JSON.stringify(value);
}

function rulesPanel(panel: HTMLElement): () => void {
  const rule = el("textarea", { id: "rule", "data-testid": "rule", spellcheck: "false" }) as HTMLTextAreaElement;
  const data = el("textarea", { id: "rule-data", "data-testid": "rule-data", spellcheck: "false" }) as HTMLTextAreaElement;
  rule.value = JSON.stringify({ and: [{ "<": [{ var: "perCapitaIncome" }, { var: "line" }] }, { "==": [{ var: "riskStatus" }, "已消除"] }] }, null, 2);
  data.value = JSON.stringify({ perCapitaIncome: "6000", line: 7600, riskStatus: "已消除" }, null, 2);
  const out = el("div", { "data-testid": "rule-output" });
  const run = () => {
    const r = readJson(rule.value);
    const d = readJson(data.value);
    if (!r.ok || !d.ok) return out.replaceChildren(errorBox("rule-error", !r.ok ? `${t("rule")}: ${r.message}` : `${t("data")}: ${(d as { message: string }).message}`));
    const compiled = safeCompileRule(r.value as JsonLogicRule);
    if (!compiled.success) return out.replaceChildren(errorBox("rule-error", issuesText(compiled.error)));
    const variables = el("p", {}, el("span", { "data-text": "variables" }, t("variables")), "：", el("code", { "data-testid": "rule-variables" }, compiled.data.variables.join(", ")));
    let value: RuleValue;
    try {
      value = compiled.data.evaluate(d.value);
    } catch (error) {
      return out.replaceChildren(variables, errorBox("rule-error", issuesText(error)));
    }
    out.replaceChildren(el("p", {}, el("span", { "data-text": "result" }, t("result")), "：", el("code", { class: "total", "data-testid": "rule-result" }, showValue(value))), variables);
  };
  const button = el("button", { type: "button", "data-testid": "evaluate", "data-text": "evaluate" }, t("evaluate"));
  button.addEventListener("click", run);
  panel.append(el("div", { class: "row" }, el("div", {}, label("rule", "rule"), rule), el("div", {}, label("data", "rule-data"), data)), button, out);
  return run;
}

// ---- Screening -----------------------------------------------------------------------------

function screenPanel(panel: HTMLElement): void {
  const csvInput = el("input", { type: "file", id: "csv", accept: ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "data-testid": "csv" }) as HTMLInputElement;
  const bookInput = el("input", { type: "file", id: "rulebook", accept: ".json,application/json", "data-testid": "rulebook" }) as HTMLInputElement;
  const out = el("div", { "data-testid": "screen-output" });
  const worker = new Worker(new URL("./screen-worker.js", import.meta.url), { type: "module" });
  worker.onmessage = (event: MessageEvent<{ ok: true; result: ExportScreening } | { ok: false; message: string }>) => {
    const reply = event.data;
    if (!reply.ok) return out.replaceChildren(errorBox("screen-error", reply.message));
    const { result } = reply;
    const { counts, summary } = result;
    const sheet = result.sheet === undefined ? "" : lang === "zh" ? `工作表「${result.sheet}」：` : `sheet "${result.sheet}": `;
    const summaryText = sheet + (lang === "zh"
      ? `读入 ${counts.rowsRead} 行，筛查 ${counts.rowsScreened} 行，未筛查 ${counts.rowsRejected} 行；问题 ${counts.findings} 条，未能判定 ${counts.ruleFailures} 条`
      : `${counts.rowsRead} rows read, ${counts.rowsScreened} screened, ${counts.rowsRejected} rejected; ${counts.findings} findings, ${counts.ruleFailures} rules undecided`);
    const byRule = summary.byRule.map((r) => [r.code, r.title, String(r.findings), String(r.ruleFailures)]);
    out.replaceChildren(
      el("h3", { "data-text": "summary" }, t("summary")),
      el("p", { "data-testid": "screen-summary" }, summaryText),
      byRule.length > 0 ? table("screen-by-rule", ["code", "message", "findings", "undecided"], byRule, [2, 3]) : "",
      el("h3", { "data-text": "findings" }, t("findings")),
      table("findings", ["code", "severity", "unit", "record", "rowCol", "message"],
        result.findings.map((f) => [f.code, f.kind === "data_quality" ? "数据质量" : f.severity, [f.unit.county, f.unit.township, f.unit.village].filter(Boolean).join(" "), f.recordId, String(f.row), f.kind === "data_quality" ? f.zh : f.message])),
      result.rejected.length > 0 ? el("h3", { "data-text": "rejected" }, t("rejected")) : "",
      result.rejected.length > 0 ? table("rejected", ["rowCol", "message"], result.rejected.map((r) => [String(r.row), r.reason])) : "",
    );
  };
  const run = async (bytes: Uint8Array, file: string, rulebook: string) => {
    out.replaceChildren(el("p", {}, t("screening")));
    worker.postMessage({ bytes, file, rulebook }, [bytes.buffer]);
  };
  const fromFiles = async () => {
    const data = csvInput.files?.[0];
    const book = bookInput.files?.[0];
    if (!data || !book) return out.replaceChildren(errorBox("screen-error", t("needFiles")));
    await run(new Uint8Array(await data.arrayBuffer()), data.name, await book.text());
  };
  const button = el("button", { type: "button", "data-testid": "screen", "data-text": "runScreen" }, t("runScreen"));
  button.addEventListener("click", () => void fromFiles());
  const example = el("button", { type: "button", "data-testid": "screen-example", "data-text": "loadExample" }, t("loadExample"));
  example.addEventListener("click", () => void run(new TextEncoder().encode(EXAMPLE_CSV), "synthetic-households.csv", JSON.stringify(rulebookExample)));
  panel.append(
    el("div", { class: "row" }, el("div", {}, label("csvFile", "csv"), csvInput), el("div", {}, label("rulebookFile", "rulebook"), bookInput)),
    el("p", {}, button, " ", example),
    el("p", { class: "note", "data-text": "exportNote" }, t("exportNote")),
    out,
  );
}

// ---- Page ----------------------------------------------------------------------------------

const reruns: (() => void)[] = [];
function setLang(next: Lang): void {
  lang = next;
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  for (const node of document.querySelectorAll<HTMLElement>("[data-text]")) node.textContent = t(node.dataset.text as TextKey);
  (document.getElementById("lang") as HTMLElement).textContent = lang === "zh" ? "English" : "中文";
  for (const rerun of reruns) rerun();
}
function showTab(name: string): void {
  for (const button of document.querySelectorAll<HTMLElement>("[data-tab]")) button.setAttribute("aria-selected", String(button.dataset.tab === name));
  for (const panel of document.querySelectorAll<HTMLElement>(".panel")) panel.hidden = panel.id !== `panel-${name}`;
}

const runScore = scorePanel(document.getElementById("panel-score") as HTMLElement);
const runRule = rulesPanel(document.getElementById("panel-rules") as HTMLElement);
screenPanel(document.getElementById("panel-screen") as HTMLElement);
reruns.push(runScore, runRule);
for (const button of document.querySelectorAll<HTMLElement>("[data-tab]")) button.addEventListener("click", () => showTab(button.dataset.tab as string));
document.getElementById("lang")?.addEventListener("click", () => setLang(lang === "zh" ? "en" : "zh"));
showTab("score");
runScore();
runRule();
document.body.dataset.ready = "true";

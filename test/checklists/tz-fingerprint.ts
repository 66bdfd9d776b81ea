// Computes the answers of the checklist functions on a fixed set of inputs, for the time-zone test:
// run as a script (`node --import tsx test/checklists/tz-fingerprint.ts`) it prints them as JSON,
// with the process's zone offset beside them to prove that TZ took effect.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { checklistStatus, expandRecurrence, markVisits, summarizeRectifications } from "../../src/checklists/index";
import { runChecklistCommand } from "../../src/cli/checklist";
import { nearTermChecklist2025 } from "../../src/frameworks/nearTermChecklist2025";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** The answers, as one JSON-able value. */
export function fingerprint(): unknown {
  const cli = ["2025-10-28", "2025-11-01", "2025-11-05", "2025-11-12"].map((asOf) => {
    const out: string[] = [];
    runChecklistCommand([`${root}examples/county-2025/progress.json`, "--as-of", asOf, "--format", "json"], {
      readFile: (path) => readFileSync(path, "utf8"),
      stdout: (line) => out.push(line),
      stderr: (line) => out.push(line),
    });
    return out.join("\n");
  });
  const units = [{ id: "a", name: "甲镇" }];
  const offsets = ["Z", "+08:00", "-09:30", "+13:45", "-03:30", "+05:45"];
  const statuses = [];
  for (const offset of offsets) {
    for (let hour = 0; hour < 24; hour += 1) {
      const submittedOn = `2025-10-31T${String(hour).padStart(2, "0")}:30:00${offset}`;
      const report = checklistStatus(nearTermChecklist2025, [{ unit: "a", deliverable: "t1-deployment", submittedOn }], { asOf: "2025-11-06", units });
      statuses.push(`${submittedOn} ${report.items[0]?.status} ${report.items[0]?.submittedOn}`);
    }
  }
  const task2 = nearTermChecklist2025.tasks[1]!;
  const wednesdays = expandRecurrence(task2, { from: "2024-01-01", to: "2030-12-31" }).map((o) => o.date);
  const visits = markVisits(task2, [{ unit: "e", recurrence: "t2-wednesday", on: "2026-03-31T16:00:00Z" }], {
    from: "2026-03-01",
    to: "2026-04-30",
    units: [{ id: "e", name: "县教育局" }],
    asOf: "2026-04-10",
  });
  const problems = (JSON.parse(readFileSync(`${root}examples/county-2025/progress.json`, "utf8")) as { problems: never[] }).problems;
  const summaries = ["2025-03-10", "2025-10-31", "2025-11-01", "2025-11-05"].map((asOf) => summarizeRectifications(problems, { asOf }));
  return { cli, statuses, wednesdays, visits, summaries };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(JSON.stringify({ zoneOffset: new Date(Date.UTC(2025, 0, 15)).getTimezoneOffset(), answers: fingerprint() }));
}

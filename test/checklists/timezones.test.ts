import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { fingerprint } from "./tz-fingerprint";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));
const script = fileURLToPath(new URL("./tz-fingerprint.ts", import.meta.url));

/** Zones with whole, half and quarter-hour offsets, either side of UTC, with and without daylight saving. */
const zones = [
  { tz: "UTC", offset: 0 },
  { tz: "Asia/Shanghai", offset: -480 },
  { tz: "Pacific/Chatham", offset: -825 },
  { tz: "America/St_Johns", offset: 210 },
  { tz: "Pacific/Kiritimati", offset: -840 },
  { tz: "Etc/GMT+12", offset: 720 },
];

describe("the checklist functions under other time zones", () => {
  const here = JSON.parse(JSON.stringify(fingerprint()));

  it("give answers that do not depend on the process's zone", async () => {
    const results = await Promise.all(
      zones.map(async ({ tz }) => {
        const { stdout } = await run(process.execPath, ["--import", "tsx", script], { cwd: root, env: { ...process.env, TZ: tz }, maxBuffer: 64 * 1024 * 1024 });
        return { tz, ...(JSON.parse(stdout) as { zoneOffset: number; answers: unknown }) };
      }),
    );
    for (const [i, result] of results.entries()) {
      // The zone really was in effect in the child process (January offsets, minutes west of UTC)…
      expect(result.zoneOffset, result.tz).toBe(zones[i]?.offset);
      // …and every answer is the same as in this process.
      expect(result.answers, result.tz).toEqual(here);
    }
  }, 60_000);
});

#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { langFlag } from "./command";
import { resolveLang } from "./lang";
import { runCli } from "./main";
import { installProcessGuards, removePendingOutputs } from "./output";

const args = process.argv.slice(2);
const lang = resolveLang(langFlag(args), process.env);
installProcessGuards(lang);

runCli(args, {
  readFile: (path) => (path === "-" ? readFileSync(0) : readFileSync(path)),
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Only a bug in kaohe reaches here: a user's mistake is reported by the command itself.
    removePendingOutputs();
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`${lang === "en" ? "kaohe: internal error (please report it)" : "kaohe：内部错误（请报告此问题）"}: ${text}\n`);
    process.exitCode = 70;
  },
);

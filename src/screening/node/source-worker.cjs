// The piscina task module of kaohe's worker threads when kaohe runs from its TypeScript sources
// (tests, benchmarks; the published CLI has its workers bundled, see tsup.config.ts). Piscina loads
// a task module with require() first, which tsx answers with a CommonJS translation of every
// source module, in which each imported function is read through a getter: about a tenth of a
// screening worker's time in a CPU profile (decision 0303). This module loads the same sources as
// ES modules instead (tsx's tsImport), as the main thread runs them: the worker's module is
// `workerData.source`.
"use strict";
const { workerData } = require("node:worker_threads");

let handler;
module.exports = async function run(task) {
  // tsx's ES module API (its CommonJS build cannot register the hooks from here).
  handler ??= import("tsx/esm/api").then(({ tsImport }) => tsImport(workerData.source, __filename)).then((module) => module.default);
  return (await handler)(task);
};

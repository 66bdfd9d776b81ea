import { expect } from "vitest";
import { isKaoheError } from "../../src/internal/errors";

/*
 * What every fuzz target asserts about one run: it returns, or throws only a KaoheError; it ends
 * within a bound (a hang shows as a run far past it); and it leaves every global as it found it.
 */

/** Wall time past which one run counts as a hang: far above any run's cost within the limits used. */
export const HANG_MS = 5_000;

/** fast-check options: a bounded number of runs, cut short by a time budget inside `npm test`. */
export const FUZZ = { numRuns: 1_500, interruptAfterTimeLimit: 6_000, markInterruptAsFailure: false } as const;

function describeProperties(target: object): string[] {
  return Reflect.ownKeys(target).map((key) => {
    const d = Object.getOwnPropertyDescriptor(target, key);
    const kind = d === undefined ? "?" : "value" in d ? typeof d.value : "accessor";
    return `${String(key)}:${kind}:${d?.writable ?? "-"}:${d?.enumerable ?? "-"}`;
  });
}

/** A snapshot of the globals a hostile input could change. */
export function globalsSnapshot(): string {
  return JSON.stringify({
    object: describeProperties(Object.prototype),
    array: describeProperties(Array.prototype),
    string: describeProperties(String.prototype),
    fn: describeProperties(Function.prototype),
    number: describeProperties(Number.prototype),
    global: Reflect.ownKeys(globalThis).map(String).sort(),
    protoOfObject: Object.getPrototypeOf({}) === Object.prototype,
    extensible: Object.isExtensible(Object.prototype),
  });
}

/** Runs one case: any throw other than a KaoheError, or a run past HANG_MS, fails the property. */
export function guarded<T>(run: () => T): T | undefined {
  const start = performance.now();
  let value: T | undefined;
  try {
    value = run();
  } catch (error) {
    if (!isKaoheError(error)) throw error;
    expect(error.issues.length).toBeGreaterThan(0);
    for (const issue of error.issues) expect(issue.code).toMatch(/^[a-z][a-z0-9_]*$/);
  }
  const elapsed = performance.now() - start;
  if (elapsed > HANG_MS) throw new Error(`a run took ${elapsed.toFixed(0)} ms, past the ${HANG_MS} ms bound`);
  return value;
}

/** Fails when a `safe…` result is neither a success nor a failure holding a KaoheError. */
export function expectSafe(outcome: { success: boolean; error?: unknown }): void {
  if (!outcome.success) expect(isKaoheError(outcome.error)).toBe(true);
}

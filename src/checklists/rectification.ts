import * as z from "zod/mini";
import { meta, PARSE_OPTIONS } from "../internal/zod";
import { KaoheError, toSafe, type KaoheIssue, type SafeResult } from "../internal/errors";
import { checkInputStructure } from "../model/read";
import { fromZodIssues } from "../model/issues";
import { CalendarDateSchema, IdSchema, TextSchema } from "../model/primitives";
import type { CalendarDate, ReadonlyArrays } from "../model/primitives";

/** The states of a rectification (整改), in the order a problem moves through them. */
export const RECTIFICATION_STATES = ["待整改", "整改中", "已整改", "已销号"] as const;

/** A state of a rectification: 待整改 (to do), 整改中 (in progress), 已整改 (done), 已销号 (closed). */
export type RectificationState = (typeof RECTIFICATION_STATES)[number];

/** The findings of a 回头看 review that send a rectification back (回炉), word for word. */
export const SEND_BACK_REASONS = ["整改不彻底", "成效不明显", "举一反三不到位"] as const;

/** A reason to send a rectification back through 回炉. */
export type SendBackReason = (typeof SEND_BACK_REASONS)[number];

const on = meta(CalendarDateSchema, { description: "The China calendar date of the event." });
const note = meta(z.optional(TextSchema), { description: "A free note." });

/**
 * An event of the rectification workflow, with its date:
 * - `start` (开始整改): 待整改 → 整改中;
 * - `complete` (完成整改): 整改中 → 已整改;
 * - `review-passed` (回头看通过): a 回头看 finds the rectification sound; it stays 已整改;
 * - `send-back` (回炉): a 回头看 finds it incomplete, for one or more reasons; 已整改 → 整改中;
 * - `close` (销号): 已整改 → 已销号, which is final.
 */
export const RectificationEventSchema = meta(z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("start"), on, note }),
  z.strictObject({ type: z.literal("complete"), on, note }),
  z.strictObject({ type: z.literal("review-passed"), on, note }),
  z.strictObject({
    type: z.literal("send-back"),
    on,
    reasons: meta(z.array(z.enum(SEND_BACK_REASONS)).check(z.refine((list) => list.length > 0, {
        message: "must give at least one reason (整改不彻底、成效不明显、举一反三不到位)",
        params: { code: "missing_reason" },
      })).check(z.refine((list) => new Set(list).size === list.length, { message: "must not repeat a reason", params: { code: "duplicate_reason" } })), { description: "What the 回头看 found: 整改不彻底, 成效不明显 and/or 举一反三不到位." }),
    note,
  }),
  z.strictObject({ type: z.literal("close"), on, note }),
]), { description: "Rectification event: start, complete, review-passed, send-back (回炉, with reasons) or close (销号), dated." });

/** An event of the rectification workflow: see {@link RectificationEventSchema}. */
export type RectificationEvent =
  | {
      /** 开始整改: 待整改 → 整改中. */
      type: "start";
      /** The China calendar date of the event. */
      on: CalendarDate;
      /** A free note. */
      note?: string | undefined;
    }
  | {
      /** 完成整改: 整改中 → 已整改. */
      type: "complete";
      /** The China calendar date of the event. */
      on: CalendarDate;
      /** A free note. */
      note?: string | undefined;
    }
  | {
      /** 回头看通过: a 回头看 finds the rectification sound; it stays 已整改. */
      type: "review-passed";
      /** The China calendar date of the event. */
      on: CalendarDate;
      /** A free note. */
      note?: string | undefined;
    }
  | {
      /** 回炉: a 回头看 finds the rectification incomplete; 已整改 → 整改中. */
      type: "send-back";
      /** The China calendar date of the event. */
      on: CalendarDate;
      /** What the 回头看 found (at least one, none repeated): 整改不彻底, 成效不明显 and/or 举一反三不到位. */
      reasons: SendBackReason[];
      /** A free note. */
      note?: string | undefined;
    }
  | {
      /** 销号: 已整改 → 已销号, which is final. */
      type: "close";
      /** The China calendar date of the event. */
      on: CalendarDate;
      /** A free note. */
      note?: string | undefined;
    };

/** The kinds of event: see {@link RectificationEventSchema}. */
export type RectificationEventType = RectificationEvent["type"];

/** The Chinese name of each event type, for tables and messages. */
export const RECTIFICATION_EVENT_LABELS: Readonly<Record<RectificationEventType, string>> = {
  start: "开始整改",
  complete: "完成整改",
  "review-passed": "回头看通过",
  "send-back": "回头看·回炉",
  close: "销号",
};

/** Which state each event moves a problem from, and to. Anything else is refused. */
const TRANSITIONS: Readonly<Record<RectificationEventType, readonly [RectificationState, RectificationState]>> = {
  start: ["待整改", "整改中"],
  complete: ["整改中", "已整改"],
  "review-passed": ["已整改", "已整改"],
  "send-back": ["已整改", "整改中"],
  close: ["已整改", "已销号"],
};

/** A rectification problem: what was found, by whom, for which unit, and its dated history. */
export const RectificationProblemSchema = meta(z.strictObject({
  id: IdSchema,
  title: meta(TextSchema, { description: "The problem, as the feedback states it." }),
  origin: meta(z.strictObject({
    kind: z.enum(["national-assessment", "provincial-assessment", "audit", "unannounced-visit", "other"]),
    year: z.optional(z.int().check(z.gte(2000)).check(z.lte(2100))),
    name: meta(z.optional(TextSchema), { description: "E.g. 2024 年度国家考核反馈问题." }),
  }), { description: "Where the problem was found: national or provincial assessment, audit, unannounced visit (暗访), other." }),
  unit: meta(IdSchema, { description: "The id of the unit responsible for the rectification." }),
  foundOn: meta(CalendarDateSchema, { description: "The date the problem was found or handed over." }),
  targetOn: meta(CalendarDateSchema, { description: "The target date (整改时限), inclusive." }),
  state: meta(z.enum(RECTIFICATION_STATES), { description: "The current state; must agree with the history." }),
  history: meta(z._default(z.array(RectificationEventSchema), []), { description: "Append-only, dated events, oldest first; replayed from 待整改 they give the state." }),
}), { description: "Rectification problem (整改问题): origin, unit, dates, state and its append-only history." });

/** A rectification problem: see {@link RectificationProblemSchema}. */
export interface RectificationProblem {
  /** The problem's id. */
  id: string;
  /** The problem, as the feedback states it. */
  title: string;
  /** Where the problem was found. */
  origin: {
    /** National or provincial assessment, audit, unannounced visit (暗访), or other. */
    kind: "national-assessment" | "provincial-assessment" | "audit" | "unannounced-visit" | "other";
    /** The year of the assessment or visit, when known. */
    year?: number | undefined;
    /** Its name, e.g. 2024 年度国家考核反馈问题. */
    name?: string | undefined;
  };
  /** The id of the unit responsible for the rectification. */
  unit: string;
  /** The date the problem was found or handed over. */
  foundOn: CalendarDate;
  /** The target date (整改时限), inclusive. */
  targetOn: CalendarDate;
  /** The current state; must agree with the history. */
  state: RectificationState;
  /** Append-only, dated events, oldest first; replayed from 待整改 they give the state. */
  history: RectificationEvent[];
}

/** A rectification problem as written before parsing: `history` may be left out, and arrays may be `readonly`. */
export interface RectificationProblemInput extends ReadonlyArrays<Omit<RectificationProblem, "history">> {
  /** Append-only, dated events, oldest first; replayed from 待整改 they give the state. Default none. */
  readonly history?: ReadonlyArrays<RectificationEvent[]> | undefined;
}

/** The label of a problem in messages, e.g. `整改问题 p1「…」`. */
function problemLabel(problem: { id: string; title: string }): string {
  const title = problem.title.length > 24 ? `${problem.title.slice(0, 24)}…` : problem.title;
  return `整改问题 ${problem.id}「${title}」`;
}

/** Checks one event against the state and last date it meets; returns the issues (none when allowed). */
function checkEvent(
  problem: { id: string; title: string },
  state: RectificationState,
  lastOn: string,
  event: RectificationEvent,
  path: (string | number)[],
): KaoheIssue[] {
  const issues: KaoheIssue[] = [];
  const [from, to] = TRANSITIONS[event.type];
  if (state !== from) {
    const why = state === "已销号" ? "已销号 is final" : `${RECTIFICATION_EVENT_LABELS[event.type]} needs ${from}`;
    issues.push({
      code: "transition_not_allowed",
      path: [...path, "type"],
      message: `${problemLabel(problem)} is ${state}: ${RECTIFICATION_EVENT_LABELS[event.type]} (${event.type}) cannot move it to ${to}, because ${why}`,
    });
  }
  if (event.on < lastOn) {
    issues.push({
      code: "event_date_backwards",
      path: [...path, "on"],
      message: `${problemLabel(problem)}: ${RECTIFICATION_EVENT_LABELS[event.type]} is dated ${event.on}, before the last date of its history, ${lastOn}`,
    });
  }
  return issues;
}

/**
 * Replays a history from 待整改 and reports every event the workflow refuses, and a state that does
 * not agree with the history.
 *
 * @internal
 */
export function checkProblemHistory(problem: RectificationProblem, path: (string | number)[] = []): KaoheIssue[] {
  const issues: KaoheIssue[] = [];
  let state: RectificationState = "待整改";
  let lastOn = problem.foundOn;
  problem.history.forEach((event, i) => {
    const found = checkEvent(problem, state, lastOn, event, [...path, "history", i]);
    issues.push(...found);
    if (found.length === 0) state = TRANSITIONS[event.type][1];
    if (event.on > lastOn) lastOn = event.on;
  });
  if (problem.targetOn < problem.foundOn) {
    issues.push({
      code: "target_before_found",
      path: [...path, "targetOn"],
      message: `${problemLabel(problem)} has target date ${problem.targetOn}, before it was found on ${problem.foundOn}`,
    });
  }
  if (issues.length === 0 && state !== problem.state) {
    issues.push({
      code: "state_mismatch",
      path: [...path, "state"],
      message: `${problemLabel(problem)} says ${problem.state}, but its history leads to ${state}`,
    });
  }
  return issues;
}

/**
 * The state of a problem as of a date: its history replayed up to and including `asOf`.
 *
 * @internal
 */
export function stateAsOf(problem: RectificationProblem, asOf: string): RectificationState {
  let state: RectificationState = "待整改";
  for (const event of problem.history) if (event.on <= asOf) state = TRANSITIONS[event.type][1];
  return state;
}

/**
 * Parses and validates a rectification problem: its shape, its dates, and its history replayed
 * from 待整改 (every transition allowed, dates never going backwards, the state agreeing).
 *
 * @param input - A problem, e.g. read from JSON.
 * @returns The typed problem.
 * @throws {@link KaoheError} holding every issue found.
 * @example
 * ```ts
 * import { parseRectificationProblem } from "kaohe";
 * const problem = parseRectificationProblem({
 *   id: "p1", title: "监测帮扶不及时", origin: { kind: "provincial-assessment", year: 2024 },
 *   unit: "town-01", foundOn: "2025-03-01", targetOn: "2025-10-31", state: "待整改",
 * });
 * problem.history; //=> []
 * ```
 */
export function parseRectificationProblem(input: unknown): RectificationProblem {
  const result = RectificationProblemSchema.safeParse(input, PARSE_OPTIONS);
  const structure = checkInputStructure(input);
  if (!result.success || structure.length > 0) {
    throw new KaoheError([...structure, ...(result.success ? [] : fromZodIssues(result.error.issues))], "Invalid rectification problem");
  }
  const issues = checkProblemHistory(result.data);
  if (result.data.history.length > MAX_RECTIFICATION_HISTORY) issues.push(historyTooLong(result.data, []));
  if (issues.length > 0) throw new KaoheError(issues, "Invalid rectification problem");
  return result.data;
}

/**
 * The most events a rectification's history may hold (a real one holds a handful). Applying one
 * more is `history_too_long`. Validation is linear in the number of events applied one by one (see
 * {@link applyRectificationEvent}); the copy and freeze of the history that each application makes
 * is not, and this bounds it (1,000 events one by one take milliseconds).
 */
export const MAX_RECTIFICATION_HISTORY = 1_000;

function historyTooLong(problem: RectificationProblem, path: (string | number)[]): KaoheIssue {
  return {
    code: "history_too_long",
    path: [...path, "history"],
    message: `${problemLabel(problem)} has ${problem.history.length} events in its history; a history holds at most ${MAX_RECTIFICATION_HISTORY}`,
    zh: `${problemLabel(problem)} 的整改记录已有 ${problem.history.length} 条，最多 ${MAX_RECTIFICATION_HISTORY} 条`,
  };
}

/**
 * The problems that {@link applyRectificationEvent} returned, deep-frozen (so they cannot have
 * changed since), with the last date of their history. Applying the next event to one of them skips
 * validating its history again, so that applying n events one by one is linear in n, not
 * quadratic. A cache of a pure function's own results: it changes no answer, only the time.
 */
const applied = new WeakMap<object, string>();

function freezeEvent(event: RectificationEvent): RectificationEvent {
  if (event.type === "send-back") Object.freeze(event.reasons);
  return Object.freeze(event);
}

function eventIssues(event: unknown): { readonly data?: RectificationEvent; readonly issues: KaoheIssue[] } {
  const parsed = RectificationEventSchema.safeParse(event, PARSE_OPTIONS);
  const issues = checkInputStructure(event, ["event"]);
  if (!parsed.success) issues.push(...fromZodIssues(parsed.error.issues).map((i) => ({ ...i, path: ["event", ...i.path] })));
  return parsed.success && issues.length === 0 ? { data: parsed.data, issues } : { issues };
}

/** Validates a problem given to applyRectificationEvent that is not one of its own results. */
function validProblem(problem: unknown, eventShape: readonly KaoheIssue[]): { readonly current: RectificationProblem; readonly lastOn: string } {
  const parsed = RectificationProblemSchema.safeParse(problem, PARSE_OPTIONS);
  const structure = checkInputStructure(problem, ["problem"]);
  if (!parsed.success || structure.length > 0) {
    const shape = parsed.success ? [] : fromZodIssues(parsed.error.issues).map((i) => ({ ...i, path: ["problem", ...i.path] }));
    throw new KaoheError([...structure, ...shape, ...eventShape], "Invalid rectification event");
  }
  if (eventShape.length > 0) throw new KaoheError(eventShape, "Invalid rectification event");
  const current = parsed.data;
  const historyIssues = checkProblemHistory(current, ["problem"]);
  if (historyIssues.length > 0) throw new KaoheError(historyIssues, "Invalid rectification problem");
  // The parsed copy is kaohe's own: freezing it changes nothing the caller holds.
  Object.freeze(current.origin);
  for (const event of current.history) freezeEvent(event);
  Object.freeze(current.history);
  const lastOn = current.history.reduce((last, e) => (e.on > last ? e.on : last), current.foundOn);
  return { current, lastOn };
}

/**
 * Applies one event to a problem and returns a new problem with the event appended to its history
 * and the state it leads to. The problem given is never changed.
 *
 * @param problem - The problem, valid as {@link parseRectificationProblem} checks it.
 * @param event - The event: `start`, `complete`, `review-passed`, `send-back` (回炉, with reasons) or `close`.
 * @returns A new problem, deep-frozen. Given back to this function, it is not validated again, so
 *   that applying events one by one validates each event once.
 * @throws {@link KaoheError} with code `transition_not_allowed` when the workflow does not allow the
 *   event in the problem's state (e.g. anything after 已销号).
 * @throws {@link KaoheError} with code `event_date_backwards` when the event is dated before the
 *   last event of the history (or before the problem was found).
 * @throws {@link KaoheError} when the problem or the event is malformed (e.g. `missing_reason`).
 * @throws {@link KaoheError} with code `history_too_long` when the history already holds
 *   {@link MAX_RECTIFICATION_HISTORY} events.
 * @example
 * ```ts
 * import { applyRectificationEvent } from "kaohe";
 * const problem = {
 *   id: "p1", title: "监测帮扶不及时", origin: { kind: "provincial-assessment" as const, year: 2024 },
 *   unit: "town-01", foundOn: "2025-03-01", targetOn: "2025-10-31", state: "已整改" as const,
 *   history: [{ type: "start" as const, on: "2025-03-05" }, { type: "complete" as const, on: "2025-06-30" }],
 * };
 * const back = applyRectificationEvent(problem, { type: "send-back", on: "2025-11-03", reasons: ["整改不彻底"] });
 * back.state; //=> "整改中"
 * problem.state; //=> "已整改"
 * ```
 */

export function applyRectificationEvent(problem: RectificationProblem | RectificationProblemInput, event: RectificationEvent): RectificationProblem {
  const known = typeof problem === "object" && problem !== null ? applied.get(problem) : undefined;
  const checked = eventIssues(event);
  const { current, lastOn } = known === undefined ? validProblem(problem, checked.issues) : { current: problem as RectificationProblem, lastOn: known };
  if (checked.data === undefined) throw new KaoheError(checked.issues, "Invalid rectification event");
  const issues = checkEvent(current, current.state, lastOn, checked.data, ["event"]);
  if (current.history.length >= MAX_RECTIFICATION_HISTORY) issues.push(historyTooLong(current, ["problem"]));
  if (issues.length > 0) throw new KaoheError(issues, "Rectification event not allowed");
  const next: RectificationProblem = Object.freeze({
    ...current,
    state: TRANSITIONS[checked.data.type][1],
    history: Object.freeze([...current.history, freezeEvent(checked.data)]) as RectificationEvent[],
  });
  applied.set(next, checked.data.on > lastOn ? checked.data.on : lastOn);
  return next;
}

/**
 * Like {@link applyRectificationEvent}, but returns `{ success: true, data }` or
 * `{ success: false, error }` instead of throwing. The problem given is never changed.
 *
 * @param problem - The problem.
 * @param event - The event to apply.
 * @returns The new problem, or the error that says why the event is refused.
 * @example
 * ```ts
 * import { safeApplyRectificationEvent } from "kaohe";
 * const closed = {
 *   id: "p1", title: "监测帮扶不及时", origin: { kind: "audit" as const }, unit: "town-01",
 *   foundOn: "2025-03-01", targetOn: "2025-10-31", state: "已销号" as const,
 *   history: [
 *     { type: "start" as const, on: "2025-03-05" },
 *     { type: "complete" as const, on: "2025-06-30" },
 *     { type: "close" as const, on: "2025-07-15" },
 *   ],
 * };
 * const result = safeApplyRectificationEvent(closed, { type: "start", on: "2025-11-01" });
 * result.success ? "applied" : result.error.issues[0]?.code; //=> "transition_not_allowed"
 * ```
 */
export function safeApplyRectificationEvent(
  problem: RectificationProblem | RectificationProblemInput,
  event: RectificationEvent,
): SafeResult<RectificationProblem> {
  return toSafe(applyRectificationEvent)(problem, event);
}

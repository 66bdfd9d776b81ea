/**
 * What kaohe's schemas need from zod beyond `zod/mini` itself (issue 12, decision 0502): zod/mini
 * keeps a browser bundle small because its schemas carry no methods, but it has no `.meta()` and
 * loads no message locale. These two pieces give it the behaviour of zod classic, without global
 * state (`z.config` is never called).
 */
import * as z from "zod/mini";
import { en } from "zod/locales";

/**
 * zod classic's `schema.meta(metadata)` for zod/mini: a copy of `schema` carrying `metadata` in
 * zod's global registry, where `z.toJSONSchema` reads descriptions. A copy, not `schema.register`,
 * so that a shared schema (`TextSchema`) described in one place is not described everywhere.
 *
 * @param schema - The schema to describe; it is left unchanged.
 * @param metadata - Its metadata, typically `{ description }`.
 * @returns The described copy.
 */
/* @__NO_SIDE_EFFECTS__ */
export function meta<T extends z.ZodMiniType>(schema: T, metadata: z.core.GlobalMeta): T {
  const described = schema.clone();
  z.globalRegistry.add(described, metadata);
  return described;
}

/**
 * The parse options for every parse whose issues reach a user: the input kept in each issue (for
 * "got …" in messages), and zod's English messages, which zod classic loads globally on import
 * and zod/mini does not load at all ("Invalid input" otherwise).
 */
export const PARSE_OPTIONS: z.core.ParseContext<z.core.$ZodIssue> = {
  reportInput: true,
  error: en().localeError,
};

import { z } from "zod";

/**
 * Row ids (revisions, threads, posts, tokens…) are PostgreSQL `integer`s:
 * 1 to 2,147,483,647. Anything else is not an id, and is refused with a
 * reason before it reaches the database (which would fail with a 500).
 */
export const MAX_ID = 2_147_483_647;

/**
 * An id in a form field (digits) or a JSON body (a number): nothing else, so
 * `true`, `[2]`, `"0x2"` or `" 2 "` are refused rather than read as ids.
 */
export const idSchema = z
  .union([z.number(), z.string().regex(/^\d{1,12}$/, "An id is a whole number.").transform(Number)], { error: "An id is a whole number." })
  .pipe(z.number().int("An id is a whole number.").min(1, "An id is a positive whole number.").max(MAX_ID, "No such id: it is too large."));

/** An id from a URL segment or query parameter, or null when it is not one. */
export function parseId(raw: unknown): number | null {
  if (typeof raw !== "string" || !/^[1-9]\d{0,9}$/.test(raw)) return null;
  const n = Number(raw);
  return n <= MAX_ID ? n : null;
}

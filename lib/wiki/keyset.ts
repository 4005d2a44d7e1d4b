/**
 * Keyset pagination for listings: a page of rows after (or before) a cursor,
 * the cursor being the sort key and id of a row at the edge of another page.
 * Never an offset: page 1,000 costs what page 1 costs. Pure, no I/O.
 */

/** A row's position in a listing: its sort key and its id (which breaks ties). */
export type Cursor = { key: string; id: number };

/** What a request asks for: the first page, the page after `after`, or the page before `before`. */
export type KeysetRequest = { after?: Cursor; before?: Cursor; limit: number };

/** One page of a listing, with the cursors of the neighbouring pages (null at either end). */
export type KeysetPage<T> = { rows: T[]; next: Cursor | null; prev: Cursor | null };

const MAX_KEY_LENGTH = 400;

/** A cursor as a query-string value (base64url of JSON). */
export function formatCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.key, cursor.id]), "utf8").toString("base64url");
}

/** A query-string value as a cursor; null for anything that is not one. */
export function parseCursor(raw: unknown): Cursor | null {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 2 * MAX_KEY_LENGTH || !/^[A-Za-z0-9_-]+$/.test(raw)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [key, id] = value as unknown[];
    if (typeof key !== "string" || key.length > MAX_KEY_LENGTH || key.includes("\u0000")) return null;
    if (typeof id !== "number" || !Number.isInteger(id) || id < 0 || id > 2_147_483_647) return null;
    return { key, id };
  } catch {
    return null;
  }
}

/** Read `after` / `before` from a route's search parameters. */
export function keysetRequest(searchParams: Record<string, string | string[] | undefined>, limit: number): KeysetRequest {
  const after = parseCursor(searchParams.after);
  if (after) return { after, limit };
  const before = parseCursor(searchParams.before);
  return before ? { before, limit } : { limit };
}

/**
 * Turn the rows a query returned into a page. The query read `limit + 1`
 * rows in its direction (ascending after a cursor or from the start,
 * descending before one): the extra row only says there is more.
 */
export function keysetPage<T>(fetched: T[], request: KeysetRequest, cursorOf: (row: T) => Cursor): KeysetPage<T> {
  const more = fetched.length > request.limit;
  const rows = fetched.slice(0, request.limit);
  if (request.before) {
    rows.reverse();
    return { rows, prev: more && rows[0] ? cursorOf(rows[0]) : null, next: rows.at(-1) ? cursorOf(rows.at(-1)!) : null };
  }
  return { rows, prev: request.after && rows[0] ? cursorOf(rows[0]) : null, next: more && rows.at(-1) ? cursorOf(rows.at(-1)!) : null };
}

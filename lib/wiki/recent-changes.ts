import "server-only";
import { and, asc, desc, eq, isNull, lt, or, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Database } from "@/lib/db/client";
import { pageLog, pages, revisions, talkPosts, talkThreads, users } from "@/lib/db/schema";
import { firstPostVisible } from "@/lib/talk/thread-visibility";
import type { PageKind } from "./page-kinds";

/** The page kinds recent changes can be filtered by. */

const parent = alias(revisions, "parent");

export type ChangeFilter = {
  hideMinor?: boolean;
  user?: string;
  kind?: PageKind;
  pageId?: number;
  limit?: number;
  before?: Date;
  /** Keyset pagination: entries older (`older`) or newer (`newer`) than this position of an earlier list. */
  cursor?: { position: ChangeCursor; direction: "older" | "newer" };
  /** Which activity to include (default: edits, page actions and talk). */
  types?: ("edit" | "log" | "talk")[];
};

/**
 * A position in recent changes: the entry's time in microseconds since the
 * epoch (exact, unlike a Date), its stream and its id. Entries are ordered by
 * (time, stream, id), newest first, so a position is never ambiguous.
 */
export type ChangeCursor = { atMicros: string; stream: number; id: number };

const STREAM = { edit: 3, log: 2, talk: 1 } as const;

/** The cursor of an entry, for the next or previous page. */
export function cursorOf(entry: ChangeEntry): ChangeCursor {
  return { atMicros: entry.atMicros, stream: STREAM[entry.type], id: entry.type === "edit" ? entry.revisionId : entry.type === "log" ? entry.logId : entry.postId };
}

/** A cursor as it appears in a query string, and back (null for anything malformed). */
export function formatCursor(c: ChangeCursor): string {
  return `${c.atMicros}.${c.stream}.${c.id}`;
}
export function parseCursor(raw: unknown): ChangeCursor | null {
  if (typeof raw !== "string") return null;
  const m = /^(\d{1,17})\.([123])\.(\d{1,10})$/.exec(raw);
  if (!m) return null;
  const id = Number(m[3]);
  return id <= 2_147_483_647 ? { atMicros: m[1]!, stream: Number(m[2]), id } : null;
}

/** The keyset condition of one stream: rows after (or before) `cursor` in the newest-first order. */
function beyond(column: AnyColumn, idColumn: AnyColumn, stream: number, cursor: ChangeFilter["cursor"]): SQL | undefined {
  if (!cursor) return undefined;
  const at = sql`(timestamp with time zone 'epoch' + ${cursor.position.atMicros}::bigint * interval '1 microsecond')`;
  const older = cursor.direction === "older";
  const strictly = older ? sql`${column} < ${at}` : sql`${column} > ${at}`;
  if (stream === cursor.position.stream) {
    return or(strictly, and(sql`${column} = ${at}`, older ? sql`${idColumn} < ${cursor.position.id}` : sql`${idColumn} > ${cursor.position.id}`));
  }
  // Same time, another stream: it sorts before or after the cursor's by its stream number.
  const inclusive = older ? sql`${column} <= ${at}` : sql`${column} >= ${at}`;
  return (stream < cursor.position.stream) === older ? inclusive : strictly;
}

const micros = (column: AnyColumn) => sql<string>`(extract(epoch from ${column}) * 1000000)::bigint::text`;

export type ChangeEntry =
  | {
      type: "edit";
      at: Date;
      atMicros: string;
      /** The stored one-line diff summary; null for revisions saved before summaries were stored. */
      diffSummary: string | null;
      revisionId: number;
      parentId: number | null;
      slug: string;
      title: string;
      kind: PageKind;
      author: string;
      authorIsSystem: boolean;
      summary: string;
      isMinor: boolean;
      length: number;
      delta: number;
      isNew: boolean;
      change: unknown;
    }
  | { type: "log"; at: Date; atMicros: string; logId: number; slug: string; title: string; kind: PageKind; author: string; action: string; reason: string; details: Record<string, unknown> }
  | { type: "talk"; at: Date; atMicros: string; postId: number; threadId: number; threadTitle: string; slug: string; title: string; kind: PageKind; author: string; isReply: boolean };

/**
 * Recent changes across the wiki (or one page): edits and page actions,
 * newest first, filterable by minor edits, user and page kind.
 */
export async function listRecentChanges(db: Database, filter: ChangeFilter = {}): Promise<ChangeEntry[]> {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
  // Newest first; a page of newer entries is read oldest first from the cursor, then turned round.
  const newer = filter.cursor?.direction === "newer";
  const order = (at: AnyColumn, id: AnyColumn) => (newer ? [asc(at), asc(id)] : [desc(at), desc(id)]);
  const userCond = filter.user ? sql`lower(${users.name}) = lower(${filter.user})` : undefined;
  // The three streams are independent queries: sent at once, not one after another.
  const editsQuery = db
    .select({
      at: revisions.createdAt,
      atMicros: micros(revisions.createdAt),
      diffSummary: revisions.diffSummary,
      revisionId: revisions.id,
      parentId: revisions.parentId,
      slug: pages.slug,
      title: pages.title,
      kind: pages.kind,
      author: users.name,
      authorIsSystem: users.isSystem,
      summary: revisions.summary,
      isMinor: revisions.isMinor,
      length: revisions.length,
      parentLength: parent.length,
      change: revisions.change,
    })
    .from(revisions)
    .innerJoin(pages, eq(pages.id, revisions.pageId))
    .innerJoin(users, eq(users.id, revisions.authorId))
    .leftJoin(parent, eq(parent.id, revisions.parentId))
    .where(
      and(
        sql`${pages.deletedAt} is null`,
        filter.hideMinor ? eq(revisions.isMinor, false) : undefined,
        filter.kind ? eq(pages.kind, filter.kind) : undefined,
        filter.pageId ? eq(pages.id, filter.pageId) : undefined,
        filter.before ? lt(revisions.createdAt, filter.before) : undefined,
        beyond(revisions.createdAt, revisions.id, STREAM.edit, filter.cursor),
        userCond,
      ),
    )
    .orderBy(...order(revisions.createdAt, revisions.id))
    .limit(limit);
  const logsQuery = db
    .select({
      at: pageLog.createdAt,
      atMicros: micros(pageLog.createdAt),
      logId: pageLog.id,
      slug: pages.slug,
      title: pages.title,
      kind: pages.kind,
      author: users.name,
      action: pageLog.action,
      reason: pageLog.reason,
      details: pageLog.details,
    })
    .from(pageLog)
    .innerJoin(pages, eq(pages.id, pageLog.pageId))
    .innerJoin(users, eq(users.id, pageLog.actorId))
    .where(
      and(
        filter.kind ? eq(pages.kind, filter.kind) : undefined,
        filter.pageId ? eq(pages.id, filter.pageId) : undefined,
        filter.before ? lt(pageLog.createdAt, filter.before) : undefined,
        beyond(pageLog.createdAt, pageLog.id, STREAM.log, filter.cursor),
        // A deleted page's log shows only its deletion (as its edits and talk are hidden), not its renames or reasons.
        or(isNull(pages.deletedAt), eq(pageLog.action, "delete")),
        userCond,
      ),
    )
    .orderBy(...order(pageLog.createdAt, pageLog.id))
    .limit(limit);
  const types = new Set(filter.types ?? ["edit", "log", "talk"]);
  const talkQuery = types.has("talk")
    ? db
        .select({
          at: talkPosts.createdAt,
          atMicros: micros(talkPosts.createdAt),
          postId: talkPosts.id,
          threadId: talkThreads.id,
          threadTitle: talkThreads.title,
          slug: pages.slug,
          title: pages.title,
          kind: pages.kind,
          memberName: users.name,
          guestName: talkPosts.guestName,
          parentId: talkPosts.parentId,
        })
        .from(talkPosts)
        .innerJoin(talkThreads, eq(talkThreads.id, talkPosts.threadId))
        .innerJoin(pages, eq(pages.id, talkThreads.pageId))
        .leftJoin(users, eq(users.id, talkPosts.authorId))
        .where(
          and(
            eq(talkPosts.status, "visible"),
            // The thread's title is shown with each entry: only threads whose first post is visible (see thread-visibility.ts).
            firstPostVisible(talkThreads.id),
            sql`${pages.deletedAt} is null`,
            filter.kind ? eq(pages.kind, filter.kind) : undefined,
            filter.pageId ? eq(pages.id, filter.pageId) : undefined,
            filter.before ? lt(talkPosts.createdAt, filter.before) : undefined,
            beyond(talkPosts.createdAt, talkPosts.id, STREAM.talk, filter.cursor),
            filter.user ? sql`lower(coalesce(${users.name}, ${talkPosts.guestName})) = lower(${filter.user})` : undefined,
          ),
        )
        .orderBy(...order(talkPosts.createdAt, talkPosts.id))
        .limit(limit)
    : Promise.resolve([]);
  const [edits, logs, talk] = await Promise.all([editsQuery, logsQuery, talkQuery]);
  const entries: ChangeEntry[] = [
    ...edits.map(({ parentLength, ...e }) => ({ type: "edit" as const, ...e, delta: e.length - (parentLength ?? 0), isNew: e.parentId === null })),
    ...logs.map((l) => ({ type: "log" as const, ...l })),
    ...talk.map(({ memberName, guestName, parentId, ...t }) => ({ type: "talk" as const, ...t, author: memberName ?? guestName ?? "Anonymous", isReply: parentId !== null })),
  ].filter((e) => types.has(e.type));
  const newestFirst = entries.sort((a, b) => compareCursors(cursorOf(b), cursorOf(a)));
  return newer ? newestFirst.slice(-limit) : newestFirst.slice(0, limit);
}

function compareCursors(a: ChangeCursor, b: ChangeCursor): number {
  const at = BigInt(a.atMicros) - BigInt(b.atMicros);
  if (at !== 0n) return at < 0n ? -1 : 1;
  return a.stream - b.stream || a.id - b.id;
}

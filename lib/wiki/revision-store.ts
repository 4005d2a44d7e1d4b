import "server-only";
import { and, asc, desc, eq, gt, lt, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Database } from "@/lib/db/client";
import { revisions, users, type Revision } from "@/lib/db/schema";

const parent = alias(revisions, "parent");

export type HistoryRow = {
  id: number;
  parentId: number | null;
  createdAt: Date;
  authorName: string;
  authorIsSystem: boolean;
  summary: string;
  isMinor: boolean;
  length: number;
  delta: number;
  change: Revision["change"];
};

/**
 * A page's history, newest first, keyset-paginated by revision id: `before`
 * gives older rows, `after` newer ones. Reads the narrow (page_id, id) index
 * and never the bodies; the size change comes from the parent's length.
 */
export async function listHistory(
  db: Database,
  pageId: number,
  options: { before?: number; after?: number; limit?: number } = {},
): Promise<{ rows: HistoryRow[]; hasOlder: boolean; hasNewer: boolean }> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const newerFirst = options.after === undefined;
  const rows = await db
    .select({
      id: revisions.id,
      parentId: revisions.parentId,
      createdAt: revisions.createdAt,
      authorName: users.name,
      authorIsSystem: users.isSystem,
      summary: revisions.summary,
      isMinor: revisions.isMinor,
      length: revisions.length,
      parentLength: parent.length,
      change: revisions.change,
    })
    .from(revisions)
    .innerJoin(users, eq(users.id, revisions.authorId))
    .leftJoin(parent, eq(parent.id, revisions.parentId))
    .where(
      and(
        eq(revisions.pageId, pageId),
        options.before !== undefined ? lt(revisions.id, options.before) : undefined,
        options.after !== undefined ? gt(revisions.id, options.after) : undefined,
      ),
    )
    .orderBy(newerFirst ? desc(revisions.id) : asc(revisions.id))
    .limit(limit + 1);
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  if (!newerFirst) page.reverse();
  const mapped = page.map(({ parentLength, ...r }) => ({ ...r, delta: r.length - (parentLength ?? 0) }));
  return {
    rows: mapped,
    hasOlder: newerFirst ? more : options.after !== undefined,
    hasNewer: newerFirst ? options.before !== undefined : more,
  };
}

/** A revision of a page with its author's name, or null. */
export async function getRevisionWithAuthor(db: Database, pageId: number, id: number) {
  const [row] = await db
    .select({ revision: revisions, authorName: users.name })
    .from(revisions)
    .innerJoin(users, eq(users.id, revisions.authorId))
    .where(and(eq(revisions.id, id), eq(revisions.pageId, pageId)));
  return row ?? null;
}

/** The revisions just before and after `id` in the page's history. */
export async function neighbours(db: Database, pageId: number, id: number): Promise<{ previous: number | null; next: number | null }> {
  const [prev] = await db.select({ id: revisions.id }).from(revisions).where(and(eq(revisions.pageId, pageId), lt(revisions.id, id))).orderBy(desc(revisions.id)).limit(1);
  const [next] = await db.select({ id: revisions.id }).from(revisions).where(and(eq(revisions.pageId, pageId), gt(revisions.id, id))).orderBy(asc(revisions.id)).limit(1);
  return { previous: prev?.id ?? null, next: next?.id ?? null };
}

/** How many revisions a page has. */
export async function countRevisions(db: Database, pageId: number): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(revisions).where(eq(revisions.pageId, pageId));
  return row?.n ?? 0;
}

/** All revisions of a page, oldest first, bodies included (blame; bounded by `limit` newest). */
export async function revisionChain(db: Database, pageId: number, limit = 500) {
  const rows = await db
    .select({ id: revisions.id, content: revisions.content, createdAt: revisions.createdAt, summary: revisions.summary, authorName: users.name })
    .from(revisions)
    .innerJoin(users, eq(users.id, revisions.authorId))
    .where(eq(revisions.pageId, pageId))
    .orderBy(desc(revisions.id))
    .limit(limit);
  return rows.reverse();
}

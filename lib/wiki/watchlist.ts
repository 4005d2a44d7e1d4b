import "server-only";
import { and, desc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import type { Database, Tx } from "@/lib/db/client";
import { notifications, pages, revisions, users, watches, type Revision } from "@/lib/db/schema";

/** Watch or stop watching a page. */
export async function setWatch(db: Database, userId: string, pageId: number, watch: boolean): Promise<void> {
  if (watch) await db.insert(watches).values({ userId, pageId }).onConflictDoNothing();
  else await db.delete(watches).where(and(eq(watches.userId, userId), eq(watches.pageId, pageId)));
}

/** Whether a user watches a page. */
export async function isWatching(db: Database, userId: string, pageId: number): Promise<boolean> {
  const [row] = await db.select({ pageId: watches.pageId }).from(watches).where(and(eq(watches.userId, userId), eq(watches.pageId, pageId)));
  return row !== undefined;
}

/**
 * Recent changes to the pages a user watches, each marked new when it came
 * after the user's last visit to the watchlist; the visit is then recorded.
 */
export async function watchlistChanges(db: Database, userId: string, limit = 100) {
  const watched = await db.select({ pageId: watches.pageId, lastSeenAt: watches.lastSeenAt }).from(watches).where(eq(watches.userId, userId));
  if (watched.length === 0) return { pages: 0, changes: [] };
  const seen = new Map(watched.map((w) => [w.pageId, w.lastSeenAt]));
  const rows = await db
    .select({
      revisionId: revisions.id,
      parentId: revisions.parentId,
      at: revisions.createdAt,
      pageId: pages.id,
      slug: pages.slug,
      title: pages.title,
      author: users.name,
      summary: revisions.summary,
      isMinor: revisions.isMinor,
    })
    .from(revisions)
    .innerJoin(pages, eq(pages.id, revisions.pageId))
    .innerJoin(users, eq(users.id, revisions.authorId))
    .where(and(inArray(revisions.pageId, [...seen.keys()]), sql`${pages.deletedAt} is null`))
    .orderBy(desc(revisions.id))
    .limit(limit);
  await db.update(watches).set({ lastSeenAt: sql`now()` }).where(eq(watches.userId, userId));
  return { pages: watched.length, changes: rows.map((r) => ({ ...r, isNew: r.at > (seen.get(r.pageId) ?? new Date(0)) })) };
}

/**
 * In a save's transaction: everyone watching the page but its author gets an
 * "edit" notification of the new revision (a minor edit only those who asked
 * for minor edits). Blocked and system accounts get none.
 */
export async function notifyWatchers(tx: Tx, revision: Revision): Promise<void> {
  const watchers = await tx
    .select({ userId: watches.userId })
    .from(watches)
    .innerJoin(users, eq(users.id, watches.userId))
    .where(
      and(
        eq(watches.pageId, revision.pageId),
        ne(watches.userId, revision.authorId),
        isNull(users.blockedAt),
        eq(users.isSystem, false),
        revision.isMinor ? eq(users.notifyMinorEdits, true) : undefined,
      ),
    );
  if (watchers.length === 0) return;
  await tx
    .insert(notifications)
    .values(watchers.map((w) => ({ userId: w.userId, kind: "edit" as const, pageId: revision.pageId, revisionId: revision.id })))
    .onConflictDoNothing();
}

import "server-only";
import { and, desc, eq, isNull, lt, sql } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { pages, revisions, users, type User } from "@/lib/db/schema";

/** A user by display name (case-insensitive). */
export async function getUserByName(db: Database, name: string): Promise<User | null> {
  const [user] = await db.select().from(users).where(sql`lower(${users.name}) = lower(${name})`);
  return user ?? null;
}

/**
 * A user's revisions, newest first, keyset-paginated by revision id. Edits of
 * deleted pages are left out unless `includeDeleted` (moderators), so a
 * deleted page's title and edit summaries do not leak through contributions.
 */
export async function listContributions(db: Database, userId: string, options: { before?: number; limit?: number; includeDeleted?: boolean } = {}) {
  const limit = options.limit ?? 50;
  return db
    .select({
      revisionId: revisions.id,
      createdAt: revisions.createdAt,
      summary: revisions.summary,
      isMinor: revisions.isMinor,
      length: revisions.length,
      slug: pages.slug,
      title: pages.title,
    })
    .from(revisions)
    .innerJoin(pages, eq(pages.id, revisions.pageId))
    .where(
      and(
        eq(revisions.authorId, userId),
        options.before ? lt(revisions.id, options.before) : undefined,
        options.includeDeleted ? undefined : isNull(pages.deletedAt),
      ),
    )
    .orderBy(desc(revisions.id))
    .limit(limit);
}

import "server-only";
import { and, count, eq, lte } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { revisions } from "@/lib/db/schema";

/**
 * A revision's number within its page: 1 for the page's first revision, 2
 * for the next. Revision ids are site-wide (a page's first revision may be
 * id 16); people count a page's versions. A page's history is a straight
 * chain in id order, so the number is how many of the page's revisions have
 * an id up to this one: a range on the (page_id, id) history index, bounded
 * by the page's own history.
 */
export async function revisionNumber(db: Database, pageId: number, revisionId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(revisions)
    .where(and(eq(revisions.pageId, pageId), lte(revisions.id, revisionId)));
  return Number(row?.n ?? 0);
}

import "server-only";
import { eq, isNull } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { pages, users } from "@/lib/db/schema";
import { caselessSkeleton } from "@/lib/wikitext/confusables";
import { titleSkeleton } from "@/lib/wikitext/title";

/**
 * Store the look-alike skeletons of names and titles saved before the
 * skeleton columns existed (`npm run admin -- backfill-skeletons`); new ones
 * are stored as they are saved. Returns how many rows were filled.
 */
export async function backfillSkeletons(db: Database): Promise<{ users: number; pages: number }> {
  const userRows = await db.select({ id: users.id, name: users.name }).from(users).where(isNull(users.nameSkeleton));
  for (const u of userRows) await db.update(users).set({ nameSkeleton: caselessSkeleton(u.name) }).where(eq(users.id, u.id));
  const pageRows = await db.select({ id: pages.id, title: pages.title }).from(pages).where(isNull(pages.titleSkeleton));
  for (const p of pageRows) await db.update(pages).set({ titleSkeleton: titleSkeleton(p.title) }).where(eq(pages.id, p.id));
  return { users: userRows.length, pages: pageRows.length };
}

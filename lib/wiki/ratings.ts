import "server-only";
import { avg, count, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/lib/db/client";
import { ratings } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";

export const ratingValue = z.coerce.number().int().min(1).max(5);

/**
 * Record a reader's rating of a page (1–5); rating again replaces the
 * earlier value. Callers check the "rate" policy first.
 */
export async function ratePage(db: Database, pageId: number, userId: string, value: number): Promise<void> {
  const parsed = ratingValue.safeParse(value);
  if (!parsed.success) throw new AppError("invalid:input", "A rating is a whole number from 1 to 5.");
  await db
    .insert(ratings)
    .values({ pageId, userId, value: parsed.data })
    .onConflictDoUpdate({ target: [ratings.pageId, ratings.userId], set: { value: parsed.data, updatedAt: sql`now()` } });
}

/** Average and number of ratings of a page. */
export async function pageRating(db: Database, pageId: number): Promise<{ average: number | null; count: number }> {
  const [row] = await db
    .select({ average: avg(ratings.value), count: count() })
    .from(ratings)
    .where(eq(ratings.pageId, pageId));
  return { average: row?.average ? Math.round(Number(row.average) * 10) / 10 : null, count: row?.count ?? 0 };
}

import "server-only";
import { and, eq, isNull, ne, or } from "drizzle-orm";
import type { Database, Tx } from "@/lib/db/client";
import { pages } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { pagePath, titleSkeleton } from "./title";

/**
 * Refuse a new title that looks like another page's (the same UTS #39
 * skeleton), naming and linking the existing page. One indexed lookup
 * (pages_title_skeleton_idx). `except` is the page being renamed.
 */
export async function assertNoLookalikeTitle(db: Database | Tx, title: { title: string; slug: string }, except?: number): Promise<string> {
  const wanted = titleSkeleton(title.title);
  const [other] = await db
    .select({ slug: pages.slug, title: pages.title })
    .from(pages)
    .where(
      and(
        eq(pages.titleSkeleton, wanted),
        ne(pages.slug, title.slug),
        except === undefined ? undefined : and(ne(pages.id, except), or(isNull(pages.redirectToPageId), ne(pages.redirectToPageId, except))),
      ),
    )
    .limit(1);
  if (other) {
    const path = pagePath(other.slug);
    throw new AppError("invalid:title", `"${title.title}" looks like the existing page "${other.title}" (${path}); edit that page or choose a title that looks different.`, {
      existing: { title: other.title, path },
    });
  }
  return wanted;
}

import "server-only";
import { sql } from "drizzle-orm";
import type { Database } from "@/lib/db";
import { tryParseTitle } from "@/lib/wikitext/title";

/** How many titles the search box suggests at once. */
export const TITLE_SUGGESTIONS = 8;

/**
 * Titles for the search box as the reader types: those starting with what was
 * typed (a range on the unique slug index, so bounded however many pages
 * there are), then, from three characters on, those containing it anywhere
 * (the trigram index on titles). Live pages only, at most TITLE_SUGGESTIONS.
 */
export async function titlesLike(db: Database, typed: string): Promise<{ slug: string; title: string }[]> {
  const title = tryParseTitle(typed);
  if (!title) return [];
  const prefix = title.slug;
  // Every slug starting with `prefix` sorts between it and `prefix` followed by the highest code point.
  const upper = `${prefix}\u{10FFFF}`;
  const starting = await db.execute<{ slug: string; title: string }>(sql`
    select slug, title from pages
    where slug >= ${prefix} and slug < ${upper} and starts_with(slug, ${prefix}) and deleted_at is null
    order by slug limit ${TITLE_SUGGESTIONS}`);
  const found = starting.map((r) => ({ slug: r.slug, title: r.title }));
  const words = title.title.toLowerCase();
  if (found.length >= TITLE_SUGGESTIONS || words.length < 3) return found;
  const pattern = `%${words.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const containing = await db.execute<{ slug: string; title: string }>(sql`
    select slug, title from pages
    where title ilike ${pattern} and deleted_at is null
    order by title limit ${TITLE_SUGGESTIONS}`);
  const seen = new Set(found.map((r) => r.slug));
  for (const r of containing) {
    if (found.length >= TITLE_SUGGESTIONS) break;
    if (!seen.has(r.slug)) found.push({ slug: r.slug, title: r.title });
  }
  return found;
}

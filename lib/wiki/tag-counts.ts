import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database, Tx } from "@/lib/db/client";
import { pageTags, tagCounts } from "@/lib/db/schema";

/**
 * Stored tag counts (`tag_counts`: live pages per tag), changed by the writes
 * that change them, inside their transaction: a save that adds or drops tags,
 * a delete, a restore. The tag list then reads 100 rows instead of counting
 * every page's tags.
 *
 * All of a transaction's changes go in one statement, in tag order, so two
 * saves touching the same tags take their row locks in the same order (no
 * deadlock); a save whose tags did not change touches no count at all.
 */
async function addToCounts(tx: Tx | Database, deltas: Map<string, number>): Promise<void> {
  const changed = [...deltas].filter(([, d]) => d !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (changed.length === 0) return;
  await tx.execute(sql`
    insert into ${tagCounts} (tag, pages)
    select tag, delta from (values ${sql.join(
      changed.map(([tag, delta]) => sql`(${tag}::text, ${delta}::int)`),
      sql`, `,
    )}) as d(tag, delta)
    order by tag
    on conflict (tag) do update set pages = ${tagCounts.pages} + excluded.pages`);
  // A count that reached zero is no tag any more (kept rows would be listed as "(0)").
  await tx.delete(tagCounts).where(and(inArray(tagCounts.tag, changed.map(([t]) => t)), sql`${tagCounts.pages} <= 0`));
}

/**
 * Replace a page's tags with `tags` (its latest revision's), keeping the
 * stored counts: only tags added or dropped change a count, and only while
 * the page is live. Rows carry the page's title for the tag's page listing.
 */
export async function replacePageTags(tx: Tx, page: { id: number; title: string; live: boolean }, tags: readonly string[]): Promise<void> {
  const next = new Set(tags);
  const before = await tx.select({ tag: pageTags.tag, title: pageTags.title }).from(pageTags).where(eq(pageTags.pageId, page.id));
  const had = new Set(before.map((r) => r.tag));
  const dropped = [...had].filter((t) => !next.has(t));
  const added = [...next].filter((t) => !had.has(t));
  if (dropped.length > 0) await tx.delete(pageTags).where(and(eq(pageTags.pageId, page.id), inArray(pageTags.tag, dropped)));
  if (added.length > 0) await tx.insert(pageTags).values(added.map((tag) => ({ pageId: page.id, tag, title: page.title })));
  if (before.some((r) => r.title !== page.title && next.has(r.tag))) await setPageTagsTitle(tx, page.id, page.title);
  if (page.live) await addToCounts(tx, new Map([...dropped.map((t) => [t, -1] as const), ...added.map((t) => [t, 1] as const)]));
}

/** A page was deleted (`-1`) or restored (`+1`): its tags' counts follow. */
export async function countPageTags(tx: Tx, pageId: number, delta: 1 | -1): Promise<void> {
  const rows = await tx.select({ tag: pageTags.tag }).from(pageTags).where(eq(pageTags.pageId, pageId));
  await addToCounts(tx, new Map(rows.map((r) => [r.tag, delta])));
}

/** A page was renamed: its tag rows carry the new title. */
export async function setPageTagsTitle(tx: Tx, pageId: number, title: string): Promise<void> {
  await tx.update(pageTags).set({ title }).where(eq(pageTags.pageId, pageId));
}

/** Count every tag again from page_tags (bulk imports that wrote page_tags directly, such as the scale benchmark). */
export async function recountTags(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`truncate ${tagCounts}`);
    await tx.execute(sql`
      insert into ${tagCounts} (tag, pages)
      select t.tag, count(*)::int from page_tags t join pages p on p.id = t.page_id
      where p.deleted_at is null group by t.tag`);
  });
}

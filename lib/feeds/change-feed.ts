import "server-only";
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { revisions } from "@/lib/db/schema";
import { escapeHtml } from "@/lib/talk/plain-text";
import { summariseChange } from "@/lib/wiki/diff-summary";
import type { ChangeEntry } from "@/lib/wiki/recent-changes";
import { pagePath } from "@/lib/wiki/title";
import { atomFeed, type AtomEntry } from "./atom";

/**
 * How many missing diff summaries (revisions saved before they were stored,
 * or whose save found the CPU pool busy) one fill computes and stores. Fills
 * run after the feed is built, never inside it, one at a time per process.
 */
const FILL_PER_BUILD = 5;
let filling: Promise<void> | null = null;

/** Atom entries for recent changes, each with its revision's stored one-line diff summary. */
export async function changeFeed(db: Database, entries: ChangeEntry[], meta: { id: string; title: string; link: string; selfLink: string; origin: string }): Promise<string> {
  const summaries = storedSummaries(db, entries);
  const atom: AtomEntry[] = entries.map((e) => {
    if (e.type === "talk") {
      return {
        id: `${meta.origin}${pagePath(e.slug, `/talk/${e.threadId}`)}#post-${e.postId}`,
        title: `${e.title} (discussion): ${e.threadTitle}`,
        link: `${meta.origin}${pagePath(e.slug, `/talk/${e.threadId}`)}#post-${e.postId}`,
        updated: e.at,
        author: e.author,
        html: `<p>${escapeHtml(`${e.author} ${e.isReply ? "replied in" : "posted in"} "${e.threadTitle}"`)}</p>`,
      };
    }
    if (e.type === "log") {
      return {
        id: `${meta.origin}/log/${e.logId}`,
        title: `${e.title}: ${e.action}`,
        link: `${meta.origin}${pagePath(e.slug)}`,
        updated: e.at,
        author: e.author,
        html: `<p>${escapeHtml(`${e.author} ${e.action}d ${e.title}${e.reason ? `: ${e.reason}` : ""}`)}</p>`,
      };
    }
    const summary = summaries.get(e.revisionId) ?? `${e.delta >= 0 ? "+" : ""}${e.delta} bytes`;
    const link = e.parentId ? `${meta.origin}${pagePath(e.slug, "/diff")}?from=${e.parentId}&to=${e.revisionId}` : `${meta.origin}${pagePath(e.slug)}?rev=${e.revisionId}`;
    return {
      id: `${meta.origin}${pagePath(e.slug)}?rev=${e.revisionId}`,
      title: `${e.title}${e.summary ? `: ${e.summary}` : ""}`,
      link,
      updated: e.at,
      author: e.author,
      html: `<p>${escapeHtml(e.isNew ? "New page. " : "")}${escapeHtml(summary)}</p>${e.summary ? `<p><em>${escapeHtml(e.summary)}</em></p>` : ""}`,
    };
  });
  return atomFeed({ id: meta.id, title: meta.title, link: meta.link, selfLink: meta.selfLink, updated: entries[0]?.at ?? new Date(0), entries: atom });
}

/**
 * The stored diff summaries of the feed's edits. Missing ones are shown as
 * their size change: a build never diffs. Up to FILL_PER_BUILD of them are
 * then computed (in the CPU pool) and stored in the background, so old
 * revisions get theirs over time and a later build (the feed cache keeps a
 * build at most a minute) shows them.
 */
function storedSummaries(db: Database, entries: ChangeEntry[]): Map<number, string> {
  const summaries = new Map<number, string>();
  const missing: { revisionId: number; parentId: number | null; delta: number }[] = [];
  for (const e of entries) {
    if (e.type !== "edit") continue;
    if (e.diffSummary !== null) summaries.set(e.revisionId, e.diffSummary);
    else if (missing.length < FILL_PER_BUILD) missing.push(e);
  }
  if (missing.length > 0 && !filling) {
    filling = fillSummaries(db, missing)
      .catch((error: unknown) => console.error("feeds: filling diff summaries failed", error))
      .finally(() => {
        filling = null;
      });
  }
  return summaries;
}

/** Compute and store the summaries of `missing` (a derived column, written once: the revision itself never changes). */
async function fillSummaries(db: Database, missing: { revisionId: number; parentId: number | null; delta: number }[]): Promise<void> {
  const ids = missing.flatMap((e) => (e.parentId ? [e.revisionId, e.parentId] : [e.revisionId]));
  const bodies = new Map((await db.select({ id: revisions.id, content: revisions.content }).from(revisions).where(inArray(revisions.id, ids))).map((r) => [r.id, r.content]));
  for (const e of missing) {
    const summary = await summariseChange(e.parentId ? (bodies.get(e.parentId) ?? "") : "", bodies.get(e.revisionId) ?? "", e.delta);
    if (summary === null) continue;
    await db.update(revisions).set({ diffSummary: summary }).where(and(eq(revisions.id, e.revisionId), isNull(revisions.diffSummary)));
  }
}

/** Wait for a background fill of diff summaries, if one is running (tests). */
export async function settleSummaryFill(): Promise<void> {
  await filling;
}

import "server-only";
import { inArray } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { revisions } from "@/lib/db/schema";
import { escapeHtml } from "@/lib/talk/plain-text";
import { diffRevisions } from "@/lib/wiki/diff";
import type { ChangeEntry } from "@/lib/wiki/recent-changes";
import { describeDiff } from "@/lib/wiki/revision-diff";
import { pagePath } from "@/lib/wiki/title";
import { atomFeed, type AtomEntry } from "./atom";

/** Atom entries for recent changes, each with a short diff summary (budgeted per entry). */
export async function changeFeed(db: Database, entries: ChangeEntry[], meta: { id: string; title: string; link: string; selfLink: string; origin: string }): Promise<string> {
  const ids = entries.flatMap((e) => (e.type === "edit" ? [e.revisionId, ...(e.parentId ? [e.parentId] : [])] : []));
  const bodies = new Map(
    ids.length > 0 ? (await db.select({ id: revisions.id, content: revisions.content }).from(revisions).where(inArray(revisions.id, ids))).map((r) => [r.id, r.content]) : [],
  );
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
    const diff = diffRevisions(e.parentId ? (bodies.get(e.parentId) ?? "") : "", bodies.get(e.revisionId) ?? "", { budgetMs: 50 });
    const link = e.parentId ? `${meta.origin}${pagePath(e.slug, "/diff")}?from=${e.parentId}&to=${e.revisionId}` : `${meta.origin}${pagePath(e.slug)}?rev=${e.revisionId}`;
    return {
      id: `${meta.origin}${pagePath(e.slug)}?rev=${e.revisionId}`,
      title: `${e.title}${e.summary ? `: ${e.summary}` : ""}`,
      link,
      updated: e.at,
      author: e.author,
      html: `<p>${escapeHtml(e.isNew ? "New page. " : "")}${escapeHtml(describeDiff(diff, e.delta))}</p>${e.summary ? `<p><em>${escapeHtml(e.summary)}</em></p>` : ""}`,
    };
  });
  return atomFeed({ id: meta.id, title: meta.title, link: meta.link, selfLink: meta.selfLink, updated: entries[0]?.at ?? new Date(0), entries: atom });
}

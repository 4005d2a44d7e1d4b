import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database, Tx } from "@/lib/db/client";
import { pages, talkAnchors, talkPosts, talkThreads, users, type Revision } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { pagePath } from "@/lib/wikitext/title";
import { firstPostVisible } from "./thread-visibility";

/** Text safe inside MDX: markup removed, characters MDX would interpret written as references. */
function mdxText(html: string): string {
  return html
    .replace(/<\/p>\s*<p>/g, " ")
    .replace(/<br\s*\/?>/g, " ")
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/[&<>{}[\]\\*_`|#]/g, (c) => `&#${c.codePointAt(0)};`)
    .replace(/\s+/g, " ")
    .trim();
}

/** At most `n` characters of `s`, cut between characters (never inside a surrogate pair, which no field accepts back). */
const cut = (s: string, n: number) => Array.from(s).slice(0, n).join("");

const attr = (s: string) => cut(s.replace(/["\\]/g, ""), 250);

export type CarryDraft = { postId: number; threadId: number; snippet: string; summary: string };

/**
 * The quotation an editor adds to a page when carrying a talk post into it:
 * a Quote attributed to the post's author and date, linking back to the post.
 */
export async function carryDraft(db: Database, slug: string, postId: number): Promise<CarryDraft> {
  const [row] = await db
    .select({ post: talkPosts, threadTitle: talkThreads.title, threadId: talkThreads.id, memberName: users.name, passage: talkAnchors.exact })
    .from(talkPosts)
    .innerJoin(talkThreads, eq(talkThreads.id, talkPosts.threadId))
    .innerJoin(pages, eq(pages.id, talkThreads.pageId))
    .leftJoin(users, eq(users.id, talkPosts.authorId))
    .leftJoin(talkAnchors, eq(talkAnchors.threadId, talkThreads.id))
    .where(and(eq(talkPosts.id, postId), eq(pages.slug, slug), firstPostVisible(talkThreads.id)));
  if (!row || row.post.status !== "visible") throw new AppError("not_found:page", "There is no such post on this page's discussion.");
  const author = row.memberName ?? row.post.guestName ?? "Anonymous";
  const href = `${pagePath(slug, `/talk/${row.threadId}`)}#post-${postId}`;
  // A thread about a passage cites it: the source names the words discussed.
  const passage = row.passage?.replace(/\s+/g, " ").trim();
  const about = passage ? ` about “${Array.from(passage).length > 80 ? `${cut(passage, 79)}…` : passage}”` : "";
  const snippet = `\n<Quote author="${attr(author)}" source="${attr(`Discussion: ${row.threadTitle}${about}`)}" href="${href}" date="${row.post.createdAt.toISOString().slice(0, 10)}">\n${mdxText(row.post.bodyHtml)}\n</Quote>\n`;
  return { postId, threadId: row.threadId, snippet, summary: `Carried in a point from the discussion "${row.threadTitle}"${about} (post ${postId})` };
}

/** Inside the save transaction: mark the post as carried into this revision. */
export function markCarried(postId: number) {
  return async (tx: Tx, revision: Revision) => {
    await tx.update(talkPosts).set({ carriedRevisionId: revision.id }).where(eq(talkPosts.id, postId));
  };
}

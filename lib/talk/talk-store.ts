import "server-only";
import { and, asc, count, desc, eq, inArray, min, or, type SQL } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { mentions, talkPostRevisions, talkPosts, talkThreads, users, type TalkPost, type TalkThread } from "@/lib/db/schema";
import { sanitizeHtml } from "./sanitize";
import { firstPostVisible } from "./thread-visibility";

export type PostView = Pick<TalkPost, "id" | "parentId" | "bodyHtml" | "bodySource" | "createdAt" | "editedAt" | "importedFrom" | "guestUrl" | "status" | "reasons" | "carriedRevisionId"> & {
  authorName: string;
  authorId: string | null;
  isGuest: boolean;
  /** Earlier versions of an edited post, oldest first. */
  history: { bodyHtml: string; createdAt: Date }[];
};

/** Who is looking: held posts are shown to moderators and to their own authors, with the reasons. */
export type Viewer = { userId?: string; guestTokenHash?: string; moderator?: boolean };

function visibleTo(viewer: Viewer): SQL | undefined {
  if (viewer.moderator) return inArray(talkPosts.status, ["visible", "held"]);
  const own: SQL[] = [];
  if (viewer.userId) own.push(eq(talkPosts.authorId, viewer.userId));
  if (viewer.guestTokenHash) own.push(eq(talkPosts.guestToken, viewer.guestTokenHash));
  const visible = eq(talkPosts.status, "visible");
  return own.length === 0 ? visible : or(visible, and(eq(talkPosts.status, "held"), or(...own)));
}
export type ThreadView = TalkThread & { posts: PostView[] };

/** How many threads a page's talk page shows everyone (for the Discussion tab): those whose first post is visible. */
export async function countThreads(db: Database, pageId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(talkThreads)
    .where(and(eq(talkThreads.pageId, pageId), firstPostVisible(talkThreads.id)));
  return row?.n ?? 0;
}

/** A page's threads, most recently active first, each with its visible posts in order. */
export async function listThreads(db: Database, pageId: number, viewer: Viewer = {}): Promise<ThreadView[]> {
  const threads = await db.select().from(talkThreads).where(eq(talkThreads.pageId, pageId)).orderBy(desc(talkThreads.lastActivityAt), desc(talkThreads.id));
  return attachPosts(db, threads, viewer);
}

/** One thread of a page, with its visible posts. */
export async function getThread(db: Database, pageId: number, threadId: number, viewer: Viewer = {}): Promise<ThreadView | null> {
  const threads = await db.select().from(talkThreads).where(and(eq(talkThreads.pageId, pageId), eq(talkThreads.id, threadId)));
  return (await attachPosts(db, threads, viewer))[0] ?? null;
}

async function attachPosts(db: Database, threads: TalkThread[], viewer: Viewer): Promise<ThreadView[]> {
  if (threads.length === 0) return [];
  const rows = await db
    .select({
      id: talkPosts.id,
      threadId: talkPosts.threadId,
      parentId: talkPosts.parentId,
      bodyHtml: talkPosts.bodyHtml,
      bodySource: talkPosts.bodySource,
      createdAt: talkPosts.createdAt,
      editedAt: talkPosts.editedAt,
      importedFrom: talkPosts.importedFrom,
      guestName: talkPosts.guestName,
      guestUrl: talkPosts.guestUrl,
      status: talkPosts.status,
      reasons: talkPosts.reasons,
      carriedRevisionId: talkPosts.carriedRevisionId,
      authorId: talkPosts.authorId,
      memberName: users.name,
    })
    .from(talkPosts)
    .leftJoin(users, eq(users.id, talkPosts.authorId))
    .where(and(inArray(talkPosts.threadId, threads.map((t) => t.id)), visibleTo(viewer)))
    .orderBy(asc(talkPosts.id));
  const edited = rows.filter((r) => r.editedAt !== null).map((r) => r.id);
  const earlier = edited.length
    ? await db
        .select({ postId: talkPostRevisions.postId, bodyHtml: talkPostRevisions.bodyHtml, createdAt: talkPostRevisions.createdAt })
        .from(talkPostRevisions)
        .where(inArray(talkPostRevisions.postId, edited))
        .orderBy(asc(talkPostRevisions.id))
    : [];
  // A thread is shown only when this reader may see its FIRST post: its title is that post's author's, and could be the
  // spam. Harmless replies do not publish it, and replies under a thread not shown are not shown either.
  const firsts = await db
    .select({ threadId: talkPosts.threadId, id: min(talkPosts.id) })
    .from(talkPosts)
    .where(inArray(talkPosts.threadId, threads.map((t) => t.id)))
    .groupBy(talkPosts.threadId);
  const seen = new Set(rows.map((r) => r.id));
  const shownIds = new Set(firsts.filter((f) => f.id !== null && seen.has(f.id)).map((f) => f.threadId));
  const shown = threads.filter((thread) => shownIds.has(thread.id));
  return shown.map((thread) => ({
    ...thread,
    posts: rows
      .filter((r) => r.threadId === thread.id)
      .map(({ memberName, guestName, threadId: _threadId, ...post }) => ({
        ...post,
        // Sanitised again on the way out: a row written around the write path still renders inert.
        bodyHtml: sanitizeHtml(post.bodyHtml),
        history: earlier.filter((e) => e.postId === post.id).map((e) => ({ bodyHtml: sanitizeHtml(e.bodyHtml), createdAt: e.createdAt })),
        authorName: memberName ?? guestName ?? "Anonymous",
        isGuest: memberName === null,
      })),
  }));
}

/** Visible mentions of a page from elsewhere (pingbacks, Webmentions). */
export async function listMentions(db: Database, pageId: number) {
  return db
    .select()
    .from(mentions)
    .where(and(eq(mentions.pageId, pageId), eq(mentions.status, "visible")))
    .orderBy(asc(mentions.id));
}

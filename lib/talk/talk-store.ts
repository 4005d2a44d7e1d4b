import "server-only";
import { and, asc, count, desc, eq, inArray } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { mentions, talkPosts, talkThreads, users, type TalkPost, type TalkThread } from "@/lib/db/schema";

export type PostView = Pick<TalkPost, "id" | "parentId" | "bodyHtml" | "createdAt" | "editedAt" | "importedFrom" | "guestUrl"> & {
  authorName: string;
  isGuest: boolean;
};
export type ThreadView = TalkThread & { posts: PostView[] };

/** How many threads a page's talk page has (for the Discussion tab). */
export async function countThreads(db: Database, pageId: number): Promise<number> {
  const [row] = await db.select({ n: count() }).from(talkThreads).where(eq(talkThreads.pageId, pageId));
  return row?.n ?? 0;
}

/** A page's threads, most recently active first, each with its visible posts in order. */
export async function listThreads(db: Database, pageId: number): Promise<ThreadView[]> {
  const threads = await db.select().from(talkThreads).where(eq(talkThreads.pageId, pageId)).orderBy(desc(talkThreads.lastActivityAt), desc(talkThreads.id));
  return attachPosts(db, threads);
}

/** One thread of a page, with its visible posts. */
export async function getThread(db: Database, pageId: number, threadId: number): Promise<ThreadView | null> {
  const threads = await db.select().from(talkThreads).where(and(eq(talkThreads.pageId, pageId), eq(talkThreads.id, threadId)));
  return (await attachPosts(db, threads))[0] ?? null;
}

async function attachPosts(db: Database, threads: TalkThread[]): Promise<ThreadView[]> {
  if (threads.length === 0) return [];
  const rows = await db
    .select({
      id: talkPosts.id,
      threadId: talkPosts.threadId,
      parentId: talkPosts.parentId,
      bodyHtml: talkPosts.bodyHtml,
      createdAt: talkPosts.createdAt,
      editedAt: talkPosts.editedAt,
      importedFrom: talkPosts.importedFrom,
      guestName: talkPosts.guestName,
      guestUrl: talkPosts.guestUrl,
      memberName: users.name,
    })
    .from(talkPosts)
    .leftJoin(users, eq(users.id, talkPosts.authorId))
    .where(and(inArray(talkPosts.threadId, threads.map((t) => t.id)), eq(talkPosts.status, "visible")))
    .orderBy(asc(talkPosts.id));
  return threads.map((thread) => ({
    ...thread,
    posts: rows
      .filter((r) => r.threadId === thread.id)
      .map(({ memberName, guestName, threadId: _threadId, ...post }) => ({
        ...post,
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

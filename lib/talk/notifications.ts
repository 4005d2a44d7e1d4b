import "server-only";
import { and, count, desc, eq, inArray, isNull, ne, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Database, Tx } from "@/lib/db/client";
import { notifications, pages, revisions, talkPosts, talkSubscriptions, talkThreads, users, type TalkPost } from "@/lib/db/schema";
import { firstPostVisible } from "./thread-visibility";

/** Follow a thread, or (threadId null) a whole talk page. */
export async function subscribe(db: Database | Tx, userId: string, pageId: number, threadId: number | null): Promise<void> {
  await db.insert(talkSubscriptions).values({ userId, pageId, threadId }).onConflictDoNothing();
}

/** Stop following. */
export async function unsubscribe(db: Database, userId: string, pageId: number, threadId: number | null): Promise<void> {
  await db
    .delete(talkSubscriptions)
    .where(and(eq(talkSubscriptions.userId, userId), eq(talkSubscriptions.pageId, pageId), threadId === null ? isNull(talkSubscriptions.threadId) : eq(talkSubscriptions.threadId, threadId)));
}

/** Whether a user follows a thread (directly or through its talk page). */
export async function isSubscribed(db: Database, userId: string, pageId: number, threadId: number | null) {
  const rows = await db
    .select({ threadId: talkSubscriptions.threadId })
    .from(talkSubscriptions)
    .where(and(eq(talkSubscriptions.userId, userId), eq(talkSubscriptions.pageId, pageId)));
  return { page: rows.some((r) => r.threadId === null), thread: threadId !== null && rows.some((r) => r.threadId === threadId) };
}

/**
 * `@Name` mentions in a post's source, each as the names it may mean: written
 * as is, with underscores read as spaces, and without a sentence's final dot
 * ("Ann_Lee" and "Ann Lee" may both exist, as may "J.R." and "J.R").
 */
export function mentionedNames(source: string): string[][] {
  const mentions = new Map<string, string[]>();
  for (const m of source.matchAll(/(?:^|[\s(>])@([\p{L}\p{N}][\p{L}\p{N}._-]{0,39})/gu)) {
    const raw = m[1]!;
    const readings = [raw, raw.replace(/_/g, " "), raw.replace(/[.]+$/, ""), raw.replace(/_/g, " ").replace(/[.]+$/, "")];
    mentions.set(raw, [...new Set(readings.filter(Boolean))]);
  }
  return [...mentions.values()];
}

/**
 * After a post, in its transaction. A visible post: its author follows the
 * thread; followers of the thread or the talk page get a "reply" notification
 * and mentioned users a "mention" (never the author, never twice for one
 * post). A held post: every moderator gets a "held" notification (mail to
 * follow from lib/mail/notification-mail.ts).
 */
export async function notifyForPost(db: Database | Tx, post: TalkPost, pageId: number): Promise<number> {
  if (post.status === "held") return notifyModerators(db, post, pageId);
  if (post.status !== "visible") return 0;
  if (post.authorId) await subscribe(db, post.authorId, pageId, post.threadId);
  const followers = await db
    .select({ userId: talkSubscriptions.userId })
    .from(talkSubscriptions)
    .where(and(eq(talkSubscriptions.pageId, pageId), or(isNull(talkSubscriptions.threadId), eq(talkSubscriptions.threadId, post.threadId))));
  // Each mention reaches one person: the first of its readings that names someone.
  const mentions = mentionedNames(post.bodySource);
  const candidates = [...new Set(mentions.flat().map((n) => n.toLowerCase()))];
  const found = candidates.length
    ? await db.select({ id: users.id, name: users.name }).from(users).where(and(inArray(sql`lower(${users.name})`, candidates), eq(users.isSystem, false)))
    : [];
  const byName = new Map(found.map((u) => [u.name.toLowerCase(), u.id]));
  const mentioned = mentions.flatMap((readings) => {
    const id = readings.map((r) => byName.get(r.toLowerCase())).find((x) => x !== undefined);
    return id ? [{ id }] : [];
  });
  const rows = new Map<string, "reply" | "mention">();
  for (const f of followers) rows.set(f.userId, "reply");
  for (const m of mentioned) rows.set(m.id, "mention");
  if (post.authorId) rows.delete(post.authorId);
  if (rows.size === 0) return 0;
  const inserted = await db
    .insert(notifications)
    .values([...rows].map(([userId, kind]) => ({ userId, kind, postId: post.id, pageId })))
    .onConflictDoNothing()
    .returning({ id: notifications.id });
  return inserted.length;
}

/** Moderators (not blocked, not the author) learn of a held post. */
async function notifyModerators(db: Database | Tx, post: TalkPost, pageId: number): Promise<number> {
  const moderators = await db
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.role, ["moderator", "admin"]), isNull(users.blockedAt), eq(users.isSystem, false), post.authorId ? ne(users.id, post.authorId) : undefined));
  if (moderators.length === 0) return 0;
  const inserted = await db
    .insert(notifications)
    .values(moderators.map((m) => ({ userId: m.id, kind: "held" as const, postId: post.id, pageId })))
    .onConflictDoNothing()
    .returning({ id: notifications.id });
  return inserted.length;
}

const edited = alias(revisions, "edited");
const editor = alias(users, "editor");

/** Unread notifications of a user (the header's count). */
export async function unreadCount(db: Database, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .innerJoin(pages, eq(pages.id, notifications.pageId))
    .leftJoin(talkPosts, eq(talkPosts.id, notifications.postId))
    .leftJoin(talkThreads, eq(talkThreads.id, talkPosts.threadId))
    .where(and(shownTo(userId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

/**
 * The notifications a user can see, on pages that are not deleted (the count
 * and the list agree): replies and mentions of visible posts in threads whose
 * first post is visible; edits; held posts while they wait.
 */
function shownTo(userId: string) {
  return and(
    eq(notifications.userId, userId),
    isNull(pages.deletedAt),
    or(
      and(inArray(notifications.kind, ["reply", "mention"]), eq(talkPosts.status, "visible"), firstPostVisible(talkThreads.id)),
      eq(notifications.kind, "edit"),
      and(eq(notifications.kind, "held"), eq(talkPosts.status, "held")),
    ),
  );
}

/** A user's notifications, newest first, with where they happened; marks them read. */
export async function listNotifications(db: Database, userId: string, limit = 100) {
  const rows = await db
    .select({
      id: notifications.id,
      kind: notifications.kind,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
      postId: talkPosts.id,
      threadId: talkThreads.id,
      threadTitle: talkThreads.title,
      revisionId: edited.id,
      parentId: edited.parentId,
      summary: edited.summary,
      slug: pages.slug,
      pageTitle: pages.title,
      byMember: sql<string | null>`coalesce(${users.name}, ${editor.name})`,
      byGuest: talkPosts.guestName,
    })
    .from(notifications)
    .innerJoin(pages, eq(pages.id, notifications.pageId))
    .leftJoin(talkPosts, eq(talkPosts.id, notifications.postId))
    .leftJoin(talkThreads, eq(talkThreads.id, talkPosts.threadId))
    .leftJoin(users, eq(users.id, talkPosts.authorId))
    .leftJoin(edited, eq(edited.id, notifications.revisionId))
    .leftJoin(editor, eq(editor.id, edited.authorId))
    .where(shownTo(userId))
    .orderBy(desc(notifications.id))
    .limit(limit);
  await db.update(notifications).set({ readAt: sql`now()` }).where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return rows.map((r) => ({ ...r, by: r.byMember ?? r.byGuest ?? "Anonymous", unread: r.readAt === null }));
}

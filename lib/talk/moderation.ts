import "server-only";
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { can, refusal, type Actor } from "@/lib/auth/policy";
import type { Database } from "@/lib/db/client";
import { mentions, moderationLog, notifications, pages, talkPosts, talkThreads, users } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { setBlocked } from "@/lib/users/accounts";
import { notifyForPost } from "./notifications";
import { sanitizeHtml } from "./sanitize";
import { trainSpam } from "./spam-model";

function requireModerator(actor: Actor): asserts actor is NonNullable<Actor> {
  if (!can(actor, "moderate")) throw new AppError("forbidden:page", refusal(actor, "moderate"));
}

/** Posts waiting for a moderator, oldest first, with where they are and why they were held. */
export async function moderationQueue(db: Database) {
  const rows = await db
    .select({
      id: talkPosts.id,
      bodySource: talkPosts.bodySource,
      bodyHtml: talkPosts.bodyHtml,
      reasons: talkPosts.reasons,
      spamScore: talkPosts.spamScore,
      createdAt: talkPosts.createdAt,
      guestName: talkPosts.guestName,
      authorId: talkPosts.authorId,
      memberName: users.name,
      threadId: talkThreads.id,
      threadTitle: talkThreads.title,
      slug: pages.slug,
      pageTitle: pages.title,
    })
    .from(talkPosts)
    .innerJoin(talkThreads, eq(talkThreads.id, talkPosts.threadId))
    .innerJoin(pages, eq(pages.id, talkThreads.pageId))
    .leftJoin(users, eq(users.id, talkPosts.authorId))
    .where(eq(talkPosts.status, "held"))
    .orderBy(asc(talkPosts.id));
  return rows.map((r) => ({ ...r, bodyHtml: sanitizeHtml(r.bodyHtml) }));
}

/**
 * Approve (show), hide, or mark a post as spam. Marking spam or approving
 * trains the classifier; every action is logged.
 */
export async function moderatePost(db: Database, actor: Actor, postId: number, action: "approve" | "hide" | "spam"): Promise<void> {
  requireModerator(actor);
  const [post] = await db.select().from(talkPosts).where(eq(talkPosts.id, postId));
  if (!post) throw new AppError("not_found:page", "There is no such post.");
  const status = action === "approve" ? "visible" : action === "hide" ? "hidden" : "spam";
  await db.transaction(async (tx) => {
    await tx.update(talkPosts).set({ status }).where(eq(talkPosts.id, postId));
    await tx.insert(moderationLog).values({ actorId: actor.id, action, postId, targetUserId: post.authorId, details: { from: post.status, to: status } });
    if (action === "approve" && post.status !== "visible") {
      const [thread] = await tx.select({ pageId: talkThreads.pageId }).from(talkThreads).where(eq(talkThreads.id, post.threadId));
      // The moderators' "held" notifications of this post give way to the followers' (one notification per person and post).
      await tx.delete(notifications).where(and(eq(notifications.postId, postId), eq(notifications.kind, "held")));
      if (thread) await notifyForPost(tx, { ...post, status: "visible" }, thread.pageId);
    }
  });
  if (action === "spam") await trainSpam(db, post.bodySource, "spam");
  if (action === "approve" && post.status === "held") await trainSpam(db, post.bodySource, "ham");
}

/** Block a spammer and hide all their posts in one action (logged). */
export async function blockSpammer(db: Database, actor: Actor, userId: string): Promise<number> {
  requireModerator(actor);
  const [target] = await db.select({ role: users.role }).from(users).where(eq(users.id, userId));
  if (!target) throw new AppError("not_found:user", "No such user.");
  if (target.role === "moderator" || target.role === "admin") throw new AppError("forbidden:page", "Moderators and administrators cannot be blocked here; ask an administrator.");
  // One transaction: never a blocked account whose posts still show, or hidden posts without a log entry.
  const hidden = await db.transaction(async (tx) => {
    await setBlocked(tx, actor.id, userId, true);
    const rows = await tx
      .update(talkPosts)
      .set({ status: "hidden" })
      .where(and(eq(talkPosts.authorId, userId), inArray(talkPosts.status, ["visible", "held"])))
      .returning({ id: talkPosts.id });
    await tx.insert(moderationLog).values({ actorId: actor.id, action: "block-and-hide", targetUserId: userId, details: { hiddenPosts: rows.length } });
    return rows;
  });
  return hidden.length;
}

/** The moderation log, newest first. */
export async function listModerationLog(db: Database, limit = 100) {
  return db
    .select({ id: moderationLog.id, action: moderationLog.action, postId: moderationLog.postId, createdAt: moderationLog.createdAt, details: moderationLog.details, actor: users.name })
    .from(moderationLog)
    .innerJoin(users, eq(users.id, moderationLog.actorId))
    .orderBy(desc(moderationLog.id))
    .limit(limit);
}

/** Mentions from other sites waiting for a moderator. */
export async function heldMentions(db: Database) {
  return db
    .select({ id: mentions.id, sourceUrl: mentions.sourceUrl, sourceTitle: mentions.sourceTitle, excerpt: mentions.excerpt, slug: pages.slug, pageTitle: pages.title })
    .from(mentions)
    .innerJoin(pages, eq(pages.id, mentions.pageId))
    .where(eq(mentions.status, "held"))
    .orderBy(asc(mentions.id));
}

/** Approve or hide a mention (logged). */
export async function moderateMention(db: Database, actor: Actor, mentionId: number, action: "approve" | "hide"): Promise<void> {
  requireModerator(actor);
  const updated = await db
    .update(mentions)
    .set({ status: action === "approve" ? "visible" : "hidden" })
    .where(eq(mentions.id, mentionId))
    .returning({ id: mentions.id });
  if (updated.length === 0) throw new AppError("not_found:page", "There is no such mention.");
  await db.insert(moderationLog).values({ actorId: actor.id, action: `mention-${action}`, details: { mentionId } });
}

import "server-only";
import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { can, type Actor } from "@/lib/auth/policy";
import { consume } from "@/lib/rate-limit";
import type { Database } from "@/lib/db/client";
import { talkAnchors, talkPostRevisions, talkPosts, talkThreads, type TalkPost, type TalkThread } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { isSafeUrl } from "@/lib/mdx/url";
import { clientNetwork } from "@/lib/security/request";
import { newGuestToken } from "./form-token";
import { postProblem, renderPostSource } from "./sanitize";
import { checkSpam } from "./spam";
import { notifyForPost } from "./notifications";
import { currentClassifier } from "./spam-model";
import { opensAnchor, replaceTags } from "./text-scan";

export type Author = { actor: Actor } | { guest: { name: string; url?: string } };
export type PostMeta = {
  ip: string;
  secondsToFill?: number;
  honeypot?: string;
  /** The guest's browser token (cookie), reused across their posts. */
  guestToken?: string;
  /** Sent through the JSON API, which has no form (no honeypot, no fill time): guests' posts wait for a moderator. */
  viaApi?: boolean;
};
export type PostOutcome = { thread: TalkThread; post: TalkPost; status: "visible" | "held"; reasons: string[]; guestToken?: string };

/** Whether guests may post (configuration; on unless TALK_GUEST_POSTING=off). */
export function guestPostingEnabled(): boolean {
  return env().TALK_GUEST_POSTING !== "off";
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Links in a post: anchors, plus bare addresses that are not inside an anchor's href. */
function countLinks(source: string): number {
  const anchors = source.match(/<a\s/gi)?.length ?? 0;
  // Open tags are cut by a scan: `/<a\s[^>]*>/gi` is quadratic on `<a <a <a…` without a `>`.
  const bare = replaceTags(source, " ", { opens: opensAnchor }).match(/\bhttps?:\/\//gi)?.length ?? 0;
  return anchors + bare;
}

async function prepare(db: Database, author: Author, source: string, meta: PostMeta, title?: string) {
  const problem = postProblem(source);
  if (problem) throw new AppError("invalid:input", problem);
  let guest: { name: string; url?: string } | undefined;
  if ("guest" in author) {
    if (!guestPostingEnabled()) throw new AppError("unauthorized", "Please sign in to take part in discussions.");
    const name = author.guest.name.normalize("NFC").replace(/\s+/g, " ").trim();
    if (name.length < 1 || name.length > 60) throw new AppError("invalid:input", "Give a name of 1 to 60 characters.");
    const url = author.guest.url?.trim() || undefined;
    if (url && (!/^https?:\/\//i.test(url) || !isSafeUrl(url) || url.length > 300)) throw new AppError("invalid:input", "A website must be an http or https address.");
    guest = { name, url };
  } else if (!author.actor || author.actor.blocked) {
    throw new AppError("unauthorized", author.actor ? "Your account is blocked." : "Please sign in first.");
  }
  const limits = await Promise.all([
    // Per network (an IPv6 /64): per address, one host posts as fast as it has addresses.
    consume(db, "talkPostIp", clientNetwork(meta.ip)),
    ...("actor" in author && author.actor ? [consume(db, "talkPostUser", author.actor.id)] : []),
  ]);
  const limited = limits.filter((l) => !l.ok) as { ok: false; retryAfterSeconds: number }[];
  if (limited.length > 0) {
    throw new AppError("rate_limited", "You are posting too fast; wait a moment and try again.", { retryAfterSeconds: Math.max(...limited.map((l) => l.retryAfterSeconds)) });
  }
  const checked = checkSpam(
    {
      // A thread's title is shown with it, so it is checked with the body.
      text: title ? `${title}\n${source}` : source,
      authorName: guest?.name ?? ("actor" in author ? author.actor?.name : undefined),
      authorUrl: guest?.url,
      isGuest: guest !== undefined,
      linkCount: countLinks(source),
      // The form's fill time is a guest rule; members are known, and a missing token says nothing about them.
      secondsToFill: guest ? meta.secondsToFill : undefined,
      honeypot: meta.honeypot,
    },
    await currentClassifier(db),
  );
  const verdict = guest && meta.viaApi ? { ...checked, hold: true, reasons: [...checked.reasons, "a guest post sent through the API waits for a moderator"] } : checked;
  const guestToken = guest ? (meta.guestToken && meta.guestToken.length >= 20 ? meta.guestToken : newGuestToken()) : undefined;
  return {
    guest,
    verdict,
    guestToken,
    values: {
      authorId: "actor" in author ? (author.actor?.id ?? null) : null,
      guestName: guest?.name ?? null,
      guestUrl: guest?.url ?? null,
      bodySource: source,
      bodyHtml: renderPostSource(source),
      status: verdict.hold ? ("held" as const) : ("visible" as const),
      spamScore: verdict.score,
      reasons: verdict.reasons,
      guestToken: guestToken ? hashToken(guestToken) : null,
      // The network, not the address: a guest counts once for the fair cap on a page's marked passages (one host, one /64).
      ipHash: hashToken(`ip:${clientNetwork(meta.ip)}`),
    },
  };
}

/** The passage a thread is about, checked against its revision (lib/wiki/anchor-store.ts: prepareAnchor). */
export type ThreadAnchor = Omit<typeof talkAnchors.$inferInsert, "threadId">;

/**
 * Start a thread with its first post (held for moderation when it looks like spam), about a passage when `anchor` is
 * given: it checks the passage against its revision (which may render it), so it runs only after the rate limit is consumed.
 */
export async function createThread(
  db: Database,
  input: { pageId: number; title: string; source: string; author: Author; meta: PostMeta; anchor?: () => Promise<ThreadAnchor> },
): Promise<PostOutcome> {
  const title = input.title.normalize("NFC").replace(/\s+/g, " ").trim();
  if (title.length < 1 || title.length > 200) throw new AppError("invalid:input", "A thread needs a title of 1 to 200 characters.");
  const prepared = await prepare(db, input.author, input.source, input.meta, title);
  const anchor = input.anchor ? await input.anchor() : undefined;
  const outcome = await db.transaction(async (tx) => {
    const [thread] = await tx
      .insert(talkThreads)
      .values({ pageId: input.pageId, title, createdBy: prepared.values.authorId })
      .returning();
    if (anchor) await tx.insert(talkAnchors).values({ ...anchor, threadId: thread!.id });
    const [post] = await tx.insert(talkPosts).values({ threadId: thread!.id, parentId: null, ...prepared.values }).returning();
    // In the post's transaction: the notifications (and the mail that follows them) exist exactly when the post does.
    await notifyForPost(tx, post!, input.pageId);
    return { thread: thread!, post: post!, status: post!.status as "visible" | "held", reasons: post!.reasons, guestToken: prepared.guestToken };
  });
  return outcome;
}

/** Reply to a thread, or to a post in it. Replies to deleted, hidden or foreign posts are refused. */
export async function replyToThread(
  db: Database,
  input: { pageId: number; threadId: number; parentPostId?: number; source: string; author: Author; meta: PostMeta },
): Promise<PostOutcome> {
  const [thread] = await db.select().from(talkThreads).where(and(eq(talkThreads.id, input.threadId), eq(talkThreads.pageId, input.pageId)));
  if (!thread) throw new AppError("not_found:page", "There is no such thread on this page.");
  if (thread.status === "archived") throw new AppError("invalid:input", "This thread is archived; start a new one.");
  if (input.parentPostId !== undefined) {
    const [parent] = await db.select({ threadId: talkPosts.threadId, status: talkPosts.status }).from(talkPosts).where(eq(talkPosts.id, input.parentPostId));
    if (!parent || parent.threadId !== thread.id) throw new AppError("invalid:input", "You can only reply to a post in this thread.");
    if (parent.status !== "visible") throw new AppError("invalid:input", "That post is not shown, so it cannot be replied to.");
  }
  const prepared = await prepare(db, input.author, input.source, input.meta);
  const outcome = await db.transaction(async (tx) => {
    const [post] = await tx.insert(talkPosts).values({ threadId: thread.id, parentId: input.parentPostId ?? null, ...prepared.values }).returning();
    await tx.update(talkThreads).set({ lastActivityAt: sql`now()` }).where(eq(talkThreads.id, thread.id));
    await notifyForPost(tx, post!, input.pageId);
    return { thread, post: post!, status: post!.status as "visible" | "held", reasons: post!.reasons, guestToken: prepared.guestToken };
  });
  return outcome;
}

/** An author edits their own post; the earlier version is kept. */
export async function editPost(db: Database, actor: Actor, postId: number, source: string): Promise<TalkPost> {
  if (!actor || actor.blocked) throw new AppError("unauthorized", actor ? "Your account is blocked." : "Please sign in first.");
  if (actor.scope === "read") throw new AppError("forbidden:page", "This API token is read-only.");
  const problem = postProblem(source);
  if (problem) throw new AppError("invalid:input", problem);
  const [post] = await db.select().from(talkPosts).where(eq(talkPosts.id, postId));
  if (!post) throw new AppError("not_found:page", "There is no such post.");
  if (post.authorId !== actor.id) throw new AppError("forbidden:page", "You can only edit your own posts.");
  const limit = await consume(db, "talkPostUser", actor.id);
  if (!limit.ok) throw new AppError("rate_limited", "You are posting too fast; wait a moment and try again.", { retryAfterSeconds: limit.retryAfterSeconds });
  // An edit goes through the same spam checks as a new post: a visible post edited into spam is held again.
  const verdict = checkSpam({ text: source, authorName: actor.name, isGuest: false, linkCount: countLinks(source) }, await currentClassifier(db));
  const hold = verdict.hold && post.status === "visible";
  const updated = await db.transaction(async (tx) => {
    await tx.insert(talkPostRevisions).values({ postId, bodySource: post.bodySource, bodyHtml: post.bodyHtml, editedBy: actor.id });
    const [row] = await tx
      .update(talkPosts)
      .set({ bodySource: source, bodyHtml: renderPostSource(source), editedAt: sql`now()`, ...(hold ? { status: "held" as const, reasons: verdict.reasons, spamScore: verdict.score } : {}) })
      .where(eq(talkPosts.id, postId))
      .returning();
    return row!;
  });
  return updated;
}

/**
 * A reader asks to change a thread's status: its starter may resolve or
 * reopen it; only moderators may archive it, or bring an archived thread back.
 */
export async function changeThreadStatus(db: Database, actor: Actor, threadId: number, status: "open" | "resolved" | "archived", pageId: number): Promise<TalkThread> {
  const [thread] = await db
    .select({ createdBy: talkThreads.createdBy, status: talkThreads.status })
    .from(talkThreads)
    .where(and(eq(talkThreads.id, threadId), eq(talkThreads.pageId, pageId)));
  if (!thread) throw new AppError("not_found:page", "There is no such thread on this page.");
  const moderator = can(actor, "moderate");
  const starter = actor !== null && !actor.blocked && thread.createdBy === actor.id;
  if (!moderator && (!starter || status === "archived" || thread.status === "archived")) {
    throw new AppError(
      "forbidden:page",
      status === "archived" || thread.status === "archived" ? "Only moderators may archive a thread or bring it back." : "Only the thread's starter or a moderator may change its status.",
    );
  }
  return setThreadStatus(db, threadId, status);
}

/** Mark a thread open, resolved or archived (no checks: see changeThreadStatus). */
export async function setThreadStatus(db: Database, threadId: number, status: "open" | "resolved" | "archived"): Promise<TalkThread> {
  const [thread] = await db.update(talkThreads).set({ status }).where(eq(talkThreads.id, threadId)).returning();
  if (!thread) throw new AppError("not_found:page", "There is no such thread.");
  return thread;
}

import "server-only";
import { and, asc, eq, gt, inArray, isNotNull, isNull, lte, ne, notExists, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Database, Tx } from "@/lib/db/client";
import { mailOutbox, mailPageSends, notifications, pages, revisions, talkPosts, talkThreads, users, type User } from "@/lib/db/schema";
import { pagePath } from "@/lib/wikitext/title";
import { subjectLine, type MailBlock } from "./message";
import { enqueueMail } from "./outbox";
import { unsubscribeLinks } from "./unsubscribe";

/** At most one mail per person and page in this time; what happens meanwhile waits and goes into the next one. */
export const PAGE_MAIL_INTERVAL_MS = 60 * 60_000;
/**
 * A moderator hears of held posts in one mail for every page, at most one an
 * hour (the last is the outbox's newest "moderation" row): one mail per page
 * would let a guest posting on a thousand pages send each moderator a
 * thousand mails an hour.
 */
export const MODERATION_MAIL_INTERVAL_MS = 60 * 60_000;
/**
 * At most this many mails "at once" (per page, and for held posts) reach one
 * person in an hour; past it, what waits is gathered into one mail an hour
 * (kind "batch"). One mail per page and hour alone let anyone, a guest too,
 * mention a person on a thousand pages and send them a thousand mails.
 */
export const INSTANT_MAILS_PER_HOUR = 10;
/** A daily digest gathers everything since the last one, a day apart. */
export const DIGEST_INTERVAL_MS = 24 * 60 * 60_000;
/** Groups composed per round, and items listed per mail (the rest are counted): bounded work per tick. */
const GROUPS_PER_ROUND = 100;
const ITEMS_PER_MAIL = 50;

const postAuthor = alias(users, "post_author");
const editor = alias(users, "editor");

/** What a mail says about each notification. */
async function details(tx: Tx, ids: number[]) {
  return tx
    .select({
      id: notifications.id,
      kind: notifications.kind,
      pageId: notifications.pageId,
      slug: pages.slug,
      pageTitle: pages.title,
      pageDeleted: pages.deletedAt,
      revisionId: revisions.id,
      parentId: revisions.parentId,
      summary: revisions.summary,
      isMinor: revisions.isMinor,
      editor: editor.name,
      postId: talkPosts.id,
      postStatus: talkPosts.status,
      threadId: talkThreads.id,
      threadTitle: talkThreads.title,
      postBy: sql<string>`coalesce(${postAuthor.name}, ${talkPosts.guestName}, 'Anonymous')`,
    })
    .from(notifications)
    .innerJoin(pages, eq(pages.id, notifications.pageId))
    .leftJoin(revisions, eq(revisions.id, notifications.revisionId))
    .leftJoin(editor, eq(editor.id, revisions.authorId))
    .leftJoin(talkPosts, eq(talkPosts.id, notifications.postId))
    .leftJoin(talkThreads, eq(talkThreads.id, talkPosts.threadId))
    .leftJoin(postAuthor, eq(postAuthor.id, talkPosts.authorId))
    .where(inArray(notifications.id, ids))
    .orderBy(asc(notifications.id));
}

type Detail = Awaited<ReturnType<typeof details>>[number];

/** Whether a notification is still worth a mail (its post still shown, or still waiting for a moderator; its page not deleted). */
function current(d: Detail): boolean {
  if (d.pageDeleted) return false;
  if (d.kind === "edit") return d.revisionId !== null;
  if (d.kind === "held") return d.postStatus === "held";
  return d.postStatus === "visible";
}

/** One line and link per notification. */
function item(origin: string, d: Detail): { text: string; url: string } {
  const post = () => `${origin}${pagePath(d.slug, `/talk/${d.threadId}`)}#post-${d.postId}`;
  switch (d.kind) {
    case "edit": {
      const diff = d.parentId === null ? `${origin}${pagePath(d.slug)}?rev=${d.revisionId}` : `${origin}${pagePath(d.slug, "/diff")}?from=${d.parentId}&to=${d.revisionId}`;
      return { text: `${d.editor ?? "Someone"} edited ${d.pageTitle}${d.isMinor ? " (minor)" : ""}${d.summary ? `: "${d.summary}"` : ""}`, url: diff };
    }
    case "reply":
      return { text: `${d.postBy} posted in "${d.threadTitle}" on the talk page of ${d.pageTitle}`, url: post() };
    case "mention":
      return { text: `${d.postBy} mentioned you in "${d.threadTitle}" on the talk page of ${d.pageTitle}`, url: post() };
    case "held":
      return { text: `A post by ${d.postBy} in "${d.threadTitle}" on the talk page of ${d.pageTitle} waits for a moderator`, url: `${origin}/moderation` };
  }
}

function footer(origin: string, userId: string): MailBlock[] {
  const links = unsubscribeLinks(origin, userId);
  return [
    { text: "You get these mails because you watch this page, follow this discussion, were mentioned, or moderate this wiki." },
    { link: { label: "Choose how often you get mail (at once, a daily digest, or never)", url: `${origin}/profile#mail` } },
    { link: { label: "Stop all notification mail", url: links.page } },
  ];
}

/** Mark notifications as dealt with by mail (sent, skipped or not worth it). */
async function markMailed(db: Database | Tx, ids: number[], now: Date): Promise<void> {
  if (ids.length > 0) await db.update(notifications).set({ mailedAt: now }).where(inArray(notifications.id, ids));
}

/**
 * Turn due notifications into mails in the outbox (run by the mail loop):
 *
 * - people who want no mail, or whose address is not verified: marked, never mailed;
 * - "instant": one mail per person and page, at most one an hour
 *   (`mail_page_sends`); what comes meanwhile is gathered into the next one;
 *   held posts, of all pages, in one mail an hour per moderator;
 * - "daily": one digest a day of everything since the last.
 *
 * Each mail is written in one transaction with the marks on its notifications,
 * so a notification is mailed once, whatever stops the server.
 */

/** The notification's person has been sent no outbox mail of this kind since `since`. */
function noOutboxMailSince(db: Database, kind: "moderation" | "batch", since: Date) {
  return notExists(
    db
      .select({ one: sql`1` })
      .from(mailOutbox)
      .where(and(eq(mailOutbox.userId, notifications.userId), eq(mailOutbox.kind, kind), gt(mailOutbox.createdAt, since))),
  );
}
export async function composeNotificationMails(db: Database, now: Date, origin: string): Promise<{ mails: number }> {
  // Nobody to mail: dealt with at once (the in-site list still shows them).
  await db
    .update(notifications)
    .set({ mailedAt: now })
    .where(
      and(
        isNull(notifications.mailedAt),
        inArray(
          notifications.userId,
          db
            .select({ id: users.id })
            .from(users)
            .where(or(eq(users.mailNotifications, "never"), isNull(users.emailVerified), isNull(users.email), isNotNull(users.blockedAt))),
        ),
      ),
    );
  let mails = 0;
  const hourAgo = new Date(now.getTime() - PAGE_MAIL_INTERVAL_MS);
  const mailedThisHour = sql`(select count(*) from ${mailOutbox} where ${mailOutbox.userId} = ${notifications.userId} and ${mailOutbox.kind} in ('notification', 'moderation') and ${mailOutbox.createdAt} > ${hourAgo.toISOString()}::timestamptz)`;
  const groups = await db
    .selectDistinct({ userId: notifications.userId, pageId: notifications.pageId })
    .from(notifications)
    .innerJoin(users, eq(users.id, notifications.userId))
    .where(
      and(
        isNull(notifications.mailedAt),
        eq(users.mailNotifications, "instant"),
        ne(notifications.kind, "held"),
        sql`${mailedThisHour} < ${INSTANT_MAILS_PER_HOUR}`,
        notExists(
          db
            .select({ one: sql`1` })
            .from(mailPageSends)
            .where(and(eq(mailPageSends.userId, notifications.userId), eq(mailPageSends.pageId, notifications.pageId), gt(mailPageSends.sentAt, hourAgo))),
        ),
      ),
    )
    .limit(GROUPS_PER_ROUND);
  for (const group of groups) {
    if (group.pageId === null) continue;
    if (await composePageMail(db, group.userId, group.pageId, now, origin)) mails++;
  }
  const moderationSince = new Date(now.getTime() - MODERATION_MAIL_INTERVAL_MS);
  const moderators = await db
    .selectDistinct({ userId: notifications.userId })
    .from(notifications)
    .innerJoin(users, eq(users.id, notifications.userId))
    .where(
      and(
        isNull(notifications.mailedAt),
        eq(notifications.kind, "held"),
        eq(users.mailNotifications, "instant"),
        noOutboxMailSince(db, "moderation", moderationSince),
      ),
    )
    .limit(GROUPS_PER_ROUND);
  for (const { userId } of moderators) {
    if (await composeModerationMail(db, userId, now, origin)) mails++;
  }
  // People past INSTANT_MAILS_PER_HOUR: one mail an hour gathers the rest.
  const flooded = await db
    .selectDistinct({ userId: notifications.userId })
    .from(notifications)
    .innerJoin(users, eq(users.id, notifications.userId))
    .where(
      and(
        isNull(notifications.mailedAt),
        eq(users.mailNotifications, "instant"),
        ne(notifications.kind, "held"),
        sql`${mailedThisHour} >= ${INSTANT_MAILS_PER_HOUR}`,
        noOutboxMailSince(db, "batch", hourAgo),
      ),
    )
    .limit(GROUPS_PER_ROUND);
  for (const { userId } of flooded) {
    if (await composeGathered(db, userId, now, origin, "hourly")) mails++;
  }
  const dayAgo = new Date(now.getTime() - DIGEST_INTERVAL_MS);
  const digestUsers = await db
    .selectDistinct({ userId: notifications.userId })
    .from(notifications)
    .innerJoin(users, eq(users.id, notifications.userId))
    .where(and(isNull(notifications.mailedAt), eq(users.mailNotifications, "daily"), or(isNull(users.lastDigestAt), lte(users.lastDigestAt, dayAgo))))
    .limit(GROUPS_PER_ROUND);
  for (const { userId } of digestUsers) {
    if (await composeGathered(db, userId, now, origin, "daily")) mails++;
  }
  return { mails };
}

/** The recipient, if mail may go to them now. */
async function recipient(tx: Tx, userId: string, choice: User["mailNotifications"]): Promise<User | null> {
  const [user] = await tx.select().from(users).where(eq(users.id, userId)).for("update");
  if (!user || !user.email || !user.emailVerified || user.blockedAt || user.mailNotifications !== choice) return null;
  return user;
}

/** Lock a person's waiting notifications (of one page but held posts, of held posts only, or all): SKIP LOCKED, so two servers never mail the same ones. */
async function waiting(tx: Tx, userId: string, which: { pageId: number } | { held: true } | "all" | "all but held"): Promise<number[]> {
  const only =
    which === "all" ? undefined : which === "all but held" ? ne(notifications.kind, "held") : "held" in which ? eq(notifications.kind, "held") : and(eq(notifications.pageId, which.pageId), ne(notifications.kind, "held"));
  const rows = await tx
    .select({ id: notifications.id })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.mailedAt), only))
    .orderBy(asc(notifications.id))
    .limit(1000)
    .for("update", { skipLocked: true });
  return rows.map((r) => r.id);
}

/** How many mails "at once" a person got since `since` (their row is locked by recipient(), so composers count one at a time). */
async function instantMailsSince(tx: Tx, userId: string, since: Date): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(mailOutbox)
    .where(and(eq(mailOutbox.userId, userId), inArray(mailOutbox.kind, ["notification", "moderation"]), gt(mailOutbox.createdAt, since)));
  return row?.n ?? 0;
}

async function composePageMail(db: Database, userId: string, pageId: number, now: Date, origin: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const user = await recipient(tx, userId, "instant");
    if (!user) return false;
    // Past the hour's number (a round may hold many of this person's pages): left for the gathered mail.
    if ((await instantMailsSince(tx, userId, new Date(now.getTime() - PAGE_MAIL_INTERVAL_MS))) >= INSTANT_MAILS_PER_HOUR) return false;
    const ids = await waiting(tx, userId, { pageId });
    if (ids.length === 0) return false;
    const all = (await details(tx, ids)).filter(current);
    await markMailed(tx, ids, now);
    if (all.length === 0) return false;
    const page = all[0]!;
    const edits = all.filter((d) => d.kind === "edit");
    const listed = all.slice(0, ITEMS_PER_MAIL).map((d) => item(origin, d));
    const blocks: MailBlock[] = [{ text: `Hello ${user.name},` }, { text: all.length === 1 ? `On ${page.pageTitle}:` : `${all.length} things happened on ${page.pageTitle}:` }, { list: listed }];
    if (all.length > ITEMS_PER_MAIL) blocks.push({ text: `…and ${all.length - ITEMS_PER_MAIL} more.` });
    // Several edits: one diff across all of them, too.
    const first = edits[0];
    const last = edits.at(-1);
    if (edits.length > 1 && first?.parentId && last?.revisionId) {
      blocks.push({ link: { label: "All these edits in one diff", url: `${origin}${pagePath(page.slug, "/diff")}?from=${first.parentId}&to=${last.revisionId}` } });
    }
    const subject = all.length === 1 ? `${page.pageTitle}: ${listed[0]!.text}` : `${page.pageTitle}: ${all.length} new changes and posts`;
    const links = unsubscribeLinks(origin, userId);
    await enqueueMail(tx, { kind: "notification", userId, to: user.email!, content: { subject: subjectLine(subject), blocks, footer: footer(origin, userId) }, headers: links.headers, createdAt: now });
    await tx
      .insert(mailPageSends)
      .values({ userId, pageId, sentAt: now })
      .onConflictDoUpdate({ target: [mailPageSends.userId, mailPageSends.pageId], set: { sentAt: now } });
    return true;
  });
}

async function composeModerationMail(db: Database, userId: string, now: Date, origin: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const user = await recipient(tx, userId, "instant");
    if (!user) return false;
    const ids = await waiting(tx, userId, { held: true });
    if (ids.length === 0) return false;
    const all = (await details(tx, ids)).filter(current);
    await markMailed(tx, ids, now);
    if (all.length === 0) return false;
    const listed = all.slice(0, ITEMS_PER_MAIL).map((d) => item(origin, d));
    const blocks: MailBlock[] = [{ text: `Hello ${user.name},` }, { text: all.length === 1 ? "A post waits for a moderator:" : `${all.length} posts wait for a moderator:` }, { list: listed }];
    if (all.length > ITEMS_PER_MAIL) blocks.push({ text: `…and ${all.length - ITEMS_PER_MAIL} more.` });
    blocks.push({ link: { label: "The moderation queue", url: `${origin}/moderation` } });
    const subject = all.length === 1 ? `${all[0]!.pageTitle}: ${listed[0]!.text}` : `${all.length} posts wait for a moderator`;
    const links = unsubscribeLinks(origin, userId);
    await enqueueMail(tx, { kind: "moderation", userId, to: user.email!, content: { subject: subjectLine(subject), blocks, footer: footer(origin, userId) }, headers: links.headers, createdAt: now });
    return true;
  });
}

/** Everything waiting in one mail: the daily digest, or (hourly) the rest for someone past INSTANT_MAILS_PER_HOUR. */
async function composeGathered(db: Database, userId: string, now: Date, origin: string, cadence: "daily" | "hourly"): Promise<boolean> {
  return db.transaction(async (tx) => {
    const user = await recipient(tx, userId, cadence === "daily" ? "daily" : "instant");
    if (!user) return false;
    const ids = await waiting(tx, userId, cadence === "daily" ? "all" : "all but held");
    if (ids.length === 0) return false;
    const all = (await details(tx, ids)).filter(current);
    await markMailed(tx, ids, now);
    if (cadence === "daily") await tx.update(users).set({ lastDigestAt: now }).where(eq(users.id, userId));
    if (all.length === 0) return false;
    const byPage = new Map<string, Detail[]>();
    for (const d of all) {
      const list = byPage.get(d.pageTitle);
      if (list) list.push(d);
      else byPage.set(d.pageTitle, [d]);
    }
    const count = `${all.length} ${all.length === 1 ? "thing" : "things"} on ${byPage.size} ${byPage.size === 1 ? "page" : "pages"}`;
    const intro = cadence === "daily" ? `Your daily digest: ${count}.` : `More happened this hour than ${INSTANT_MAILS_PER_HOUR} mails would tell, so the rest comes gathered in one: ${count}.`;
    const blocks: MailBlock[] = [{ text: `Hello ${user.name},` }, { text: intro }];
    let shown = 0;
    for (const [title, items] of byPage) {
      if (shown >= ITEMS_PER_MAIL) break;
      const slice = items.slice(0, ITEMS_PER_MAIL - shown);
      shown += slice.length;
      blocks.push({ text: title }, { list: slice.map((d) => item(origin, d)) });
    }
    if (all.length > shown) blocks.push({ text: `…and ${all.length - shown} more.` });
    const links = unsubscribeLinks(origin, userId);
    const pagesCount = `${byPage.size} ${byPage.size === 1 ? "page" : "pages"}`;
    const subject = cadence === "daily" ? `Your daily digest: ${all.length} new on ${pagesCount}` : `${all.length} new on ${pagesCount} this hour`;
    await enqueueMail(tx, { kind: cadence === "daily" ? "digest" : "batch", userId, to: user.email!, content: { subject, blocks, footer: footer(origin, userId) }, headers: links.headers, createdAt: now });
    return true;
  });
}

import "server-only";
import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Database } from "@/lib/db/client";
import { pageLog, pages, revisions, talkPosts, talkThreads, users } from "@/lib/db/schema";
import { firstPostVisible } from "@/lib/talk/thread-visibility";
import type { PageKind } from "./page-kinds";

/** The page kinds recent changes can be filtered by. */

const parent = alias(revisions, "parent");

export type ChangeFilter = {
  hideMinor?: boolean;
  user?: string;
  kind?: PageKind;
  pageId?: number;
  limit?: number;
  before?: Date;
  /** Which activity to include (default: edits, page actions and talk). */
  types?: ("edit" | "log" | "talk")[];
};

export type ChangeEntry =
  | {
      type: "edit";
      at: Date;
      revisionId: number;
      parentId: number | null;
      slug: string;
      title: string;
      kind: PageKind;
      author: string;
      authorIsSystem: boolean;
      summary: string;
      isMinor: boolean;
      length: number;
      delta: number;
      isNew: boolean;
      change: unknown;
    }
  | { type: "log"; at: Date; logId: number; slug: string; title: string; kind: PageKind; author: string; action: string; reason: string; details: Record<string, unknown> }
  | { type: "talk"; at: Date; postId: number; threadId: number; threadTitle: string; slug: string; title: string; kind: PageKind; author: string; isReply: boolean };

/**
 * Recent changes across the wiki (or one page): edits and page actions,
 * newest first, filterable by minor edits, user and page kind.
 */
export async function listRecentChanges(db: Database, filter: ChangeFilter = {}): Promise<ChangeEntry[]> {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
  const userCond = filter.user ? sql`lower(${users.name}) = lower(${filter.user})` : undefined;
  const edits = await db
    .select({
      at: revisions.createdAt,
      revisionId: revisions.id,
      parentId: revisions.parentId,
      slug: pages.slug,
      title: pages.title,
      kind: pages.kind,
      author: users.name,
      authorIsSystem: users.isSystem,
      summary: revisions.summary,
      isMinor: revisions.isMinor,
      length: revisions.length,
      parentLength: parent.length,
      change: revisions.change,
    })
    .from(revisions)
    .innerJoin(pages, eq(pages.id, revisions.pageId))
    .innerJoin(users, eq(users.id, revisions.authorId))
    .leftJoin(parent, eq(parent.id, revisions.parentId))
    .where(
      and(
        sql`${pages.deletedAt} is null`,
        filter.hideMinor ? eq(revisions.isMinor, false) : undefined,
        filter.kind ? eq(pages.kind, filter.kind) : undefined,
        filter.pageId ? eq(pages.id, filter.pageId) : undefined,
        filter.before ? lt(revisions.createdAt, filter.before) : undefined,
        userCond,
      ),
    )
    .orderBy(desc(revisions.id))
    .limit(limit);
  const logs = await db
    .select({
      at: pageLog.createdAt,
      logId: pageLog.id,
      slug: pages.slug,
      title: pages.title,
      kind: pages.kind,
      author: users.name,
      action: pageLog.action,
      reason: pageLog.reason,
      details: pageLog.details,
    })
    .from(pageLog)
    .innerJoin(pages, eq(pages.id, pageLog.pageId))
    .innerJoin(users, eq(users.id, pageLog.actorId))
    .where(
      and(
        filter.kind ? eq(pages.kind, filter.kind) : undefined,
        filter.pageId ? eq(pages.id, filter.pageId) : undefined,
        filter.before ? lt(pageLog.createdAt, filter.before) : undefined,
        // A deleted page's log shows only its deletion (as its edits and talk are hidden), not its renames or reasons.
        or(isNull(pages.deletedAt), eq(pageLog.action, "delete")),
        userCond,
      ),
    )
    .orderBy(desc(pageLog.id))
    .limit(limit);
  const types = new Set(filter.types ?? ["edit", "log", "talk"]);
  const talk = types.has("talk")
    ? await db
        .select({
          at: talkPosts.createdAt,
          postId: talkPosts.id,
          threadId: talkThreads.id,
          threadTitle: talkThreads.title,
          slug: pages.slug,
          title: pages.title,
          kind: pages.kind,
          memberName: users.name,
          guestName: talkPosts.guestName,
          parentId: talkPosts.parentId,
        })
        .from(talkPosts)
        .innerJoin(talkThreads, eq(talkThreads.id, talkPosts.threadId))
        .innerJoin(pages, eq(pages.id, talkThreads.pageId))
        .leftJoin(users, eq(users.id, talkPosts.authorId))
        .where(
          and(
            eq(talkPosts.status, "visible"),
            // The thread's title is shown with each entry: only threads whose first post is visible (see thread-visibility.ts).
            firstPostVisible(talkThreads.id),
            sql`${pages.deletedAt} is null`,
            filter.kind ? eq(pages.kind, filter.kind) : undefined,
            filter.pageId ? eq(pages.id, filter.pageId) : undefined,
            filter.before ? lt(talkPosts.createdAt, filter.before) : undefined,
            filter.user ? sql`lower(coalesce(${users.name}, ${talkPosts.guestName})) = lower(${filter.user})` : undefined,
          ),
        )
        .orderBy(desc(talkPosts.id))
        .limit(limit)
    : [];
  const entries: ChangeEntry[] = [
    ...edits.map(({ parentLength, ...e }) => ({ type: "edit" as const, ...e, delta: e.length - (parentLength ?? 0), isNew: e.parentId === null })),
    ...logs.map((l) => ({ type: "log" as const, ...l })),
    ...talk.map(({ memberName, guestName, parentId, ...t }) => ({ type: "talk" as const, ...t, author: memberName ?? guestName ?? "Anonymous", isReply: parentId !== null })),
  ].filter((e) => types.has(e.type));
  return entries.sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, limit);
}

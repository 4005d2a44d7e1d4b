import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { talkPosts } from "@/lib/db/schema";

/**
 * Whether the first post of a thread is visible to everyone. A thread's
 * title is written by the author of its first post, so the thread (its
 * title and its replies) is shown to everyone only when that post is: a
 * held, hidden or spam first post keeps the title out of talk pages, the
 * API, feeds, recent changes and notifications, however many harmless
 * replies follow. (One indexed lookup: talk_posts_thread_idx.)
 */
export function firstPostVisible(threadId: AnyPgColumn): SQL {
  return sql`(select first_post.status from ${talkPosts} first_post where first_post.thread_id = ${threadId} order by first_post.id limit 1) = 'visible'`;
}

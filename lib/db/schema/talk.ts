import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, primaryKey, real, text, timestamp, unique, uniqueIndex, type AnyPgColumn } from "drizzle-orm/pg-core";
import { pages } from "./pages";
import { revisions } from "./revisions";
import { users } from "./users";

export const threadStatuses = ["open", "resolved", "archived"] as const;
export const postStatuses = ["visible", "held", "hidden", "spam"] as const;

/** A discussion thread on a page's talk page. */
export const talkThreads = pgTable(
  "talk_threads",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    pageId: integer("page_id")
      .notNull()
      .references(() => pages.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    status: text("status").$type<(typeof threadStatuses)[number]>().notNull().default("open"),
    createdBy: text("created_by").references(() => users.id),
    /** Stable key of an imported thread, so a re-import changes nothing. */
    importKey: text("import_key").unique(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastActivityAt: timestamp("last_activity_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("talk_threads_page_idx").on(t.pageId, sql`${t.lastActivityAt} desc`)],
);

/**
 * A post in a thread; `parent_id` makes replies to replies. Members have an
 * author; guests a name and optional website. `body_html` is the sanitised
 * rendering of `body_source`, the only form ever shown.
 */
export const talkPosts = pgTable(
  "talk_posts",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    threadId: integer("thread_id")
      .notNull()
      .references(() => talkThreads.id, { onDelete: "cascade" }),
    parentId: integer("parent_id").references((): AnyPgColumn => talkPosts.id),
    authorId: text("author_id").references(() => users.id),
    guestName: text("guest_name"),
    guestUrl: text("guest_url"),
    bodySource: text("body_source").notNull(),
    bodyHtml: text("body_html").notNull(),
    status: text("status").$type<(typeof postStatuses)[number]>().notNull().default("visible"),
    spamScore: real("spam_score"),
    reasons: jsonb("reasons").$type<string[]>().notNull().default([]),
    importKey: text("import_key").unique(),
    importedFrom: text("imported_from"),
    /** A browser token letting a guest see their own held post (hashed). */
    guestToken: text("guest_token"),
    /** sha256 of the poster's network (lib/security/request.ts clientNetwork: an IPv6 /64, an IPv4 address): a guest is one author per network. */
    ipHash: text("ip_hash"),
    /** Set when an editor carried this post into the page. */
    carriedRevisionId: integer("carried_revision_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    editedAt: timestamp("edited_at", { withTimezone: true }),
  },
  (t) => [index("talk_posts_thread_idx").on(t.threadId, t.id)],
);

/**
 * The passage a thread discusses, as a W3C Web Annotation target: the quote
 * (TextQuoteSelector: exact, prefix, suffix) and its position
 * (TextPositionSelector) on the rendered text of the revision it was chosen on
 * (lib/wiki/rendered-text.ts). Written with the thread, never changed.
 */
export const talkAnchors = pgTable("talk_anchors", {
  threadId: integer("thread_id")
    .primaryKey()
    .references(() => talkThreads.id, { onDelete: "cascade" }),
  revisionId: integer("revision_id")
    .notNull()
    .references(() => revisions.id),
  exact: text("exact").notNull(),
  prefix: text("prefix").notNull(),
  suffix: text("suffix").notNull(),
  start: integer("start").notNull(),
  end: integer("end").notNull(),
});

export const anchorStatuses = ["anchored", "fuzzy", "orphaned"] as const;
/** What a resolution row may say: a status, or `unplaced` (the search gave up on that revision; tried again on the next one). */
export const resolutionStatuses = [...anchorStatuses, "unplaced"] as const;

/**
 * Where a thread's passage is on a later revision (lib/wiki/anchor-store.ts): a
 * cache, so a view maps each passage through each edit once (older rows of a
 * thread are deleted when a newer one is written). `lost_at_revision_id`:
 * for an orphaned passage, the revision that removed it. `unplaced`: the
 * bounded search gave up on this revision (never a guessed place).
 */
export const talkAnchorResolutions = pgTable(
  "talk_anchor_resolutions",
  {
    threadId: integer("thread_id")
      .notNull()
      .references(() => talkThreads.id, { onDelete: "cascade" }),
    revisionId: integer("revision_id")
      .notNull()
      .references(() => revisions.id, { onDelete: "cascade" }),
    status: text("status").$type<(typeof resolutionStatuses)[number]>().notNull(),
    start: integer("start"),
    end: integer("end"),
    confidence: real("confidence").notNull(),
    lostAtRevisionId: integer("lost_at_revision_id"),
  },
  (t) => [primaryKey({ columns: [t.threadId, t.revisionId] }), index("talk_anchor_resolutions_lost_idx").on(t.lostAtRevisionId)],
);

export type TalkAnchor = typeof talkAnchors.$inferSelect;

/** Another site's mention of a page (pingback or Webmention). */
export const mentions = pgTable(
  "mentions",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    pageId: integer("page_id")
      .notNull()
      .references(() => pages.id, { onDelete: "cascade" }),
    kind: text("kind").$type<"pingback" | "webmention">().notNull(),
    sourceUrl: text("source_url"),
    sourceTitle: text("source_title").notNull(),
    excerpt: text("excerpt").notNull().default(""),
    status: text("status").$type<"visible" | "held" | "hidden" | "spam">().notNull().default("visible"),
    importKey: text("import_key").unique(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    verifiedAt: timestamp("verified_at", { withTimezone: true }),
  },
  (t) => [index("mentions_page_idx").on(t.pageId)],
);

export type TalkThread = typeof talkThreads.$inferSelect;
export type TalkPost = typeof talkPosts.$inferSelect;
export type Mention = typeof mentions.$inferSelect;

/** Earlier versions of an edited post (the post row holds the current one). */
export const talkPostRevisions = pgTable(
  "talk_post_revisions",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    postId: integer("post_id")
      .notNull()
      .references(() => talkPosts.id, { onDelete: "cascade" }),
    bodySource: text("body_source").notNull(),
    bodyHtml: text("body_html").notNull(),
    editedBy: text("edited_by").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("talk_post_revisions_post_idx").on(t.postId)],
);

/** Every moderation action, for accountability. */
export const moderationLog = pgTable(
  "moderation_log",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    actorId: text("actor_id")
      .notNull()
      .references(() => users.id),
    action: text("action").notNull(),
    postId: integer("post_id").references(() => talkPosts.id),
    targetUserId: text("target_user_id").references(() => users.id),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("moderation_log_created_idx").on(sql`${t.id} desc`)],
);

/** Texts moderators marked as spam or ham, which train the classifier. */
export const spamTraining = pgTable("spam_training", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  label: text("label").$type<"spam" | "ham">().notNull(),
  text: text("text").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** A user following a thread, or a whole talk page (thread_id null). */
export const talkSubscriptions = pgTable(
  "talk_subscriptions",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    pageId: integer("page_id")
      .notNull()
      .references(() => pages.id, { onDelete: "cascade" }),
    threadId: integer("thread_id").references(() => talkThreads.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("talk_subscriptions_key").on(t.userId, t.pageId, t.threadId).nullsNotDistinct(), index("talk_subscriptions_thread_idx").on(t.threadId)],
);

/** What a notification is about: a reply or mention (a post), an edit of a watched page (a revision), a post held for moderators. */
export const notificationKinds = ["reply", "mention", "edit", "held"] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/**
 * Something for a user to read, in the site and by mail: a reply in a followed
 * discussion, a mention, an edit of a watched page, a post held for moderation.
 * `mailed_at` is set once the mail about it is composed (or skipped: the user
 * wants none, or has no verified address).
 */
export const notifications = pgTable(
  "notifications",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").$type<NotificationKind>().notNull(),
    postId: integer("post_id").references(() => talkPosts.id, { onDelete: "cascade" }),
    /** The page it is about (every kind), for batching mail per page. */
    pageId: integer("page_id").references(() => pages.id, { onDelete: "cascade" }),
    revisionId: integer("revision_id").references(() => revisions.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp("read_at", { withTimezone: true }),
    mailedAt: timestamp("mailed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("notifications_user_post_key").on(t.userId, t.postId),
    uniqueIndex("notifications_user_revision_key").on(t.userId, t.revisionId),
    index("notifications_user_idx").on(t.userId, sql`${t.id} desc`),
    index("notifications_unmailed_idx").on(t.userId, t.pageId).where(sql`${t.mailedAt} is null`),
  ],
);

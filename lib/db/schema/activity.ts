import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { pages } from "./pages";
import { revisions } from "./revisions";
import { users } from "./users";

/** Pages a user watches, and when they last looked at their changes. */
export const watches = pgTable(
  "watches",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    pageId: integer("page_id")
      .notNull()
      .references(() => pages.id, { onDelete: "cascade" }),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.pageId] }), index("watches_page_idx").on(t.pageId)],
);

/** Idempotency keys of saves: a retried submit returns the first result. */
export const editRequests = pgTable("edit_requests", {
  key: text("key").primaryKey(),
  userId: text("user_id")
    .notNull()
    .references(() => users.id),
  revisionId: integer("revision_id")
    .notNull()
    .references(() => revisions.id),
  /** SHA-256 of what was submitted with the key: the same key with other content is refused, never answered with the old save. */
  contentHash: text("content_hash"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Page actions that are not revisions: protect, delete, restore, move. */
export const pageLog = pgTable(
  "page_log",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    pageId: integer("page_id")
      .notNull()
      .references(() => pages.id),
    actorId: text("actor_id")
      .notNull()
      .references(() => users.id),
    action: text("action").$type<"protect" | "unprotect" | "delete" | "restore" | "move">().notNull(),
    reason: text("reason").notNull().default(""),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("page_log_created_idx").on(sql`${t.id} desc`), index("page_log_page_idx").on(t.pageId), index("page_log_at_idx").on(t.createdAt, t.id)],
);

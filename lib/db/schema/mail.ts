import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { pages } from "./pages";
import { users } from "./users";

export const outboxStatuses = ["pending", "sending", "sent", "failed"] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

/**
 * Mail to send (lib/mail/outbox.ts). A row is written in the same transaction
 * as the change that causes it and sent after commit by the application
 * server's mail loop (lib/mail/delivery.ts): claimed (`sending`, committed)
 * before the SMTP conversation, so no two loops send it and a send cut off by
 * a crash is never repeated; a failed attempt goes back to `pending` with a
 * later `next_attempt_at`, until `failed` after the last attempt.
 */
export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    /** What the mail is: "password-reset", "verify-email", "account-exists", "notification", "moderation" (held posts), "batch" (past the hourly number), "digest". */
    kind: text("kind").notNull(),
    userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body").notNull(),
    /** Extra headers (List-Unsubscribe and List-Unsubscribe-Post for notifications). */
    headers: jsonb("headers").$type<Record<string, string>>().notNull().default({}),
    status: text("status").$type<OutboxStatus>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    claimedAt: timestamp("claimed_at", { withTimezone: true }),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [index("mail_outbox_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`), index("mail_outbox_user_idx").on(t.userId)],
);

export const emailTokenPurposes = ["reset-password", "verify-email"] as const;
export type EmailTokenPurpose = (typeof emailTokenPurposes)[number];

/**
 * One-time tokens sent by mail: a password reset, or the verification of an
 * address (`email`: the address the link proves). Stored as a SHA-256 hash;
 * used once (`used_at`), valid until `expires_at`.
 */
export const emailTokens = pgTable(
  "email_tokens",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose").$type<EmailTokenPurpose>().notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    email: text("email").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("email_tokens_user_idx").on(t.userId, t.purpose)],
);

/** When a user was last mailed about a page: the next mail about it waits an hour after that, and gathers what happened meanwhile. */
export const mailPageSends = pgTable(
  "mail_page_sends",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    pageId: integer("page_id")
      .notNull()
      .references(() => pages.id, { onDelete: "cascade" }),
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.pageId] })],
);

export type OutboxRow = typeof mailOutbox.$inferSelect;
export type EmailToken = typeof emailTokens.$inferSelect;

import { sql } from "drizzle-orm";
import { boolean, index, pgTable, text, timestamp, uniqueIndex, integer } from "drizzle-orm/pg-core";

/** Roles in ascending order of power. */
export const roles = ["reader", "editor", "moderator", "admin"] as const;
export type Role = (typeof roles)[number];

/** How a member wants notifications by mail: each at once (at most one mail per page per hour), a daily digest, or none. */
export const mailChoices = ["instant", "daily", "never"] as const;
export type MailChoice = (typeof mailChoices)[number];

/**
 * People, tools and the system itself. Ids are text UUIDs because next-auth's
 * adapter model expects string ids.
 */
export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey().default(sql`gen_random_uuid()::text`),
    name: text("name").notNull(),
    email: text("email"),
    emailVerified: timestamp("email_verified", { withTimezone: true }),
    image: text("image"),
    role: text("role").$type<Role>().notNull().default("editor"),
    passwordHash: text("password_hash"),
    isSystem: boolean("is_system").notNull().default(false),
    blockedAt: timestamp("blocked_at", { withTimezone: true }),
    /** Bumped when the password changes: sessions signed in before then end. */
    sessionEpoch: integer("session_epoch").notNull().default(0),
    /** The name's UTS #39 skeleton (lib/text-confusables.ts): a new name with the same skeleton is refused. */
    nameSkeleton: text("name_skeleton"),
    /** A changed address waiting for its mailed link (email stays the old one until then). */
    pendingEmail: text("pending_email"),
    mailNotifications: text("mail_notifications").$type<MailChoice>().notNull().default("instant"),
    /** Watched pages' minor edits notify too. */
    notifyMinorEdits: boolean("notify_minor_edits").notNull().default(false),
    /** When the last daily digest was composed (the next one is due a day later). */
    lastDigestAt: timestamp("last_digest_at", { withTimezone: true }),
    /**
     * Set on a contributor brought in by an import ("mediawiki"; "mediawiki-ip" for an
     * address, kept as the name): a record of who wrote what, never an account (no email,
     * no password).
     */
    importedFrom: text("imported_from"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("users_name_key").on(sql`lower(${t.name})`),
    uniqueIndex("users_email_key").on(sql`lower(${t.email})`),
    index("users_created_at_idx").on(t.createdAt),
    index("users_name_skeleton_idx").on(t.nameSkeleton),
  ],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
